"""Character looks come from the configured backend's capabilities (BackendCapabilities.looks):
likeness validates against them without importing a renderer, and the web client asks the API."""

from __future__ import annotations

import subprocess
import sys

import pytest

from figment.errors import ValidationFailed
from figment.generation.backends.procedural import ProceduralBackend
from figment.generation.backends.procedural.lexicon import NOUNS, STYLES
from figment.generation.types import CharacterLooks
from figment.likeness.service import LOOK_SHAPE, _clean_look
from figment.web.routes import STATIC_DIR

PROCEDURAL = ProceduralBackend.capabilities.looks


def test_the_procedural_backend_offers_its_own_sprites_and_styles() -> None:
    assert set(PROCEDURAL.sprites) == {noun.key for noun in NOUNS}
    assert len(PROCEDURAL.suggested) > 20 and len(set(PROCEDURAL.suggested)) == len(PROCEDURAL.suggested)
    assert set(PROCEDURAL.suggested) <= set(PROCEDURAL.sprites)
    assert set(PROCEDURAL.styles) == set(STYLES) - {"natural"}  # natural is a look without a style
    assert all(
        LOOK_SHAPE.fullmatch(f"{sprite}/{style}") for sprite in PROCEDURAL.sprites for style in PROCEDURAL.styles
    )


def test_suggested_looks_must_be_sprites_the_backend_accepts() -> None:
    with pytest.raises(ValueError, match="taxi"):
        CharacterLooks(sprites=("dog",), suggested=("dog", "taxi"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("", None),
        ("dog", "dog"),
        (" Teddy_Bear/NEON ", "teddy_bear/neon"),
        ("taxi", "taxi"),
        ("dog/", "dog"),
    ],
)
def test_a_look_the_backend_draws_is_kept_canonical(raw: str | None, expected: str | None) -> None:
    assert _clean_look(raw, PROCEDURAL) == expected


@pytest.mark.parametrize("raw", ["lamborghini", "dog/natural", "dog/sepia", "../dog", "dog/neon/noir"])
def test_a_look_the_backend_does_not_draw_is_refused(raw: str) -> None:
    with pytest.raises(ValidationFailed) as error:
        _clean_look(raw, PROCEDURAL)
    assert error.value.details["field"] == "look"


def test_a_backend_that_draws_no_characters_refuses_every_look() -> None:
    assert _clean_look(None, CharacterLooks()) is None
    with pytest.raises(ValidationFailed, match="draws no character looks"):
        _clean_look("dog", CharacterLooks())


def test_another_backend_s_looks_are_its_own() -> None:
    looks = CharacterLooks(sprites=("lamborghini",), styles=("chrome",))
    assert _clean_look("lamborghini/chrome", looks) == "lamborghini/chrome"
    with pytest.raises(ValidationFailed):
        _clean_look("dog", looks)


def test_likeness_does_not_load_a_renderer() -> None:
    # The routes load the app's wiring (deps -> services -> worker -> encoder); the feature's own
    # modules must not need a renderer or PyAV.
    code = (
        "import sys, figment.likeness.service, figment.likeness.verification, figment.likeness.schemas; "
        "print(sorted(m for m in sys.modules if m.startswith('figment.generation.backends') or m == 'av'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_web_client_keeps_no_copy_of_the_looks() -> None:
    sources = {path.name: path.read_text(encoding="utf-8") for path in STATIC_DIR.glob("*.js")}
    assert not [name for name, text in sources.items() if "'teddy_bear'" in text or "LOOK_STYLES" in text]
    assert [name for name, text in sources.items() if "/api/cameo/looks" in text]

"""The web client's character looks must be ones the server accepts (likeness.service.LOOK_SPRITES/STYLES)."""

from __future__ import annotations

import re

from figment.likeness.service import LOOK_SPRITES, LOOK_STYLES
from figment.web.routes import STATIC_DIR


def _js_list(name: str) -> list[str]:
    source = (STATIC_DIR / "likeness.js").read_text(encoding="utf-8")
    match = re.search(rf"export const {name} = \[(.*?)\];", source, re.S)
    assert match, f"{name} not found in likeness.js"
    return re.findall(r"'([a-z_]+)'", match.group(1))


def test_every_look_offered_is_a_sprite_the_server_knows() -> None:
    looks = _js_list("LOOKS")
    assert len(looks) > 20 and len(set(looks)) == len(looks)
    assert set(looks) <= LOOK_SPRITES, sorted(set(looks) - LOOK_SPRITES)


def test_the_styles_offered_are_exactly_the_servers() -> None:
    assert set(_js_list("LOOK_STYLES")) == set(LOOK_STYLES)

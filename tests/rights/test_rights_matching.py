"""The matcher on its own: the labelled evaluation set, named techniques, ordinary words, opt-in mode, CLI."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from rights_helpers import Rights

from figment.app import create_app
from figment.cli import main
from figment.rights.evaluate import HELD_OUT, eval_cases, eval_works, evaluate
from figment.rights.matching import Alias, RightsIndex, WorkEntry, tokens
from support import Api, assert_error, make_settings, shared_embedder


@pytest.fixture(scope="module")
def index() -> RightsIndex:
    return RightsIndex.build(eval_works(), embedder=shared_embedder())


def test_evaluation_set_meets_the_goals(index: RightsIndex) -> None:
    cases = eval_cases()
    assert sum(c.positive for c in cases) >= 100 and sum(not c.positive for c in cases) >= 100
    assert {c.technique.split("-")[0] for c in cases if c.positive} >= {
        "plain", "case", "spacing", "separators", "leetspeak", "spread", "confusable", "accents", "possessive",
        "plural", "misspelling", "alias", "description",
    }  # fmt: skip
    report = evaluate(index)
    assert report.recall >= 0.98, report.misses
    assert report.false_refusal_rate <= 0.02, report.misses


def test_held_back_set_is_unseen_disguises() -> None:
    """Issue 15: a held-back set, never tuned on, of the disguises red teams use."""
    cases = eval_cases(HELD_OUT)
    assert len(cases) >= 150
    techniques = {c.technique for c in cases}
    for kind in ("plural-hyphen", "plural-irregular", "alias-it-plural", "description-it", "style", "style-it"):
        assert kind in techniques, kind
    assert any(c.technique.startswith("colour-compound") and not c.positive for c in cases)
    assert {c.work for c in cases if c.positive} == {w.title for w in eval_works()}
    assert not {c.prompt for c in cases} & {c.prompt for c in eval_cases()}, "held-back prompts are not tuned on"


def test_held_back_recall(index: RightsIndex) -> None:
    report = evaluate(index, eval_cases(HELD_OUT))
    assert report.recall >= 0.98, report.misses


@pytest.mark.xfail(
    strict=True,
    reason="goal missed (docs/BENCHMARKS.md, issue 15): 2/81 = 0.025 > 0.02; aliases made of ordinary words "
    "('The Dark Knight', 'Il Cavaliere Oscuro') are refused when used as ordinary phrases. Strict: "
    "when a change meets the goal this fails, so the marker is removed then.",
)
def test_held_back_false_refusals(index: RightsIndex) -> None:
    report = evaluate(index, eval_cases(HELD_OUT))
    assert report.false_refusal_rate <= 0.02, report.misses


def _names(index: RightsIndex) -> list[tuple[str, str]]:
    return [(w.title, name) for w in index.works for name in (w.title, *(a.text for a in w.aliases))]


def test_colour_named_after_a_title_is_allowed_for_every_work(index: RightsIndex) -> None:
    """README, "Words built on a title": a colour named after a title is a colour."""
    for _title, name in _names(index):
        for prompt in (
            f"a {name}-yellow sunflower field",
            f"a {name}-coloured bicycle",
            f"walls painted in {name} blue",
            f"un campo di girasoli giallo {name}",
            f"una sedia color {name}",
        ):
            assert index.match(prompt) == [], (prompt, [h.rule for h in index.match(prompt)])


def test_style_built_on_a_title_is_refused_for_every_work(index: RightsIndex) -> None:
    """README, "Words built on a title": a style word built on a title is a reference to the work,
    for ordinary-word titles too; and a colour name does not excuse the title used elsewhere."""
    for title, name in _names(index):
        for prompt in (
            f"a {name}-style poster",
            f"a {name}-themed party",
            f"a poster in the style of {name}",
            f"un poster in stile {name}",
            f"a {name}-themed cake in a {name}-yellow room",
        ):
            assert title in [h.work.title for h in index.match(prompt, semantic=False)], prompt


@pytest.mark.parametrize(
    ("prompt", "title"),
    [
        ("Batmen on a bus", "Batman"),
        ("bat-men on a bus", "Batman"),
        ("three spider men", "Spider-Man"),
        ("Mickey Mice at the fair", "Mickey Mouse"),
        ("gli uomini-ragno al mare", "Spider-Man"),
        ("i Cavalieri Oscuri sul tetto", "Batman"),
        ("due Re Leoni", "The Lion King"),
        ("a star war in a kitchen", "Star Wars"),
        ("a pocket monster on a shelf", "Pokémon"),
        ("Elsa di Arendelle", "Frozen"),
        ("a batmanesque owl", "Batman"),
        ("a pikachulike hamster", "Pokémon"),
    ],
)
def test_plurals_singulars_and_suffixes(index: RightsIndex, prompt: str, title: str) -> None:
    assert title in [h.work.title for h in index.match(prompt, semantic=False)], prompt


@pytest.mark.parametrize(
    "prompt",
    ["a yellow Pikachu in the snow", "un Pikachu giallo", "Pikachu, yellow, on a bench", "Super Mario red cap"],
)
def test_colour_describing_the_character_is_refused(index: RightsIndex, prompt: str) -> None:
    assert index.match(prompt, semantic=False), prompt


def test_description_in_another_language_matches_by_words(index: RightsIndex) -> None:
    hits = index.match("un ragazzo mago con gli occhiali rotondi e la cicatrice a forma di saetta sotto la neve")
    assert [h.work.title for h in hits] == ["Harry Potter"]
    assert index.match("un ragazzo con gli occhiali rotondi legge un libro sotto la neve") == []


@pytest.mark.parametrize(
    ("prompt", "rule"),
    [
        ("B4tm4n at night", "leetspeak of title 'Batman'"),
        ("B . a . t . m . a . n", "letters spread out of title 'Batman'"),
        ("Bаtmаn", "look-alike or accented letters of title 'Batman'"),  # Cyrillic а
        ("Batmna", "misspelling of title 'Batman'"),
        ("Topolino al mare", "alias 'Topolino' (Italian)"),
        ("FROZEN movie night", "title 'Frozen' with 'movie'"),
    ],
)
def test_refusal_names_the_technique(index: RightsIndex, prompt: str, rule: str) -> None:
    extra = RightsIndex.build([*index.works, WorkEntry("t", "Topolino", (Alias("Topolino", "it"),), "", "H", "refuse")])
    hits = extra.match(prompt, semantic=False)
    assert rule in [h.rule for h in hits], [h.rule for h in hits]


def test_ordinary_words_pass(index: RightsIndex) -> None:
    for prompt in ("a frozen lake at dawn", "red cars on a track", "a dark night in the forest", "a coke oven"):
        assert index.match(prompt) == [], prompt
    assert tokens("Ｂａｔ\u200bman’s") == ["batman"]


@pytest.fixture
def opt_in_api(tmp_path: Path, database_url: str) -> Iterator[Api]:
    app = create_app(make_settings(tmp_path / "data", database_url, rights_default="opt_in"))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client)


def test_opt_in_mode_refuses_catalogue_works(opt_in_api: Api) -> None:
    rights = Rights(opt_in_api)
    studio = rights.holder("studio", "Archive Ltd")
    listed = rights.work(studio, "Dylan Dog", policy="catalogue")
    assert listed["screening"] == "refuse"
    rights.work(studio, "Martin Mystere", policy="allowed")
    alice = opt_in_api.signup("alice")
    error = assert_error(
        opt_in_api.client.post("/api/videos", json={"prompt": "Dylan Dog in London"}, headers=alice),
        422,
        "rights_blocked",
    )
    assert error["details"]["policy"] == "catalogue"
    assert opt_in_api.client.post("/api/videos", json={"prompt": "Martin Mystere"}, headers=alice).status_code == 202
    assert opt_in_api.client.get("/api/rights/works", headers=studio).json()["mode"] == "opt_in"


def test_cli_approve_holder(api: Api, rights: Rights, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = rights.services.settings
    monkeypatch.setenv("FIGMENT_DATABASE_URL", settings.resolved_database_url)
    monkeypatch.setenv("FIGMENT_DATA_DIR", str(settings.data_dir))
    runner = CliRunner()
    result = runner.invoke(main, ["admin", "approve-holder", "nobody"])
    assert result.exit_code != 0 and "No user" in result.output
    rights.holder("studio", "Archive Ltd", approve=False)
    result = runner.invoke(main, ["admin", "approve-holder", "STUDIO"])
    assert result.exit_code == 0, result.output
    assert api.client.get("/api/rights/holders/me", headers=api.auth("studio")).json()["status"] == "approved"
    api.signup("plain")
    result = runner.invoke(main, ["admin", "approve-holder", "plain"])
    assert result.exit_code != 0 and "has not applied" in result.output

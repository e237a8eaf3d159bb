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
from figment.rights.evaluate import eval_cases, eval_works, evaluate
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

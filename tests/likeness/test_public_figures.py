"""A public figure may appear when the person consented through a verified likeness (issue 6 item 2)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from cameo_support import verify_directly
from figment.migrate import upgrade
from figment.services import build_services
from support import Api, api_over, assert_error, make_settings


@pytest.fixture
def figures_api(tmp_path: Path, database_url: str) -> Iterator[Api]:
    extra = tmp_path / "figures.json"
    extra.write_text(json.dumps({"figures": [{"name": "Ada Rossi", "aliases": ["Ada R."], "handles": ["ada"]}]}))
    upgrade(database_url)
    with api_over(build_services(make_settings(tmp_path, database_url, public_figures_file=extra))) as api:
        api.signup("ada")
        api.signup("bob")
        yield api


def _post(api: Api, handle: str, prompt: str) -> object:
    return api.client.post("/api/videos", json={"prompt": prompt, "duration_s": 1}, headers=api.auth(handle))


def test_a_public_figure_needs_their_verified_likeness(figures_api: Api) -> None:
    api = figures_api
    # Not verified yet: even the person's own account is refused (anyone could claim a name).
    assert_error(_post(api, "ada", "Ada Rossi dancing"), 422, "public_figure_blocked")
    verify_directly(api, "ada", permission="only_me")
    assert _post(api, "ada", "Ada Rossi dancing").status_code == 202  # type: ignore[attr-defined]
    assert_error(_post(api, "bob", "Ada Rossi dancing"), 422, "public_figure_blocked")
    # Tagging her goes through her likeness rules: only_me refuses bob ...
    assert_error(_post(api, "bob", "@ada (Ada Rossi) dancing"), 403, "cameo_permission_denied")
    # ... and once she allows everyone, the tagged clip is hers to know about.
    assert api.client.patch("/api/cameo", json={"permission": "everyone"}, headers=api.auth("ada")).status_code == 200
    assert _post(api, "bob", "@ada (Ada Rossi) dancing").status_code == 202  # type: ignore[attr-defined]

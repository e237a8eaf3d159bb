from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from figment.cli import main
from figment.db import session_scope
from figment.demo import DEMO_CLIPS, DEMO_USERS, missing_clips, seed
from figment.services import build_services
from figment.videos.models import Video
from support import make_settings


def test_demo_seed_publishes_and_skips_what_exists(tmp_path: Path, sqlite_url: str) -> None:
    services = build_services(make_settings(tmp_path / "data", sqlite_url, workers=0))
    try:
        chosen = DEMO_CLIPS[:2]
        done: list[str] = []
        assert seed(services, clips=chosen, on_clip_done=lambda c: done.append(c.prompt)) == 2
        assert done == [c.prompt for c in chosen]
        with session_scope(services.session_factory) as session:
            videos = session.scalars(select(Video)).all()
            assert {v.visibility for v in videos} == {"published"} and {v.status for v in videos} == {"ready"}
        assert seed(services, clips=chosen) == 0  # second run renders nothing
        assert len(missing_clips(services)) == len(DEMO_CLIPS) - 2
    finally:
        services.close()


def test_cli_migrate_and_make_admin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIGMENT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("FIGMENT_DATABASE_URL", raising=False)
    runner = CliRunner()
    result = runner.invoke(main, ["migrate"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "figment.db").exists()

    result = runner.invoke(main, ["admin", "make-admin", "nobody"])
    assert result.exit_code != 0 and "No user" in result.output

    services = build_services(make_settings(tmp_path / "data", "", workers=0))
    try:
        from figment.accounts.service import signup

        with session_scope(services.session_factory) as session:
            signup(session=session, handle=DEMO_USERS[0], email="x@example.com", password="longenough")
    finally:
        services.close()
    result = runner.invoke(main, ["admin", "make-admin", DEMO_USERS[0].upper()])
    assert result.exit_code == 0, result.output
    assert f"@{DEMO_USERS[0]} is now an operator" in result.output


def test_cli_refuses_bad_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIGMENT_PORT", "not-a-port")
    result = CliRunner().invoke(main, ["migrate"])
    assert result.exit_code != 0
    assert "FIGMENT" in result.output or "port" in result.output.lower()

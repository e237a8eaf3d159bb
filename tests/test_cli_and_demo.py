from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from figment.accounts.models import User
from figment.cli import main
from figment.db import session_scope
from figment.demo import DEMO_CLIPS, DEMO_USERS, missing_clips, seed
from figment.profiles import avatars
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
            videos = session.scalars(select(Video).where(Video.visibility != "avatar")).all()
            assert {v.visibility for v in videos} == {"published"} and {v.status for v in videos} == {"ready"}
            # Every demo person has a profile: a name, a bio and an avatar made through the avatar path.
            for handle in DEMO_USERS:
                user = session.scalars(select(User).where(User.handle == handle)).one()
                assert user.display_name and user.bio, handle
                assert avatars.current(session=session, user_id=user.id) is not None, handle
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
            signup(
                session=session,
                handle=DEMO_USERS[0],
                email="x@example.com",
                password="longenough",
                birthdate=date(1990, 1, 1),
            )
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


def _cli_env(monkeypatch: pytest.MonkeyPatch, data: Path, database_url: str, **more: str) -> None:
    values = {
        "FIGMENT_DATA_DIR": str(data),
        "FIGMENT_DATABASE_URL": database_url,
        "FIGMENT_ENV": "test",
        "FIGMENT_EMBEDDER": "hash",
        "FIGMENT_NUDITY_CHECK": "false",
        "FIGMENT_VIDEO_WIDTH": "144",
        "FIGMENT_VIDEO_HEIGHT": "256",
        **more,
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)


def test_figment_worker_takes_only_the_queues_it_is_given(
    tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    from figment.accounts.service import signup
    from figment.jobs.models import PRIORITY_GPU_CLIP, Queue
    from figment.videos import service as videos

    services = build_services(make_settings(tmp_path / "data", sqlite_url, workers=0, embedder="hash"))
    ids = {}
    try:
        with session_scope(services.session_factory) as session:
            author = signup(
                session=session, handle="alice", email="a@x.org", password="longenough", birthdate=date(1990, 1, 1)
            ).user
            for queue, priority in ((Queue.cpu, services.submit_limits().priority), (Queue.gpu, PRIORITY_GPU_CLIP)):
                limits = dataclasses.replace(services.submit_limits(), queue=queue, priority=priority)
                ids[queue] = videos.submit(
                    session=session,
                    author=author,
                    prompt="a cat",
                    duration_s=1,
                    remix_of=None,
                    limits=limits,
                    checks=services.checks,
                    hooks=services.likeness,
                ).id
    finally:
        services.close()

    def statuses() -> dict[str, str]:
        with session_scope(services.session_factory) as session:
            return {queue: session.get(Video, video_id).status for queue, video_id in ids.items()}  # type: ignore[union-attr]

    _cli_env(monkeypatch, tmp_path / "data", sqlite_url)
    result = CliRunner().invoke(main, ["worker", "--once", "--queue", "gpu"])
    assert result.exit_code == 0, result.output
    assert statuses() == {Queue.cpu: "queued", Queue.gpu: "ready"}
    result = CliRunner().invoke(main, ["worker", "--once"])  # the procedural backend's queue: cpu
    assert result.exit_code == 0, result.output
    assert statuses() == {Queue.cpu: "ready", Queue.gpu: "ready"}


@pytest.mark.postgres
def test_figment_migrate_applies_procrastinates_schema_when_it_carries_the_jobs(
    tmp_path: Path, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"figment_migrate_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)
    try:
        _cli_env(monkeypatch, tmp_path / "data", url, FIGMENT_JOBS="procrastinate")
        for _ in range(2):  # a second run finds everything in place
            result = CliRunner().invoke(main, ["migrate"])
            assert result.exit_code == 0, result.output
        engine = create_engine(url)
        with engine.connect() as conn:
            tables = {row[0] for row in conn.execute(text("SELECT tablename FROM pg_tables"))}
        engine.dispose()
        assert {"jobs", "videos", "procrastinate_jobs", "procrastinate_workers"} <= tables
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_procrastinate_needs_postgresql(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="FIGMENT_JOBS=procrastinate needs PostgreSQL"):
        make_settings(tmp_path, "", jobs="procrastinate")


def test_render_plan_is_a_dry_run(tmp_path: Path) -> None:
    import json

    out = tmp_path / "clip.mp4"
    result = CliRunner().invoke(main, ["render", 'a cat says "hello" on a beach', "-o", str(out), "--plan"])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.output)
    assert plan["prompt"] == 'a cat says "hello" on a beach' and plan["subjects"][0]["key"] == "cat"
    assert not out.exists()  # nothing rendered, nothing written

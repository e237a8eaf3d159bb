"""A failed try is retried after a backoff, so an outage gets time to end instead of using up the
attempts at once; the transports hold the job until then."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text, update

from figment.accounts import service as accounts
from figment.db import session_scope, utcnow
from figment.jobs import service as jobs
from figment.jobs.models import Job, JobState
from figment.services import Services, build_services
from figment.testing.backends import ExplodingBackend
from figment.videos import service as videos
from support import make_settings


def test_the_wait_doubles_per_try_and_is_capped() -> None:
    assert [jobs.retry_delay_s(n, 10) for n in (1, 2, 3, 4)] == [10, 20, 40, 80]
    assert jobs.retry_delay_s(30, 10) == jobs.MAX_RETRY_DELAY_S
    assert jobs.retry_delay_s(3, 0) == 0


@pytest.fixture(params=["sqlite-lease", pytest.param("postgres-procrastinate", marks=pytest.mark.postgres)])
def services(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Services]:
    database, transport = str(request.param).split("-")
    url = request.getfixturevalue(f"{database}_url")
    built = build_services(
        make_settings(tmp_path / "data", url, workers=0, jobs=transport, job_retry_base_s=30, embedder="hash")
    )
    built.render.backend = ExplodingBackend()
    yield built
    built.close()


def test_a_failed_render_waits_for_its_backoff(services: Services) -> None:
    with session_scope(services.session_factory) as session:
        user = accounts.signup(session=session, handle="alice", email="a@x.org", password="longenough").user
        videos.submit(
            session=session,
            author=user,
            prompt="a cat",
            duration_s=1,
            remix_of=None,
            limits=services.submit_limits(),
            checks=services.checks,
            hooks=services.likeness,
        )
    assert services.workers.run_once("w1")
    with session_scope(services.session_factory) as session:
        job = session.scalars(select(Job)).one()
        assert job.state == JobState.queued and job.run_after is not None
        wait = (job.run_after - utcnow()).total_seconds()
        assert 25 < wait <= 30
    assert not services.workers.run_once("w1")  # not before its time
    if services.settings.jobs == "procrastinate":
        with services.engine.connect() as connection:
            scheduled = connection.execute(
                text("SELECT scheduled_at FROM procrastinate_jobs WHERE scheduled_at IS NOT NULL")
            ).scalar_one()
        assert abs((scheduled - job.run_after).total_seconds()) < 1  # the announcement waits as long
    with session_scope(services.session_factory) as session:
        session.execute(update(Job).values(run_after=utcnow() - timedelta(seconds=1)))
    assert services.workers.run_once("w1")  # its time came
    with session_scope(services.session_factory) as session:
        job = session.scalars(select(Job)).one()
        assert job.attempts == 2 and job.run_after is not None  # waiting again, twice as long
        assert 55 < (job.run_after - utcnow()).total_seconds() <= 60

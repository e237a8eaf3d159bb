"""Job rows: leases, take-over after a dead worker, retries, failures that leave nothing half-done."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from figment.accounts import service as accounts
from figment.db import session_scope
from figment.generation.worker import media_keys
from figment.jobs import service as jobs
from figment.jobs.models import Job, JobState
from figment.notifications.models import Notification
from figment.services import Services, build_services
from figment.testing.backends import ExplodingBackend, FakeBackend
from figment.videos import service as videos
from figment.videos.models import Video, VideoStatus
from support import make_settings


@pytest.fixture(
    params=[
        "sqlite-lease",
        pytest.param("postgres-lease", marks=pytest.mark.postgres),
        pytest.param("postgres-procrastinate", marks=pytest.mark.postgres),
    ]
)
def services(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Services]:
    """Every database and job transport: the row rules below hold whatever carries the jobs."""
    database, transport = str(request.param).split("-")
    url = request.getfixturevalue(f"{database}_url")
    built = build_services(make_settings(tmp_path / "data", url, workers=0, job_lease_s=0.5, jobs=transport))
    yield built
    built.close()


def _submit(services: Services, handle: str = "alice", *, width: int = 144, height: int = 256) -> str:
    with session_scope(services.session_factory) as session:
        user = accounts.signup(
            session=session, handle=handle, email=f"{handle}@x.org", password="longenough", birthdate=date(1990, 1, 1)
        ).user
        video = videos.submit(
            session=session,
            author=user,
            prompt="a cat",
            duration_s=1,
            remix_of=None,
            limits=videos.SubmitLimits(width=width, height=height, max_attempts=2),
            checks=services.checks,
            hooks=services.likeness,
        )
        return video.id


def test_a_job_is_claimed_once(services: Services) -> None:
    _submit(services)
    with session_scope(services.session_factory) as session:
        first = jobs.claim(session=session, worker_id="w1", lease_s=30)
    with session_scope(services.session_factory) as session:
        second = jobs.claim(session=session, worker_id="w2", lease_s=30)
    assert first is not None and first.attempts == 1
    assert second is None


def test_a_dead_workers_job_is_taken_over_and_the_old_owner_cannot_finish(services: Services) -> None:
    video_id = _submit(services)
    with session_scope(services.session_factory) as session:
        dead = jobs.claim(session=session, worker_id="dead", lease_s=0.2)
    assert dead is not None
    time.sleep(0.3)
    pool = services.workers
    assert pool.run_once("alive")  # takes over the expired lease and renders
    with session_scope(services.session_factory) as session:
        job = session.scalars(select(Job)).one()
        assert (job.state, job.worker_id, job.attempts) == (JobState.done, "alive", 2)
        assert session.get(Video, video_id).status == VideoStatus.ready  # type: ignore[union-attr]
        # The dead worker wakes up and tries to finish: it no longer owns the job.
        assert not jobs.mark(session=session, job_id=job.id, worker_id="dead", state=JobState.done)
        assert not jobs.heartbeat(session=session, job_id=job.id, worker_id="dead", lease_s=30)
        ready = session.scalars(select(Notification).where(Notification.kind == "video_ready")).all()
        assert len(ready) == 1


def test_failure_retries_then_fails_with_a_reason_and_no_files(services: Services) -> None:
    backend = ExplodingBackend()
    services.render.backend = backend
    video_id = _submit(services)
    pool = services.workers
    assert pool.run_once("w1")
    with session_scope(services.session_factory) as session:
        video = session.get(Video, video_id)
        assert video is not None and video.status == VideoStatus.queued  # first failure: retried
    assert pool.run_once("w1")
    assert not pool.run_once("w1")
    assert backend.calls == 2
    with session_scope(services.session_factory) as session:
        video = session.get(Video, video_id)
        assert video is not None
        assert video.status == VideoStatus.failed
        assert video.error and "out of memory" in video.error
        assert video.video_key is None
        assert session.scalars(select(Job)).one().state == JobState.failed
        kinds = [n.kind for n in session.scalars(select(Notification))]
        assert kinds == ["video_failed"]
    video_key, poster_key = media_keys(video_id)
    assert not services.storage.exists(video_key) and not services.storage.exists(poster_key)
    assert not [p for p in services.settings.media_dir.rglob("*") if p.is_file()]


def test_deleting_a_queued_video_cancels_its_job(services: Services) -> None:
    video_id = _submit(services)
    with session_scope(services.session_factory) as session:
        user = session.scalars(select(accounts.User)).one()
        videos.delete_video(
            session=session, video_id=video_id, actor=user, storage=services.storage, hooks=services.likeness
        )
    assert not services.workers.run_once("w1")
    with session_scope(services.session_factory) as session:
        assert session.scalars(select(Job)).all() == []  # the row went with its video


def test_a_backend_refusing_the_request_blocks_the_clip_at_once(services: Services) -> None:
    backend = FakeBackend()  # lists 144x256 and 288x512 only
    services.render.backend = backend
    video_id = _submit(services, width=360, height=640)
    assert services.workers.run_once("w1")
    assert not services.workers.run_once("w1")  # not queued again: a refusal is not worth a retry
    assert backend.calls == 1
    with session_scope(services.session_factory) as session:
        video = session.get(Video, video_id)
        assert video is not None and video.status == VideoStatus.blocked
        assert video.error and "360x640" in video.error
        assert session.scalars(select(Job)).one().state == JobState.done

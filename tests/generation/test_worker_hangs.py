"""A video model that hangs: the worker stops waiting after the render timeout, counts the try, and is
free for the next job; after the last try the clip fails with a readable reason and the author is told.

Python cannot stop the hung thread (generation.watchdog); the test releases it at the end.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from figment.accounts import service as accounts
from figment.db import session_scope
from figment.jobs import service as jobs
from figment.jobs.models import Job, JobState
from figment.notifications.models import Notification
from figment.services import Services, build_services
from figment.testing.backends import FakeBackend, HangingBackend
from figment.videos import service as videos
from figment.videos.models import Video, VideoStatus
from support import make_settings

TIMEOUT_S = 0.5
REASON = "Rendering took longer than 0.5 s without progress and was stopped."


@pytest.fixture
def services(tmp_path: Path, sqlite_url: str) -> Iterator[Services]:
    built = build_services(
        make_settings(
            tmp_path / "data", sqlite_url, workers=0, render_timeout_s=TIMEOUT_S, job_lease_s=0.3, job_max_attempts=2
        )
    )
    yield built
    built.close()


def _submit(services: Services, handle: str) -> str:
    with session_scope(services.session_factory) as session:
        user = accounts.signup(
            session=session, handle=handle, email=f"{handle}@x.org", password="longenough", birthdate=date(1990, 1, 1)
        ).user
        return videos.submit(
            session=session,
            author=user,
            prompt="a cat on a roof",
            duration_s=1,
            remix_of=None,
            limits=videos.SubmitLimits(width=144, height=256, max_attempts=2),
            checks=services.checks,
            hooks=services.likeness,
        ).id


def _job(services: Services, video_id: str) -> Job:
    with session_scope(services.session_factory) as session:
        return session.scalars(select(Job).where(Job.video_id == video_id)).one()


@pytest.mark.parametrize("hang_in", ["generate", "frames"])
def test_a_hung_model_costs_a_try_then_fails_the_clip_with_a_reason(services: Services, hang_in: str) -> None:
    backend = HangingBackend(hang_in=hang_in)
    services.render.backend = backend
    try:
        video_id = _submit(services, "alice")
        started = time.monotonic()
        assert services.workers.run_once("w1")
        assert backend.hanging.is_set()
        assert time.monotonic() - started < TIMEOUT_S + 5
        job = _job(services, video_id)
        assert (job.state, job.attempts, job.last_error) == (JobState.queued, 1, REASON)

        assert services.workers.run_once("w1")  # the last try hangs too
        assert not services.workers.run_once("w1")
        job = _job(services, video_id)
        assert (job.state, job.attempts, job.last_error) == (JobState.failed, 2, REASON)
        with session_scope(services.session_factory) as session:
            video = session.get(Video, video_id)
            assert video is not None
            assert (video.status, video.error, video.video_key) == (VideoStatus.failed, REASON, None)
            kinds = [n.kind for n in session.scalars(select(Notification))]
            assert kinds == ["video_failed"]
        assert not [p for p in services.settings.media_dir.rglob("*") if p.is_file()]
        assert not list(services.settings.render_tmp_dir.glob("*"))
        # The stuck threads are left behind, named for a thread dump.
        assert any(t.name.startswith("figment-render-abandoned-") for t in threading.enumerate())

        # The worker is free: the next job renders.
        services.render.backend = FakeBackend()
        other = _submit(services, "bob")
        assert services.workers.run_once("w1")
        with session_scope(services.session_factory) as session:
            done = session.get(Video, other)
            assert done is not None and done.status == VideoStatus.ready
    finally:
        backend.release()


def test_the_hung_try_keeps_its_lease_only_until_the_timeout(services: Services) -> None:
    """While the model is silent the worker heartbeats (a slow model keeps its job: the lease is shorter
    than the timeout here, and no other worker can take it), then stops: the job is queued again."""
    backend = HangingBackend(hang_in="frames")
    services.render.backend = backend
    try:
        video_id = _submit(services, "alice")
        runner = threading.Thread(target=services.workers.run_once, args=("w1",))
        runner.start()
        assert backend.hanging.wait(5)
        time.sleep(0.35)  # past the 0.3 s lease
        with session_scope(services.session_factory) as session:
            assert jobs.claim(session=session, worker_id="w2", lease_s=5) is None  # still w1's
        runner.join(10)
        assert not runner.is_alive()
        job = _job(services, video_id)
        assert (job.state, job.worker_id, job.last_error) == (JobState.queued, None, REASON)
    finally:
        backend.release()

"""Both job transports keep the same promises: a queued clip is rendered once, a duplicate delivery
or a cancelled job renders nothing, a failure is retried, a worker takes only its queues and the most
urgent job first. Procrastinate's own: the announcement commits or rolls back with the Job row, and
a job whose worker died is announced again by the sweep."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from figment import events
from figment.accounts import service as accounts
from figment.accounts.models import User
from figment.db import session_scope
from figment.jobs import service as jobs
from figment.jobs.models import PRIORITY_CPU_CLIP, PRIORITY_GPU_CLIP, Job, JobKind, JobState, Queue
from figment.jobs.procrastinate_engine import RUN_TASK, ProcrastinateJobs
from figment.notifications.models import Notification
from figment.services import Services, build_services
from figment.testing.backends import ExplodingBackend, FakeBackend
from figment.videos import service as videos
from figment.videos.models import Video, VideoStatus
from support import make_settings


@pytest.fixture(params=["lease", pytest.param("procrastinate", marks=pytest.mark.postgres)])
def transport(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def make_services(tmp_path: Path, transport: str, request: pytest.FixtureRequest) -> Iterator[Callable[..., Services]]:
    url = request.getfixturevalue("postgres_url" if transport == "procrastinate" else "sqlite_url")
    built: list[Services] = []

    def make(**overrides: object) -> Services:
        values: dict[str, object] = {"workers": 1, "jobs": transport, "job_sweep_s": 1, "embedder": "hash"}
        values.update(overrides)
        services = build_services(make_settings(tmp_path / "data", url, **values))
        services.render.backend = FakeBackend()
        built.append(services)
        return services

    yield make
    for services in built:
        services.close()


def _author(session: Session, handle: str = "alice") -> User:
    existing = session.scalars(select(User).where(User.handle == handle)).one_or_none()
    if existing is not None:
        return existing
    return accounts.signup(
        session=session, handle=handle, email=f"{handle}@x.org", password="longenough", birthdate=date(1990, 1, 1)
    ).user


def _submit(services: Services, session: Session, **limits: object) -> Video:
    return videos.submit(
        session=session,
        author=_author(session),
        prompt="a cat",
        duration_s=1,
        remix_of=None,
        limits=dataclasses.replace(services.submit_limits(), max_attempts=2, **limits),  # type: ignore[arg-type]
        checks=services.checks,
        hooks=services.likeness,
    )


def _wait(condition: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def _status(services: Services, video_id: str) -> str | None:
    with session_scope(services.session_factory) as session:
        video = session.get(Video, video_id)
        return None if video is None else video.status


def _announcements(services: Services, where: str = "true") -> list[tuple[str, str, int, dict[str, str]]]:
    with services.engine.connect() as connection:
        rows = connection.execute(
            text(
                f"SELECT status, queue_name, priority, args FROM procrastinate_jobs WHERE task_name = :task AND {where}"
            ),
            {"task": RUN_TASK},
        ).all()
    return [(row[0], row[1], row[2], row[3]) for row in rows]


def _drained(services: Services) -> bool:
    """No announcement waits or runs (Procrastinate deletes the ones that succeeded)."""
    return not _announcements(services, "status IN ('todo', 'doing')")


def test_a_queued_clip_is_rendered_once(make_services: Callable[..., Services]) -> None:
    services = make_services()
    services.start()
    with session_scope(services.session_factory) as session:
        video_id = _submit(services, session).id
    _wait(lambda: _status(services, video_id) == VideoStatus.ready)
    assert services.render.backend.calls == 1  # type: ignore[attr-defined]
    with session_scope(services.session_factory) as session:
        job = session.scalars(select(Job)).one()
        assert (job.state, job.attempts, job.kind, job.queue) == (JobState.done, 1, JobKind.render, Queue.cpu)
        assert session.scalar(select(func.count()).select_from(Notification)) == 1


def test_a_failure_is_retried_then_fails_with_its_reason(make_services: Callable[..., Services]) -> None:
    services = make_services()
    backend = ExplodingBackend()
    services.render.backend = backend
    services.start()
    with session_scope(services.session_factory) as session:
        video_id = _submit(services, session).id
    _wait(lambda: _status(services, video_id) == VideoStatus.failed)
    assert backend.calls == 2  # the retry was announced again (Procrastinate) or found (lease loop)
    with session_scope(services.session_factory) as session:
        job = session.scalars(select(Job)).one()
        assert (job.state, job.attempts) == (JobState.failed, 2)
        assert job.last_error and "out of memory" in job.last_error


def test_a_cancelled_job_is_never_rendered(make_services: Callable[..., Services], transport: str) -> None:
    services = make_services()
    with session_scope(services.session_factory) as session:
        video = _submit(services, session)
        video_id, author = video.id, video.author_id
    with session_scope(services.session_factory) as session:
        # The author deletes the draft while its job waits: the job row goes (cascade), its
        # announcement (if any) stays and must find nothing to run.
        actor = session.get(User, author)
        assert actor is not None
        videos.delete_video(
            session=session, video_id=video_id, actor=actor, storage=services.storage, hooks=services.likeness
        )
    services.start()
    if transport == "procrastinate":
        assert _announcements(services)  # the delivery is still on its way
        _wait(lambda: _drained(services))
    else:
        assert not services.workers.run_once("w1")
    assert services.render.backend.calls == 0  # type: ignore[attr-defined]


def test_a_worker_takes_only_its_queues_and_the_most_urgent_job_first(make_services: Callable[..., Services]) -> None:
    services = make_services(workers=0)
    with session_scope(services.session_factory) as session:
        gpu = _submit(services, session, queue=Queue.gpu, priority=PRIORITY_GPU_CLIP).id
    with session_scope(services.session_factory) as session:
        cpu = _submit(services, session).id  # queued after the GPU clip
    with session_scope(services.session_factory) as session:
        first = jobs.claim(session=session, worker_id="both", lease_s=30, queues=[Queue.cpu, Queue.gpu])
        assert first is not None and first.video_id == cpu  # the quick CPU clip does not wait
    with session_scope(services.session_factory) as session:
        assert jobs.claim(session=session, worker_id="cpu-only", lease_s=30, queues=[Queue.cpu]) is None
        taken = jobs.claim(session=session, worker_id="gpu", lease_s=30, queues=[Queue.gpu])
        assert taken is not None and taken.video_id == gpu


@pytest.mark.postgres
@pytest.mark.parametrize("transport", ["procrastinate"])
def test_the_announcement_commits_or_rolls_back_with_the_job(make_services: Callable[..., Services]) -> None:
    services = make_services(workers=0)
    with services.session_factory() as session:
        _submit(services, session)
        session.rollback()
    assert _announcements(services) == []
    with session_scope(services.session_factory) as session:
        assert session.scalar(select(func.count()).select_from(Job)) == 0
        video = _submit(services, session, queue=Queue.gpu, priority=PRIORITY_GPU_CLIP)
        video_id = video.id
    with session_scope(services.session_factory) as session:
        job_id = session.scalars(select(Job.id).where(Job.video_id == video_id)).one()
    assert _announcements(services) == [("todo", Queue.gpu, PRIORITY_GPU_CLIP, {"job_id": job_id})]


@pytest.mark.postgres
@pytest.mark.parametrize("transport", ["procrastinate"])
def test_a_duplicate_delivery_renders_nothing_more(make_services: Callable[..., Services]) -> None:
    services = make_services()
    assert isinstance(services.workers, ProcrastinateJobs)
    with session_scope(services.session_factory) as session:
        video_id = _submit(services, session).id
    with session_scope(services.session_factory) as session:
        job_id = session.scalars(select(Job.id)).one()
        # A second "run job N", as a sweep racing a slow worker would leave.
        services.workers.announce(session, [_queued(job_id)])
    assert len(_announcements(services)) == 2
    services.start()
    _wait(lambda: _status(services, video_id) == VideoStatus.ready and _drained(services))
    assert services.render.backend.calls == 1  # type: ignore[attr-defined]


def _queued(job_id: str) -> events.JobQueued:
    return events.JobQueued(job_id=job_id, queue=Queue.cpu, priority=PRIORITY_CPU_CLIP)


@pytest.mark.postgres
@pytest.mark.parametrize("transport", ["procrastinate"])
def test_the_sweep_announces_again_a_job_whose_worker_died(make_services: Callable[..., Services]) -> None:
    services = make_services(job_lease_s=1.0)
    with session_scope(services.session_factory) as session:
        video_id = _submit(services, session).id
    with session_scope(services.session_factory) as session:
        # A worker claimed the job and died: its lease runs out, and its delivery was used up.
        assert jobs.claim(session=session, worker_id="dead", lease_s=1.0) is not None
    with services.engine.begin() as connection:
        connection.execute(text("DELETE FROM procrastinate_jobs"))
    services.start()
    _wait(lambda: _status(services, video_id) == VideoStatus.ready)
    with session_scope(services.session_factory) as session:
        job = session.scalars(select(Job)).one()
        assert job.attempts == 2 and job.worker_id != "dead"
    assert services.render.backend.calls == 1  # type: ignore[attr-defined]

"""Durable job rows: enqueue, claim with a lease, heartbeat, finish.

A worker owns a job only while its lease runs. If the worker dies, the lease expires and another
worker claims the row again (attempts counts the tries). Every write after the claim checks that the
writer still owns the job, so a slow worker whose lease was taken over cannot finish it a second time.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from figment.db import utcnow
from figment.jobs.models import Job, JobState


def enqueue(*, session: Session, video_id: str, max_attempts: int) -> Job:
    job = Job(video_id=video_id, max_attempts=max_attempts)
    session.add(job)
    session.flush()
    return job


def _claimable(now: object) -> object:
    return or_(
        Job.state == JobState.queued,
        and_(Job.state == JobState.running, Job.lease_expires_at < now),
    )


def claim(*, session: Session, worker_id: str, lease_s: float) -> Job | None:
    """Claim the oldest claimable job. Safe under concurrency: the conditional UPDATE is the lock."""
    now = utcnow()
    candidates = session.scalars(
        select(Job.id).where(_claimable(now)).order_by(Job.created_at, Job.id).limit(5)  # type: ignore[arg-type]
    ).all()
    for job_id in candidates:
        result = session.execute(
            update(Job)
            .where(Job.id == job_id, _claimable(now))  # type: ignore[arg-type]
            .values(
                state=JobState.running,
                worker_id=worker_id,
                lease_expires_at=now + timedelta(seconds=lease_s),
                attempts=Job.attempts + 1,
                updated_at=now,
            )
            .execution_options(synchronize_session=False)
        )
        if getattr(result, "rowcount", 0) == 1:
            session.commit()
            job = session.get(Job, job_id, populate_existing=True)
            return job
        session.rollback()
    return None


def _owned(job_id: str, worker_id: str) -> object:
    return and_(Job.id == job_id, Job.worker_id == worker_id, Job.state == JobState.running)


def heartbeat(*, session: Session, job_id: str, worker_id: str, lease_s: float) -> bool:
    """Extend the lease; False means the job is no longer ours (taken over or cancelled)."""
    now = utcnow()
    result = session.execute(
        update(Job)
        .where(_owned(job_id, worker_id))  # type: ignore[arg-type]
        .values(lease_expires_at=now + timedelta(seconds=lease_s), updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


def mark(*, session: Session, job_id: str, worker_id: str, state: JobState, error: str | None = None) -> bool:
    """Move an owned job to its next state; False when we no longer own it (then do nothing else)."""
    values: dict[str, object] = {"state": state, "updated_at": utcnow(), "last_error": error}
    if state == JobState.queued:
        values.update(worker_id=None, lease_expires_at=None)
    result = session.execute(
        update(Job)
        .where(_owned(job_id, worker_id))  # type: ignore[arg-type]
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return getattr(result, "rowcount", 0) == 1


def cancel_for_video(*, session: Session, video_id: str) -> None:
    session.execute(
        update(Job)
        .where(Job.video_id == video_id, Job.state.in_([JobState.queued, JobState.running]))
        .values(state=JobState.cancelled, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )

"""Durable job rows: enqueue, claim with a lease, heartbeat, finish.

A worker owns a job only while its lease runs. If the worker dies, the lease expires and another
worker claims the row again (attempts counts the tries). Every write after the claim checks that the
writer still owns the job, so a slow worker whose lease was taken over cannot finish it a second time.

Whatever carries the news that a job waits (the lease loop's polling, or Procrastinate's queue), the
claim below is the lock: a duplicate delivery, or a delivery for a job that is done, cancelled or held
by a live lease, claims nothing and so does nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from figment import events
from figment.db import utcnow
from figment.jobs.models import Job, JobKind, JobState


def enqueue(
    *,
    session: Session,
    kind: JobKind,
    queue: str,
    priority: int,
    max_attempts: int,
    video_id: str | None = None,
    payload: dict[str, Any] | None = None,
) -> Job:
    job = Job(kind=kind, queue=queue, priority=priority, video_id=video_id, payload=payload, max_attempts=max_attempts)
    session.add(job)
    session.flush()
    events.record(session, events.JobQueued(job_id=job.id, queue=queue, priority=priority))
    return job


# The longest a retry waits, however many attempts came before.
MAX_RETRY_DELAY_S = 15 * 60


def retry_delay_s(attempts: int, base_s: float) -> float:
    """How long a job waits before its next try after `attempts` tries: base, 2 x base, 4 x base..."""
    if base_s <= 0:
        return 0.0
    return float(min(MAX_RETRY_DELAY_S, base_s * 2 ** max(0, attempts - 1)))


def _claimable(now: object) -> object:
    return or_(
        and_(Job.state == JobState.queued, or_(Job.run_after.is_(None), Job.run_after <= now)),
        and_(Job.state == JobState.running, Job.lease_expires_at < now),
    )


def _take(session: Session, job_id: str, worker_id: str, lease_s: float) -> Job | None:
    """The conditional UPDATE that makes `worker_id` the owner; None when the row is not claimable."""
    now = utcnow()
    result = session.execute(
        update(Job)
        .where(Job.id == job_id, _claimable(now))  # type: ignore[arg-type]
        .values(
            state=JobState.running,
            worker_id=worker_id,
            lease_expires_at=now + timedelta(seconds=lease_s),
            attempts=Job.attempts + 1,
            started_at=now,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if getattr(result, "rowcount", 0) != 1:
        session.rollback()
        return None
    session.commit()
    return session.get(Job, job_id, populate_existing=True)


def claim(*, session: Session, worker_id: str, lease_s: float, queues: Collection[str] | None = None) -> Job | None:
    """Claim the most urgent claimable job in `queues` (None: any queue): highest priority, then oldest.
    Safe under concurrency: the conditional UPDATE is the lock."""
    query = select(Job.id).where(_claimable(utcnow()))  # type: ignore[arg-type]
    if queues is not None:
        query = query.where(Job.queue.in_(list(queues)))
    candidates = session.scalars(query.order_by(Job.priority.desc(), Job.created_at, Job.id).limit(5)).all()
    for job_id in candidates:
        job = _take(session, job_id, worker_id, lease_s)
        if job is not None:
            return job
    return None


def claim_by_id(*, session: Session, job_id: str, worker_id: str, lease_s: float) -> Job | None:
    """Claim one named job (a transport's delivery); None when it is done, cancelled, gone or owned."""
    return _take(session, job_id, worker_id, lease_s)


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


def mark(
    *,
    session: Session,
    job_id: str,
    worker_id: str,
    state: JobState,
    error: str | None = None,
    result: dict[str, Any] | None = None,
    payload: dict[str, Any] | None = None,
    retry_in_s: float = 0.0,
) -> bool:
    """Move an owned job to its next state; False when we no longer own it (then do nothing else).
    Back to `queued` (a retry, not before `retry_in_s`) announces the job again, in the same
    transaction. `payload` replaces the job's payload: a finished job sheds what it no longer needs
    (an import's CSV text)."""
    now = utcnow()
    run_after = now + timedelta(seconds=retry_in_s) if state == JobState.queued and retry_in_s > 0 else None
    values: dict[str, object] = {"state": state, "updated_at": now, "last_error": error, "run_after": run_after}
    if result is not None:
        values["result"] = result
    if payload is not None:
        values["payload"] = payload
    if state == JobState.queued:
        values.update(worker_id=None, lease_expires_at=None)
    outcome = session.execute(
        update(Job)
        .where(_owned(job_id, worker_id))  # type: ignore[arg-type]
        .values(**values)
        .execution_options(synchronize_session=False)
        .returning(Job.queue, Job.priority)
    ).first()
    if outcome is None:
        return False
    if state == JobState.queued:
        events.record(
            session,
            events.JobQueued(job_id=job_id, queue=outcome.queue, priority=outcome.priority, run_after=run_after),
        )
    return True


def cancel_for_video(*, session: Session, video_id: str) -> None:
    session.execute(
        update(Job)
        .where(Job.video_id == video_id, Job.state.in_([JobState.queued, JobState.running]))
        .values(state=JobState.cancelled, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def overdue(*, session: Session, queued_for_s: float, limit: int = 100) -> list[Job]:
    """Jobs whose announcement may have been lost: a running row whose lease ran out (its worker
    died), or a row queued for longer than `queued_for_s`. A transport's sweeper announces them again;
    the claim makes a repeat harmless."""
    now = utcnow()
    return list(
        session.scalars(
            select(Job)
            .where(
                or_(
                    and_(Job.state == JobState.running, Job.lease_expires_at < now),
                    and_(
                        Job.state == JobState.queued,
                        func.coalesce(Job.run_after, Job.updated_at) < now - timedelta(seconds=queued_for_s),
                    ),
                )
            )
            .order_by(Job.priority.desc(), Job.created_at)
            .limit(limit)
        ).all()
    )

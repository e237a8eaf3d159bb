"""Runs claimed jobs: one handler per job kind, whatever transport delivered the job.

A handler owns its job row from claim to finish: it marks it done, back to queued (a retry) or failed,
and every such write checks that the worker still owns the row (jobs.service.mark).
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Callable, Collection, Mapping
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from figment.db import session_scope
from figment.errors import DomainError
from figment.jobs import service as jobs
from figment.jobs.models import Job, JobState
from figment.storage.base import is_disk_full

log = logging.getLogger(__name__)

Handler = Callable[[Job, str], None]
# A task: does its work from the payload in its own sessions and says what it found.
Task = Callable[[dict[str, Any]], dict[str, Any]]
# What a task's subject records when its job fails for good (payload, readable reason), in the same
# transaction as the job's own failure: whoever polls the subject never waits on a job that gave up.
OnFailed = Callable[[Session, dict[str, Any], str], None]
# A task whose writes must commit with its job's `done`, or not at all: it works in the given session.
AtomicTask = Callable[[Session, dict[str, Any]], dict[str, Any]]
# What a finished job's payload keeps (the rest, say a whole CSV file, is dropped from the row).
Shed = Callable[[dict[str, Any]], dict[str, Any]]


class JobRunner:
    def __init__(self, session_factory: sessionmaker[Session], *, lease_s: float, handlers: Mapping[str, Handler]):
        self.session_factory = session_factory
        self.lease_s = lease_s
        self.handlers = dict(handlers)

    def run(self, job: Job, worker_id: str) -> None:
        handler = self.handlers.get(job.kind)
        if handler is None:  # an older or newer process's kind: leave a reason, never a stuck row
            with session_scope(self.session_factory) as session:
                jobs.mark(
                    session=session,
                    job_id=job.id,
                    worker_id=worker_id,
                    state=JobState.failed,
                    error=f"This worker cannot run jobs of kind {job.kind!r}.",
                )
            return
        handler(job, worker_id)

    def run_next(self, worker_id: str, queues: Collection[str] | None) -> bool:
        """Claim and run the most urgent job in `queues`; False when there was none."""
        with session_scope(self.session_factory) as session:
            job = jobs.claim(session=session, worker_id=worker_id, lease_s=self.lease_s, queues=queues)
        if job is None:
            return False
        self.run(job, worker_id)
        return True

    def run_by_id(self, job_id: str, worker_id: str) -> bool:
        """Run one announced job if it is still ours to run; False when the claim found nothing to do
        (done, cancelled, deleted, or held by a live lease: a duplicate delivery)."""
        with session_scope(self.session_factory) as session:
            job = jobs.claim_by_id(session=session, job_id=job_id, worker_id=worker_id, lease_s=self.lease_s)
        if job is None:
            return False
        self.run(job, worker_id)
        return True


def task_handler(
    session_factory: sessionmaker[Session],
    task: Task,
    *,
    on_failed: OnFailed | None = None,
    retry_base_s: float = 0.0,
) -> Handler:
    """A handler for a job that is one call: its result is stored on the row; a DomainError is a
    final refusal (no retry, the message is the reason); any other error is retried while attempts
    last (after a backoff from `retry_base_s`), then the job fails with a readable reason, and
    `on_failed` records that on the subject."""

    def handle(job: Job, worker_id: str) -> None:
        result: dict[str, Any] | None = None
        error: str | None = None
        try:
            result = task(dict(job.payload or {}))
        except Exception as exc:
            state, error = _outcome(job, exc)
        else:
            state = JobState.done
        with session_scope(session_factory) as session:
            owned = jobs.mark(
                session=session,
                job_id=job.id,
                worker_id=worker_id,
                state=state,
                error=error,
                result=result,
                retry_in_s=jobs.retry_delay_s(job.attempts, retry_base_s),
            )
            if owned and state == JobState.failed and on_failed is not None:
                on_failed(session, dict(job.payload or {}), error or "The job failed.")

    return handle


def _outcome(job: Job, exc: Exception) -> tuple[JobState, str]:
    """A failed try's next state and reason: a DomainError is final, anything else retried while
    attempts last."""
    if isinstance(exc, DomainError):
        return JobState.failed, exc.message
    log.warning("job %s (%s) failed: %s", job.id, job.kind, traceback.format_exc())
    state = JobState.queued if job.attempts < job.max_attempts else JobState.failed
    if is_disk_full(exc):
        return state, "The server ran out of disk space while running this job."
    return state, (str(exc).strip() or exc.__class__.__name__)[:500]


class _NotOurs(Exception):
    """The job was taken over while the task ran: its writes are rolled back."""


def atomic_task_handler(
    session_factory: sessionmaker[Session],
    task: AtomicTask,
    *,
    lease_s: float,
    shed: Shed | None = None,
    retry_base_s: float = 0.0,
) -> Handler:
    """A handler for a job whose writes and its `done` commit in one transaction: a worker that dies
    part-way leaves nothing (the retry starts from scratch), and one that dies after the commit leaves
    a finished job, never work done twice. Failures are as in `task_handler`. `shed` trims the payload
    of a finished (done or failed) job.

    The transaction opens with a write to the job row (its heartbeat). On PostgreSQL that row lock holds
    off a worker that took over an expired lease until this one commits (then the job is done and its
    claim finds nothing). On SQLite it makes the driver BEGIN before the task's first savepoint: pysqlite
    starts a transaction only at the first INSERT/UPDATE, and a SAVEPOINT outside one is a transaction
    of its own whose RELEASE commits, so each savepoint would otherwise commit on its own."""

    def handle(job: Job, worker_id: str) -> None:
        payload = dict(job.payload or {})
        kept = shed(payload) if shed is not None else None
        try:
            with session_scope(session_factory) as session:
                if not jobs.heartbeat(session=session, job_id=job.id, worker_id=worker_id, lease_s=lease_s):
                    raise _NotOurs
                result = task(session, payload)
                if not jobs.mark(
                    session=session,
                    job_id=job.id,
                    worker_id=worker_id,
                    state=JobState.done,
                    result=result,
                    payload=kept,
                ):
                    raise _NotOurs
            return
        except _NotOurs:
            return
        except Exception as exc:
            state, error = _outcome(job, exc)
        with session_scope(session_factory) as session:
            jobs.mark(
                session=session,
                job_id=job.id,
                worker_id=worker_id,
                state=state,
                error=error,
                payload=kept if state == JobState.failed else None,
                retry_in_s=jobs.retry_delay_s(job.attempts, retry_base_s),
            )

    return handle

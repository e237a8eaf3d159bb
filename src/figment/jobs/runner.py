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

log = logging.getLogger(__name__)

Handler = Callable[[Job, str], None]
# A task: does its work from the payload in its own sessions and says what it found.
Task = Callable[[dict[str, Any]], dict[str, Any]]


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


def task_handler(session_factory: sessionmaker[Session], task: Task) -> Handler:
    """A handler for a job that is one call: its result is stored on the row; a DomainError is a
    final refusal (no retry, the message is the reason); any other error is retried while attempts
    last, then the job fails with a readable reason."""

    def handle(job: Job, worker_id: str) -> None:
        result: dict[str, Any] | None = None
        error: str | None = None
        try:
            result = task(dict(job.payload or {}))
        except DomainError as refusal:
            state, error = JobState.failed, refusal.message
        except Exception as exc:
            log.warning("job %s (%s) failed: %s", job.id, job.kind, traceback.format_exc())
            state = JobState.queued if job.attempts < job.max_attempts else JobState.failed
            error = (str(exc).strip() or exc.__class__.__name__)[:500]
        else:
            state = JobState.done
        with session_scope(session_factory) as session:
            jobs.mark(session=session, job_id=job.id, worker_id=worker_id, state=state, error=error, result=result)

    return handle

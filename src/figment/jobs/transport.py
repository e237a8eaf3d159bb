"""The job transport seam: what carries "job N waits" from the process that queued it to a worker.

`lease` (default): worker threads poll the job table (jobs.lease). `procrastinate`: PostgreSQL's
LISTEN/NOTIFY through Procrastinate (jobs.procrastinate_engine). Either way the Job row is the truth
and the claim is the lock, so the transport only decides how soon and where a job is looked at.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from sqlalchemy.orm import Session

from figment import events
from figment.jobs.lease import LeaseWorkers
from figment.jobs.runner import JobRunner
from figment.settings import Settings


class Workers(Protocol):
    base_id: str
    # The queues served; None: every queue.
    queues: tuple[str, ...] | None

    def start(self) -> None:
        """Start serving this process's share of the queues (none when configured with no threads)."""

    def stop(self, timeout: float = 30.0) -> None: ...

    def wake(self, queue: str | None = None) -> None:
        """A job was queued in this process (after its commit)."""

    def run_once(self, worker_id: str) -> bool:
        """Claim and run one job now, on the calling thread; False when none waits."""


class Announcer(Protocol):
    def __call__(self, session: Session, happened: list[events.Event]) -> None:
        """Inside the transaction that queued jobs, just before its COMMIT."""


def make_workers(
    settings: Settings, runner: JobRunner, *, queues: Collection[str], threads: int
) -> tuple[Workers, Announcer | None]:
    if settings.jobs == "procrastinate":
        # Imported here: the embedded default never loads Procrastinate.
        from figment.jobs.procrastinate_engine import ProcrastinateJobs

        engine = ProcrastinateJobs(
            runner,
            database_url=settings.resolved_database_url,
            queues=queues,
            concurrency=threads,
            sweep_every_s=settings.job_sweep_s,
            stalled_after_s=settings.job_stalled_after_s,
            queued_for_s=max(60.0, 2 * settings.job_lease_s),
            nice=settings.worker_nice,
        )
        return engine, engine.announce
    workers = LeaseWorkers(
        runner, queues=queues, threads=threads, poll_s=settings.job_poll_s, nice=settings.worker_nice
    )
    return workers, None

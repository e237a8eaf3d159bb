"""Procrastinate carries jobs (FIGMENT_JOBS=procrastinate, PostgreSQL only).

The Job row stays the truth for Figment's own state (consent, cancellation, attempts, the lease); a
Procrastinate job only says "run job N" on a queue, with a priority. So:
- the announcement is written in the same transaction as the Job row (`announce`, before COMMIT): a
  rolled-back submit leaves no queue entry, a committed one always has one;
- a delivery claims the row by id (jobs.service.claim_by_id): a duplicate, or a delivery for a job
  that was cancelled or deleted while it waited, claims nothing and does nothing;
- a retry (the handler puts the row back to queued) is announced again in the handler's transaction;
- a worker killed mid-job: its Procrastinate job stays `doing`, its Job row's lease runs out. A
  periodic sweep on every worker (`figment-maintenance` queue) closes Procrastinate's stalled jobs and
  announces again every row whose lease ran out, or that has waited unannounced (a row queued under
  the lease loop before an operator switched transports); the claim makes a repeat harmless.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Collection

import procrastinate
import psycopg
from procrastinate import exceptions as procrastinate_errors
from procrastinate.jobs import Job as ProcrastinateJob
from procrastinate.jobs import Status
from procrastinate.manager import JobManager
from procrastinate.schema import SchemaManager
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from figment import events
from figment.db import session_scope
from figment.jobs import service as jobs
from figment.jobs.lease import host_worker_id
from figment.jobs.priority import lower_this_thread
from figment.jobs.runner import JobRunner

log = logging.getLogger(__name__)

RUN_TASK = "figment.run_job"
SWEEP_TASK = "figment.sweep_jobs"
MAINTENANCE_QUEUE = "figment-maintenance"
_SCHEMA_LOCK = 7_202_612_07  # pg_advisory_xact_lock key: one process applies the schema at a time


def conninfo(database_url: str) -> str:
    """A libpq connection string from SQLAlchemy's URL (postgresql+psycopg://... -> postgresql://...)."""
    url = make_url(database_url)
    if url.get_backend_name() != "postgresql":
        raise ValueError("FIGMENT_JOBS=procrastinate needs PostgreSQL (FIGMENT_DATABASE_URL=postgresql://...)")
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def ensure_schema(database_url: str) -> bool:
    """Apply Procrastinate's own schema once (`figment migrate`); True when it was applied now."""
    with psycopg.connect(conninfo(database_url)) as connection:
        connection.execute("SELECT pg_advisory_xact_lock(%s)", (_SCHEMA_LOCK,))
        row = connection.execute("SELECT to_regclass('procrastinate_jobs')").fetchone()
        if row is not None and row[0] is not None:
            return False
        connection.execute(SchemaManager.get_schema())
        return True


class ProcrastinateJobs:
    def __init__(
        self,
        runner: JobRunner,
        *,
        database_url: str,
        queues: Collection[str],
        concurrency: int,
        sweep_every_s: int = 5,
        stalled_after_s: float = 30.0,
        queued_for_s: float = 60.0,
        nice: int = 0,
    ) -> None:
        self.runner = runner
        self.queues: tuple[str, ...] | None = tuple(queues)
        self.concurrency = concurrency
        self.stalled_after_s = stalled_after_s
        # Procrastinate's worker heartbeat: a worker is stalled after three missed beats.
        self.heartbeat_s = stalled_after_s / 3
        self.queued_for_s = queued_for_s
        self.nice = nice
        self.base_id = host_worker_id()
        self.app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo(database_url)))
        # Announcements run on the caller's own (synchronous) connection, inside its transaction; the
        # app's connector is asynchronous once a worker runs in this process, so they get their own.
        self._announcements = JobManager(procrastinate.SyncPsycopgConnector())
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._worker_task: asyncio.Task[None] | None = None
        self._started = threading.Event()

        @self.app.task(name=RUN_TASK, pass_context=True)
        def run_job(context: procrastinate.JobContext, job_id: str) -> None:
            delivery = context.job.id if context.job is not None else "?"
            if not self.runner.run_by_id(job_id, f"{self.base_id}:p{delivery}"):
                log.info("job %s: nothing to do (done, cancelled or held by another worker)", job_id)

        @self.app.periodic(cron=f"* * * * * */{sweep_every_s}", periodic_id="sweep")
        @self.app.task(name=SWEEP_TASK, queue=MAINTENANCE_QUEUE, queueing_lock=SWEEP_TASK, pass_context=False)
        async def sweep(timestamp: int) -> None:
            await self.sweep()

        self._run_task = run_job

    # -- the web side: announcements --------------------------------------------------------------

    def announce(self, session: Session, happened: list[events.Event]) -> None:
        """Write "run job N" for each job queued in this transaction, on the transaction's own
        connection, so the entry commits or rolls back with the Job row."""
        queued = [event for event in happened if isinstance(event, events.JobQueued)]
        if not queued:
            return
        connection = session.connection().connection.driver_connection
        self._announcements.batch_defer_jobs(
            jobs=[
                ProcrastinateJob(
                    queue=event.queue,
                    priority=event.priority,
                    lock=None,
                    queueing_lock=None,
                    task_name=RUN_TASK,
                    task_kwargs={"job_id": event.job_id},
                    scheduled_at=event.run_after,
                )
                for event in queued
            ],
            connection=connection,
        )

    # -- the worker side ------------------------------------------------------------------------

    async def sweep(self) -> None:
        manager = self.app.job_manager
        for stalled in await manager.get_stalled_jobs(task_name=RUN_TASK, seconds_since_heartbeat=self.stalled_after_s):
            # Its worker is gone; the Job row's lease decides when the job runs again (below).
            await manager.finish_job(stalled, status=Status.FAILED, delete_job=False)
        overdue = await asyncio.to_thread(self._overdue)
        for job_id, queue, priority in overdue:
            try:
                await self._run_task.configure(
                    queue=queue, priority=priority, queueing_lock=f"figment-job:{job_id}"
                ).defer_async(job_id=job_id)
            except procrastinate_errors.AlreadyEnqueued:
                pass  # an announcement already waits
        if overdue:
            log.info("announced %d overdue job(s) again", len(overdue))

    def _overdue(self) -> list[tuple[str, str, int]]:
        with session_scope(self.runner.session_factory) as session:
            found = jobs.overdue(session=session, queued_for_s=self.queued_for_s)
            return [(job.id, job.queue, job.priority) for job in found]

    def run_once(self, worker_id: str) -> bool:
        """Claim and run one job straight from the table (`figment worker --once`, the demo seeder):
        the claim is the lock, so the announcement that arrives later finds nothing to do."""
        return self.runner.run_next(worker_id, self.queues)

    def wake(self, queue: str | None = None) -> None:
        """Workers hear of new jobs through PostgreSQL's LISTEN/NOTIFY; nothing to do in-process."""

    def start(self) -> None:
        """Serve the queues on a thread of this process (an app process with FIGMENT_WORKERS > 0)."""
        if self.concurrency <= 0 or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._serve, name="figment-procrastinate", daemon=True)
        self._thread.start()
        self._started.wait(timeout=30)

    def _serve(self) -> None:
        lower_this_thread(self.nice)  # the job threads Procrastinate starts from here inherit it
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        async with self.app.open_async():
            self._worker_task = asyncio.ensure_future(
                self.app.run_worker_async(
                    queues=[*(self.queues or ()), MAINTENANCE_QUEUE],
                    concurrency=max(1, self.concurrency),
                    name=self.base_id,
                    install_signal_handlers=False,
                    update_heartbeat_interval=self.heartbeat_s,
                    stalled_worker_timeout=self.stalled_after_s,
                    delete_jobs="successful",
                )
            )
            self._started.set()
            try:
                await self._worker_task
            except asyncio.CancelledError:
                pass

    def stop(self, timeout: float = 30.0) -> None:
        loop, task = self._loop, self._worker_task
        if loop is not None and task is not None and not loop.is_closed():
            loop.call_soon_threadsafe(task.cancel)
        if self._thread is not None:
            self._thread.join(timeout=timeout)
            self._thread = None

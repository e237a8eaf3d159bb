"""Job dispatch: from a job committed by a web process to its start on a worker in another process.

The "web" and the "worker" are two separate Services (their own engines, pools and in-process
wake-ups), so the worker hears of a job only through its transport: the lease loop's poll of the
job table, or Procrastinate's LISTEN/NOTIFY. The handler does nothing but note when it started and
finish the job, so what is measured is the transport and the claim. Paced: one job every 100 ms (far
more than a GPU renders); burst: all at once, for how many jobs a second one worker can start.

`python -m bench --only jobs` (PostgreSQL on 127.0.0.1, FIGMENT_TEST_POSTGRES_URL to change).
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.__main__ import percentile, table
from figment.db import session_scope
from figment.jobs import service as jobs
from figment.jobs.models import PRIORITY_CPU_CLIP, Job, JobKind, JobState, Queue
from figment.migrate import upgrade_for
from figment.services import build_services
from support import make_settings


@contextmanager
def _database() -> Iterator[str]:
    admin_url = os.environ.get("FIGMENT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    name = f"figment_bench_jobs_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _measure(transport: str, *, jobs_count: int, poll_s: float, pace_s: float) -> tuple[list[float], float]:
    """Latencies from commit to start (ms), and jobs started per second from the first commit."""
    with _database() as url, tempfile.TemporaryDirectory() as tmp:
        common = {"jobs": transport, "embedder": "hash", "job_poll_s": poll_s}
        upgrade_for(make_settings(Path(tmp) / "web", url, **common))
        web = build_services(make_settings(Path(tmp) / "web", url, workers=0, **common))
        worker = build_services(make_settings(Path(tmp) / "worker", url, workers=1, **common))
        started: dict[str, float] = {}

        def note_start(job: Job, worker_id: str) -> None:
            started[job.id] = time.perf_counter()
            with session_scope(worker.session_factory) as session:
                jobs.mark(session=session, job_id=job.id, worker_id=worker_id, state=JobState.done)

        worker.runner.handlers[JobKind.render] = note_start
        worker.start()
        time.sleep(1.0)  # the worker listens before the first job
        queued_at: dict[str, float] = {}
        try:
            for _ in range(jobs_count):
                with session_scope(web.session_factory) as session:
                    t0 = time.perf_counter()
                    job = jobs.enqueue(
                        session=session,
                        kind=JobKind.render,
                        queue=Queue.cpu,
                        priority=PRIORITY_CPU_CLIP,
                        max_attempts=1,
                    )
                    queued_at[job.id] = t0
                if pace_s:
                    time.sleep(pace_s)
            deadline = time.monotonic() + 30
            while len(started) < jobs_count and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            worker.close()
            web.close()
        if len(started) < jobs_count:
            raise SystemExit(f"{transport}: only {len(started)} of {jobs_count} jobs started within 30 s")
        latencies = [(started[job_id] - queued_at[job_id]) * 1000 for job_id in queued_at]
        rate = jobs_count / (max(started.values()) - min(queued_at.values()))
        return latencies, rate


def main(*, quick: bool) -> None:
    count = 30 if quick else 200
    rows = []
    for transport, poll_s in (("lease", 1.0), ("lease", 0.1), ("procrastinate", 1.0)):
        label = f"{transport} (poll {poll_s:g} s)" if transport == "lease" else transport
        latencies, _rate = _measure(transport, jobs_count=count, poll_s=poll_s, pace_s=0.1)
        _latencies, rate = _measure(transport, jobs_count=count, poll_s=poll_s, pace_s=0)
        rows.append(
            (
                f"{label}: paced p50 / p99 / max (ms); burst jobs/s",
                f"{percentile(latencies, 50):.1f} / {percentile(latencies, 99):.1f} / {max(latencies):.1f}; {rate:.0f}",
            )
        )
    table(f"Job dispatch, committed in one process -> started in another ({count} jobs)", rows)

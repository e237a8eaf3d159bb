"""Job threads yield the CPU to web requests (Linux nice), so a render does not slow feed pages."""

from __future__ import annotations

import os
import threading
from collections.abc import Collection

from sqlalchemy.orm import Session, sessionmaker

from figment.jobs.lease import LeaseWorkers
from figment.jobs.runner import JobRunner


class NiceRecorder(JobRunner):
    def __init__(self) -> None:
        super().__init__(sessionmaker[Session](), lease_s=1, handlers={})
        self.seen: list[int] = []
        self.ran = threading.Event()

    def run_next(self, worker_id: str, queues: Collection[str] | None) -> bool:
        self.seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        self.ran.set()
        return False


def test_worker_threads_run_nicer_than_the_web_threads() -> None:
    web = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    runner = NiceRecorder()
    workers = LeaseWorkers(runner, queues=None, threads=1, poll_s=0.05, nice=10)
    workers.start()
    try:
        assert runner.ran.wait(5)
    finally:
        workers.stop()
    assert runner.seen[0] == min(19, web + 10)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == web  # the caller keeps its own

"""The lease loop: the embedded job transport (SQLite or PostgreSQL, no other service).

N threads in this process poll the job table for the queues they serve and claim rows with a lease
(jobs.service.claim). A job queued in this process wakes them at once (events.JobQueued, after
commit); jobs queued elsewhere are found at the next poll.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Collection

from figment.jobs.priority import lower_this_thread
from figment.jobs.runner import JobRunner

log = logging.getLogger(__name__)


def host_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class LeaseWorkers:
    def __init__(
        self, runner: JobRunner, *, queues: Collection[str] | None, threads: int, poll_s: float, nice: int = 0
    ) -> None:
        self.runner = runner
        self.queues: tuple[str, ...] | None = None if queues is None else tuple(queues)
        self.threads = threads
        self.poll_s = poll_s
        self.nice = nice
        self._stop = threading.Event()
        self._wake = threading.Condition()
        self._pending_wakes = 0
        self._workers: list[threading.Thread] = []
        self.base_id = host_worker_id()

    def start(self) -> None:
        for index in range(self.threads):
            thread = threading.Thread(
                target=self._loop, args=(f"{self.base_id}:{index}",), name=f"figment-worker-{index}", daemon=True
            )
            thread.start()
            self._workers.append(thread)

    def wake(self, queue: str | None = None) -> None:
        if queue is not None and self.queues is not None and queue not in self.queues:
            return
        with self._wake:
            self._pending_wakes += 1
            self._wake.notify_all()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self.wake()
        for thread in self._workers:
            thread.join(timeout=timeout)
        self._workers.clear()

    def run_once(self, worker_id: str) -> bool:
        """Claim and run one job from this pool's queues; False when there was none."""
        return self.runner.run_next(worker_id, self.queues)

    def _loop(self, worker_id: str) -> None:
        lower_this_thread(self.nice)
        while not self._stop.is_set():
            try:
                if self.run_once(worker_id):
                    continue
            except Exception:  # a database hiccup must not kill the worker thread
                log.exception("worker %s: claim failed", worker_id)
            with self._wake:
                if self._pending_wakes == 0:
                    self._wake.wait(timeout=self.poll_s)
                self._pending_wakes = max(0, self._pending_wakes - 1)

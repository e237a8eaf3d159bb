"""A watchdog for video models that stop making progress.

Python cannot stop a thread, so the model's work (its `generate` call, then each of its frames) runs on a
daemon thread of its own and the worker waits for it with a deadline: when the model makes no progress
(no return, no frame) for `timeout_s`, the wait raises `RenderStalled`, the worker records the failure
and moves on to its next job. The stuck thread is left behind, renamed `figment-render-abandoned-...`
so it stands out in a thread dump, and logged; if it ever wakes it finds nobody listening and ends.
A backend that can hang for good in native code should run its model in a subprocess instead.

A model that reports its steps (`progressed`) restarts the wait with each one, so a long render that
keeps stepping is never taken for a hung one.

While it waits the watchdog calls `keep_alive` every `every_s` (the worker's heartbeat, so a slow but
working model keeps its job's lease); it stops once `timeout_s` has passed without progress, so a hung
model never holds its job for longer than that.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class RenderStalled(Exception):
    """The video model made no progress for the render timeout; the message is for people."""

    def __init__(self, timeout_s: float) -> None:
        super().__init__(f"Rendering took longer than {timeout_s:g} s without progress and was stopped.")
        self.timeout_s = timeout_s


class _End:
    pass


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


class Watchdog:
    def __init__(self, *, timeout_s: float, keep_alive: Callable[[], None], every_s: float, label: str) -> None:
        self.timeout_s = timeout_s
        self.keep_alive = keep_alive
        self.every_s = max(0.01, min(every_s, timeout_s))
        self.label = label
        self._progress_at = 0.0

    def progressed(self) -> None:
        """The model reported progress of its own (a denoising step): the wait for it starts again. A real
        model computes for minutes before its first frame; steps, not the whole call, must beat the timeout."""
        self._progress_at = time.monotonic()

    def call(self, work: Callable[[], T]) -> T:
        """`work()` on a thread of its own; its result, or its error re-raised here, or RenderStalled."""
        box: queue.Queue[tuple[T] | _Failed] = queue.Queue(maxsize=1)

        def run() -> None:
            try:
                box.put((work(),))
            except BaseException as exc:  # handed to the waiting worker, which re-raises it
                box.put(_Failed(exc))

        thread = threading.Thread(target=run, name=f"figment-render-{self.label}", daemon=True)
        thread.start()
        item = self._wait(box, thread)
        if isinstance(item, _Failed):
            raise item.error
        return item[0]

    def frames(self, source: Iterator[T]) -> Iterator[T]:
        """`source`'s items, pulled on a thread of their own; RenderStalled when the next one takes longer
        than the timeout. The thread stops at the next item once the consumer has gone."""
        slots: queue.Queue[T | _End | _Failed] = queue.Queue(maxsize=1)
        stop = threading.Event()

        def put(item: T | _End | _Failed) -> bool:
            while not stop.is_set():
                try:
                    slots.put(item, timeout=0.1)
                    return True
                except queue.Full:
                    continue
            return False

        def produce() -> None:
            try:
                for item in source:
                    if not put(item):
                        return
            except BaseException as exc:  # handed to the consumer, which re-raises it
                put(_Failed(exc))
                return
            put(_End())

        thread = threading.Thread(target=produce, name=f"figment-render-{self.label}-frames", daemon=True)
        thread.start()
        try:
            while True:
                item = self._wait(slots, thread)
                if isinstance(item, _End):
                    return
                if isinstance(item, _Failed):
                    raise item.error
                yield item
        finally:
            stop.set()

    def _wait(self, box: queue.Queue[T], thread: threading.Thread) -> T:
        begun = time.monotonic()
        while True:
            started = max(begun, self._progress_at)
            left = self.timeout_s - (time.monotonic() - started)
            if left <= 0:
                thread.name = f"figment-render-abandoned-{self.label}"
                log.warning(
                    "render %s: the video model made no progress for %g s; its thread %r is left behind",
                    self.label,
                    self.timeout_s,
                    thread.name,
                )
                raise RenderStalled(self.timeout_s)
            try:
                return box.get(timeout=min(self.every_s, left))
            except queue.Empty:
                if time.monotonic() - started < self.timeout_s:
                    self.keep_alive()

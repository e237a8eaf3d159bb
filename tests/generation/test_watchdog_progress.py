"""A model that reports its steps is not taken for a hung one, however long the whole call takes; one
that stops reporting is still stopped after the timeout."""

from __future__ import annotations

import threading
import time

import pytest

from figment.generation.watchdog import RenderStalled, Watchdog


def test_steps_restart_the_wait_so_a_long_stepping_model_finishes() -> None:
    dog = Watchdog(timeout_s=0.4, keep_alive=lambda: None, every_s=0.05, label="steps")

    def stepping() -> str:
        for _ in range(8):  # 0.8 s in all, twice the timeout, one step every 0.1 s
            time.sleep(0.1)
            dog.progressed()
        return "done"

    assert dog.call(stepping) == "done"


def test_a_model_that_stops_stepping_is_stopped() -> None:
    dog = Watchdog(timeout_s=0.3, keep_alive=lambda: None, every_s=0.05, label="silent")
    release = threading.Event()

    def steps_then_hangs() -> None:
        for _ in range(3):
            time.sleep(0.05)
            dog.progressed()
        release.wait(5)

    started = time.monotonic()
    try:
        with pytest.raises(RenderStalled):
            dog.call(steps_then_hangs)
        assert time.monotonic() - started < 2
    finally:
        release.set()

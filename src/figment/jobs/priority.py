"""Workers yield the CPU to web requests: a job thread runs at a lower scheduling priority (Linux nice).

On one machine (`figment run` with worker threads, or workers beside web processes) a render would
otherwise take the cores from feed pages for seconds at a time; at a lower priority it still uses every
idle cycle, and a page waits for a core far less. Linux gives each thread its own nice value and a
thread's children (PyAV's encoder threads, Procrastinate's executor threads) inherit it.
"""

from __future__ import annotations

import logging
import os
import threading

log = logging.getLogger(__name__)


def lower_this_thread(by: int) -> None:
    """Make the calling thread `by` nice levels nicer (capped at 19); no-op where unsupported."""
    if by <= 0 or not hasattr(os, "setpriority"):
        return
    thread = threading.get_native_id()
    try:
        current = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(19, current + by))
    except OSError as error:  # not permitted in some containers: run at the normal priority
        log.info("could not lower the worker thread's CPU priority: %s", error)

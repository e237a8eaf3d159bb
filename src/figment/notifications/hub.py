"""Live delivery: wakes Server-Sent-Event streams when a notification for their user is stored.

The hub carries no data, only "look again": the notifications table stays the one source of truth,
so a missed wake-up costs at most one poll interval and nothing is lost across processes.
"""

from __future__ import annotations

import asyncio
import threading
from collections import defaultdict


class NotificationHub:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Event]]] = defaultdict(set)

    def subscribe(self, user_id: str) -> asyncio.Event:
        event = asyncio.Event()
        with self._lock:
            self._subscribers[user_id].add((asyncio.get_running_loop(), event))
        return event

    def unsubscribe(self, user_id: str, event: asyncio.Event) -> None:
        with self._lock:
            subs = self._subscribers.get(user_id, set())
            for item in [s for s in subs if s[1] is event]:
                subs.discard(item)
            if not subs:
                self._subscribers.pop(user_id, None)

    def publish(self, user_id: str) -> None:
        """Safe to call from any thread (web handlers and job workers alike)."""
        with self._lock:
            targets = list(self._subscribers.get(user_id, ()))
        for loop, event in targets:
            if not loop.is_closed():
                loop.call_soon_threadsafe(event.set)

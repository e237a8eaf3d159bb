"""Views re-rank a viewer's For You at most once per window; strong signals still re-rank at once.

A reader's client sends a view for every clip it shows, so bumping the list's version on each flush
rebuilt the whole ranked list before nearly every page (the load run: feed p99 2.5 s with real clients
against 0.3 s paging alone). Watch time and quick skips still steer the feed, a window later: the
first views of a quiet viewer re-rank at once, later ones at the end of the window (a trailing bump, so
the last skips of a session are never dropped). Likes, follows, "see less" and steering words go
through `Recommender.signal` and are never held back.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class ViewReranks:
    def __init__(self, bump: Callable[[str], None], *, every_s: float, clock: Callable[[], float] = time.monotonic):
        self._bump = bump
        self._every_s = every_s
        self._clock = clock
        self._last: dict[str, float] = {}
        self._due: set[str] = set()
        self._lock = threading.Lock()

    def viewed(self, user_ids: set[str]) -> None:
        """Views of these viewers were stored."""
        now = self._clock()
        with self._lock:
            now_ids = {u for u in user_ids if now - self._last.get(u, -self._every_s) >= self._every_s}
            self._due |= user_ids - now_ids
            for user_id in now_ids:
                self._last[user_id] = now
        for user_id in now_ids:
            self._bump(user_id)

    def held_back(self, user_id: str) -> bool:
        """Views of this viewer wait for their window: a fresh open of the feed should not wait."""
        with self._lock:
            return user_id in self._due

    def ranked(self, user_id: str) -> None:
        """The viewer's list was just rebuilt with every stored view: nothing is held back any more."""
        now = self._clock()
        with self._lock:
            self._due.discard(user_id)
            self._last[user_id] = now

    def tick(self) -> None:
        """Bump the viewers whose window has ended since their held-back views (called often)."""
        now = self._clock()
        with self._lock:
            ready = {u for u in self._due if now - self._last.get(u, -self._every_s) >= self._every_s}
            self._due -= ready
            for user_id in ready:
                self._last[user_id] = now
            # Forget viewers idle for a while, so the map does not grow with every viewer ever seen.
            for user_id in [u for u, t in self._last.items() if now - t > 10 * self._every_s and u not in self._due]:
                del self._last[user_id]
        for user_id in ready:
            self._bump(user_id)

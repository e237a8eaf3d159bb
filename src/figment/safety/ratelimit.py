"""Per-IP rate limits for signup and login, and login throttling after failed passwords.

In memory, per process: the embedded default runs one app process. With several app processes
each keeps its own windows, which multiplies the limits by the process count; a shared store
(Redis) is the step at scale. Refusals say when to try again (Retry-After).
"""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable

from figment.errors import RateLimited

Clock = Callable[[], float]
# After this many consecutive failures an account's logins pause; each further failure doubles it.
BASE_PAUSE_S = 30.0
MAX_PAUSE_S = 3600.0


class SlidingWindow:
    """At most `limit` events per `window_s` per key."""

    def __init__(self, *, limit: int, window_s: float, what: str, clock: Clock = time.monotonic) -> None:
        self.limit, self.window_s, self.what, self.clock = limit, window_s, what, clock
        self._events: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def hit(self, key: str) -> None:
        if self.limit <= 0:
            return
        now = self.clock()
        with self._lock:
            events = self._events[key]
            while events and events[0] <= now - self.window_s:
                events.popleft()
            if len(events) >= self.limit:
                wait = math.ceil(events[0] + self.window_s - now)
                raise _limited(f"Too many {self.what} from this address. Try again in {wait} s.", wait)
            events.append(now)


class LoginThrottle:
    """Consecutive failed logins per account name pause further attempts, growing each time."""

    def __init__(self, *, failures_before_pause: int, clock: Clock = time.monotonic) -> None:
        self.allowed = failures_before_pause
        self.clock = clock
        self._failures: dict[str, int] = defaultdict(int)
        self._paused_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def before(self, login: str) -> None:
        key = login.strip().lower()
        with self._lock:
            until = self._paused_until.get(key, 0.0)
        wait = math.ceil(until - self.clock())
        if wait > 0:
            raise _limited(f"Too many failed logins for this account. Try again in {wait} s.", wait)

    def failed(self, login: str) -> None:
        key = login.strip().lower()
        with self._lock:
            self._failures[key] += 1
            over = self._failures[key] - self.allowed
            if over >= 0:
                self._paused_until[key] = self.clock() + min(MAX_PAUSE_S, BASE_PAUSE_S * 2**over)

    def succeeded(self, login: str) -> None:
        key = login.strip().lower()
        with self._lock:
            self._failures.pop(key, None)
            self._paused_until.pop(key, None)


class AbuseLimits:
    def __init__(self, *, signup_per_hour: int, login_per_minute: int, failures_before_pause: int) -> None:
        self.signup = SlidingWindow(limit=signup_per_hour, window_s=3600, what="signups")
        self.login = SlidingWindow(limit=login_per_minute, window_s=60, what="login attempts")
        self.throttle = LoginThrottle(failures_before_pause=failures_before_pause)


def _limited(message: str, wait: int) -> RateLimited:
    wait = max(1, wait)
    return RateLimited(message, details={"retry_after_s": wait}, headers={"Retry-After": str(wait)})

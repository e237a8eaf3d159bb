"""Per-IP rate limits for signup and login, and login throttling after failed passwords.

In memory, per process, by default: the embedded default runs one app process. With several app
processes or hosts (`FIGMENT_SHARED_STATE=redis`) the windows and pauses live in Redis, so a limit
trips at its configured count, not at that count times the processes. If Redis stops answering, each
process falls back to its own memory (limits per process, logged) rather than failing requests.
Refusals say when to try again (Retry-After).
"""

from __future__ import annotations

import logging
import math
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any, Protocol

from figment.errors import RateLimited

log = logging.getLogger(__name__)

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


class Window(Protocol):
    def hit(self, key: str) -> None: ...


class Throttle(Protocol):
    def before(self, login: str) -> None: ...

    def failed(self, login: str) -> None: ...

    def succeeded(self, login: str) -> None: ...


# One atomic step on Redis's own clock (hosts' clocks may differ): drop events older than the window,
# refuse with the milliseconds until the oldest leaves, or record this one.
_WINDOW_HIT = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return tonumber(oldest[2]) + window - now
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
return -1
"""


class RedisSlidingWindow:
    """`SlidingWindow` shared by every process that uses the same Redis and prefix."""

    def __init__(self, client: Any, *, prefix: str, fallback: SlidingWindow) -> None:
        self._client, self._prefix, self.fallback = client, prefix, fallback
        self._script = client.register_script(_WINDOW_HIT)

    def hit(self, key: str) -> None:
        local = self.fallback
        if local.limit <= 0:
            return
        try:
            wait_ms = int(
                self._script(
                    keys=[f"{self._prefix}{local.what}:{key}"],
                    args=[local.limit, int(local.window_s * 1000), secrets.token_hex(8)],
                )
            )
        except _redis_errors() as error:
            log.warning("rate limit store unreachable (%s): limiting %s in this process", error, local.what)
            local.hit(key)
            return
        if wait_ms >= 0:
            wait = math.ceil(wait_ms / 1000)
            raise _limited(f"Too many {local.what} from this address. Try again in {max(1, wait)} s.", wait)


class RedisLoginThrottle:
    """`LoginThrottle` shared through Redis: failures count per account, a pause is a key with a TTL."""

    def __init__(self, client: Any, *, prefix: str, fallback: LoginThrottle) -> None:
        self._client, self._prefix, self.fallback = client, prefix, fallback

    def _keys(self, login: str) -> tuple[str, str]:
        key = login.strip().lower()
        return f"{self._prefix}failures:{key}", f"{self._prefix}paused:{key}"

    def before(self, login: str) -> None:
        _failures, paused = self._keys(login)
        try:
            left_ms = int(self._client.pttl(paused))
        except _redis_errors() as error:
            log.warning("login throttle store unreachable (%s): throttling in this process", error)
            self.fallback.before(login)
            return
        if left_ms > 0:
            wait = math.ceil(left_ms / 1000)
            raise _limited(f"Too many failed logins for this account. Try again in {wait} s.", wait)

    def failed(self, login: str) -> None:
        failures, paused = self._keys(login)
        try:
            pipe = self._client.pipeline(transaction=True)
            pipe.incr(failures)
            pipe.expire(failures, int(MAX_PAUSE_S * 2))
            count = int(pipe.execute()[0])
            over = count - self.fallback.allowed
            if over >= 0:
                self._client.set(paused, 1, px=int(min(MAX_PAUSE_S, BASE_PAUSE_S * 2**over) * 1000))
        except _redis_errors() as error:
            log.warning("login throttle store unreachable (%s): throttling in this process", error)
            self.fallback.failed(login)

    def succeeded(self, login: str) -> None:
        try:
            self._client.delete(*self._keys(login))
        except _redis_errors() as error:
            log.warning("login throttle store unreachable (%s): throttling in this process", error)
        self.fallback.succeeded(login)


class AbuseLimits:
    """The signup and login windows and the failed-login throttle: in this process, or in Redis when a
    `redis_url` is given (several processes or hosts)."""

    def __init__(
        self,
        *,
        signup_per_hour: int,
        login_per_minute: int,
        failures_before_pause: int,
        redis_url: str | None = None,
        prefix: str = "figment:limits:",
    ) -> None:
        signup = SlidingWindow(limit=signup_per_hour, window_s=3600, what="signups")
        login = SlidingWindow(limit=login_per_minute, window_s=60, what="login attempts")
        throttle = LoginThrottle(failures_before_pause=failures_before_pause)
        self.signup: Window = signup
        self.login: Window = login
        self.throttle: Throttle = throttle
        if redis_url:
            import redis  # only deployments that share limits need the client

            # Short timeouts: a limit check must not hold a login for long when Redis is in trouble.
            client = redis.Redis.from_url(redis_url, socket_timeout=0.5, socket_connect_timeout=0.5)
            self.signup = RedisSlidingWindow(client, prefix=prefix, fallback=signup)
            self.login = RedisSlidingWindow(client, prefix=prefix, fallback=login)
            self.throttle = RedisLoginThrottle(client, prefix=prefix, fallback=throttle)


def _redis_errors() -> tuple[type[Exception], ...]:
    import redis

    return (redis.RedisError, OSError)


def _limited(message: str, wait: int) -> RateLimited:
    wait = max(1, wait)
    return RateLimited(message, details={"retry_after_s": wait}, headers={"Retry-After": str(wait)})

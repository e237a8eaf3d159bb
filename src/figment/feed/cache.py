"""Ranked-list cache seam: one ranked list per viewer (up to 400 items) plus what was already served.

A list is rebuilt when it is older than the TTL (3 minutes) or when the viewer's signal version moved
(a like, see-less, follow, steering text or flushed view bumps it). Memory is the embedded default;
Redis shares lists between app processes. Both pass the same contract test.

A list is written once (`put`, when it is built or a new scroll session starts) and then only grows
its served ids (`add_served`, every page). In Redis the ~35 KB list is stored once under its own id and
decoded once per process (a small local LRU); a page costs one small round trip for the head and the
served ids plus one append, not a 35 KB read, decode and rewrite.
"""

from __future__ import annotations

import json
import logging
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

log = logging.getLogger(__name__)
_T = TypeVar("_T")

LIST_SIZE = 400
TTL_S = 180.0


@dataclass
class RankedList:
    version: int  # the viewer's signal version the list was built from
    built_at: float  # time.time()
    session: str  # the scroll session its cursors belong to
    ids: list[str]
    reasons: list[str]
    details: list[str]
    served: list[str] = field(default_factory=list)
    # Per item, what its reason is about (see ranking.Scored.subject); empty in lists cached before it.
    subjects: list[str] = field(default_factory=list)


class FeedCache(Protocol):
    ttl_s: float

    def get(self, key: str) -> RankedList | None: ...

    def put(self, key: str, ranked: RankedList) -> None:
        """Store a new list (or a new scroll session over it) with what it has served so far."""
        ...

    def add_served(self, key: str, video_ids: list[str]) -> None:
        """A page went out: remember its clips for this scroll session."""
        ...

    def version(self, key: str) -> int: ...

    def bump(self, key: str) -> None:
        """New signals for this viewer: the next page rebuilds the list."""
        ...


class MemoryFeedCache:
    def __init__(self, *, ttl_s: float = TTL_S, max_entries: int = 100_000) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._lists: dict[str, tuple[float, RankedList]] = {}
        self._versions: dict[str, int] = {}
        self._lock = threading.Lock()

    def get(self, key: str) -> RankedList | None:
        with self._lock:
            entry = self._lists.get(key)
            if entry is None or entry[0] < time.monotonic():
                return None
            return entry[1]

    def put(self, key: str, ranked: RankedList) -> None:
        with self._lock:
            if len(self._lists) >= self.max_entries and key not in self._lists:
                # Drop the entry that expires first; a rebuilt list costs one cold page.
                del self._lists[min(self._lists, key=lambda k: self._lists[k][0])]
            # Served ids outlive the list itself so a scroll session never repeats; keep twice the TTL.
            self._lists[key] = (time.monotonic() + 2 * self.ttl_s, ranked)

    def add_served(self, key: str, video_ids: list[str]) -> None:
        with self._lock:
            entry = self._lists.get(key)
            if entry is not None:
                entry[1].served = entry[1].served + video_ids

    def version(self, key: str) -> int:
        with self._lock:
            return self._versions.get(key, 0)

    def bump(self, key: str) -> None:
        with self._lock:
            self._versions[key] = self._versions.get(key, 0) + 1


class RedisFeedCache:
    """Keys (all under the prefix): `head:<viewer>` {list id, scroll session}; `list:<id>` the list
    itself, immutable; `served:<viewer>` a Redis list of served ids; `v:<viewer>` the signal version."""

    _LIST_FIELDS = ("version", "built_at", "ids", "reasons", "details", "subjects")

    def __init__(
        self, url: str, *, ttl_s: float = TTL_S, prefix: str = "figment:feed:", local_lists: int = 1000
    ) -> None:
        import redis  # only a deployment with the Redis feed cache needs the client

        self.ttl_s = ttl_s
        self.prefix = prefix
        # Short timeouts: a feed page must not hang on a Redis in trouble (FallbackFeedCache takes over).
        self._redis = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        # Decoded lists by id: ids are never reused, so an entry can never be stale.
        self._local: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._local_max = local_lists
        self._lock = threading.Lock()

    def get(self, key: str) -> RankedList | None:
        pipe = self._redis.pipeline(transaction=False)
        pipe.get(self.prefix + "head:" + key)
        pipe.lrange(self.prefix + "served:" + key, 0, -1)
        raw_head, raw_served = pipe.execute()
        if raw_head is None:
            return None
        head = json.loads(raw_head)
        fields = self._list(head["list"])
        if fields is None:
            return None
        served = [s.decode() if isinstance(s, bytes) else str(s) for s in raw_served]
        return RankedList(**fields, session=head["session"], served=served)

    def put(self, key: str, ranked: RankedList) -> None:
        list_id = secrets.token_hex(8)
        fields = {name: getattr(ranked, name) for name in self._LIST_FIELDS}
        expiry = self._expiry_ms()
        pipe = self._redis.pipeline(transaction=True)
        pipe.set(self.prefix + "list:" + list_id, json.dumps(fields, separators=(",", ":")), px=expiry)
        pipe.set(self.prefix + "head:" + key, json.dumps({"list": list_id, "session": ranked.session}), px=expiry)
        pipe.delete(self.prefix + "served:" + key)
        if ranked.served:
            pipe.rpush(self.prefix + "served:" + key, *ranked.served)
            pipe.pexpire(self.prefix + "served:" + key, expiry)
        pipe.execute()
        self._remember(list_id, fields)

    def add_served(self, key: str, video_ids: list[str]) -> None:
        if not video_ids:
            return
        name = self.prefix + "served:" + key
        pipe = self._redis.pipeline(transaction=False)
        pipe.rpush(name, *video_ids)
        pipe.pexpire(name, self._expiry_ms())
        pipe.execute()

    def _expiry_ms(self) -> int:
        # Served ids outlive the TTL so a scroll session never repeats. Milliseconds, as the memory cache
        # keeps time: whole seconds would truncate (0.4 s -> 0, which Redis refuses; 0.7 s -> 1 instead of 1.4).
        return max(1, round(2000 * self.ttl_s))

    def _list(self, list_id: str) -> dict[str, Any] | None:
        with self._lock:
            fields = self._local.get(list_id)
            if fields is not None:
                self._local.move_to_end(list_id)
                return fields
        raw = self._redis.get(self.prefix + "list:" + list_id)
        if raw is None:
            return None
        decoded: dict[str, Any] = json.loads(raw)
        self._remember(list_id, decoded)
        return decoded

    def _remember(self, list_id: str, fields: dict[str, Any]) -> None:
        with self._lock:
            self._local[list_id] = fields
            while len(self._local) > self._local_max:
                self._local.popitem(last=False)

    def version(self, key: str) -> int:
        raw = self._redis.get(self.prefix + "v:" + key)
        return int(raw) if isinstance(raw, bytes | str) else 0

    def bump(self, key: str) -> None:
        name = self.prefix + "v:" + key
        pipe = self._redis.pipeline()
        pipe.incr(name)
        pipe.expire(name, 7 * 24 * 3600)
        pipe.execute()


class FallbackFeedCache:
    """The shared cache, or this process's memory while the shared one does not answer.

    Lists are a cache of what the database says, so losing Redis costs re-ranking, never a wrong or
    failed page: every call that fails on the primary is served by the fallback (logged), and the next
    call tries the primary again. While Redis is down each process has its own lists and served ids, as
    with the memory cache.
    """

    def __init__(self, primary: FeedCache, fallback: FeedCache, *, errors: tuple[type[Exception], ...]) -> None:
        self.primary, self.fallback, self._errors = primary, fallback, errors
        self.ttl_s = primary.ttl_s

    def _either(self, call: Callable[[FeedCache], _T]) -> _T:
        try:
            return call(self.primary)
        except self._errors as error:
            log.warning("feed cache unreachable (%s): serving from this process's memory", error)
            return call(self.fallback)

    def get(self, key: str) -> RankedList | None:
        return self._either(lambda cache: cache.get(key))

    def put(self, key: str, ranked: RankedList) -> None:
        self._either(lambda cache: cache.put(key, ranked))

    def add_served(self, key: str, video_ids: list[str]) -> None:
        self._either(lambda cache: cache.add_served(key, video_ids))

    def version(self, key: str) -> int:
        return self._either(lambda cache: cache.version(key))

    def bump(self, key: str) -> None:
        self._either(lambda cache: cache.bump(key))
        # Bumped in memory too: a list built there while Redis was away must not outlive new signals.
        self.fallback.bump(key)


def make_cache(kind: str, *, redis_url: str, ttl_s: float = TTL_S, prefix: str = "figment:feed:") -> FeedCache:
    if kind == "redis":
        import redis

        return FallbackFeedCache(
            RedisFeedCache(redis_url, ttl_s=ttl_s, prefix=prefix),
            MemoryFeedCache(ttl_s=ttl_s),
            errors=(redis.RedisError, OSError),
        )
    return MemoryFeedCache(ttl_s=ttl_s)

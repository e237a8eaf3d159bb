"""Ranked-list cache seam: one ranked list per viewer (up to 400 items) plus what was already served.

A list is rebuilt when it is older than the TTL (3 minutes) or when the viewer's signal version moved
(a like, see-less, follow, steering text or flushed view bumps it). Memory is the embedded default;
Redis shares lists between app processes. Both pass the same contract test.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Protocol

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

    def to_json(self) -> str:
        return json.dumps(self.__dict__, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str | bytes) -> RankedList:
        data: dict[str, Any] = json.loads(raw)
        return cls(**data)


class FeedCache(Protocol):
    ttl_s: float

    def get(self, key: str) -> RankedList | None: ...

    def put(self, key: str, ranked: RankedList) -> None: ...

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

    def version(self, key: str) -> int:
        with self._lock:
            return self._versions.get(key, 0)

    def bump(self, key: str) -> None:
        with self._lock:
            self._versions[key] = self._versions.get(key, 0) + 1


class RedisFeedCache:
    def __init__(self, url: str, *, ttl_s: float = TTL_S, prefix: str = "figment:feed:") -> None:
        import redis

        self.ttl_s = ttl_s
        self.prefix = prefix
        self._redis = redis.Redis.from_url(url)

    def get(self, key: str) -> RankedList | None:
        raw = self._redis.get(self.prefix + "list:" + key)
        return RankedList.from_json(raw) if isinstance(raw, bytes | str) else None

    def put(self, key: str, ranked: RankedList) -> None:
        self._redis.set(self.prefix + "list:" + key, ranked.to_json(), ex=int(2 * self.ttl_s))

    def version(self, key: str) -> int:
        raw = self._redis.get(self.prefix + "v:" + key)
        return int(raw) if isinstance(raw, bytes | str) else 0

    def bump(self, key: str) -> None:
        name = self.prefix + "v:" + key
        pipe = self._redis.pipeline()
        pipe.incr(name)
        pipe.expire(name, 7 * 24 * 3600)
        pipe.execute()


def make_cache(kind: str, *, redis_url: str, ttl_s: float = TTL_S) -> FeedCache:
    if kind == "redis":
        return RedisFeedCache(redis_url, ttl_s=ttl_s)
    return MemoryFeedCache(ttl_s=ttl_s)

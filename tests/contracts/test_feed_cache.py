"""The FeedCache contract (feed.cache): lists, served ids, signal versions, expiry and isolation."""

from __future__ import annotations

import abc
import time

import pytest

from figment.feed.cache import FeedCache, MemoryFeedCache, RankedList, RedisFeedCache
from support import REDIS_URL


def ranked(ids: list[str], *, version: int = 0, session: str = "s1", served: list[str] | None = None) -> RankedList:
    return RankedList(
        version=version,
        built_at=1_767_225_600.25,
        session=session,
        ids=ids,
        reasons=[f"reason-{i}" for i in ids],
        details=[f"detail {i}" for i in ids],
        served=list(served or []),
        subjects=[f"subject-{i}" for i in ids],
    )


def same(a: RankedList | None, b: RankedList) -> bool:
    return a is not None and vars(a) == vars(b)


class FeedCacheContract(abc.ABC):
    """The rules every FeedCache keeps. A subclass says how to build one:

    - `make_cache(request, ttl_s=, namespace=)`: a cache over a store of its own for `namespace`; two
      namespaces (Redis key prefixes) never see each other's viewers.
    - `reopen(request, cache)`: a second handle on the same store, as a second app process has.
    """

    @abc.abstractmethod
    def make_cache(self, request: pytest.FixtureRequest, *, ttl_s: float, namespace: str) -> FeedCache: ...

    @abc.abstractmethod
    def reopen(self, request: pytest.FixtureRequest, cache: FeedCache) -> FeedCache: ...

    @pytest.fixture
    def cache(self, request: pytest.FixtureRequest) -> FeedCache:
        return self.make_cache(request, ttl_s=60, namespace="main")

    def test_an_unknown_viewer_has_no_list_and_version_zero(self, cache: FeedCache) -> None:
        assert cache.ttl_s == 60
        assert cache.get("u1") is None and cache.version("u1") == 0

    def test_put_then_get_round_trips_every_field(self, cache: FeedCache) -> None:
        stored = ranked(["a", "b", "c"], version=3, served=["c"])
        cache.put("u1", stored)
        assert same(cache.get("u1"), ranked(["a", "b", "c"], version=3, served=["c"]))

    def test_add_served_appends_in_order_and_keeps_the_list(self, cache: FeedCache) -> None:
        cache.put("u1", ranked(["a", "b", "c", "d"]))
        cache.add_served("u1", ["a", "b"])
        cache.add_served("u1", [])
        cache.add_served("u1", ["c"])
        got = cache.get("u1")
        assert got is not None and got.served == ["a", "b", "c"] and got.ids == ["a", "b", "c", "d"]

    def test_a_put_starts_over_with_the_served_ids_it_carries(self, cache: FeedCache) -> None:
        cache.put("u1", ranked(["a", "b"]))
        cache.add_served("u1", ["a"])
        # A new scroll session over the same list starts with nothing served.
        cache.put("u1", ranked(["a", "b"], session="s2"))
        fresh = cache.get("u1")
        assert fresh is not None and fresh.session == "s2" and fresh.served == []
        # A list rebuilt mid-session keeps what the session served.
        cache.put("u1", ranked(["c", "a"], version=1, session="s2", served=["b"]))
        assert same(cache.get("u1"), ranked(["c", "a"], version=1, session="s2", served=["b"]))

    def test_served_ids_without_a_list_are_not_a_list(self, cache: FeedCache) -> None:
        cache.add_served("u1", ["x"])
        assert cache.get("u1") is None
        cache.put("u1", ranked(["a"]))
        got = cache.get("u1")
        assert got is not None and got.served == []

    def test_versions_start_at_zero_and_each_bump_adds_one(self, cache: FeedCache) -> None:
        cache.put("u1", ranked(["a"]))
        seen = [cache.version("u1")]
        for _ in range(5):
            cache.bump("u1")
            seen.append(cache.version("u1"))
        assert seen == [0, 1, 2, 3, 4, 5]
        # A bump marks the list stale for the caller (it compares versions); it does not drop it.
        assert same(cache.get("u1"), ranked(["a"]))
        cache.put("u1", ranked(["b"], version=5))
        assert cache.version("u1") == 5, "a put never moves the version"

    def test_viewers_are_isolated(self, cache: FeedCache) -> None:
        viewers = ["u1", "u10", "u1:x", "anon"]  # prefixes of each other and a separator must not leak
        for n, viewer in enumerate(viewers):
            cache.put(viewer, ranked([f"{viewer}-{i}" for i in range(3)], version=n))
            for _ in range(n):
                cache.bump(viewer)
        cache.add_served("u1", ["u1-0"])
        for n, viewer in enumerate(viewers):
            got = cache.get(viewer)
            assert got is not None and got.ids == [f"{viewer}-{i}" for i in range(3)] and got.version == n
            assert got.served == (["u1-0"] if viewer == "u1" else [])
            assert cache.version(viewer) == n
        assert cache.get("u2") is None and cache.version("u2") == 0

    def test_namespaces_are_isolated(self, request: pytest.FixtureRequest) -> None:
        one = self.make_cache(request, ttl_s=60, namespace="one")
        two = self.make_cache(request, ttl_s=60, namespace="two")
        one.put("u1", ranked(["a"]))
        one.add_served("u1", ["a"])
        one.bump("u1")
        assert two.get("u1") is None and two.version("u1") == 0
        two.put("u1", ranked(["z"]))
        got = one.get("u1")
        assert got is not None and got.ids == ["a"] and got.served == ["a"] and one.version("u1") == 1

    def test_a_second_handle_on_the_same_store_sees_everything(self, request: pytest.FixtureRequest) -> None:
        first = self.make_cache(request, ttl_s=60, namespace="shared")
        first.put("u1", ranked(["a", "b"]))
        second = self.reopen(request, first)
        assert same(second.get("u1"), ranked(["a", "b"]))
        second.add_served("u1", ["a"])
        second.bump("u1")
        got = first.get("u1")
        assert got is not None and got.served == ["a"] and first.version("u1") == 1
        # A list replaced by one process is what the other reads next (no stale copy anywhere).
        first.put("u1", ranked(["c"], version=1, session="s2"))
        assert same(second.get("u1"), ranked(["c"], version=1, session="s2"))

    def test_lists_expire_after_twice_the_ttl_and_versions_stay(self, request: pytest.FixtureRequest) -> None:
        ttl_s = 0.3
        cache = self.make_cache(request, ttl_s=ttl_s, namespace="short")
        cache.bump("u1")
        cache.put("u1", ranked(["a"]))
        stored_at = time.monotonic()
        cache.add_served("u1", ["a"])
        # Kept for twice the TTL, so a scroll session's served ids outlive the list's freshness.
        time.sleep(ttl_s)
        got = cache.get("u1")
        if time.monotonic() - stored_at < 2 * ttl_s - 0.05:  # a busy machine may have slept longer
            assert got is not None and got.served == ["a"]
        time.sleep(max(0.0, stored_at + 2 * ttl_s + 0.2 - time.monotonic()))
        assert cache.get("u1") is None
        assert cache.version("u1") == 1, "a signal version outlives the list it made stale"


class TestMemoryFeedCache(FeedCacheContract):
    def make_cache(self, request: pytest.FixtureRequest, *, ttl_s: float, namespace: str) -> FeedCache:
        return MemoryFeedCache(ttl_s=ttl_s)

    def reopen(self, request: pytest.FixtureRequest, cache: FeedCache) -> FeedCache:
        return cache  # one process: the store is the object


class TestRedisFeedCache(FeedCacheContract):
    def make_cache(self, request: pytest.FixtureRequest, *, ttl_s: float, namespace: str) -> FeedCache:
        # Every namespace lives under the test's own prefix, which the fixture deletes afterwards.
        prefix = request.getfixturevalue("redis_prefix") + namespace + ":"
        return RedisFeedCache(REDIS_URL, ttl_s=ttl_s, prefix=prefix)

    def reopen(self, request: pytest.FixtureRequest, cache: FeedCache) -> FeedCache:
        assert isinstance(cache, RedisFeedCache)
        return RedisFeedCache(REDIS_URL, ttl_s=cache.ttl_s, prefix=cache.prefix)

"""Views re-rank at most once per window, with a trailing re-rank so no skip is dropped."""

from __future__ import annotations

from figment.feed.view_reranks import ViewReranks


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_first_views_rerank_at_once_later_ones_at_the_end_of_the_window() -> None:
    clock, bumped = Clock(), []
    reranks = ViewReranks(bumped.append, every_s=15, clock=clock)
    reranks.viewed({"ann"})
    assert bumped == ["ann"]
    clock.now += 2
    reranks.viewed({"ann", "bob"})  # ann waits for her window; bob has none open
    reranks.tick()
    assert bumped == ["ann", "bob"]
    clock.now += 14
    reranks.tick()
    assert bumped == ["ann", "bob", "ann"]  # the held-back views count, once
    clock.now += 30
    reranks.tick()
    assert bumped == ["ann", "bob", "ann"]


def test_a_zero_window_reranks_after_every_flush() -> None:
    clock, bumped = Clock(), []
    reranks = ViewReranks(bumped.append, every_s=0, clock=clock)
    reranks.viewed({"ann"})
    reranks.viewed({"ann"})
    assert bumped == ["ann", "ann"]


def test_a_rebuild_takes_the_held_back_views_with_it() -> None:
    clock, bumped = Clock(), []
    reranks = ViewReranks(bumped.append, every_s=15, clock=clock)
    reranks.viewed({"ann"})
    clock.now += 1
    reranks.viewed({"ann"})
    assert reranks.held_back("ann")
    reranks.ranked("ann")  # a fresh open rebuilt her list
    assert not reranks.held_back("ann")
    clock.now += 20
    reranks.tick()
    assert bumped == ["ann"]  # no second, pointless rebuild

"""What a viewer's watching says about their taste: pure functions over view rows, no database.

Watch time is read relative to the clip's length, because 4 s of a 5 s clip and 4 s of a 10 s clip
are different verdicts:
- watched through: one view reached 80% of the length (or the player said it completed);
- rewatched: the views of one clip add up to 1.5 lengths or more (a loop, or coming back to it),
  the strongest watching signal, ahead of a like;
- quick skip: left within 2 s and never watched through, a mild "not this" (feed.ranking.skip_topic).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

QUICK_SKIP_MS = 2000
WATCHED_THROUGH = 0.8
REWATCH = 1.5


@dataclass(frozen=True)
class ViewRow:
    video_id: str
    watched_ms: int
    completed: bool
    duration_s: float


@dataclass(frozen=True)
class WatchSignals:
    rewatched: list[str]
    watched_through: list[str]  # a rewatch made of several partial visits is only in `rewatched`
    quick_skips: list[str]


def read_views(rows: list[ViewRow]) -> WatchSignals:
    """`rows` newest first; each list keeps that order, one entry per clip."""
    total_ms: dict[str, int] = defaultdict(int)
    through: dict[str, bool] = defaultdict(bool)
    length_ms: dict[str, float] = {}
    order: list[str] = []
    skipped: set[str] = set()
    for row in rows:
        if row.video_id not in length_ms:
            order.append(row.video_id)
            length_ms[row.video_id] = max(row.duration_s, 0.1) * 1000
        total_ms[row.video_id] += max(row.watched_ms, 0)
        if row.completed or row.watched_ms >= WATCHED_THROUGH * length_ms[row.video_id]:
            through[row.video_id] = True
        elif row.watched_ms < QUICK_SKIP_MS:
            skipped.add(row.video_id)
    return WatchSignals(
        rewatched=[v for v in order if total_ms[v] >= REWATCH * length_ms[v]],
        watched_through=[v for v in order if through[v]],
        quick_skips=[v for v in order if v in skipped and not through[v]],
    )

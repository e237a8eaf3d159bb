"""The Ranker seam: a pure function from (viewer context, candidates) to an ordered list.

No database access happens here, so a ranker is trivial to test, benchmark and replace.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, kw_only=True)
class Candidate:
    video_id: str
    author_id: str
    published_at: datetime
    like_count: int
    comment_count: int
    view_count: int


@dataclass(frozen=True, kw_only=True)
class ViewerContext:
    viewer_id: str | None
    now: datetime
    followee_ids: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Scored:
    video_id: str
    score: float
    reason: str


class Ranker(Protocol):
    name: str

    def rank(self, context: ViewerContext, candidates: list[Candidate]) -> list[Scored]: ...


class FreshEngagingRanker:
    """Fresh and engaging first, people you follow boosted, and no author twice in a row.

    score = (1 + log1p(2*likes + 3*comments + 0.1*views)) * exp(-age_h / half_life) * follow_boost
    """

    name = "fresh_engaging"

    def __init__(self, *, half_life_h: float = 48.0, follow_boost: float = 2.0) -> None:
        self.half_life_h = half_life_h
        self.follow_boost = follow_boost

    def rank(self, context: ViewerContext, candidates: list[Candidate]) -> list[Scored]:
        scored: list[tuple[float, str, Candidate, str]] = []
        for cand in candidates:
            age_h = max(0.0, (context.now - cand.published_at).total_seconds() / 3600)
            engagement = math.log1p(2 * cand.like_count + 3 * cand.comment_count + 0.1 * cand.view_count)
            score = (1 + engagement) * math.exp(-age_h / self.half_life_h)
            reason = "fresh"
            if cand.author_id in context.followee_ids:
                score *= self.follow_boost
                reason = "following"
            elif engagement > 1.5:
                reason = "popular"
            scored.append((score, cand.video_id, cand, reason))
        scored.sort(key=lambda item: (-item[0], item[1]))
        return [Scored(video_id=vid, score=score, reason=reason) for score, vid, _c, reason in _spread_authors(scored)]


def _spread_authors(
    items: list[tuple[float, str, Candidate, str]],
) -> list[tuple[float, str, Candidate, str]]:
    """Greedy re-order so the same author never appears twice in a row when another is available."""
    pending = list(items)
    out: list[tuple[float, str, Candidate, str]] = []
    last_author: str | None = None
    while pending:
        index = next((i for i, item in enumerate(pending) if item[2].author_id != last_author), 0)
        chosen = pending.pop(index)
        out.append(chosen)
        last_author = chosen[2].author_id
    return out

"""The Ranker seam: a pure function from (viewer context, candidates) to an ordered list.

No database access happens here, so a ranker is trivial to test, benchmark and replace.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]


@dataclass(frozen=True, kw_only=True)
class Candidate:
    video_id: str
    author_id: str
    published_at: datetime
    like_count: int
    comment_count: int
    view_count: int
    embedding: Vector | None = None
    # Why retrieval brought it: following, interacted, similar, collaborative, trending, fresh.
    sources: frozenset[str] = frozenset()
    collab: float = 0.0  # co-engagement strength from people who engaged with what the viewer did
    because: str | None = None  # prompt of the viewer's clip that led here (for the "why" text)


@dataclass(frozen=True)
class Topic:
    label: str
    vector: Vector


@dataclass(frozen=True, kw_only=True)
class ViewerContext:
    viewer_id: str | None
    now: datetime
    followee_ids: frozenset[str] = field(default_factory=frozenset)
    interacted_author_ids: frozenset[str] = frozenset()
    # Liked or watched-through clips: the taste profile and the names for "because you liked ...".
    liked: tuple[Topic, ...] = ()
    more: tuple[Topic, ...] = ()
    less: tuple[Topic, ...] = ()
    see_less_author_ids: frozenset[str] = frozenset()
    see_less_topics: tuple[Topic, ...] = ()
    # False for teens (unless enabled) and logged-out viewers: no taste, steering or collaborative terms.
    personalised: bool = True


@dataclass(frozen=True)
class Scored:
    video_id: str
    score: float
    reason: str
    detail: str = ""


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


def _max_sim(vector: Vector | None, topics: tuple[Topic, ...]) -> tuple[float, Topic | None]:
    if vector is None or not topics:
        return 0.0, None
    sims = np.stack([t.vector for t in topics]) @ vector
    best = int(np.argmax(sims))
    return float(sims[best]), topics[best]


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return "\u201c" + (text if len(text) <= limit else text[: limit - 1] + "\u2026") + "\u201d"


class ForYouRanker:
    """One explainable linear score per clip, then a diversity pass.

    score = trend * freshness                                 (everyone: engagement, decayed by age)
          + follow * [author followed] + interact * [author you engaged with]
          + taste * max cos(clip, liked clips)                 (content: prompt embeddings)
          + collab * co-engagement                             (people who liked yours liked this)
          + steer * (max cos(clip, "more" topics) - max cos(clip, "less" topics))
          - see_less_author * [author see-less'd] - see_less_topic * max cos(clip, see-less'd clips)
    The largest positive personal term becomes the reason shown to the viewer. The diversity pass
    (MMR) takes the best remaining clip after subtracting its similarity to the last few picks, and
    never puts the same author twice in a row when another is available.
    """

    name = "for_you"

    def __init__(
        self,
        *,
        half_life_h: float = 48.0,
        follow: float = 1.2,
        interact: float = 0.5,
        taste: float = 1.5,
        collab: float = 1.0,
        steer: float = 4.0,
        see_less_author: float = 1.5,
        see_less_topic: float = 2.0,
        diversity: float = 0.4,
        window: int = 4,
    ) -> None:
        self.half_life_h = half_life_h
        self.w = dict(follow=follow, interact=interact, taste=taste, collab=collab, steer=steer)
        self.see_less_author = see_less_author
        self.see_less_topic = see_less_topic
        self.diversity = diversity
        self.window = window

    def rank(self, context: ViewerContext, candidates: list[Candidate]) -> list[Scored]:
        rows: list[tuple[float, Candidate, str, str]] = []
        for cand in candidates:
            age_h = max(0.0, (context.now - cand.published_at).total_seconds() / 3600)
            engagement = math.log1p(2 * cand.like_count + 3 * cand.comment_count + 0.1 * cand.view_count)
            base = (0.2 + 0.2 * engagement) * math.exp(-age_h / self.half_life_h)
            terms: dict[str, tuple[float, str]] = {}
            if cand.author_id in context.followee_ids:
                terms["following"] = (self.w["follow"], "people you follow")
            elif cand.author_id in context.interacted_author_ids:
                terms["interacted"] = (self.w["interact"], "a creator you interact with")
            penalty = 0.0
            if context.personalised:
                sim, topic = _max_sim(cand.embedding, context.liked)
                if topic is not None and sim > 0.3:
                    terms["similar"] = (self.w["taste"] * sim, f"because you liked {_quote(topic.label)}")
                if cand.collab > 0:
                    label = (
                        f"people who liked {_quote(cand.because)} liked this"
                        if cand.because
                        else "liked by people like you"
                    )
                    terms["collaborative"] = (self.w["collab"] * min(1.0, cand.collab), label)
                more, more_topic = _max_sim(cand.embedding, context.more)
                less, _ = _max_sim(cand.embedding, context.less)
                if more_topic is not None and more > 0.25:
                    terms["steered"] = (self.w["steer"] * more, f"you asked for more {more_topic.label}")
                penalty += self.w["steer"] * max(0.0, less - 0.15)
                if cand.author_id in context.see_less_author_ids:
                    penalty += self.see_less_author
                sl, _ = _max_sim(cand.embedding, context.see_less_topics)
                penalty += self.see_less_topic * max(0.0, sl - 0.3)
            score = base + sum(v for v, _ in terms.values()) - penalty
            if terms:
                reason, (_, detail) = max(terms.items(), key=lambda kv: kv[1][0])
            elif "fresh" in cand.sources or age_h < 6:
                reason, detail = "fresh", "new on Figment"
            elif engagement > 1.5:
                reason, detail = "popular", "popular right now"
            else:
                reason, detail = "explore", "something different"
            rows.append((score, cand, reason, detail))
        rows.sort(key=lambda r: (-r[0], r[1].video_id))
        return self._diversify(rows)

    def _diversify(self, rows: list[tuple[float, Candidate, str, str]]) -> list[Scored]:
        out: list[Scored] = []
        recent: list[Vector] = []
        last_author: str | None = None
        pending = rows
        # Only the head needs the quadratic pass; beyond it order barely matters and pages come from the head.
        head, tail = pending[:400], pending[400:]
        while head:
            best_i, best_value = 0, -math.inf
            for i, (score, cand, _r, _d) in enumerate(head[:60]):
                value = score
                if cand.embedding is not None and recent:
                    value -= self.diversity * max(0.0, float(np.max(np.stack(recent) @ cand.embedding)))
                if cand.author_id == last_author and len(head) > 1:
                    value -= 1e6
                if value > best_value:
                    best_i, best_value = i, value
            score, cand, reason, detail = head.pop(best_i)
            out.append(Scored(video_id=cand.video_id, score=score, reason=reason, detail=detail))
            last_author = cand.author_id
            if cand.embedding is not None:
                recent = (recent + [cand.embedding])[-self.window :]
        out.extend(Scored(video_id=c.video_id, score=s, reason=r, detail=d) for s, c, r, d in tail)
        return out

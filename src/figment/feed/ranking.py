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
    # Clips left within 2 s (feed.engagement): a weaker "not this" than see-less (a scroll-by is no verdict).
    skipped_topics: tuple[Topic, ...] = ()
    # False for teens (unless enabled) and logged-out viewers: no taste, steering or collaborative terms.
    personalised: bool = True


@dataclass(frozen=True)
class Scored:
    video_id: str
    score: float
    reason: str
    detail: str = ""
    # What the reason is about (the liked clip's name, the steering topic), for clients that write the
    # sentence in the viewer's language from `reason` and this; `detail` is the English sentence.
    subject: str = ""


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


def _sims(matrix: Vector, topics: tuple[Topic, ...]) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.intp]]:
    """Best similarity of every row to any topic, and which topic (zeros when there are none)."""
    if not topics or matrix.shape[1] == 0:
        return np.zeros(len(matrix), dtype=np.float32), np.zeros(len(matrix), dtype=np.intp)
    topic_matrix = np.stack([t.vector for t in topics])
    if topic_matrix.shape[1] != matrix.shape[1]:
        return np.zeros(len(matrix), dtype=np.float32), np.zeros(len(matrix), dtype=np.intp)
    sims = matrix @ topic_matrix.T
    return sims.max(axis=1), sims.argmax(axis=1)


def _quote(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return "\u201c" + (text if len(text) <= limit else text[: limit - 1] + "\u2026") + "\u201d"


# How far ahead the diversity pass looks for a clip unlike the last few.
POOL = 40


class ForYouRanker:
    """One explainable linear score per clip, then a diversity pass.

    score = trend * freshness                                 (everyone: engagement, decayed by age)
          + follow * [author followed] + interact * [author you engaged with]
          + taste * max cos(clip, liked clips)                 (content: prompt embeddings)
          + collab * co-engagement                             (people who liked yours liked this)
          + steer * (max cos(clip, "more" topics) - max cos(clip, "less" topics))
          - see_less_author * [author see-less'd] - see_less_topic * max cos(clip, see-less'd clips)
          - skip_topic * max cos(clip, quick-skipped clips)
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
        skip_topic: float = 0.6,
        diversity: float = 0.4,
        window: int = 4,
        head: int = 200,
    ) -> None:
        self.half_life_h = half_life_h
        self.w = dict(follow=follow, interact=interact, taste=taste, collab=collab, steer=steer)
        self.see_less_author = see_less_author
        self.see_less_topic = see_less_topic
        self.skip_topic = skip_topic
        self.diversity = diversity
        self.window = window
        self.head = head

    def rank(self, context: ViewerContext, candidates: list[Candidate]) -> list[Scored]:
        if not candidates:
            return []
        dim = next((len(c.embedding) for c in candidates if c.embedding is not None), 0)
        matrix = np.zeros((len(candidates), dim), dtype=np.float32)
        for i, cand in enumerate(candidates):
            if cand.embedding is not None and len(cand.embedding) == dim:
                matrix[i] = cand.embedding
        personal = context.personalised
        liked_sim, liked_at = _sims(matrix, context.liked if personal else ())
        more_sim, more_at = _sims(matrix, context.more if personal else ())
        less_sim, _ = _sims(matrix, context.less if personal else ())
        seeless_sim, _ = _sims(matrix, context.see_less_topics if personal else ())
        skipped_sim, _ = _sims(matrix, context.skipped_topics if personal else ())
        rows: list[tuple[float, int, str, str, str]] = []
        for i, cand in enumerate(candidates):
            age_h = max(0.0, (context.now - cand.published_at).total_seconds() / 3600)
            engagement = math.log1p(2 * cand.like_count + 3 * cand.comment_count + 0.1 * cand.view_count)
            base = (0.2 + 0.2 * engagement) * math.exp(-age_h / self.half_life_h)
            best, reason, detail, subject = 0.0, "", "", ""
            penalty = 0.0

            def term(value: float, code: str, text: str, about: str = "") -> None:
                nonlocal best, reason, detail, subject
                if value > best:
                    best, reason, detail, subject = value, code, text, about

            total = 0.0
            if cand.author_id in context.followee_ids:
                total += self.w["follow"]
                term(self.w["follow"], "following", "people you follow")
            elif cand.author_id in context.interacted_author_ids:
                total += self.w["interact"]
                term(self.w["interact"], "interacted", "a creator you interact with")
            if personal:
                if liked_sim[i] > 0.3:
                    value = self.w["taste"] * float(liked_sim[i])
                    total += value
                    label = context.liked[liked_at[i]].label
                    term(value, "similar", f"because you liked {_quote(label)}", label)
                if cand.collab > 0:
                    value = self.w["collab"] * min(1.0, cand.collab)
                    total += value
                    text = (
                        f"people who liked {_quote(cand.because)} liked this"
                        if cand.because
                        else "liked by people like you"
                    )
                    term(value, "collaborative", text, cand.because or "")
                if more_sim[i] > 0.25:
                    value = self.w["steer"] * float(more_sim[i])
                    total += value
                    topic = context.more[more_at[i]].label
                    term(value, "steered", f"you asked for more {topic}", topic)
                penalty += self.w["steer"] * max(0.0, float(less_sim[i]) - 0.15)
                if cand.author_id in context.see_less_author_ids:
                    penalty += self.see_less_author
                penalty += self.see_less_topic * max(0.0, float(seeless_sim[i]) - 0.3)
                penalty += self.skip_topic * max(0.0, float(skipped_sim[i]) - 0.3)
            if not reason:
                if "fresh" in cand.sources or age_h < 6:
                    reason, detail = "fresh", "new on Figment"
                elif engagement > 1.5:
                    reason, detail = "popular", "popular right now"
                else:
                    reason, detail = "explore", "something different"
            rows.append((base + total - penalty, i, reason, detail, subject))
        rows.sort(key=lambda r: (-r[0], candidates[r[1]].video_id))
        return self._diversify(rows, candidates, matrix)

    def _diversify(
        self, rows: list[tuple[float, int, str, str, str]], candidates: list[Candidate], matrix: Vector
    ) -> list[Scored]:
        # Only the head gets the greedy pass: pages come from it, and the list is rebuilt as signals arrive.
        head, tail = rows[: self.head], rows[self.head :]
        heads = np.array([r[1] for r in head], dtype=np.intp)
        sims = np.maximum(0.0, matrix[heads] @ matrix[heads].T) if matrix.shape[1] else None
        scores = np.array([r[0] for r in head], dtype=np.float32)
        authors = [candidates[r[1]].author_id for r in head]
        remaining = list(range(len(head)))
        recent: list[int] = []
        last_author: str | None = None
        out: list[Scored] = []
        while remaining:
            pool = remaining[:POOL]
            values = scores[pool]
            if recent and sims is not None:
                values = values - self.diversity * sims[np.ix_(pool, recent)].max(axis=1)
            if len(pool) > 1:
                values = values - np.array([1e6 if authors[p] == last_author else 0.0 for p in pool])
            pick = pool[int(np.argmax(values))]
            remaining.remove(pick)
            score, index, reason, detail, subject = head[pick]
            out.append(
                Scored(video_id=candidates[index].video_id, score=score, reason=reason, detail=detail, subject=subject)
            )
            last_author = authors[pick]
            recent = (recent + [pick])[-self.window :]
        out.extend(
            Scored(video_id=candidates[i].video_id, score=s, reason=r, detail=d, subject=a) for s, i, r, d, a in tail
        )
        return out

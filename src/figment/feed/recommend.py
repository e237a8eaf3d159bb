"""Candidate retrieval and viewer context for For You: the database side of the recommender.

Taste comes from likes, comments, shares, remixes and watching (feed.engagement: watched through,
rewatched, quick skips); see-less and reports push away.
Sources (each clip remembers which brought it): fresh, trending, following, interacted authors,
similar by prompt embedding (nearest neighbours of what you liked and of what you asked for),
collaborative (people who liked what you liked). The pure Ranker then scores them.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from scipy import sparse
from sqlalchemy import select
from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.accounts.service import relations_of
from figment.embeddings import Embedder, from_bytes, to_bytes
from figment.feed.cache import FeedCache
from figment.feed.collab import ItemItem, fit_ease
from figment.feed.engagement import ViewRow, read_views
from figment.feed.models import FeedPreference, VideoEmbedding
from figment.feed.ranking import Candidate, Ranker, Scored, Topic, ViewerContext
from figment.feed.signals import SignalBuffer
from figment.feed.steering import parse
from figment.feed.vector_index import VectorIndex
from figment.feed.view_reranks import ViewReranks
from figment.safety.reports import Report, Subject
from figment.safety.teens import feed_rules
from figment.videos.models import Comment, Like, SeeLess, Share, Video, ViewEvent, Visibility

RECENT = 300
# The reason of a clip the viewer already watched, listed after every clip they have not (service.py
# lets these past its "not watched" check).
SEEN = "seen"
TRENDING = 100
PER_SOURCE = 100
NEIGHBOURS = 60
# Views read for taste (feed.engagement): enough for a long session, few enough to read per rebuild.
RECENT_VIEWS = 500
# The regularisation `make eval` found best on MovieLens-100K (see docs/BENCHMARKS.md).
EASE_L2 = 250.0


class CollabModel:
    """EASE item-item weights (feed.collab, the model `make eval` measures) over the most-engaged
    clips, refitted in the background of a request when signals arrived (at most every
    `min_refit_s`) or every `refit_s`. Engagement = like, comment, share, remix or watched to the end."""

    def __init__(
        self, *, max_items: int = 2000, max_rows: int = 200_000, refit_s: float = 180.0, min_refit_s: float = 10.0
    ) -> None:
        self.max_items = max_items
        self.max_rows = max_rows
        self.refit_s = refit_s
        self.min_refit_s = min_refit_s
        self.dirty = True
        self._items: list[str] = []
        self._pos: dict[str, int] = {}
        self._model: ItemItem | None = None
        self._fitted_at = -1e18
        self._lock = threading.Lock()

    def ensure_fitted(self, session: Session) -> None:
        age = time.monotonic() - self._fitted_at
        if age < self.min_refit_s or (age < self.refit_s and not self.dirty):
            return
        if not self._lock.acquire(blocking=False):
            return  # another request is refitting; use the current weights meanwhile
        try:
            self.dirty = False
            self._fitted_at = time.monotonic()
            pairs = {
                (u, v)
                for query in (
                    select(Like.user_id, Like.video_id).order_by(Like.created_at.desc()).limit(self.max_rows),
                    select(Comment.author_id, Comment.video_id)
                    .order_by(Comment.created_at.desc())
                    .limit(self.max_rows),
                    select(ViewEvent.user_id, ViewEvent.video_id)
                    .where(ViewEvent.completed.is_(True))
                    .order_by(ViewEvent.created_at.desc())
                    .limit(self.max_rows),
                    select(Share.user_id, Share.video_id).order_by(Share.created_at.desc()).limit(self.max_rows),
                    # A remix is engagement with the original, by the remix's author.
                    select(Video.author_id, Video.remix_of_id)
                    .where(Video.remix_of_id.is_not(None))
                    .order_by(Video.created_at.desc())
                    .limit(self.max_rows),
                )
                for u, v in session.execute(query).all()
                if v is not None
            }
            counts = Counter(v for _u, v in pairs)
            items = [v for v, _n in counts.most_common(self.max_items) if _n >= 2]
            if len(items) < 2:
                self._items, self._pos, self._model = [], {}, None
                return
            pos = {v: i for i, v in enumerate(items)}
            users = {u: i for i, u in enumerate(sorted({u for u, v in pairs if v in pos}))}
            kept = [(users[u], pos[v]) for u, v in pairs if v in pos]
            rows, cols = zip(*kept, strict=True)
            matrix = sparse.csr_matrix(
                (np.ones(len(kept), dtype=np.float32), (rows, cols)), shape=(len(users), len(items))
            )
            self._items, self._pos, self._model = items, pos, fit_ease(matrix, l2=EASE_L2)
        finally:
            self._lock.release()

    def recommend(self, engaged: list[str], k: int) -> dict[str, tuple[float, str]]:
        """Clip id -> (strength in 0..1, the engaged clip that contributed most)."""
        model, pos, items = self._model, self._pos, self._items
        history = [pos[v] for v in engaged if v in pos]
        if model is None or not history:
            return {}
        scores = model.weights[history].sum(axis=0)
        scores[history] = 0.0
        top = [int(i) for i in np.argsort(-scores)[:k] if scores[i] > 0]
        if not top:
            return {}
        best = float(scores[top[0]])
        out = {}
        for i in top:
            source = model.explain(history, [1.0] * len(history), i)
            out[items[i]] = (float(scores[i]) / best, items[source] if source is not None else "")
        return out


@dataclass
class Recommender:
    ranker: Ranker
    embedder: Embedder
    cache: FeedCache
    signals: SignalBuffer
    index: VectorIndex = field(default_factory=VectorIndex)
    collab: CollabModel = field(default_factory=lambda: CollabModel())
    # Views waiting for their re-rank window (services wires it to the signal buffer); None: no window.
    view_reranks: ViewReranks | None = None

    def store_embedding(self, *, session: Session, video: Video) -> None:
        vector = self.embedder.embed([video.prompt])[0]
        session.merge(VideoEmbedding(video_id=video.id, model=self.embedder.name, vector=to_bytes(vector)))

    def published(self) -> None:
        """After a publish commits: the similar-clips index reads new clips at its next use, not minutes later."""
        self.index.refresh_soon()

    def signal(self, user_id: str) -> None:
        self.cache.bump(user_id)
        self.collab.dirty = True

    # --- building one viewer's ranked list -------------------------------------------------------

    def rank_for(self, *, session: Session, viewer: User | None, now: datetime, exclude: set[str]) -> list[Scored]:
        """The viewer's list: clips not yet watched, ranked; then, so that For You never runs dry while
        published clips exist, the clips already watched (reason `seen`), ranked the same way. Clips
        the viewer pushed away (see less, reported) and `exclude` (served this scroll) never appear."""
        context, hidden_authors, watched, pushed_away, engaged = self._context(session=session, viewer=viewer, now=now)
        candidates = self._candidates(
            session=session,
            viewer=viewer,
            context=context,
            hidden_authors=hidden_authors,
            exclude=pushed_away | exclude,
            engaged=engaged if context.personalised else [],
        )
        # Ranked apart, so each part keeps the diversity pass's order (no author twice in a row).
        fresh = self.ranker.rank(context, [c for c in candidates if c.video_id not in watched])
        again = [
            Scored(video_id=r.video_id, score=r.score, reason=SEEN, detail="seen before: watch again")
            for r in self.ranker.rank(context, [c for c in candidates if c.video_id in watched])
        ]
        return fresh + again

    def _context(
        self, *, session: Session, viewer: User | None, now: datetime
    ) -> tuple[ViewerContext, set[str], set[str], set[str], list[str]]:
        """(context, hidden authors, watched clips, clips pushed away, engaged clips strongest first)."""
        if viewer is None:
            return ViewerContext(viewer_id=None, now=now, personalised=False), set(), set(), set(), []
        relations = relations_of(session=session, user_id=viewer.id)
        hidden = set(relations.blocked) | {viewer.id}
        follows = relations.following
        watched = set(session.scalars(select(ViewEvent.video_id).where(ViewEvent.user_id == viewer.id)))
        watched |= self.signals.pending_views(viewer.id)
        see_less_ids = set(session.scalars(select(SeeLess.video_id).where(SeeLess.user_id == viewer.id)))
        liked_ids = list(
            session.scalars(
                select(Like.video_id).where(Like.user_id == viewer.id).order_by(Like.created_at.desc()).limit(50)
            )
        )
        commented = list(session.scalars(select(Comment.video_id).where(Comment.author_id == viewer.id).limit(50)))
        shared = list(
            session.scalars(
                select(Share.video_id).where(Share.user_id == viewer.id).order_by(Share.created_at.desc()).limit(50)
            )
        )
        remixed = [
            v
            for v in session.scalars(
                select(Video.remix_of_id)
                .where(Video.author_id == viewer.id, Video.remix_of_id.is_not(None))
                .order_by(Video.created_at.desc())
                .limit(50)
            )
            if v is not None
        ]
        views = read_views(
            [
                ViewRow(r.video_id, r.watched_ms, r.completed, r.duration_s)
                for r in session.execute(
                    select(ViewEvent.video_id, ViewEvent.watched_ms, ViewEvent.completed, Video.duration_s)
                    .join(Video, Video.id == ViewEvent.video_id)
                    .where(ViewEvent.user_id == viewer.id)
                    .order_by(ViewEvent.created_at.desc())
                    .limit(RECENT_VIEWS)
                )
            ]
        )
        # Strongest first: the first ten seed the similar-clip search and name the "because you ..." reason.
        engaged = list(
            dict.fromkeys(views.rewatched + shared + remixed + liked_ids + commented + views.watched_through)
        )
        skipped = [v for v in views.quick_skips if v not in set(engaged)][:30]
        # A reported clip counts as see-less: it leaves the feed, and its author and topic sink.
        see_less_ids |= set(
            session.scalars(
                select(Report.subject_id).where(Report.reporter_id == viewer.id, Report.subject_type == Subject.video)
            )
        )
        meta = {
            r.id: r
            for r in session.execute(
                select(Video.id, Video.author_id, Video.prompt, VideoEmbedding.vector)
                .outerjoin(VideoEmbedding, VideoEmbedding.video_id == Video.id)
                .where(Video.id.in_(set(engaged) | see_less_ids | set(skipped)))
            )
        }
        # The account's choice (teens: off unless turned on; a guardian can lock it off): safety.teens.
        personalised = feed_rules(viewer).personalised
        liked = tuple(
            Topic(label=meta[v].prompt, vector=from_bytes(meta[v].vector))
            for v in engaged
            if v in meta and meta[v].vector is not None
        )
        pref = session.get(FeedPreference, viewer.id)
        steering = parse(pref.text) if pref is not None and personalised else None
        more: tuple[Topic, ...] = ()
        less: tuple[Topic, ...] = ()
        if steering is not None and (steering.more or steering.less):
            vectors = self.embedder.embed([*steering.more, *steering.less])
            more = tuple(Topic(label=t, vector=vectors[i]) for i, t in enumerate(steering.more))
            less = tuple(Topic(label=t, vector=vectors[len(steering.more) + i]) for i, t in enumerate(steering.less))
        context = ViewerContext(
            viewer_id=viewer.id,
            now=now,
            followee_ids=frozenset(follows),
            interacted_author_ids=frozenset(meta[v].author_id for v in engaged if v in meta) - {viewer.id},
            liked=liked if personalised else (),
            more=more,
            less=less,
            see_less_author_ids=frozenset(meta[v].author_id for v in see_less_ids if v in meta),
            see_less_topics=tuple(
                Topic(label=meta[v].prompt, vector=from_bytes(meta[v].vector))
                for v in see_less_ids
                if v in meta and meta[v].vector is not None
            ),
            skipped_topics=tuple(
                Topic(label=meta[v].prompt, vector=from_bytes(meta[v].vector))
                for v in skipped
                if v in meta and meta[v].vector is not None
            ),
            personalised=personalised,
        )
        return context, hidden, watched, see_less_ids, engaged

    def _candidates(
        self,
        *,
        session: Session,
        viewer: User | None,
        context: ViewerContext,
        hidden_authors: set[str],
        exclude: set[str],
        engaged: list[str],
    ) -> list[Candidate]:
        now = context.now
        visible = [Video.visibility == Visibility.published, Video.published_at <= now]
        if hidden_authors:
            visible.append(Video.author_id.not_in(hidden_authors))
        sources: dict[str, set[str]] = {}
        collab: dict[str, tuple[float, str]] = {}

        def add(source: str, ids: object) -> None:
            for vid in ids:  # type: ignore[attr-defined]
                if vid not in exclude:
                    sources.setdefault(vid, set()).add(source)

        add(
            "fresh", session.scalars(select(Video.id).where(*visible).order_by(Video.published_at.desc()).limit(RECENT))
        )
        add(
            "trending",
            session.scalars(
                select(Video.id)
                .where(*visible, Video.published_at >= now - timedelta(days=7))
                .order_by(
                    (Video.like_count * 2 + Video.comment_count * 3 + Video.share_count * 4).desc(),
                    Video.published_at.desc(),
                )
                .limit(TRENDING)
            ),
        )
        if context.followee_ids:
            add(
                "following",
                session.scalars(
                    select(Video.id)
                    .where(*visible, Video.author_id.in_(context.followee_ids))
                    .order_by(Video.published_at.desc())
                    .limit(PER_SOURCE)
                ),
            )
        if context.interacted_author_ids:
            add(
                "interacted",
                session.scalars(
                    select(Video.id)
                    .where(*visible, Video.author_id.in_(context.interacted_author_ids))
                    .order_by(Video.published_at.desc())
                    .limit(PER_SOURCE)
                ),
            )
        if context.personalised and viewer is not None:
            queries = [t.vector for t in (*context.liked[:10], *context.more)]
            if queries:
                self.index.ensure_loaded(session)
                add("similar", (vid for vid, _s, _q in self.index.search(np.stack(queries), NEIGHBOURS)))
            if engaged:
                self.collab.ensure_fitted(session)
                found = self.collab.recommend(engaged, PER_SOURCE)
                prompts = dict(
                    session.execute(
                        select(Video.id, Video.prompt).where(Video.id.in_({src for _s, src in found.values()}))
                    ).all()
                )
                collab = {vid: (strength, prompts.get(src, "")) for vid, (strength, src) in found.items()}
                add("collaborative", collab)
        if not sources:
            return []
        rows = session.execute(
            select(
                Video.id,
                Video.author_id,
                Video.published_at,
                Video.like_count,
                Video.comment_count,
                Video.view_count,
                VideoEmbedding.vector,
            )
            .outerjoin(VideoEmbedding, VideoEmbedding.video_id == Video.id)
            .where(*visible, Video.id.in_(list(sources)))
        ).all()
        return [
            Candidate(
                video_id=r.id,
                author_id=r.author_id,
                published_at=r.published_at,
                like_count=r.like_count,
                comment_count=r.comment_count,
                view_count=r.view_count,
                embedding=from_bytes(r.vector) if r.vector is not None else None,
                sources=frozenset(sources[r.id]),
                collab=collab[r.id][0] if r.id in collab else 0.0,
                because=collab[r.id][1] if r.id in collab else None,
            )
            for r in rows
        ]

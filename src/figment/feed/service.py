"""Feed pages: For You (ranked) and Following (newest first), with opaque cursors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.accounts.service import blocked_user_ids, followee_ids
from figment.db import utcnow
from figment.errors import Unauthenticated, ValidationFailed
from figment.feed import cursor as cursors
from figment.feed.ranking import Candidate, Ranker, ViewerContext
from figment.safety.teens import feed_rules
from figment.videos.models import SeeLess, Video, ViewEvent, Visibility

Tab = Literal["for_you", "following"]
MAX_LIMIT = 50
# How many recent clips the For You ranker looks at per request; the real recommender replaces this.
CANDIDATE_WINDOW = 500


@dataclass(frozen=True)
class FeedPage:
    items: list[Video]
    reasons: dict[str, str]
    next_cursor: str | None


def page(
    *, session: Session, viewer: User | None, tab: str, cursor: str | None, limit: int, ranker: Ranker, secret: str
) -> FeedPage:
    if tab not in ("for_you", "following"):
        raise ValidationFailed(f"tab must be 'for_you' or 'following' but is '{tab[:40]}'.", field="tab")
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(f"limit must be between 1 and {MAX_LIMIT} but is {limit}.", field="limit")
    state = cursors.decode(cursor, secret=secret) if cursor else None
    if state is not None and state.get("tab") != tab:
        raise ValidationFailed("The cursor belongs to another tab: start again from the first page.", field="cursor")
    if tab == "following":
        if viewer is None:
            raise Unauthenticated("Log in to see clips from people you follow.")
        return _following(session=session, viewer=viewer, state=state, limit=limit, secret=secret)
    return _for_you(session=session, viewer=viewer, state=state, limit=limit, ranker=ranker, secret=secret)


def _parse_time(value: object) -> datetime:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationFailed("The cursor is not valid: start again from the first page.", field="cursor") from exc


def _for_you(
    *, session: Session, viewer: User | None, state: dict[str, object] | None, limit: int, ranker: Ranker, secret: str
) -> FeedPage:
    # The snapshot time freezes the candidate set, so later pages neither repeat nor skip clips
    # when new clips are published or watched while the viewer scrolls.
    snapshot = _parse_time(state["t"]) if state else utcnow()
    offset = state.get("o", 0) if state else 0
    if not isinstance(offset, int) or offset < 0:
        raise ValidationFailed("The cursor is not valid: start again from the first page.", field="cursor")

    # Only the columns the ranker needs: loading 500 full rows (prompt, plan JSON) per page is the slow part.
    query = select(
        Video.id, Video.author_id, Video.published_at, Video.like_count, Video.comment_count, Video.view_count
    ).where(Video.visibility == Visibility.published, Video.published_at <= snapshot)
    follows: set[str] = set()
    if viewer is not None:
        hidden_authors = blocked_user_ids(session=session, user_id=viewer.id) | {viewer.id}
        follows = followee_ids(session=session, user_id=viewer.id)
        query = query.where(
            Video.author_id.not_in(hidden_authors),
            Video.id.not_in(
                select(ViewEvent.video_id).where(ViewEvent.user_id == viewer.id, ViewEvent.created_at <= snapshot)
            ),
            Video.id.not_in(
                select(SeeLess.video_id).where(SeeLess.user_id == viewer.id, SeeLess.created_at <= snapshot)
            ),
        )
    rows = session.execute(query.order_by(Video.published_at.desc(), Video.id).limit(CANDIDATE_WINDOW)).all()
    candidates = [
        Candidate(
            video_id=row.id,
            author_id=row.author_id,
            published_at=row.published_at,
            like_count=row.like_count,
            comment_count=row.comment_count,
            view_count=row.view_count,
        )
        for row in rows
    ]
    rules = feed_rules(viewer)
    # Without personalisation the ranker sees an anonymous viewer: same exclusions, no taste signals.
    context = (
        ViewerContext(viewer_id=viewer.id if viewer else None, now=snapshot, followee_ids=frozenset(follows))
        if rules.personalised or viewer is None
        else ViewerContext(viewer_id=None, now=snapshot)
    )
    ranked = ranker.rank(context, candidates)
    window = ranked[offset : offset + limit]
    by_id = {v.id: v for v in session.scalars(select(Video).where(Video.id.in_([s.video_id for s in window])))}
    # Endless scroll off: one page, then the feed ends (pull to refresh for more).
    has_more = offset + limit < len(ranked) and rules.endless_scroll
    next_cursor = (
        cursors.encode({"tab": "for_you", "t": snapshot.isoformat(), "o": offset + limit}, secret=secret)
        if has_more
        else None
    )
    return FeedPage(
        items=[by_id[s.video_id] for s in window],
        reasons={s.video_id: s.reason for s in window},
        next_cursor=next_cursor,
    )


def _following(*, session: Session, viewer: User, state: dict[str, object] | None, limit: int, secret: str) -> FeedPage:
    follows = followee_ids(session=session, user_id=viewer.id)
    query = select(Video).where(
        Video.visibility == Visibility.published,
        Video.author_id.in_(follows - blocked_user_ids(session=session, user_id=viewer.id)),
    )
    if state is not None:
        before = _parse_time(state.get("p"))
        last_id = state.get("i")
        if not isinstance(last_id, str):
            raise ValidationFailed("The cursor is not valid: start again from the first page.", field="cursor")
        query = query.where((Video.published_at < before) | ((Video.published_at == before) & (Video.id > last_id)))
    rows = list(session.scalars(query.order_by(Video.published_at.desc(), Video.id).limit(limit + 1)))
    items = rows[:limit]
    next_cursor = None
    if len(rows) > limit and items[-1].published_at is not None:
        last = items[-1]
        assert last.published_at is not None
        next_cursor = cursors.encode(
            {"tab": "following", "p": last.published_at.isoformat(), "i": last.id}, secret=secret
        )
    return FeedPage(items=items, reasons={v.id: "following" for v in items}, next_cursor=next_cursor)

"""Feed pages: For You (ranked) and Following (newest first), with opaque cursors."""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sqlalchemy import bindparam, exists, select
from sqlalchemy.orm import Session

from figment import events
from figment.accounts.models import User
from figment.accounts.service import Relations, relations_of
from figment.db import utcnow
from figment.errors import Unauthenticated, ValidationFailed
from figment.feed import cursor as cursors
from figment.feed.cache import LIST_SIZE, RankedList
from figment.feed.models import FeedPreference
from figment.feed.recommend import SEEN, Recommender
from figment.feed.steering import MAX_TEXT, parse
from figment.safety.teens import feed_rules
from figment.videos.models import Like, Video, ViewEvent, Visibility

Tab = Literal["for_you", "following"]
MAX_LIMIT = 50


@dataclass(frozen=True)
class FeedPage:
    items: list[Video]
    reasons: dict[str, str]
    next_cursor: str | None
    details: dict[str, str] = field(default_factory=dict)
    subjects: dict[str, str] = field(default_factory=dict)
    # What the page's own queries already learnt, so shaping the items does not ask again.
    following: frozenset[str] | None = None
    handles: dict[str, str] = field(default_factory=dict)
    liked: set[str] | None = None


def page(
    *, session: Session, viewer: User | None, tab: str, cursor: str | None, limit: int, recs: Recommender, secret: str
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
    return _for_you(session=session, viewer=viewer, state=state, limit=limit, recs=recs, secret=secret)


def _parse_time(value: object) -> datetime:
    try:
        return datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationFailed("The cursor is not valid: start again from the first page.", field="cursor") from exc


def _for_you(
    *,
    session: Session,
    viewer: User | None,
    state: dict[str, object] | None,
    limit: int,
    recs: Recommender,
    secret: str,
) -> FeedPage:
    """Pages come from the viewer's cached ranked list; the list is rebuilt when stale or when new
    signals arrived, and what this scroll session already served is never served again."""
    key = viewer.id if viewer is not None else "anon"
    cached = recs.cache.get(key)
    version = recs.cache.version(key)
    scroll = state.get("s") if state else None
    if state is not None and not isinstance(scroll, str):
        raise ValidationFailed("The cursor is not valid: start again from the first page.", field="cursor")
    offset = state.get("o", 0) if state else 0
    if not isinstance(offset, int) or offset < 0:
        raise ValidationFailed("The cursor is not valid: start again from the first page.", field="cursor")
    continuing = cached is not None and scroll is not None and cached.session == scroll
    served: list[str] = list(cached.served) if continuing and cached is not None and viewer is not None else []
    stale = (
        cached is None
        or cached.version != version
        or time.time() - cached.built_at > recs.cache.ttl_s
        or (viewer is None and not continuing and scroll is not None)
        # A fresh open ranks with every view so far; pages of a scroll wait for the re-rank window.
        or (
            viewer is not None
            and not continuing
            and recs.view_reranks is not None
            and recs.view_reranks.held_back(viewer.id)
        )
    )
    if stale or cached is None:
        ranked = recs.rank_for(session=session, viewer=viewer, now=utcnow(), exclude=set(served))[:LIST_SIZE]
        cached = RankedList(
            version=version,
            built_at=time.time(),
            session=scroll if continuing and isinstance(scroll, str) else secrets.token_hex(6),
            ids=[r.video_id for r in ranked],
            reasons=[r.reason for r in ranked],
            details=[r.detail for r in ranked],
            subjects=[r.subject for r in ranked],
            served=served,
        )
        offset = 0 if viewer is not None else offset
        recs.cache.put(key, cached)
        if viewer is not None and recs.view_reranks is not None:
            recs.view_reranks.ranked(viewer.id)
    elif not continuing:
        cached.session = secrets.token_hex(6)
        cached.served = []
        offset = 0
        recs.cache.put(key, cached)

    # Last-moment checks: a cached list may be minutes old, so drop what became invisible or watched.
    skip = set(cached.served)
    relations = Relations(following=frozenset(), blocked=frozenset())
    # Clips listed as already watched (the list's tail, recommend.SEEN) pass the "not watched" check.
    again = {vid for vid, reason in zip(cached.ids, cached.reasons, strict=False) if reason == SEEN}
    if viewer is not None:
        skip |= recs.signals.pending_views(viewer.id) - again
        relations = relations_of(session=session, user_id=viewer.id)
    blocked = relations.blocked | ({viewer.id} if viewer is not None else set())
    where = {vid: i for i, vid in enumerate(cached.ids)}
    position = 0 if viewer is not None else offset
    chosen: list[Video] = []
    handles: dict[str, str] = {}
    liked: set[str] = set()
    while len(chosen) < limit and position < len(cached.ids):
        chunk = cached.ids[position : position + 2 * limit]
        rows: dict[str, Video] = {}
        wanted = [i for i in chunk if i not in skip]
        for video, handle, liked_by_viewer in _visible_rows(session, wanted, viewer, again=again):
            if video.author_id in blocked:
                continue
            rows[video.id] = video
            handles[video.author_id] = handle
            if liked_by_viewer:
                liked.add(video.id)
        for step, vid in enumerate(chunk):
            if len(chosen) == limit:
                position += step
                break
            if vid in rows and vid not in skip:
                chosen.append(rows[vid])
                skip.add(vid)
        else:
            position += len(chunk)
    reasons = {v.id: cached.reasons[where[v.id]] for v in chosen}
    details = {v.id: cached.details[where[v.id]] for v in chosen}
    subjects = {v.id: cached.subjects[where[v.id]] for v in chosen if where[v.id] < len(cached.subjects)}
    if viewer is not None:
        recs.cache.add_served(key, [v.id for v in chosen])
        remaining = any(i not in skip for i in cached.ids)
    else:
        remaining = position < len(cached.ids)
    if viewer is not None and not feed_rules(viewer).endless_scroll:
        remaining = False  # endless scroll switched off (by the account or its guardian): one page a visit
    next_cursor = (
        cursors.encode({"tab": "for_you", "s": cached.session, "o": position}, secret=secret) if remaining else None
    )
    return FeedPage(
        items=chosen,
        reasons=reasons,
        next_cursor=next_cursor,
        details=details,
        subjects=subjects,
        following=relations.following if viewer is not None else None,
        handles=handles,
        liked=liked if viewer is not None else None,
    )


def _visible_rows(
    session: Session, ids: list[str], viewer: User | None, *, again: set[str]
) -> list[tuple[Video, str, bool]]:
    """(clip, author handle, liked by the viewer) for the ids still published and not yet watched by the
    viewer, in one query. Watched is checked here, not only when the list is ranked: views re-rank a
    list at most once per window (feed.view_reranks), so a cached list may hold clips watched since.
    Ids in `again` are listed as already watched on purpose (the tail after every unwatched clip)."""
    if not ids:
        return []
    # An anonymous viewer has no likes: the empty id matches none.
    viewer_id = viewer.id if viewer is not None else ""
    unwatched = [i for i in ids if i not in again]
    rewatch = [i for i in ids if i in again]
    rows = []
    if unwatched:
        params = {"ids": unwatched, "viewer_id": viewer_id, "published": Visibility.published}
        rows += list(session.execute(_VISIBLE_ROWS, params))
    if rewatch:
        params = {"ids": rewatch, "viewer_id": viewer_id, "published": Visibility.published}
        rows += list(session.execute(_VISIBLE_AGAIN_ROWS, params))
    return [(video, handle, bool(like)) for video, handle, like in rows]


# Built once: it runs on every page (see accounts.service._USER_BY_TOKEN).
_VISIBLE_ROWS = (
    select(Video, User.handle, exists().where(Like.video_id == Video.id, Like.user_id == bindparam("viewer_id")))
    .join(User, User.id == Video.author_id)
    .where(
        Video.id.in_(bindparam("ids", expanding=True)),
        Video.visibility == bindparam("published"),
        ~exists().where(ViewEvent.video_id == Video.id, ViewEvent.user_id == bindparam("viewer_id")),
    )
)
_VISIBLE_AGAIN_ROWS = (
    select(Video, User.handle, exists().where(Like.video_id == Video.id, Like.user_id == bindparam("viewer_id")))
    .join(User, User.id == Video.author_id)
    .where(Video.id.in_(bindparam("ids", expanding=True)), Video.visibility == bindparam("published"))
)


def _following(*, session: Session, viewer: User, state: dict[str, object] | None, limit: int, secret: str) -> FeedPage:
    relations = relations_of(session=session, user_id=viewer.id)
    query = select(Video).where(
        Video.visibility == Visibility.published,
        Video.author_id.in_(relations.following - relations.blocked),
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
    return FeedPage(
        items=items,
        reasons={v.id: "following" for v in items},
        next_cursor=next_cursor,
        following=relations.following,
    )


def preferences(*, session: Session, viewer: User) -> str:
    row = session.get(FeedPreference, viewer.id)
    return row.text if row is not None else ""


def set_preferences(*, session: Session, viewer: User, text: str) -> str:
    if not isinstance(text, str):
        raise ValidationFailed("text must be text.", field="text")
    cleaned = " ".join(text.split())
    if len(cleaned) > MAX_TEXT:
        raise ValidationFailed(f"text must be at most {MAX_TEXT} characters but has {len(cleaned)}.", field="text")
    parse(cleaned)  # refuses nothing today, but keeps parsing errors at the edge if it ever can
    row = session.get(FeedPreference, viewer.id)
    if row is None:
        session.add(FeedPreference(user_id=viewer.id, text=cleaned, updated_at=utcnow()))
    else:
        row.text, row.updated_at = cleaned, utcnow()
    session.flush()
    events.record(session, events.FeedRulesChanged(viewer.id))
    return cleaned

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.db import utcnow
from figment.deps import ServicesDep, authenticate, in_session
from figment.errors import RateLimited
from figment.openapi import optional_login
from figment.safety.teens import check_feed_allowance
from figment.schemas import errors
from figment.search import discover as discovering
from figment.search.schemas import (
    CharacterOut,
    CreatorOut,
    DiscoverClipOut,
    DiscoverOut,
    PersonOut,
    ReasonOut,
    SearchOut,
    TagOut,
    TrendingTagOut,
)
from figment.search.service import MAX_LIMIT, MAX_QUERY
from figment.search.visibility import Viewer, viewer_of
from figment.services import Services
from figment.videos.schemas import videos_out

router = APIRouter(prefix="/api", tags=["search"])


def check_clip_allowance(session: Session, services: Services, user: User | None) -> None:
    """A teen's daily allowance of clips counts wherever clips are listed (safety.teens)."""
    check_feed_allowance(
        session=session,
        user=user,
        limit=services.settings.teen_daily_feed_items,
        pending_video_ids=services.recommender.signals.pending_views(user.id) if user is not None else None,
    )


@router.get("/search", response_model=SearchOut, responses=errors(401, 403, 429, 503))
@optional_login
async def search(
    request: Request,
    services: ServicesDep,
    q: str = Query(min_length=1, max_length=MAX_QUERY, description="What to look for; '#' and '@' are optional."),
    type: Literal["users", "clips", "tags"] = Query(default="clips"),
    cursor: str | None = Query(default=None, max_length=2000),
    limit: int = Query(default=20, ge=1, le=MAX_LIMIT),
) -> SearchOut:
    return await in_session(
        services, lambda session: _search(session, services, authenticate(request, session), q, type, cursor, limit)
    )


def _search(
    session: Session, services: Services, user: User | None, q: str, kind: str, cursor: str | None, limit: int
) -> SearchOut:
    if kind == "clips":
        check_clip_allowance(session, services, user)
    viewer = viewer_of(session=session, user=user)
    found = services.search.search(
        session=session, viewer=viewer, q=q, type=kind, cursor=cursor, limit=limit, secret=services.settings.secret_key
    )
    clips = [video for video, _score in found.clips]
    return SearchOut(
        type=found.type,
        q=found.query,
        users=[
            PersonOut(
                handle=hit.user.handle,
                display_name=getattr(hit.user, "display_name", None),
                followed_by_me=(hit.user.id in viewer.following) if user is not None else None,
                match=hit.match,
            )
            for hit in found.users
        ],
        clips=videos_out(session, clips, viewer=user, following=viewer.following) if clips else [],
        tags=[TagOut(name=t.name, clip_count=t.clip_count, match=t.match) for t in found.tags],
        next_cursor=found.next_cursor,
    )


REASON_TEXT = {
    "trending_today": "Trending: {clips} clips today",
    "trending_week": "Trending: {clips} clips this week",
    "clip_of_the_day": "Clip of the day: {likes} likes",
    "clip_of_the_week": "Clip of the week: {likes} likes",
    "new_creator": "New on Figment: joined {days} days ago, {clips} clips",
    "character_everyone": "Anyone may use this character ({clips} clips)",
    "character_mutuals": "You follow each other, so you may use it ({clips} clips)",
    "character_approved": "Its owner approved you ({clips} clips)",
    "character_owner": "Your character ({clips} clips)",
}


def _reason(reason: discovering.Reason) -> ReasonOut:
    text = REASON_TEXT.get(reason.code, reason.code).format(**reason.counts)
    return ReasonOut(code=reason.code, counts=dict(reason.counts), text=text)


@router.get("/discover", response_model=DiscoverOut, responses=errors(401, 403, 503))
@optional_login
async def discover(request: Request, services: ServicesDep) -> DiscoverOut:
    return await in_session(services, lambda session: _discover(session, services, authenticate(request, session)))


def _discover(session: Session, services: Services, user: User | None) -> DiscoverOut:
    try:
        check_clip_allowance(session, services, user)
        clips_allowed = True
    except RateLimited:
        clips_allowed = False  # the rest of Discover stays useful; the feed says why clips stopped
    viewer: Viewer = viewer_of(session=session, user=user)
    page = discovering.discover(session=session, viewer=viewer, now=utcnow(), clips_allowed=clips_allowed)
    shaped = videos_out(session, [c.video for c in page.clips], viewer=user, following=viewer.following)
    return DiscoverOut(
        tags=[TrendingTagOut(name=t.name, reason=_reason(t.reason)) for t in page.tags],
        clips=[DiscoverClipOut(clip=v, reason=_reason(c.reason)) for v, c in zip(shaped, page.clips, strict=True)],
        creators=[
            CreatorOut(
                handle=c.user.handle, display_name=getattr(c.user, "display_name", None), reason=_reason(c.reason)
            )
            for c in page.creators
        ],
        characters=[
            CharacterOut(handle=c.handle, owner=c.owner, description=c.description, reason=_reason(c.reason))
            for c in page.characters
        ],
    )

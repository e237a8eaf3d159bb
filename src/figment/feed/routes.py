from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from figment import events
from figment.accounts.models import User
from figment.deps import CurrentUser, ServicesDep, SessionDep, authenticate, in_session
from figment.feed import service
from figment.feed.schemas import FeedOut, PreferencesIn, PreferencesOut, PreferencesPatch
from figment.openapi import optional_login
from figment.safety import teens
from figment.safety.teens import check_feed_allowance
from figment.schemas import errors
from figment.services import Services
from figment.videos.schemas import videos_out

router = APIRouter(prefix="/api", tags=["feed"])


@router.get("/feed", response_model=FeedOut, responses=errors(401, 403, 429, 503))
@optional_login
async def feed(
    request: Request,
    services: ServicesDep,
    tab: Literal["for_you", "following"] = Query(default="for_you"),
    cursor: str | None = Query(default=None, max_length=2000),
    limit: int = Query(default=10, ge=1, le=service.MAX_LIMIT),
) -> FeedOut:
    # The busiest endpoint: login, page and shaping run in one thread-pool hop (see deps.in_session).
    return await in_session(
        services, lambda session: _feed(session, services, authenticate(request, session), tab, cursor, limit)
    )


def _feed(
    session: Session, services: Services, viewer: User | None, tab: str, cursor: str | None, limit: int
) -> FeedOut:
    check_feed_allowance(
        session=session,
        user=viewer,
        limit=services.settings.teen_daily_feed_items,
        pending_video_ids=services.recommender.signals.pending_views(viewer.id) if viewer is not None else None,
    )
    page = service.page(
        session=session,
        viewer=viewer,
        tab=tab,
        cursor=cursor or None,
        limit=limit,
        recs=services.recommender,
        secret=services.settings.secret_key,
    )
    items = videos_out(
        session,
        page.items,
        viewer=viewer,
        reasons=page.reasons,
        following=page.following,
        handles=page.handles,
        liked=page.liked,
    )
    for item in items:
        item.reason_text = page.details.get(item.id)
        item.reason_subject = page.subjects.get(item.id) or None
    return FeedOut(items=items, next_cursor=page.next_cursor)


def _preferences(session: SessionDep, user: User) -> PreferencesOut:
    rules = teens.feed_rules(user)
    return PreferencesOut(
        text=service.preferences(session=session, viewer=user),
        personalised=rules.personalised,
        endless_scroll=rules.endless_scroll,
        teen=teens.is_teen(user),
        guardian_locked=user.guardian_locked,
    )


@router.get("/me/feed-preferences", response_model=PreferencesOut)
def get_preferences(session: SessionDep, user: CurrentUser) -> PreferencesOut:
    return _preferences(session, user)


@router.put("/me/feed-preferences", response_model=PreferencesOut)
def put_preferences(body: PreferencesIn, session: SessionDep, user: CurrentUser) -> PreferencesOut:
    service.set_preferences(session=session, viewer=user, text=body.text)
    return _preferences(session, user)


@router.patch("/me/feed-preferences", response_model=PreferencesOut)
def patch_preferences(body: PreferencesPatch, session: SessionDep, user: CurrentUser) -> PreferencesOut:
    teens.set_preferences(user=user, personalised=body.personalised, endless_scroll=body.endless_scroll)
    events.record(session, events.FeedRulesChanged(user.id))  # personalisation may have changed: rank again
    if body.text is not None:
        service.set_preferences(session=session, viewer=user, text=body.text)
    return _preferences(session, user)

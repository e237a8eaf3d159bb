from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from figment.deps import CurrentUser, OptionalUser, ServicesDep, SessionDep
from figment.feed import service
from figment.schemas import Strict, VideoOut, videos_out

router = APIRouter(prefix="/api", tags=["feed"])


class FeedOut(BaseModel):
    items: list[VideoOut]
    next_cursor: str | None


@router.get("/feed", response_model=FeedOut)
def feed(
    session: SessionDep,
    services: ServicesDep,
    viewer: OptionalUser,
    tab: str = Query(default="for_you", max_length=40),
    cursor: str | None = Query(default=None, max_length=2000),
    limit: int = Query(default=10),
) -> FeedOut:
    page = service.page(
        session=session,
        viewer=viewer,
        tab=tab,
        cursor=cursor or None,
        limit=limit,
        recs=services.recommender,
        secret=services.settings.secret_key,
    )
    items = videos_out(session, page.items, viewer=viewer, reasons=page.reasons)
    for item in items:
        item.reason_text = page.details.get(item.id)
    return FeedOut(items=items, next_cursor=page.next_cursor)


class PreferencesIn(Strict):
    text: str = Field(max_length=5000)


class PreferencesOut(BaseModel):
    text: str


@router.get("/me/feed-preferences", response_model=PreferencesOut)
def get_preferences(session: SessionDep, user: CurrentUser) -> PreferencesOut:
    return PreferencesOut(text=service.preferences(session=session, viewer=user))


@router.put("/me/feed-preferences", response_model=PreferencesOut)
def put_preferences(
    body: PreferencesIn, session: SessionDep, services: ServicesDep, user: CurrentUser
) -> PreferencesOut:
    text = service.set_preferences(session=session, viewer=user, text=body.text, recs=services.recommender)
    return PreferencesOut(text=text)

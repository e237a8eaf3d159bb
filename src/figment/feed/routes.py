from __future__ import annotations

from fastapi import APIRouter, Query
from pydantic import BaseModel

from figment.deps import OptionalUser, ServicesDep, SessionDep
from figment.feed import service
from figment.safety.teens import check_feed_allowance
from figment.schemas import VideoOut, videos_out

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
    check_feed_allowance(session=session, user=viewer, limit=services.settings.teen_daily_feed_items)
    page = service.page(
        session=session,
        viewer=viewer,
        tab=tab,
        cursor=cursor or None,
        limit=limit,
        ranker=services.ranker,
        secret=services.settings.secret_key,
    )
    return FeedOut(
        items=videos_out(session, page.items, viewer=viewer, reasons=page.reasons), next_cursor=page.next_cursor
    )

from __future__ import annotations

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.deps import ServicesDep, authenticate, in_session
from figment.openapi import optional_login
from figment.schemas import errors
from figment.search.routes import check_clip_allowance
from figment.search.schemas import TagClipsOut
from figment.search.visibility import viewer_of
from figment.services import Services
from figment.tags import service
from figment.videos.schemas import videos_out

router = APIRouter(prefix="/api", tags=["search"])


@router.get("/tags/{name}/clips", response_model=TagClipsOut, responses=errors(401, 403, 429, 503))
@optional_login
async def tag_clips(
    name: str,
    request: Request,
    services: ServicesDep,
    cursor: str | None = Query(default=None, max_length=2000),
    limit: int = Query(default=24, ge=1, le=service.MAX_LIMIT),
) -> TagClipsOut:
    return await in_session(
        services, lambda session: _tag_clips(session, services, authenticate(request, session), name, cursor, limit)
    )


def _tag_clips(
    session: Session, services: Services, user: User | None, name: str, cursor: str | None, limit: int
) -> TagClipsOut:
    check_clip_allowance(session, services, user)
    viewer = viewer_of(session=session, user=user)
    page = service.clips_for_tag(
        session=session, viewer=viewer, name=name, cursor=cursor, limit=limit, secret=services.settings.secret_key
    )
    items = videos_out(session, page.items, viewer=user, following=viewer.following) if page.items else []
    return TagClipsOut(tag=page.tag, items=items, next_cursor=page.next_cursor)

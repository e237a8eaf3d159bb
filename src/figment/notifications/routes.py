from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import datetime

from fastapi import APIRouter, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from sse_starlette.sse import EventSourceResponse

from figment.accounts.models import User
from figment.db import utcnow
from figment.deps import CurrentUser, ServicesDep, SessionDep
from figment.notifications import service
from figment.notifications.context import contexts
from figment.notifications.models import Notification
from figment.notifications.schemas import LikenessRef, NotificationList, NotificationOut, SubjectRef
from figment.schemas import UserRef
from figment.videos.hooks import ClipHooks

router = APIRouter(prefix="/api", tags=["notifications"])
# Streams also look on their own now and then, so notifications written by another process
# (a worker on another machine) still arrive without a shared broker.
FALLBACK_POLL_S = 10.0


def _shape(session: Session, rows: list[Notification], recipient: User, hooks: ClipHooks) -> list[NotificationOut]:
    handles = dict(session.execute(select(User.id, User.handle).where(User.id.in_({n.actor_id for n in rows}))).all())
    about = contexts(session=session, rows=rows, recipient=recipient, hooks=hooks)
    return [
        NotificationOut(
            id=n.id,
            kind=n.kind,
            actor=UserRef(handle=handles.get(n.actor_id, "")),
            subject=SubjectRef(type=n.subject_type, id=n.subject_id),
            created_at=n.created_at,
            read=n.read_at is not None,
            prompt=about[n.id].prompt,
            poster=about[n.id].poster,
            comment=about[n.id].comment,
            likeness=[LikenessRef(handle=h, kind=k) for h, k in about[n.id].likenesses],
        )
        for n in rows
    ]


@router.get("/notifications", response_model=NotificationList)
def list_notifications(session: SessionDep, services: ServicesDep, user: CurrentUser) -> NotificationList:
    rows = service.list_for(session=session, user_id=user.id)
    return NotificationList(
        items=_shape(session, rows, user, services.likeness),
        unread_count=service.unread_count(session=session, user_id=user.id),
    )


@router.post("/notifications/read", status_code=204)
def mark_read(session: SessionDep, user: CurrentUser) -> Response:
    service.mark_all_read(session=session, user_id=user.id)
    return Response(status_code=204)


@router.get("/notifications/stream")
async def stream(request: Request, services: ServicesDep, user: CurrentUser) -> EventSourceResponse:
    user_id = user.id
    factory = services.session_factory

    def fetch_since(since: datetime) -> list[dict[str, object]]:
        with factory() as session:
            rows = service.list_for(session=session, user_id=user_id, after=since, limit=100)
            recipient = session.get(User, user_id)
            if recipient is None:
                return []
            return [json.loads(item.model_dump_json()) for item in _shape(session, rows, recipient, services.likeness)]

    async def events() -> AsyncIterator[dict[str, str]]:
        since = utcnow()
        wake = services.hub.subscribe(user_id)
        try:
            yield {"event": "ready", "data": "{}"}
            while not await request.is_disconnected():
                try:
                    await asyncio.wait_for(wake.wait(), timeout=FALLBACK_POLL_S)
                except TimeoutError:
                    pass
                wake.clear()
                items = await asyncio.to_thread(fetch_since, since)
                for item in items:
                    since = max(since, datetime.fromisoformat(str(item["created_at"])))
                    yield {"event": "notification", "data": json.dumps(item), "id": str(item["id"])}
        finally:
            services.hub.unsubscribe(user_id, wake)

    return EventSourceResponse(events(), ping=15)

"""Stored notifications. `notify` is idempotent: the same activity never notifies twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from figment import events
from figment.db import new_id, utcnow
from figment.notifications.models import Notification, NotificationKind


def notify(
    *, session: Session, recipient_id: str, actor_id: str, kind: NotificationKind, subject_type: str, subject_id: str
) -> bool:
    """Store a notification unless it exists already. Returns True when a new one was stored.

    The recipient's live streams are woken after the session commits (figment.events), so a stream
    never looks before the row is visible.
    """
    values = {
        "id": new_id(),
        "recipient_id": recipient_id,
        "actor_id": actor_id,
        "kind": str(kind),
        "subject_type": subject_type,
        "subject_id": subject_id,
        "created_at": utcnow(),
    }
    # INSERT ... ON CONFLICT DO NOTHING: race-free on both databases, unlike select-then-insert.
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = insert(Notification).values(**values).on_conflict_do_nothing()
    result = session.execute(stmt)
    created = bool(getattr(result, "rowcount", 0))
    if created:
        events.record(session, events.UserNotified(recipient_id))
    return created


def list_for(*, session: Session, user_id: str, limit: int = 50, after: datetime | None = None) -> list[Notification]:
    query = select(Notification).where(Notification.recipient_id == user_id)
    if after is not None:
        query = query.where(Notification.created_at > after)
        return list(session.scalars(query.order_by(Notification.created_at.asc(), Notification.id).limit(limit)))
    return list(session.scalars(query.order_by(Notification.created_at.desc(), Notification.id).limit(limit)))


def unread_count(*, session: Session, user_id: str) -> int:
    count = session.scalar(
        select(func.count())
        .select_from(Notification)
        .where(Notification.recipient_id == user_id, Notification.read_at.is_(None))
    )
    return int(count or 0)


def mark_all_read(*, session: Session, user_id: str) -> None:
    session.execute(
        update(Notification)
        .where(Notification.recipient_id == user_id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )

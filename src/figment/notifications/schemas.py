"""Request and response shapes of the notifications routes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from figment.schemas import UserRef


class SubjectRef(BaseModel):
    type: str
    id: str


class NotificationOut(BaseModel):
    id: str
    kind: str
    actor: UserRef
    subject: SubjectRef
    created_at: datetime
    read: bool


class NotificationList(BaseModel):
    items: list[NotificationOut]
    unread_count: int

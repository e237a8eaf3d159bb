"""Request and response shapes of the notifications routes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from figment.schemas import UserRef


class SubjectRef(BaseModel):
    type: str
    id: str


class LikenessRef(BaseModel):
    handle: str
    kind: str = Field(description="person or character")


class NotificationOut(BaseModel):
    id: str
    kind: str
    actor: UserRef
    subject: SubjectRef
    created_at: datetime
    read: bool
    # What it is about (notifications.context): the clip while the recipient may see it, the comment's
    # text, and for cameo_* kinds which likenesses (a character is named as a character).
    prompt: str | None = None
    poster: str | None = None
    comment: str | None = None
    likeness: list[LikenessRef] = Field(default_factory=list)


class NotificationList(BaseModel):
    items: list[NotificationOut]
    unread_count: int

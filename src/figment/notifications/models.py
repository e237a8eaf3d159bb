from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from figment.db import Base, IdColumn, UTCDateTime, new_id, utcnow


class NotificationKind(enum.StrEnum):
    video_ready = "video_ready"
    video_failed = "video_failed"
    like = "like"
    comment = "comment"
    follow = "follow"
    remix = "remix"
    takedown_filed = "takedown_filed"
    counter_notice = "counter_notice"
    takedown_resolved = "takedown_resolved"
    # Likeness: to the owner
    cameo_used = "cameo_used"  # someone submitted a clip with my likeness (drafts included)
    cameo_published = "cameo_published"
    cameo_face_blocked = "cameo_face_blocked"  # my face turned up in a clip I did not consent to; it was blocked
    cameo_checked = "cameo_checked"  # my verification recording was checked (verified, refused or not checkable)
    # Likeness: to the author
    cameo_removed = "cameo_removed"  # the owner deleted my clip with their likeness
    cameo_approved = "cameo_approved"
    cameo_refused = "cameo_refused"
    cameo_stopped = "cameo_stopped"  # consent was withdrawn while my clip waited; it was not rendered


class Notification(Base):
    """Unique per (recipient, kind, subject, actor): a retried job or a double click never notifies twice."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("recipient_id", "kind", "subject_type", "subject_id", "actor_id"),
        Index("ix_notifications_recipient_created", "recipient_id", "created_at"),
    )

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    recipient_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    actor_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(IdColumn)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

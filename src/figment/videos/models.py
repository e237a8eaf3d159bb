from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from figment.db import Base, IdColumn, UTCDateTime, new_id, utcnow


class VideoStatus(enum.StrEnum):
    queued = "queued"
    rendering = "rendering"
    ready = "ready"
    failed = "failed"
    blocked = "blocked"


class Visibility(enum.StrEnum):
    draft = "draft"
    published = "published"
    removed = "removed"
    # A still for the author's profile picture (profiles.avatars): rendered and checked like any clip,
    # shown only as the author's avatar, never in a feed, a list of clips or drafts. `published_at` is
    # when it became the avatar (None: still being made, or refused).
    avatar = "avatar"


class Video(Base):
    __tablename__ = "videos"
    __table_args__ = (
        Index("ix_videos_feed", "visibility", "published_at"),
        Index("ix_videos_author_feed", "author_id", "visibility", "published_at"),
    )

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    prompt: Mapped[str] = mapped_column(Text)
    duration_s: Mapped[float] = mapped_column(Float)
    seed: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default=VideoStatus.queued)
    visibility: Mapped[str] = mapped_column(String(16), default=Visibility.draft)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    backend: Mapped[str] = mapped_column(String(32), default="procedural")
    plan: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    video_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    poster_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # The 48-bit invisible watermark (12 hex digits) embedded in every frame: how a file whose
    # credentials were stripped is still traced back to this row.
    watermark_id: Mapped[str | None] = mapped_column(String(12), nullable=True, unique=True)
    remix_of_id: Mapped[str | None] = mapped_column(
        ForeignKey("videos.id", ondelete="SET NULL"), nullable=True, index=True
    )
    like_count: Mapped[int] = mapped_column(Integer, default=0)
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    view_count: Mapped[int] = mapped_column(Integer, default=0)
    share_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Like(Base):
    __tablename__ = "likes"
    __table_args__ = (UniqueConstraint("user_id", "video_id"),)

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    video_id: Mapped[str] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Share(Base):
    """Someone shared a clip's link (a ranking signal); one row per person and clip, so repeated
    taps do not inflate the count."""

    __tablename__ = "shares"
    __table_args__ = (UniqueConstraint("user_id", "video_id"),)

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    video_id: Mapped[str] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Comment(Base):
    __tablename__ = "comments"

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    video_id: Mapped[str] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)
    # Hidden by an operator (safety.reports); kept so the decision can be reversed and audited.
    hidden: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ViewEvent(Base):
    __tablename__ = "view_events"
    __table_args__ = (Index("ix_view_events_user_video", "user_id", "video_id"),)

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    video_id: Mapped[str] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    watched_ms: Mapped[int] = mapped_column(Integer)
    completed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SeeLess(Base):
    __tablename__ = "see_less"
    __table_args__ = (UniqueConstraint("user_id", "video_id"),)

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    video_id: Mapped[str] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from figment.db import Base, UTCDateTime, utcnow

MAX_TAG = 50


class Hashtag(Base):
    """Every tag name ever used, once: what tag search walks by prefix without stepping over every clip
    that carries a popular tag. A name stays when its clips go; search only shows names that still have
    a clip the viewer may see."""

    __tablename__ = "hashtags"

    name: Mapped[str] = mapped_column(String(MAX_TAG), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClipTag(Base):
    """A tag a clip's prompt carries, stored with the clip at submit (drafts too: the row costs nothing,
    and every reader filters on the clip's visibility, so publishing needs no second write)."""

    __tablename__ = "clip_tags"
    __table_args__ = (Index("ix_clip_tags_tag", "tag", "video_id"),)

    video_id: Mapped[str] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(ForeignKey("hashtags.name"), primary_key=True)

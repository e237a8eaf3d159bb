from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, Text
from sqlalchemy.orm import Mapped, mapped_column

from figment.db import Base, UTCDateTime, utcnow


class VideoEmbedding(Base):
    """The prompt's multilingual sentence embedding (float32 bytes), stored at submit so a clip is
    recommendable by content from its first second, before anyone has watched it."""

    __tablename__ = "video_embeddings"

    video_id: Mapped[str] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), primary_key=True)
    model: Mapped[str] = mapped_column(Text)
    vector: Mapped[bytes] = mapped_column(LargeBinary)


class FeedPreference(Base):
    """What the viewer asked for in words ("more cooking, less horror"); parsed again on every read."""

    __tablename__ = "feed_preferences"

    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

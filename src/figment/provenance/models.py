"""The provenance record: what outlives a clip, so "was this made here?" still answers after it is gone."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from figment.db import Base, IdColumn, UTCDateTime, utcnow


class ProvenanceRecord(Base):
    """One row per clip this instance ever rendered, kept when the clip, its author or a likeness in it is
    deleted or purged. It holds no media, no prompt and no author: only the ids that a file carries (the
    watermark; the clip id in its content credentials) and when the clip was made and removed.

    No foreign key to videos: the record must survive the clip's row."""

    __tablename__ = "provenance_records"

    video_id: Mapped[str] = mapped_column(IdColumn, primary_key=True)
    # Clips rendered before watermarks existed have none.
    watermark_id: Mapped[str | None] = mapped_column(String(12), nullable=True, unique=True)
    made_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Set when the clip is deleted, taken down or removed by an operator; cleared if it is restored.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

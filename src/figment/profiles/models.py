"""Tables of the profiles feature: the clips a person pinned to the top of their profile.

Display name and bio are columns of `users` (accounts.models) and the avatar is a `videos` row of
visibility `avatar` (profiles.avatars), so an account's deletion takes all three with it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from figment.db import Base, IdColumn, UTCDateTime, new_id, utcnow


class ProfilePin(Base):
    """One pinned clip: at most MAX_PINS per person, shown in `position` order. A clip deleted (or a
    person deleted) takes its pin with it; a pinned clip that stops being published is left out when read."""

    __tablename__ = "profile_pins"
    __table_args__ = (UniqueConstraint("user_id", "video_id"), UniqueConstraint("user_id", "position"))

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    video_id: Mapped[str] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

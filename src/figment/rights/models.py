from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from figment.db import Base, IdColumn, UTCDateTime, new_id, utcnow


class HolderStatus(enum.StrEnum):
    pending = "pending"
    approved = "approved"
    rejected = "rejected"


class WorkKind(enum.StrEnum):
    character = "character"
    franchise = "franchise"
    brand = "brand"
    song = "song"
    person = "person"
    estate = "estate"


class Policy(enum.StrEnum):
    opt_out = "opt_out"  # refused
    licensed = "licensed"  # allowed, the clip carries the holder's credit
    allowed = "allowed"
    # Listed to protect before anyone asks: refused when the platform runs opt_in, ignored under opt_out.
    catalogue = "catalogue"


class TakedownStatus(enum.StrEnum):
    open = "open"
    countered = "countered"
    restored = "restored"
    removed = "removed"


class RightsHolder(Base):
    __tablename__ = "rights_holders"

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    organisation: Mapped[str] = mapped_column(String(200))
    contact: Mapped[str] = mapped_column(String(320))
    statement: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=HolderStatus.pending)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Work(Base):
    __tablename__ = "rights_works"
    __table_args__ = (UniqueConstraint("holder_id", "title_key"),)

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    holder_id: Mapped[str] = mapped_column(ForeignKey("rights_holders.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    # Casefolded title: one holder cannot register the same work twice.
    title_key: Mapped[str] = mapped_column(String(200))
    aliases: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{text, lang}]
    kind: Mapped[str] = mapped_column(String(16))
    description: Mapped[str] = mapped_column(Text, default="")
    policy: Mapped[str] = mapped_column(String(16))
    # The description's sentence embedding (float32 bytes), so rebuilding the index needs no model run.
    vector: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WorkImage(Base):
    """A reference image: used only for matching frames, never served to anyone but its holder."""

    __tablename__ = "rights_work_images"

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    work_id: Mapped[str] = mapped_column(ForeignKey("rights_works.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    phash: Mapped[str] = mapped_column(String(16))
    descriptors: Mapped[bytes] = mapped_column(LargeBinary)  # ORB, n x 32 bytes
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Refusal(Base):
    """One refused submission: the work and when, nothing about who or what they typed."""

    __tablename__ = "rights_refusals"
    __table_args__ = (Index("ix_rights_refusals_work_created", "work_id", "created_at"),)

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    work_id: Mapped[str] = mapped_column(ForeignKey("rights_works.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(16))  # prompt | frames
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Takedown(Base):
    __tablename__ = "rights_takedowns"

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    work_id: Mapped[str] = mapped_column(ForeignKey("rights_works.id", ondelete="CASCADE"), index=True)
    holder_id: Mapped[str] = mapped_column(ForeignKey("rights_holders.id", ondelete="CASCADE"), index=True)
    # The clip may be deleted by its author later; the takedown's record stays.
    video_id: Mapped[str | None] = mapped_column(ForeignKey("videos.id", ondelete="SET NULL"), nullable=True)
    author_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    statement: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=TakedownStatus.open)
    counter_statement: Mapped[str | None] = mapped_column(Text, nullable=True)
    resolution_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    countered_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class RightsAudit(Base):
    """Append-only log of every step on holders, works and takedowns."""

    __tablename__ = "rights_audit"
    __table_args__ = (Index("ix_rights_audit_takedown", "takedown_id", "created_at"),)

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    takedown_id: Mapped[str | None] = mapped_column(
        ForeignKey("rights_takedowns.id", ondelete="CASCADE"), nullable=True
    )
    holder_id: Mapped[str | None] = mapped_column(ForeignKey("rights_holders.id", ondelete="CASCADE"), nullable=True)
    actor_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    action: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class VideoCredit(Base):
    """A licensed work a clip used: the clip shows the holder's credit."""

    __tablename__ = "rights_video_credits"
    __table_args__ = (UniqueConstraint("video_id", "work_id"),)

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    video_id: Mapped[str] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    work_id: Mapped[str] = mapped_column(ForeignKey("rights_works.id", ondelete="CASCADE"))


class RightsVersion(Base):
    """One row whose counter rises with every change to works or images: screening rebuilds its index
    when it sees a new value, so a change applies to the very next submission in every process."""

    __tablename__ = "rights_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)

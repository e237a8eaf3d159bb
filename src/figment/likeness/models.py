"""Tables of the likeness feature: whose face (or character) may appear, where it did, and the ledger.

A `Likeness` is something a prompt can put in a clip with `@handle`: a verified person (kind
`person`, handle = the owner's own handle) or a character (pet, object, persona) with its own handle.
Face crops and embeddings are private (`FaceReference`): never served, never in a response body, and
purged together with the likeness.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    bindparam,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from figment.db import Base, IdColumn, UTCDateTime, new_id, utcnow


class LikenessKind(enum.StrEnum):
    person = "person"
    character = "character"


class Permission(enum.StrEnum):
    only_me = "only_me"
    approved = "approved"
    mutuals = "mutuals"
    everyone = "everyone"


class ApprovalState(enum.StrEnum):
    not_needed = "not_needed"  # the owner did not ask to approve, or is the author
    pending = "pending"
    approved = "approved"
    refused = "refused"


class Likeness(Base):
    __tablename__ = "likenesses"

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    owner_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    # Mentions resolve by exact handle only; the skeleton keeps a character from taking a handle
    # that looks like a person's (and the reverse is checked at signup).
    handle: Mapped[str] = mapped_column(String(30), unique=True)
    handle_skeleton: Mapped[str] = mapped_column(String(60), unique=True)
    permission: Mapped[str] = mapped_column(String(16), default=Permission.only_me)
    restrictions: Mapped[list[str]] = mapped_column(JSON, default=list)
    approval_required: Mapped[bool] = mapped_column(Boolean, default=False)
    # People: set when a liveness check passed; characters need none.
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Characters: what they are ("a small brown dachshund") and an optional look for the renderer.
    description: Mapped[str] = mapped_column(Text, default="")
    look: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class ApprovedUser(Base):
    __tablename__ = "likeness_approved_users"
    __table_args__ = (UniqueConstraint("likeness_id", "user_id"),)

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    likeness_id: Mapped[str] = mapped_column(ForeignKey("likenesses.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class FaceReference(Base):
    """A reference face crop (a private blob) and its 128-d embedding, kept from a passed verification."""

    __tablename__ = "face_references"

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    likeness_id: Mapped[str] = mapped_column(ForeignKey("likenesses.id", ondelete="CASCADE"), index=True)
    crop_key: Mapped[str] = mapped_column(String(200))
    embedding: Mapped[bytes] = mapped_column(LargeBinary)  # float32 x 128, little-endian
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class VerificationAttempt(Base):
    """A single-use liveness challenge and, once a recording came, its outcome."""

    __tablename__ = "verification_attempts"

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    digits: Mapped[str] = mapped_column(String(8))
    head_turns: Mapped[str] = mapped_column(String(32))  # comma separated, in order
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # pending -> verified | rejected; a used challenge never takes a second recording.
    status: Mapped[str] = mapped_column(String(16), default="pending")
    reasons: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class DuplicateFaceFlag(Base):
    """A verification whose face matched another account's verified face: refused, left for an operator."""

    __tablename__ = "duplicate_face_flags"

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    matched_user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    distance: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class Appearance(Base):
    """A likeness in a clip, drafts included: what the owner sees, approves, or deletes."""

    __tablename__ = "likeness_appearances"
    __table_args__ = (UniqueConstraint("video_id", "likeness_id"),)

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    video_id: Mapped[str] = mapped_column(ForeignKey("videos.id", ondelete="CASCADE"), index=True)
    likeness_id: Mapped[str] = mapped_column(ForeignKey("likenesses.id", ondelete="CASCADE"), index=True)
    owner_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # Where in the prompt's cast this likeness plays (0 = first mention): the renderer's order.
    position: Mapped[int] = mapped_column(Integer, default=0)
    approval: Mapped[str] = mapped_column(String(16), default=ApprovalState.not_needed)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LedgerEntry(Base):
    """One link of an owner's hash chain: `hash = sha256(prev_hash + canonical JSON of the entry)`.

    Rows carry plain ids (no foreign keys to videos or likenesses) so the record of a use outlives
    the clip and the likeness it was about.
    """

    __tablename__ = "likeness_ledger"
    # The unique (owner, seq) index is also the one that reads a chain in order.
    __table_args__ = (UniqueConstraint("owner_id", "seq"),)

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    owner_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    likeness_handle: Mapped[str] = mapped_column(String(30))
    actor_handle: Mapped[str | None] = mapped_column(String(30), nullable=True)
    video_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


# Built once: every feed page runs it (see accounts.service._USER_BY_TOKEN).
_CAST = (
    select(Appearance.video_id, Likeness.handle, Likeness.kind)
    .join(Likeness, Likeness.id == Appearance.likeness_id)
    .where(Appearance.video_id.in_(bindparam("video_ids", expanding=True)))
    .order_by(Appearance.video_id, Appearance.position)
)


def cast_of(*, session: Session, video_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    """(handle, kind) of the likenesses in each clip, in cast order (one query for a whole page)."""
    if not video_ids:
        return {}
    rows = session.execute(_CAST, {"video_ids": video_ids}).all()
    out: dict[str, list[tuple[str, str]]] = {}
    for video_id, handle, kind in rows:
        out.setdefault(video_id, []).append((handle, kind))
    return out

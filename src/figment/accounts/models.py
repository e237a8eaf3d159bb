from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, String, Text, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column

from figment.db import Base, IdColumn, UTCDateTime, new_id, utcnow


class User(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    handle: Mapped[str] = mapped_column(String(30), unique=True)
    # The confusable skeleton of the handle: two handles that look alike share it, so the
    # unique index refuses look-alikes at the database level too.
    handle_skeleton: Mapped[str] = mapped_column(String(60), unique=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    birthdate: Mapped[date | None] = mapped_column(Date, nullable=True)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    # Set by an operator's ban (safety.reports): the account can no longer log in or act.
    banned_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Feed preferences (safety.teens): None = the default for the account's age (teens: off).
    personalised: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    endless_scroll: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # A guardian's link (hash only) and whether their choices bind the account.
    guardian_token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    guardian_locked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Profile (figment.profiles): what the account says about itself; None = not given. They live on
    # this row so that deleting the account deletes them with it. The avatar is a rendered still, a
    # `videos` row of visibility `avatar` (profiles.avatars), never an upload.
    display_name: Mapped[str | None] = mapped_column(String(50), nullable=True)
    bio: Mapped[str | None] = mapped_column(Text, nullable=True)


class AuthToken(Base):
    """A login session. Only the SHA-256 of the token is stored, so a database leak logs nobody in."""

    __tablename__ = "auth_tokens"

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Follow(Base):
    __tablename__ = "follows"
    __table_args__ = (UniqueConstraint("follower_id", "followee_id"),)

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    follower_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    followee_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Block(Base):
    __tablename__ = "blocks"
    __table_args__ = (UniqueConstraint("blocker_id", "blocked_id"),)

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    blocker_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    blocked_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

"""Reports and the moderation queue: users report clips and comments with a reason; operators
remove, restore or ban, and every decision is written to an audit row (who, what, why, when).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, delete, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from figment import events
from figment.accounts.models import AuthToken, User
from figment.db import Base, IdColumn, UTCDateTime, new_id, utcnow
from figment.errors import Conflict, NotFound, ValidationFailed
from figment.provenance import records as provenance_records
from figment.videos.hooks import ClipHooks
from figment.videos.models import Comment, Video, Visibility
from figment.videos.service import get_visible

MAX_NOTE = 500


class ReportReason(enum.StrEnum):
    sexual = "sexual"
    minor_safety = "minor_safety"
    violence = "violence"
    hate = "hate"
    self_harm = "self_harm"
    harassment = "harassment"
    impersonation = "impersonation"
    spam = "spam"
    other = "other"


class Subject(enum.StrEnum):
    video = "video"
    comment = "comment"


class Action(enum.StrEnum):
    remove = "remove"
    restore = "restore"
    ban = "ban"
    dismiss = "dismiss"


class Report(Base):
    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_open", "resolved_at", "created_at"),)

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    reporter_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    reason: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ModerationDecision(Base):
    """The audit trail: one row per operator decision, never updated or deleted by the app."""

    __tablename__ = "moderation_decisions"

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    operator_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    action: Mapped[str] = mapped_column(String(16))
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def _parse(enum_type: type[enum.StrEnum], value: str, field: str) -> str:
    try:
        return str(enum_type(value))
    except ValueError:
        allowed = ", ".join(m.value for m in enum_type)
        raise ValidationFailed(f"{field} must be one of {allowed} but is '{str(value)[:40]}'.", field=field) from None


def report(
    *,
    session: Session,
    reporter: User,
    subject_type: str,
    subject_id: str,
    reason: str,
    note: str,
    hooks: ClipHooks,
) -> Report:
    kind = _parse(Subject, subject_type, "subject_type")
    why = _parse(ReportReason, reason, "reason")
    if len(note) > MAX_NOTE:
        raise ValidationFailed(f"note must be at most {MAX_NOTE} characters but has {len(note)}.", field="note")
    if kind == Subject.video:
        get_visible(session=session, video_id=subject_id, viewer=reporter, hooks=hooks)
    else:
        comment = session.get(Comment, subject_id) if len(subject_id) <= 64 else None
        if comment is None or comment.hidden:
            raise NotFound(f"No comment '{subject_id[:64]}'.")
        get_visible(session=session, video_id=comment.video_id, viewer=reporter, hooks=hooks)
    row = Report(reporter_id=reporter.id, subject_type=kind, subject_id=subject_id, reason=why, note=note.strip())
    session.add(row)
    session.flush()
    if kind == Subject.video:
        events.record(session, events.Engaged(reporter.id))  # a reported clip leaves the reporter's feed at once
    return row


def open_reports(*, session: Session, limit: int = 100) -> list[Report]:
    return list(
        session.scalars(select(Report).where(Report.resolved_at.is_(None)).order_by(Report.created_at).limit(limit))
    )


def decide(
    *, session: Session, operator: User, action: str, subject_type: str, subject_id: str, note: str, hooks: ClipHooks
) -> ModerationDecision:
    """Apply an operator's decision, resolve the subject's open reports, and audit it."""
    what = _parse(Action, action, "action")
    kind = _parse(Subject, subject_type, "subject_type")
    if what == Action.ban:
        _ban(session, _author_of(session, kind, subject_id))
    elif what in (Action.remove, Action.restore):
        _set_removed(session, kind, subject_id, removed=what == Action.remove, hooks=hooks)
    session.execute(
        update(Report)
        .where(Report.subject_type == kind, Report.subject_id == subject_id, Report.resolved_at.is_(None))
        .values(resolved_at=utcnow())
    )
    decision = ModerationDecision(
        operator_id=operator.id, action=what, subject_type=kind, subject_id=subject_id, note=note.strip()[:MAX_NOTE]
    )
    session.add(decision)
    session.flush()
    return decision


def _author_of(session: Session, kind: str, subject_id: str) -> User:
    row = session.get(Video, subject_id) if kind == Subject.video else session.get(Comment, subject_id)
    author = session.get(User, row.author_id) if row is not None else None
    if author is None:
        raise NotFound(f"No {kind} '{subject_id[:64]}'.")
    return author


def _set_removed(session: Session, kind: str, subject_id: str, *, removed: bool, hooks: ClipHooks) -> None:
    if kind == Subject.video:
        video = session.get(Video, subject_id)
        if video is None:
            raise NotFound(f"No video '{subject_id[:64]}'.")
        if removed:
            video.visibility = Visibility.removed
            provenance_records.mark_removed(session, video_ids=[video.id])
        elif video.visibility == Visibility.removed:
            # Restored clips come back as published only if they had been published, and only if the
            # people in them still let it be (an operator's restore is a publish too).
            if video.published_at:
                hooks.check_publish(session=session, video=video)
            video.visibility = Visibility.published if video.published_at else Visibility.draft
            provenance_records.mark_restored(session, video_id=video.id)
        return
    comment = session.get(Comment, subject_id)
    if comment is None:
        raise NotFound(f"No comment '{subject_id[:64]}'.")
    comment.hidden = removed


def _ban(session: Session, user: User) -> None:
    if user.is_admin:
        raise Conflict("Operators cannot be banned from the queue; remove their operator role first.")
    user.banned_at = user.banned_at or utcnow()
    session.execute(delete(AuthToken).where(AuthToken.user_id == user.id))
    published = select(Video.id).where(Video.author_id == user.id, Video.visibility == Visibility.published)
    provenance_records.mark_removed(session, video_ids=published)
    session.execute(
        update(Video)
        .where(Video.author_id == user.id, Video.visibility == Visibility.published)
        .values(visibility=Visibility.removed)
    )


def decisions(*, session: Session, limit: int = 100) -> list[ModerationDecision]:
    return list(session.scalars(select(ModerationDecision).order_by(ModerationDecision.created_at.desc()).limit(limit)))

"""Takedowns: a holder hides a published clip that uses their work, the author may answer with a
counter-notice, an operator restores the clip or keeps it removed. Every step notifies and is audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.db import utcnow
from figment.errors import Conflict, Forbidden, NotFound, ValidationFailed
from figment.notifications.models import NotificationKind
from figment.notifications.service import notify
from figment.provenance import records as provenance_records
from figment.rights import audit
from figment.rights.models import RightsHolder, Takedown, TakedownStatus, Work
from figment.rights.service import MAX_STATEMENT, clean_text, holder_of, own_work
from figment.videos.hooks import ClipHooks
from figment.videos.models import Video, Visibility


def file_takedown(*, session: Session, user: User, video_id: str, work_id: str, statement: str) -> Takedown:
    work, holder = own_work(session=session, user=user, work_id=work_id)
    text = clean_text(statement, field="statement", max_len=MAX_STATEMENT)
    video = session.get(Video, video_id) if isinstance(video_id, str) and len(video_id) <= 64 else None
    if video is None or video.visibility != Visibility.published:
        raise NotFound(f"No published clip '{str(video_id)[:64]}'.")
    if video.author_id == user.id:
        raise ValidationFailed("You cannot file a takedown against your own clip; delete it instead.", field="video_id")
    takedown = Takedown(
        work_id=work.id, holder_id=holder.id, video_id=video.id, author_id=video.author_id, statement=text
    )
    session.add(takedown)
    session.flush()
    # Hidden at once: the feed and every viewer but the author stop seeing it.
    video.visibility = Visibility.removed
    provenance_records.mark_removed(session, video_ids=[video.id])
    audit.record(session, action="takedown_filed", actor=user, takedown=takedown, note=f"{work.title}: {text[:500]}")
    audit.record(session, action="clip_hidden", actor=user, takedown=takedown, note=video.id)
    notify(
        session=session,
        recipient_id=video.author_id,
        actor_id=user.id,
        kind=NotificationKind.takedown_filed,
        subject_type="video",
        subject_id=video.id,
    )
    return takedown


def _takedown_for(*, session: Session, user: User, takedown_id: str) -> tuple[Takedown, str]:
    """The takedown and the viewer's role in it (holder, author, operator); others get 404."""
    takedown = session.get(Takedown, takedown_id) if len(takedown_id) <= 64 else None
    if takedown is not None:
        holder = session.get(RightsHolder, takedown.holder_id)
        if holder is not None and holder.user_id == user.id:
            return takedown, "holder"
        if takedown.author_id == user.id:
            return takedown, "author"
        if user.is_admin:
            return takedown, "operator"
    raise NotFound(f"No takedown '{takedown_id[:64]}'.")


def get_takedown(*, session: Session, user: User, takedown_id: str) -> tuple[Takedown, str]:
    return _takedown_for(session=session, user=user, takedown_id=takedown_id)


def counter_notice(*, session: Session, user: User, takedown_id: str, statement: str) -> Takedown:
    takedown, role = _takedown_for(session=session, user=user, takedown_id=takedown_id)
    if role != "author":
        raise Forbidden("Only the clip's author can file a counter-notice.")
    if takedown.status != TakedownStatus.open:
        raise Conflict(f"This takedown is {takedown.status}; a counter-notice is only possible while it is open.")
    takedown.counter_statement = clean_text(statement, field="statement", max_len=MAX_STATEMENT)
    takedown.status = TakedownStatus.countered
    takedown.countered_at = utcnow()
    audit.record(session, action="counter_notice", actor=user, takedown=takedown, note=takedown.counter_statement[:500])
    holder = session.get(RightsHolder, takedown.holder_id)
    if holder is not None and takedown.video_id:
        notify(
            session=session,
            recipient_id=holder.user_id,
            actor_id=user.id,
            kind=NotificationKind.counter_notice,
            subject_type="video",
            subject_id=takedown.video_id,
        )
    return takedown


def resolve(*, session: Session, actor: User, takedown_id: str, decision: str, note: str, hooks: ClipHooks) -> Takedown:
    if not actor.is_admin:
        raise Forbidden("Only operators can resolve takedowns.")
    takedown, _role = _takedown_for(session=session, user=actor, takedown_id=takedown_id)
    if takedown.status not in (TakedownStatus.open, TakedownStatus.countered):
        raise Conflict(f"This takedown is already {takedown.status}.")
    if decision not in ("restore", "remove"):
        raise ValidationFailed(f"decision must be 'restore' or 'remove' but is {decision[:40]!r}.", field="decision")
    video = session.get(Video, takedown.video_id) if takedown.video_id else None
    if decision == "restore":
        takedown.status = TakedownStatus.restored
        if video is not None and video.visibility == Visibility.removed:
            # A restore is a publish: the people in the clip must still let it be public.
            hooks.check_publish(session=session, video=video)
            video.visibility = Visibility.published
            provenance_records.mark_restored(session, video_id=video.id)
    else:
        takedown.status = TakedownStatus.removed
    takedown.resolution_note = clean_text(note or "", field="note", max_len=MAX_STATEMENT, required=False)
    takedown.resolved_at = utcnow()
    audit.record(session, action=f"resolved_{decision}", actor=actor, takedown=takedown, note=takedown.resolution_note)
    holder = session.get(RightsHolder, takedown.holder_id)
    subject = takedown.video_id or takedown.id
    for recipient in {takedown.author_id, holder.user_id if holder else None} - {None}:
        notify(
            session=session,
            recipient_id=str(recipient),
            actor_id=actor.id,
            kind=NotificationKind.takedown_resolved,
            subject_type="video",
            subject_id=subject,
        )
    return takedown


def list_takedowns(*, session: Session, user: User, scope: str) -> list[Takedown]:
    query = select(Takedown).order_by(Takedown.created_at.desc()).limit(200)
    if scope == "all":
        if not user.is_admin:
            raise Forbidden("Only operators can list every takedown.")
    elif scope == "holder":
        holder = holder_of(session=session, user=user)
        query = query.where(Takedown.holder_id == (holder.id if holder else ""))
    elif scope == "author":
        query = query.where(Takedown.author_id == user.id)
    else:
        raise ValidationFailed(f"scope must be holder, author or all but is {scope[:40]!r}.", field="scope")
    return list(session.scalars(query))


def takedown_context(*, session: Session, takedowns: list[Takedown]) -> dict[str, Any]:
    """Titles, organisations and handles for shaping takedowns without a query each."""
    work_ids = {t.work_id for t in takedowns}
    holder_ids = {t.holder_id for t in takedowns}
    author_ids = {t.author_id for t in takedowns if t.author_id}
    return {
        "works": dict(session.execute(select(Work.id, Work.title).where(Work.id.in_(work_ids))).all()),
        "holders": dict(
            session.execute(
                select(RightsHolder.id, RightsHolder.organisation).where(RightsHolder.id.in_(holder_ids))
            ).all()
        ),
        "handles": dict(session.execute(select(User.id, User.handle).where(User.id.in_(author_ids))).all()),
    }

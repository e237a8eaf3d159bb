"""Rights registry: holders, works, reference images, takedowns, transparency, and the screening checks."""

from __future__ import annotations

import io
import logging
import threading
import unicodedata
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image
from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from figment.accounts.models import User
from figment.accounts.service import get_by_handle
from figment.db import new_id, session_scope, utcnow
from figment.embeddings import Embedder
from figment.errors import Conflict, Forbidden, NotFound, RightsBlocked, ValidationFailed
from figment.notifications.models import NotificationKind
from figment.notifications.service import notify
from figment.rights import frames as frame_matching
from figment.rights.matching import Alias, Hit, RightsIndex, WorkEntry
from figment.rights.models import (
    HolderStatus,
    Policy,
    Refusal,
    RightsAudit,
    RightsHolder,
    RightsVersion,
    Takedown,
    TakedownStatus,
    VideoCredit,
    Work,
    WorkImage,
    WorkKind,
)
from figment.rights.semantic import description_vector
from figment.storage.base import BlobStore
from figment.videos.models import Video, Visibility

log = logging.getLogger(__name__)

MAX_TITLE = 200
MAX_ALIASES = 50
MAX_DESCRIPTION = 2000
MAX_STATEMENT = 5000
MAX_IMAGES_PER_WORK = 20
CONTEST_PATH = "/rights"


def _text(value: Any, *, field: str, max_len: int, required: bool = True) -> str:
    if not isinstance(value, str):
        raise ValidationFailed(f"{field} must be text.", field=field)
    text = unicodedata.normalize("NFC", value).strip()
    if required and not text:
        raise ValidationFailed(f"{field} must not be empty.", field=field)
    if len(text) > max_len:
        raise ValidationFailed(f"{field} must be at most {max_len} characters but has {len(text)}.", field=field)
    return text


def _choice(value: Any, allowed: type[Any], *, field: str) -> str:
    names = [str(v) for v in allowed]
    if value not in names:
        raise ValidationFailed(f"{field} must be one of {', '.join(names)} but is {str(value)[:40]!r}.", field=field)
    return str(value)


def bump_version(session: Session) -> None:
    """Every change to works or images raises the counter in the same transaction."""
    bump = update(RightsVersion).where(RightsVersion.id == 1).values(version=RightsVersion.version + 1)
    if getattr(session.execute(bump), "rowcount", 0):
        return
    try:
        with session.begin_nested():
            session.add(RightsVersion(id=1, version=1))
    except IntegrityError:  # another transaction created the row first
        session.execute(bump)


def _audit(
    session: Session,
    *,
    action: str,
    actor: User | None,
    note: str = "",
    takedown: Takedown | None = None,
    holder_id: str | None = None,
) -> None:
    session.add(
        RightsAudit(
            takedown_id=takedown.id if takedown else None,
            holder_id=holder_id or (takedown.holder_id if takedown else None),
            actor_id=actor.id if actor else None,
            action=action,
            note=note[:2000],
        )
    )


# ---- holders -------------------------------------------------------------------------------------


def apply_holder(*, session: Session, user: User, organisation: str, contact: str, statement: str) -> RightsHolder:
    existing = holder_of(session=session, user=user)
    if existing is not None:
        raise Conflict(f"You already applied as '{existing.organisation}' ({existing.status}).")
    holder = RightsHolder(
        user_id=user.id,
        organisation=_text(organisation, field="organisation", max_len=200),
        contact=_text(contact, field="contact", max_len=320),
        statement=_text(statement, field="statement", max_len=MAX_STATEMENT, required=False),
        status=HolderStatus.pending,
    )
    session.add(holder)
    session.flush()
    _audit(session, action="holder_applied", actor=user, holder_id=holder.id, note=holder.organisation)
    return holder


def holder_of(*, session: Session, user: User) -> RightsHolder | None:
    return session.scalars(select(RightsHolder).where(RightsHolder.user_id == user.id)).first()


def approved_holder(*, session: Session, user: User) -> RightsHolder:
    holder = holder_of(session=session, user=user)
    if holder is None or holder.status != HolderStatus.approved:
        raise Forbidden("Only approved rights holders can do this; apply at /rights and wait for an operator.")
    return holder


def list_holders(*, session: Session, status: str | None = None) -> list[tuple[RightsHolder, str]]:
    query = select(RightsHolder, User.handle).join(User, User.id == RightsHolder.user_id)
    if status is not None:
        query = query.where(RightsHolder.status == _choice(status, HolderStatus, field="status"))
    return [(h, handle) for h, handle in session.execute(query.order_by(RightsHolder.created_at)).all()]


def decide_holder(*, session: Session, holder_id: str, actor: User, approve: bool) -> RightsHolder:
    holder = session.get(RightsHolder, holder_id) if len(holder_id) <= 64 else None
    if holder is None:
        raise NotFound(f"No rights holder '{holder_id[:64]}'.")
    holder.status = HolderStatus.approved if approve else HolderStatus.rejected
    holder.decided_at = utcnow()
    _audit(session, action="holder_approved" if approve else "holder_rejected", actor=actor, holder_id=holder.id)
    bump_version(session)  # a rejected holder's works stop being screened
    return holder


def approve_by_handle(*, session: Session, handle: str, actor: User | None = None) -> RightsHolder:
    user = get_by_handle(session=session, handle=handle)
    holder = holder_of(session=session, user=user)
    if holder is None:
        raise NotFound(f"@{user.handle} has not applied as a rights holder.")
    holder.status = HolderStatus.approved
    holder.decided_at = utcnow()
    _audit(session, action="holder_approved", actor=actor, holder_id=holder.id, note="figment admin approve-holder")
    bump_version(session)
    return holder


# ---- works ---------------------------------------------------------------------------------------


def _aliases(raw: Any) -> list[dict[str, Any]]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise ValidationFailed("aliases must be a list.", field="aliases")
    if len(raw) > MAX_ALIASES:
        raise ValidationFailed(f"At most {MAX_ALIASES} aliases but {len(raw)} were given.", field="aliases")
    out: list[dict[str, Any]] = []
    for n, item in enumerate(raw):
        text, lang = (item, None) if isinstance(item, str) else (item.get("text"), item.get("lang"))
        text = _text(text, field=f"aliases.{n}", max_len=MAX_TITLE)
        if lang is not None and (not isinstance(lang, str) or not 2 <= len(lang) <= 8 or not lang.isalpha()):
            raise ValidationFailed(f"aliases.{n}.lang must be a language code such as 'it'.", field=f"aliases.{n}")
        out.append({"text": text, "lang": lang.lower() if lang else None})
    return out


@dataclass(frozen=True)
class WorkInput:
    title: str
    aliases: list[dict[str, Any]]
    kind: str
    policy: str
    description: str


def check_work(*, title: Any, aliases: Any, kind: Any, policy: Any, description: Any) -> WorkInput:
    return WorkInput(
        title=_text(title, field="title", max_len=MAX_TITLE),
        aliases=_aliases(aliases),
        kind=_choice(kind, WorkKind, field="kind"),
        policy=_choice(policy, Policy, field="policy"),
        description=_text(description or "", field="description", max_len=MAX_DESCRIPTION, required=False),
    )


def create_work(*, session: Session, holder: RightsHolder, actor: User, data: WorkInput, embedder: Embedder) -> Work:
    title_key = data.title.casefold()
    if session.scalars(select(Work.id).where(Work.holder_id == holder.id, Work.title_key == title_key)).first():
        raise Conflict(f"You already registered '{data.title}'.", details={"field": "title"})
    work = Work(
        holder_id=holder.id,
        title=data.title,
        title_key=title_key,
        aliases=data.aliases,
        kind=data.kind,
        policy=data.policy,
        description=data.description,
        vector=description_vector(data.description, embedder=embedder),
    )
    session.add(work)
    session.flush()
    _audit(session, action="work_registered", actor=actor, holder_id=holder.id, note=f"{work.title} ({work.policy})")
    bump_version(session)
    return work


def own_work(*, session: Session, user: User, work_id: str) -> tuple[Work, RightsHolder]:
    holder = approved_holder(session=session, user=user)
    work = session.get(Work, work_id) if len(work_id) <= 64 else None
    if work is None or work.holder_id != holder.id:
        raise NotFound(f"No work '{work_id[:64]}' of yours.")
    return work, holder


def contest_info(*, session: Session, work_id: str) -> tuple[Work, RightsHolder]:
    work = session.get(Work, work_id) if len(work_id) <= 64 else None
    holder = session.get(RightsHolder, work.holder_id) if work else None
    if work is None or holder is None or holder.status != HolderStatus.approved:
        raise NotFound(f"No registered work '{work_id[:64]}'.")
    return work, holder


def update_work(*, session: Session, user: User, work_id: str, changes: dict[str, Any], embedder: Embedder) -> Work:
    work, holder = own_work(session=session, user=user, work_id=work_id)
    merged = {
        "title": work.title,
        "aliases": work.aliases,
        "kind": work.kind,
        "policy": work.policy,
        "description": work.description,
    } | changes
    data = check_work(**merged)
    if (
        data.title.casefold() != work.title_key
        and session.scalars(
            select(Work.id).where(Work.holder_id == holder.id, Work.title_key == data.title.casefold())
        ).first()
    ):
        raise Conflict(f"You already registered '{data.title}'.", details={"field": "title"})
    if data.description != work.description:
        work.vector = description_vector(data.description, embedder=embedder)
    work.title, work.title_key, work.aliases = data.title, data.title.casefold(), data.aliases
    work.kind, work.policy, work.description = data.kind, data.policy, data.description
    work.updated_at = utcnow()
    _audit(session, action="work_changed", actor=user, holder_id=holder.id, note=f"{work.title}: {sorted(changes)}")
    bump_version(session)
    return work


def delete_work(*, session: Session, user: User, work_id: str, storage: BlobStore) -> None:
    work, holder = own_work(session=session, user=user, work_id=work_id)
    keys = list(session.scalars(select(WorkImage.key).where(WorkImage.work_id == work.id)))
    _audit(session, action="work_deleted", actor=user, holder_id=holder.id, note=work.title)
    session.delete(work)
    bump_version(session)
    session.flush()
    for key in keys:
        storage.delete(key)


def delete_holder_data(*, session: Session, user: User, storage: BlobStore) -> None:
    """On account deletion: the holder's works leave the screening index and their images leave storage."""
    holder = holder_of(session=session, user=user)
    if holder is None:
        return
    work_ids = list(session.scalars(select(Work.id).where(Work.holder_id == holder.id)))
    keys = list(session.scalars(select(WorkImage.key).where(WorkImage.work_id.in_(work_ids)))) if work_ids else []
    session.delete(holder)
    bump_version(session)
    session.flush()
    for key in keys:
        storage.delete(key)


def list_works(*, session: Session, holder: RightsHolder) -> list[Work]:
    return list(session.scalars(select(Work).where(Work.holder_id == holder.id).order_by(Work.title_key)))


def work_counts(*, session: Session, work_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Refusal counts, the last refusal, takedowns and images per work, in a fixed number of queries."""
    out: dict[str, dict[str, Any]] = {
        w: {"refusals": 0, "last_refused_at": None, "takedowns": 0, "images": 0} for w in work_ids
    }
    if not work_ids:
        return out
    for work_id, count, last in session.execute(
        select(Refusal.work_id, func.count(), func.max(Refusal.created_at))
        .where(Refusal.work_id.in_(work_ids))
        .group_by(Refusal.work_id)
    ):
        out[work_id]["refusals"] = int(count)
        out[work_id]["last_refused_at"] = last
    for work_id, count in session.execute(
        select(Takedown.work_id, func.count()).where(Takedown.work_id.in_(work_ids)).group_by(Takedown.work_id)
    ):
        out[work_id]["takedowns"] = int(count)
    for work_id, count in session.execute(
        select(WorkImage.work_id, func.count()).where(WorkImage.work_id.in_(work_ids)).group_by(WorkImage.work_id)
    ):
        out[work_id]["images"] = int(count)
    return out


def work_stats(*, session: Session, user: User, work_id: str) -> dict[str, Any]:
    """Transparency for the holder: counts and dates of refusals (never prompts or users), takedowns."""
    work, _holder = own_work(session=session, user=user, work_id=work_id)
    dates = list(session.scalars(select(Refusal.created_at).where(Refusal.work_id == work.id)))
    by_day: dict[str, int] = {}
    for moment in dates:
        day = moment.date().isoformat()
        by_day[day] = by_day.get(day, 0) + 1
    by_stage = dict(
        session.execute(
            select(Refusal.stage, func.count()).where(Refusal.work_id == work.id).group_by(Refusal.stage)
        ).all()
    )
    takedowns = list(
        session.scalars(select(Takedown).where(Takedown.work_id == work.id).order_by(Takedown.created_at.desc()))
    )
    return {
        "work_id": work.id,
        "title": work.title,
        "refusals": {
            "total": len(dates),
            "last_at": max(dates) if dates else None,
            "by_day": [{"date": d, "count": c} for d, c in sorted(by_day.items())],
            "by_stage": {str(k): int(v) for k, v in by_stage.items()},
        },
        "takedowns": takedowns,
    }


def add_image(*, session: Session, user: User, work_id: str, data: bytes, storage: BlobStore) -> WorkImage:
    work, holder = own_work(session=session, user=user, work_id=work_id)
    count = session.scalar(select(func.count()).select_from(WorkImage).where(WorkImage.work_id == work.id)) or 0
    if count >= MAX_IMAGES_PER_WORK:
        raise Conflict(f"A work can have at most {MAX_IMAGES_PER_WORK} reference images.")
    rgb = frame_matching.decode_image(data)
    analysed = frame_matching.analyse(rgb)
    image_id = new_id()
    key = f"rights/{work.id}/{image_id}.png"
    png = io.BytesIO()
    Image.fromarray(rgb).save(png, format="PNG")
    storage.put_bytes(key, png.getvalue(), content_type="image/png")
    image = WorkImage(
        id=image_id,
        work_id=work.id,
        key=key,
        phash=analysed.phash,
        descriptors=analysed.descriptors,
        width=analysed.width,
        height=analysed.height,
    )
    session.add(image)
    work.updated_at = utcnow()
    _audit(session, action="image_added", actor=user, holder_id=holder.id, note=work.title)
    bump_version(session)
    return image


def delete_image(*, session: Session, user: User, work_id: str, image_id: str, storage: BlobStore) -> None:
    work, holder = own_work(session=session, user=user, work_id=work_id)
    image = session.get(WorkImage, image_id) if len(image_id) <= 64 else None
    if image is None or image.work_id != work.id:
        raise NotFound(f"No reference image '{image_id[:64]}' on this work.")
    session.delete(image)
    _audit(session, action="image_deleted", actor=user, holder_id=holder.id, note=work.title)
    bump_version(session)
    session.flush()
    storage.delete(image.key)


def images_of(*, session: Session, work_ids: list[str]) -> dict[str, list[WorkImage]]:
    out: dict[str, list[WorkImage]] = {w: [] for w in work_ids}
    if work_ids:
        for image in session.scalars(select(WorkImage).where(WorkImage.work_id.in_(work_ids))):
            out[image.work_id].append(image)
    return out


# ---- takedowns -----------------------------------------------------------------------------------


def file_takedown(*, session: Session, user: User, video_id: str, work_id: str, statement: str) -> Takedown:
    work, holder = own_work(session=session, user=user, work_id=work_id)
    text = _text(statement, field="statement", max_len=MAX_STATEMENT)
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
    _audit(session, action="takedown_filed", actor=user, takedown=takedown, note=f"{work.title}: {text[:500]}")
    _audit(session, action="clip_hidden", actor=user, takedown=takedown, note=video.id)
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
    takedown.counter_statement = _text(statement, field="statement", max_len=MAX_STATEMENT)
    takedown.status = TakedownStatus.countered
    takedown.countered_at = utcnow()
    _audit(session, action="counter_notice", actor=user, takedown=takedown, note=takedown.counter_statement[:500])
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


def resolve(*, session: Session, actor: User, takedown_id: str, decision: str, note: str) -> Takedown:
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
            video.visibility = Visibility.published
    else:
        takedown.status = TakedownStatus.removed
    takedown.resolution_note = _text(note or "", field="note", max_len=MAX_STATEMENT, required=False)
    takedown.resolved_at = utcnow()
    _audit(session, action=f"resolved_{decision}", actor=actor, takedown=takedown, note=takedown.resolution_note)
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


def audit_of(*, session: Session, takedown: Takedown) -> list[tuple[RightsAudit, str | None]]:
    return [
        (row, handle)
        for row, handle in session.execute(
            select(RightsAudit, User.handle)
            .outerjoin(User, User.id == RightsAudit.actor_id)
            .where(RightsAudit.takedown_id == takedown.id)
            .order_by(RightsAudit.created_at, RightsAudit.id)
        ).all()
    ]


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


# ---- credits -------------------------------------------------------------------------------------


# Built once: every feed page runs it (see accounts.service._USER_BY_TOKEN).
_CREDITS = (
    select(VideoCredit.video_id, Work.title, RightsHolder.organisation)
    .join(Work, Work.id == VideoCredit.work_id)
    .join(RightsHolder, RightsHolder.id == Work.holder_id)
    .where(VideoCredit.video_id.in_(bindparam("video_ids", expanding=True)))
    .order_by(Work.title)
)


def credits_for(*, session: Session, video_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    if not video_ids:
        return out
    rows = session.execute(_CREDITS, {"video_ids": video_ids})
    for video_id, title, organisation in rows:
        out.setdefault(video_id, []).append((title, organisation))
    return out


# ---- screening -----------------------------------------------------------------------------------


def effective_policy(policy: str, mode: str) -> str | None:
    """'refuse', 'licensed' or None (not screened) for a work's policy under the platform mode."""
    if policy == Policy.opt_out:
        return "refuse"
    if policy == Policy.licensed:
        return "licensed"
    if policy == Policy.catalogue:
        return "refuse" if mode == "opt_in" else None
    return None


@dataclass
class _Snapshot:
    version: int
    index: RightsIndex
    references: list[frame_matching.Reference]
    contacts: dict[str, str]
    policies: dict[str, str]  # work id -> stored policy (for the error's details)


class RightsScreen:
    """The registered prompt and frame checks. Reads the version counter on every call (one indexed
    row) and rebuilds its in-memory index when the counter moved, so changes apply to the next
    submission in this and every other process."""

    def __init__(self, *, session_factory: sessionmaker[Session], mode: str, embedder: Embedder | None) -> None:
        # embedder: the app's one (descriptions of works are matched by meaning); None: names only.
        self.session_factory = session_factory
        self.mode = mode
        self.embedder = embedder
        self._lock = threading.Lock()
        self._snapshot: _Snapshot | None = None

    def snapshot(self, session: Session) -> _Snapshot:
        version = session.scalar(select(RightsVersion.version).where(RightsVersion.id == 1)) or 0
        current = self._snapshot
        if current is not None and current.version == version:
            return current
        with self._lock:
            current = self._snapshot
            if current is None or current.version != version:
                current = self._build(session, version)
                self._snapshot = current
            return current

    def _build(self, session: Session, version: int) -> _Snapshot:
        rows = session.execute(
            select(Work, RightsHolder.organisation, RightsHolder.contact)
            .join(RightsHolder, RightsHolder.id == Work.holder_id)
            .where(RightsHolder.status == HolderStatus.approved)
        ).all()
        entries, contacts, policies = [], {}, {}
        for work, organisation, contact in rows:
            effective = effective_policy(work.policy, self.mode)
            if effective is None:
                continue
            entries.append(
                WorkEntry(
                    id=work.id,
                    title=work.title,
                    aliases=tuple(Alias(a["text"], a.get("lang")) for a in work.aliases or []),
                    description=work.description,
                    holder=organisation,
                    policy=effective,
                    kind=work.kind,
                    vector=np.frombuffer(work.vector, dtype=np.float32) if work.vector else None,
                )
            )
            contacts[work.id] = contact
            policies[work.id] = work.policy
        refused = {e.id for e in entries if e.policy == "refuse"}
        references = (
            [
                frame_matching.reference(image.work_id, image.id, image.phash, image.descriptors)
                for image in session.scalars(select(WorkImage).where(WorkImage.work_id.in_(refused)))
            ]
            if refused
            else []
        )
        index = RightsIndex.build(entries, embedder=self.embedder)
        return _Snapshot(version, index, references, contacts, policies)

    def screen(self, session: Session, prompt: str) -> list[Hit]:
        return self.snapshot(session).index.match(prompt)

    def check_prompt(self, session: Session, _author: User, prompt: str) -> None:
        snapshot = self.snapshot(session)
        hits = snapshot.index.match(prompt)
        refused = sorted((h for h in hits if h.work.policy == "refuse"), key=lambda h: -h.score)
        if refused:
            hit = refused[0]
            self._record(hit.work.id, "prompt")
            raise self._error(snapshot, hit.work, hit.rule)

    def check_frames(self, session: Session, video: Video, frames: list[np.ndarray]) -> None:
        snapshot = self.snapshot(session)
        found = frame_matching.match_frames(frames, snapshot.references)
        if found is not None:
            work = next(e for e in snapshot.index.works if e.id == found.work_id)
            self._record(work.id, "frames")
            raise self._error(snapshot, work, found.rule)
        # Licensed works the clip used: credited on the clip (idempotent on a retried job).
        licensed = {
            h.work.id for h in snapshot.index.match(video.prompt, semantic=False) if h.work.policy == "licensed"
        }
        present = set(session.scalars(select(VideoCredit.work_id).where(VideoCredit.video_id == video.id)))
        for work_id in licensed - present:
            session.add(VideoCredit(video_id=video.id, work_id=work_id))

    def _error(self, snapshot: _Snapshot, work: WorkEntry, rule: str) -> RightsBlocked:
        contact = snapshot.contacts.get(work.id, "")
        return RightsBlocked(
            f"'{work.title}' is registered by {work.holder}, who does not allow clips of it. "
            f"Think this is wrong? Write to {contact or work.holder}.",
            details={
                "work": work.title,
                "work_id": work.id,
                "holder": work.holder,
                "policy": snapshot.policies.get(work.id, "opt_out"),
                "rule": rule,
                "contest": {
                    "url": f"{CONTEST_PATH}?contest={work.id}",
                    "contact": contact,
                    "text": f"If this is wrong (your own work, parody, a licence), write to {work.holder} at "
                    f"{contact} naming '{work.title}'.",
                },
            },
        )

    def _record(self, work_id: str, stage: str) -> None:
        # Its own transaction: the caller's rolls back with the refusal. Counts and dates only.
        try:
            with session_scope(self.session_factory) as session:
                session.add(Refusal(work_id=work_id, stage=stage, created_at=utcnow()))
        except Exception:  # a lost count must never turn a refusal into an internal error
            log.exception("could not record a refusal for work %s", work_id)

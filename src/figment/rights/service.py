"""Rights registry: holders, their works and reference images, and the rights_version counter.

Every change that alters what screening sees (a work, an image, a holder's approval) bumps the counter
in the same transaction (rights.screening reads it). Takedowns, credits and screening have their own modules.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from typing import Any

from PIL import Image
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.accounts.service import get_by_handle
from figment.db import new_id, utcnow
from figment.embeddings import Embedder
from figment.errors import Conflict, Forbidden, NotFound, ValidationFailed
from figment.rights import audit
from figment.rights import frames as frame_matching
from figment.rights.models import (
    HolderStatus,
    Policy,
    Refusal,
    RightsHolder,
    RightsVersion,
    Takedown,
    Work,
    WorkImage,
    WorkKind,
)
from figment.rights.semantic import description_vector
from figment.storage.base import BlobStore

MAX_TITLE = 200
MAX_ALIASES = 50
MAX_DESCRIPTION = 2000
MAX_STATEMENT = 5000
MAX_IMAGES_PER_WORK = 20


def clean_text(value: Any, *, field: str, max_len: int, required: bool = True) -> str:
    """Text from a request: NFC, trimmed, bounded; an error names the field."""
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


# ---- holders -------------------------------------------------------------------------------------


def apply_holder(*, session: Session, user: User, organisation: str, contact: str, statement: str) -> RightsHolder:
    existing = holder_of(session=session, user=user)
    if existing is not None:
        raise Conflict(f"You already applied as '{existing.organisation}' ({existing.status}).")
    holder = RightsHolder(
        user_id=user.id,
        organisation=clean_text(organisation, field="organisation", max_len=200),
        contact=clean_text(contact, field="contact", max_len=320),
        statement=clean_text(statement, field="statement", max_len=MAX_STATEMENT, required=False),
        status=HolderStatus.pending,
    )
    session.add(holder)
    session.flush()
    audit.record(session, action="holder_applied", actor=user, holder_id=holder.id, note=holder.organisation)
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
    audit.record(session, action="holder_approved" if approve else "holder_rejected", actor=actor, holder_id=holder.id)
    bump_version(session)  # a rejected holder's works stop being screened
    return holder


def approve_by_handle(*, session: Session, handle: str, actor: User | None = None) -> RightsHolder:
    user = get_by_handle(session=session, handle=handle)
    holder = holder_of(session=session, user=user)
    if holder is None:
        raise NotFound(f"@{user.handle} has not applied as a rights holder.")
    holder.status = HolderStatus.approved
    holder.decided_at = utcnow()
    audit.record(
        session, action="holder_approved", actor=actor, holder_id=holder.id, note="figment admin approve-holder"
    )
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
        text = clean_text(text, field=f"aliases.{n}", max_len=MAX_TITLE)
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
        title=clean_text(title, field="title", max_len=MAX_TITLE),
        aliases=_aliases(aliases),
        kind=_choice(kind, WorkKind, field="kind"),
        policy=_choice(policy, Policy, field="policy"),
        description=clean_text(description or "", field="description", max_len=MAX_DESCRIPTION, required=False),
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
    audit.record(
        session, action="work_registered", actor=actor, holder_id=holder.id, note=f"{work.title} ({work.policy})"
    )
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
    audit.record(
        session, action="work_changed", actor=user, holder_id=holder.id, note=f"{work.title}: {sorted(changes)}"
    )
    bump_version(session)
    return work


def delete_work(*, session: Session, user: User, work_id: str, storage: BlobStore) -> None:
    work, holder = own_work(session=session, user=user, work_id=work_id)
    keys = list(session.scalars(select(WorkImage.key).where(WorkImage.work_id == work.id)))
    audit.record(session, action="work_deleted", actor=user, holder_id=holder.id, note=work.title)
    session.delete(work)
    bump_version(session)
    session.flush()
    for key in keys:
        storage.delete(key)


def delete_holder_data(*, session: Session, user: User) -> list[str]:
    """On account deletion: the holder's works leave the screening index; returns the keys of their
    reference images, for the caller to purge from storage."""
    holder = holder_of(session=session, user=user)
    if holder is None:
        return []
    work_ids = list(session.scalars(select(Work.id).where(Work.holder_id == holder.id)))
    keys = list(session.scalars(select(WorkImage.key).where(WorkImage.work_id.in_(work_ids)))) if work_ids else []
    session.delete(holder)
    bump_version(session)
    session.flush()
    return keys


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
    audit.record(session, action="image_added", actor=user, holder_id=holder.id, note=work.title)
    bump_version(session)
    return image


def delete_image(*, session: Session, user: User, work_id: str, image_id: str, storage: BlobStore) -> None:
    work, holder = own_work(session=session, user=user, work_id=work_id)
    image = session.get(WorkImage, image_id) if len(image_id) <= 64 else None
    if image is None or image.work_id != work.id:
        raise NotFound(f"No reference image '{image_id[:64]}' on this work.")
    session.delete(image)
    audit.record(session, action="image_deleted", actor=user, holder_id=holder.id, note=work.title)
    bump_version(session)
    session.flush()
    storage.delete(image.key)


def images_of(*, session: Session, work_ids: list[str]) -> dict[str, list[WorkImage]]:
    out: dict[str, list[WorkImage]] = {w: [] for w in work_ids}
    if work_ids:
        for image in session.scalars(select(WorkImage).where(WorkImage.work_id.in_(work_ids))):
            out[image.work_id].append(image)
    return out

"""The owner's side of a likeness: settings, approved people, appearances, characters, and purge."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from figment.accounts.handles import handle_skeleton, normalize_handle
from figment.accounts.models import User
from figment.accounts.service import get_by_handle
from figment.errors import Conflict, Forbidden, NotFound, ValidationFailed
from figment.generation.types import CharacterLooks
from figment.jobs.purge import queue_purge
from figment.likeness import consent, ledger
from figment.likeness.models import (
    Appearance,
    ApprovalState,
    ApprovedUser,
    FaceReference,
    Likeness,
    LikenessKind,
    Permission,
)
from figment.likeness.restrictions import clean_restrictions
from figment.likeness.uses import LikenessUses, cutout_key
from figment.notifications.models import NotificationKind
from figment.notifications.service import notify
from figment.safety.teens import is_teen
from figment.storage.base import BlobStore
from figment.videos.models import Video, Visibility
from figment.videos.service import remove_rows

MAX_APPROVED = 500
MAX_DESCRIPTION = 300
# A character's look is a sprite of the configured backend ("dog", "robot") and optionally one of its
# drawn styles ("dog/neon"), as its BackendCapabilities.looks say; None lets the description alone
# decide what is drawn. Whatever the backend, a look has this shape.
LOOK_SHAPE = re.compile(r"[a-z][a-z0-9_]{0,29}(?:/[a-z][a-z0-9_]{0,19})?")


# ---- the owner's own likeness ------------------------------------------------------------------


def own_likeness(*, session: Session, owner: User) -> Likeness | None:
    return session.scalars(
        select(Likeness).where(Likeness.owner_id == owner.id, Likeness.kind == LikenessKind.person)
    ).first()


def ensure_own_likeness(*, session: Session, owner: User) -> Likeness:
    """The person likeness row holds settings even before verification; it is created on first need.

    Teens start with approval required: nothing with their face is published without their yes.
    """
    likeness = own_likeness(session=session, owner=owner)
    if likeness is None:
        likeness = Likeness(
            owner_id=owner.id,
            kind=LikenessKind.person,
            handle=owner.handle,
            handle_skeleton=handle_skeleton(owner.handle),
            permission=Permission.only_me,
            restrictions=[],
            approval_required=is_teen(owner),
        )
        try:
            with session.begin_nested():  # two first requests at once: one creates, the other reads it
                session.add(likeness)
        except IntegrityError:
            found = own_likeness(session=session, owner=owner)
            assert found is not None
            return found
    return likeness


def check_permission_choice(*, owner: User, permission: Any) -> str:
    if permission not in set(Permission):
        raise ValidationFailed(
            f"permission must be one of {', '.join(Permission)} but is {str(permission)[:40]!r}.", field="permission"
        )
    if permission == Permission.everyone and is_teen(owner):
        raise Forbidden(
            "Accounts under 18 cannot let everyone use their likeness; choose approved people or mutuals.",
            details={"field": "permission", "rule": "teen"},
        )
    return str(permission)


def permission_choices(*, owner: User) -> list[str]:
    """The levels this account may choose: accounts under 18 cannot choose everyone."""
    return [str(p) for p in Permission if not (p == Permission.everyone and is_teen(owner))]


def reference_count(*, session: Session, likeness: Likeness) -> int:
    """How many face references verification kept for this likeness."""
    count = session.scalar(
        select(func.count()).select_from(FaceReference).where(FaceReference.likeness_id == likeness.id)
    )
    return int(count or 0)


def update_settings(
    *,
    session: Session,
    owner: User,
    likeness: Likeness,
    changes: dict[str, Any],
    uses: LikenessUses,
    looks: CharacterLooks,
) -> int:
    """Apply a PATCH; returns how many waiting jobs were stopped because they no longer pass.

    `looks`: what the configured backend can draw, for a character's `look` (see _clean_look).
    """
    before: dict[str, Any] = {
        "permission": likeness.permission,
        "restrictions": list(likeness.restrictions or []),
        "approval_required": likeness.approval_required,
    }
    if "permission" in changes and changes["permission"] is not None:
        likeness.permission = check_permission_choice(owner=owner, permission=changes["permission"])
    if "restrictions" in changes and changes["restrictions"] is not None:
        likeness.restrictions = clean_restrictions(changes["restrictions"])
    if "approval_required" in changes and changes["approval_required"] is not None:
        if not isinstance(changes["approval_required"], bool):
            raise ValidationFailed("approval_required must be true or false.", field="approval_required")
        likeness.approval_required = changes["approval_required"]
    if likeness.kind == LikenessKind.character:
        _update_character_fields(likeness, changes, looks)
    after = {
        "permission": likeness.permission,
        "restrictions": list(likeness.restrictions or []),
        "approval_required": likeness.approval_required,
    }
    changed = {k: {"from": before[k], "to": after[k]} for k in after if before[k] != after[k]}
    if not changed:
        return 0
    session.flush()
    _log_permission_change(session=session, owner=owner, likeness=likeness, details=changed)
    return uses.stop_waiting_jobs(session=session, likeness=likeness, owner=owner)


def _log_permission_change(*, session: Session, owner: User, likeness: Likeness, details: dict[str, Any]) -> None:
    ledger.append(
        session=session,
        owner_id=owner.id,
        action="permission_change",
        likeness_handle=likeness.handle,
        actor_handle=owner.handle,
        details=details,
    )


def approved_handles(*, session: Session, likeness: Likeness) -> list[str]:
    return list(
        session.scalars(
            select(User.handle)
            .join(ApprovedUser, ApprovedUser.user_id == User.id)
            .where(ApprovedUser.likeness_id == likeness.id)
            .order_by(User.handle)
        )
    )


def approve_user(*, session: Session, owner: User, likeness: Likeness, handle: str) -> User:
    target = get_by_handle(session=session, handle=handle)
    if target.id == owner.id:
        raise ValidationFailed("You can always use your own likeness; no need to approve yourself.", field="handle")
    exists = session.scalars(
        select(ApprovedUser.id).where(ApprovedUser.likeness_id == likeness.id, ApprovedUser.user_id == target.id)
    ).first()
    if exists is None:
        count = len(approved_handles(session=session, likeness=likeness))
        if count >= MAX_APPROVED:
            raise Conflict(f"At most {MAX_APPROVED} approved people.")
        session.add(ApprovedUser(likeness_id=likeness.id, user_id=target.id))
        session.flush()
        _log_permission_change(
            session=session, owner=owner, likeness=likeness, details={"approved": {"added": target.handle}}
        )
    return target


def unapprove_user(*, session: Session, owner: User, likeness: Likeness, handle: str, uses: LikenessUses) -> int:
    target = get_by_handle(session=session, handle=handle)
    result = session.execute(
        delete(ApprovedUser).where(ApprovedUser.likeness_id == likeness.id, ApprovedUser.user_id == target.id)
    )
    if not getattr(result, "rowcount", 0):
        raise NotFound(f"@{target.handle} is not on your approved list.")
    _log_permission_change(
        session=session, owner=owner, likeness=likeness, details={"approved": {"removed": target.handle}}
    )
    return uses.stop_waiting_jobs(session=session, likeness=likeness, owner=owner)


# ---- appearances ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AppearanceRow:
    appearance: Appearance
    likeness: Likeness
    video: Video
    author: str  # the clip author's handle


def appearances(*, session: Session, owner: User, limit: int = 200) -> list[AppearanceRow]:
    """Clips with any of the owner's likenesses, newest first, drafts included (not removed ones)."""
    rows = session.execute(
        select(Appearance, Likeness, Video, User.handle)
        .join(Likeness, Likeness.id == Appearance.likeness_id)
        .join(Video, Video.id == Appearance.video_id)
        .join(User, User.id == Video.author_id)
        .where(Appearance.owner_id == owner.id, Video.visibility != Visibility.removed)
        .order_by(Appearance.created_at.desc())
        .limit(limit)
    ).all()
    return [AppearanceRow(appearance=a, likeness=lk, video=v, author=author) for a, lk, v, author in rows]


def _owned_appearances(*, session: Session, owner: User, video_id: str) -> list[tuple[Appearance, Likeness]]:
    rows = session.execute(
        select(Appearance, Likeness)
        .join(Likeness, Likeness.id == Appearance.likeness_id)
        .where(Appearance.owner_id == owner.id, Appearance.video_id == str(video_id)[:64])
    ).all()
    if not rows:
        raise NotFound(f"No clip '{str(video_id)[:64]}' with your likeness.")
    return [(a, lk) for a, lk in rows]


def delete_appearance(*, session: Session, owner: User, video_id: str, storage: BlobStore) -> None:
    """The owner removes a clip with their likeness, draft or published; the author is told why."""
    owned = _owned_appearances(session=session, owner=owner, video_id=video_id)
    video = session.get(Video, video_id)
    assert video is not None
    author = session.get(User, video.author_id)
    for _appearance, likeness in owned:
        ledger.append(
            session=session,
            owner_id=owner.id,
            action="deletion",
            likeness_handle=likeness.handle,
            actor_handle=author.handle if author else None,
            video_id=video.id,
            details={"by": "owner"},
        )
    for key in _remove_and_tell_author(session=session, owner=owner, video=video):
        storage.delete(key)


def _remove_and_tell_author(*, session: Session, owner: User, video: Video) -> list[str]:
    """An owner's action removed a clip with their likeness: its rows go and its author is told why;
    returns its media keys, for the caller to delete."""
    if video.author_id != owner.id:
        notify(
            session=session,
            recipient_id=video.author_id,
            actor_id=owner.id,
            kind=NotificationKind.cameo_removed,
            subject_type="video",
            subject_id=video.id,
        )
    return remove_rows(session=session, video=video)


def decide_publication(*, session: Session, owner: User, video_id: str, approve: bool) -> Appearance:
    owned = _owned_appearances(session=session, owner=owner, video_id=video_id)
    video = session.get(Video, video_id)
    assert video is not None
    if not approve and video.visibility == Visibility.published:
        raise Conflict("This clip is already published; delete it instead if you do not want it.")
    decision = ApprovalState.approved if approve else ApprovalState.refused
    author = session.get(User, video.author_id)
    for appearance, likeness in owned:
        appearance.approval = decision
        ledger.append(
            session=session,
            owner_id=owner.id,
            action="approval",
            likeness_handle=likeness.handle,
            actor_handle=author.handle if author else None,
            video_id=video.id,
            details={"decision": str(decision)},
        )
    if author is not None and author.id != owner.id:
        notify(
            session=session,
            recipient_id=author.id,
            actor_id=owner.id,
            kind=NotificationKind.cameo_approved if approve else NotificationKind.cameo_refused,
            subject_type="video",
            subject_id=video.id,
        )
    return owned[0][0]


def is_in_video(*, session: Session, user_id: str, video_id: str) -> bool:
    """Whether this user owns a likeness in the clip: they may watch it, draft or not."""
    return (
        session.scalars(
            select(Appearance.id).where(Appearance.video_id == video_id, Appearance.owner_id == user_id).limit(1)
        ).first()
        is not None
    )


# ---- purge ---------------------------------------------------------------------------------------


def purge(*, session: Session, owner: User, likeness: Likeness, later: list[str] | None = None) -> int:
    """Delete a likeness now: face crops, embeddings and cutout, and every clip that used it.

    Returns how many clips were removed. The rows go in this transaction; the blobs (clips, posters,
    crops, cutout) go in a purge job queued in it too (jobs.purge), or, with `later`, their keys are
    added there for the caller's one job. The ledger stays (it is the owner's record) with a purge entry.
    """
    videos = list(
        session.scalars(
            select(Video).join(Appearance, Appearance.video_id == Video.id).where(Appearance.likeness_id == likeness.id)
        )
    )
    keys: list[str] = []
    for video in videos:
        keys += _remove_and_tell_author(session=session, owner=owner, video=video)
    faces = list(session.scalars(select(FaceReference.crop_key).where(FaceReference.likeness_id == likeness.id)))
    keys += [*faces, cutout_key(likeness.id)]
    session.execute(delete(FaceReference).where(FaceReference.likeness_id == likeness.id))
    ledger.append(
        session=session,
        owner_id=owner.id,
        action="purge",
        likeness_handle=likeness.handle,
        actor_handle=owner.handle,
        details={"clips_removed": len(videos), "face_references_deleted": len(faces)},
    )
    session.delete(likeness)
    session.flush()
    if later is not None:
        later.extend(keys)
    else:
        queue_purge(session=session, keys=keys, reason="likeness deleted")
    return len(videos)


# ---- characters ----------------------------------------------------------------------------------


def _update_character_fields(likeness: Likeness, changes: dict[str, Any], looks: CharacterLooks) -> None:
    if "description" in changes and changes["description"] is not None:
        likeness.description = _clean_description(changes["description"])
    if "look" in changes:
        likeness.look = _clean_look(changes["look"], looks)


def _clean_description(raw: Any) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise ValidationFailed(
            "Describe the character in a few words, e.g. 'a small brown dachshund'.", field="description"
        )
    text = " ".join(raw.split())
    if len(text) > MAX_DESCRIPTION:
        raise ValidationFailed(f"Description must be at most {MAX_DESCRIPTION} characters.", field="description")
    return text


def _clean_look(raw: Any, looks: CharacterLooks) -> str | None:
    """A look the configured backend can draw, canonical ("dog", "dog/neon"), or None for none."""
    if raw is None or raw == "":
        return None
    sprite, _, style = str(raw).strip().lower().partition("/")
    text = f"{sprite}/{style}" if style else sprite
    if not looks.sprites:
        raise ValidationFailed(
            "This server's video model draws no character looks; leave the look empty and describe the character.",
            field="look",
        )
    if not LOOK_SHAPE.fullmatch(text) or sprite not in looks.sprites:
        examples = ", ".join((looks.suggested or looks.sprites)[:4])
        raise ValidationFailed(
            f"look must name a sprite such as {examples} (optionally '/' and a style) but starts with {sprite[:30]!r}.",
            field="look",
        )
    if style and style not in looks.styles:
        raise ValidationFailed(f"The look's style must be one of {', '.join(sorted(looks.styles))}.", field="look")
    return text


def create_character(*, session: Session, owner: User, body: dict[str, Any], looks: CharacterLooks) -> Likeness:
    """A new character owned by `owner`; `looks`: what the configured backend can draw (_clean_look)."""
    handle = normalize_handle(body.get("handle", ""))
    skeleton = handle_skeleton(handle)
    clash_user = session.scalars(
        select(User.handle).where(or_(User.handle == handle, User.handle_skeleton == skeleton))
    ).first()
    clash = (
        clash_user
        or session.scalars(
            select(Likeness.handle).where(or_(Likeness.handle == handle, Likeness.handle_skeleton == skeleton))
        ).first()
    )
    if clash is not None:
        detail = "is taken" if clash == handle else f"looks too much like @{clash}"
        raise Conflict(f"The handle @{handle} {detail}.", details={"field": "handle"})
    likeness = Likeness(
        owner_id=owner.id,
        kind=LikenessKind.character,
        handle=handle,
        handle_skeleton=skeleton,
        permission=check_permission_choice(owner=owner, permission=body.get("permission") or Permission.only_me),
        restrictions=clean_restrictions(body.get("restrictions") or []),
        approval_required=bool(body.get("approval_required", False)),
        description=_clean_description(body.get("description")),
        look=_clean_look(body.get("look"), looks),
        verified_at=None,
    )
    session.add(likeness)
    session.flush()
    ledger.append(
        session=session,
        owner_id=owner.id,
        action="character_created",
        likeness_handle=handle,
        actor_handle=owner.handle,
        details={"description": likeness.description, "permission": likeness.permission},
    )
    return likeness


def characters_of(*, session: Session, owner: User) -> list[Likeness]:
    return list(
        session.scalars(
            select(Likeness)
            .where(Likeness.owner_id == owner.id, Likeness.kind == LikenessKind.character)
            .order_by(Likeness.handle)
        )
    )


def get_character(*, session: Session, handle: str) -> Likeness:
    try:
        canonical = normalize_handle(handle)
    except ValidationFailed:
        raise NotFound(f"No character @{str(handle)[:40]}.") from None
    likeness = session.scalars(
        select(Likeness).where(Likeness.handle == canonical, Likeness.kind == LikenessKind.character)
    ).first()
    if likeness is None:
        raise NotFound(f"No character @{canonical}.")
    return likeness


def visible_character(*, session: Session, viewer: User, handle: str) -> Likeness:
    """A character as `viewer` may see it: to someone its owner blocked (or who blocked them) it does not exist."""
    likeness = get_character(session=session, handle=handle)
    if (
        likeness.owner_id != viewer.id
        and consent.decide(session=session, author=viewer, likeness=likeness).rule == "blocked"
    ):
        raise NotFound(f"No character @{str(handle)[:40]}.")
    return likeness


def owner_handle(*, session: Session, likeness: Likeness) -> str:
    owner = session.get(User, likeness.owner_id)
    return owner.handle if owner else ""


def get_own_character(*, session: Session, owner: User, handle: str) -> Likeness:
    likeness = get_character(session=session, handle=handle)
    if likeness.owner_id != owner.id:
        raise Forbidden(f"Only the owner can change @{likeness.handle}.")
    return likeness


def purge_all_of(*, session: Session, owner: User) -> list[str]:
    """On account deletion: every likeness the account owns goes, with its faces and its clips; returns
    the blob keys for the caller's purge job."""
    keys: list[str] = []
    for likeness in list(session.scalars(select(Likeness).where(Likeness.owner_id == owner.id))):
        purge(session=session, owner=owner, likeness=likeness, later=keys)
    return keys

"""Profiles: display name, bio, pinned clips, counts, cameo status, and who may see a profile.

Services only: routes parse and shape (profiles.routes), avatars live in profiles.avatars.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from figment.accounts import service as accounts
from figment.accounts.models import User
from figment.errors import NotFound, ValidationFailed
from figment.likeness import consent
from figment.likeness.models import Likeness, LikenessKind
from figment.profiles.models import ProfilePin
from figment.profiles.text import clean_bio, clean_display_name
from figment.videos.models import Video, Visibility

MAX_PINS = 3


def visible_profile(*, session: Session, handle: str, viewer: User | None) -> User:
    """The account behind a handle, as `viewer` may see it. Blocked either way, or banned by an operator
    (to anyone but themselves), it does not exist: 404, as for a handle nobody has."""
    user = accounts.get_by_handle(session=session, handle=handle)
    own = viewer is not None and viewer.id == user.id
    if not own and (
        user.banned_at is not None
        or (viewer is not None and accounts.is_blocked_between(session=session, a=viewer.id, b=user.id))
    ):
        raise NotFound(f"No user '@{user.handle}'.")
    return user


_UNSET = object()


def update(
    *, session: Session, user: User, display_name: object = _UNSET, bio: object = _UNSET, pinned: object = _UNSET
) -> User:
    """PATCH semantics: a field left out stays, null or "" clears it. Everything is checked before
    anything changes, so a bad field loses nothing."""
    name = clean_display_name(display_name) if display_name is not _UNSET and display_name is not None else None
    text = clean_bio(bio) if bio is not _UNSET and bio is not None else None
    pins = _check_pins(session=session, user=user, ids=pinned) if pinned is not _UNSET else None
    if display_name is not _UNSET:
        user.display_name = name
    if bio is not _UNSET:
        user.bio = text
    if pins is not None:
        session.execute(delete(ProfilePin).where(ProfilePin.user_id == user.id))
        session.add_all(
            ProfilePin(user_id=user.id, video_id=video_id, position=position) for position, video_id in enumerate(pins)
        )
    session.flush()
    return user


def _check_pins(*, session: Session, user: User, ids: object) -> list[str]:
    if ids is None:
        return []
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ValidationFailed("pinned must be a list of clip ids.", field="pinned")
    if len(ids) > MAX_PINS:
        raise ValidationFailed(f"At most {MAX_PINS} clips can be pinned, but {len(ids)} were given.", field="pinned")
    if len(set(ids)) != len(ids):
        twice = next(i for i in ids if ids.count(i) > 1)
        raise ValidationFailed(f"Clip '{twice[:64]}' is pinned twice.", field="pinned", video_id=twice[:64])
    own = set(
        session.scalars(
            select(Video.id).where(
                Video.id.in_([i[:64] for i in ids]),
                Video.author_id == user.id,
                Video.visibility == Visibility.published,
            )
        )
    )
    for video_id in ids:
        if video_id not in own:
            raise ValidationFailed(
                f"'{video_id[:64]}' is not one of your published clips; only those can be pinned.",
                field="pinned",
                video_id=video_id[:64],
            )
    return list(ids)


def pinned(*, session: Session, user_id: str) -> list[Video]:
    """The pinned clips in their order; one that is no longer published (unpublished, taken down) is left out."""
    return list(
        session.scalars(
            select(Video)
            .join(ProfilePin, ProfilePin.video_id == Video.id)
            .where(ProfilePin.user_id == user_id, Video.visibility == Visibility.published)
            .order_by(ProfilePin.position)
        )
    )


def likes_received(*, session: Session, user_id: str) -> int:
    """Likes on the account's published clips (the clips' counters, so one indexed sum)."""
    total = session.scalar(
        select(func.coalesce(func.sum(Video.like_count), 0)).where(
            Video.author_id == user_id, Video.visibility == Visibility.published
        )
    )
    return int(total or 0)


@dataclass(frozen=True)
class CameoEntry:
    """Whom a likeness lets into clips, as consent.decide sees it. `usable_by_viewer` is None when nobody
    is logged in; the approved list itself is never shown, only whether the viewer is on it."""

    handle: str
    kind: str
    permission: str
    approval_required: bool
    usable_by_viewer: bool | None


@dataclass(frozen=True)
class CameoStatus:
    # The person's own face: None when they have not verified it (nobody can tag them).
    person: CameoEntry | None
    characters: Sequence[CameoEntry]


def cameo_status(*, session: Session, owner: User, viewer: User | None) -> CameoStatus:
    """What the profile says about tagging: the owner's effective permission (a teen's "everyone" is
    mutuals, consent.effective_permission) and whether the viewer may use each likeness."""

    def entry(likeness: Likeness) -> CameoEntry:
        usable = None if viewer is None else consent.decide(session=session, author=viewer, likeness=likeness).allowed
        return CameoEntry(
            handle=likeness.handle,
            kind=likeness.kind,
            permission=str(consent.effective_permission(likeness=likeness, owner=owner)),
            approval_required=likeness.approval_required,
            usable_by_viewer=usable,
        )

    rows = list(session.scalars(select(Likeness).where(Likeness.owner_id == owner.id).order_by(Likeness.handle)))
    person = next(
        (lk for lk in rows if lk.kind == LikenessKind.person and lk.verified_at is not None),
        None,
    )
    return CameoStatus(
        person=entry(person) if person is not None else None,
        characters=[entry(lk) for lk in rows if lk.kind == LikenessKind.character],
    )

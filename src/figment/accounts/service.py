"""Accounts: sign up, log in, sessions, follows and blocks."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import date

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError
from sqlalchemy import bindparam, delete, func, literal, or_, select, union_all
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from figment import events
from figment.accounts.handles import handle_skeleton, normalize_handle
from figment.accounts.models import AuthToken, Block, Follow, User
from figment.errors import Conflict, Forbidden, NotFound, Unauthenticated, ValidationFailed
from figment.likeness.models import Likeness
from figment.notifications.models import NotificationKind
from figment.notifications.service import notify

# argon2id with the library's defaults (RFC 9106 low-memory profile).
_hasher = PasswordHasher()
# Verifying against this when the login is unknown keeps the response time the same, so timing
# does not reveal which handles exist.
_DUMMY_HASH = _hasher.hash("figment-timing-equaliser")
EMAIL_RE = re.compile(r"^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 8
MAX_PASSWORD = 256


@dataclass(frozen=True)
class IssuedToken:
    user: User
    token: str


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _normalize_email(raw: str) -> str:
    email = raw.strip().lower()
    if len(email) > 254 or not EMAIL_RE.match(email):
        raise ValidationFailed(f"'{raw[:60]}' is not a valid email address.", field="email")
    return email


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(
            f"Password must have at least {MIN_PASSWORD} characters but has {len(password)}.", field="password"
        )
    if len(password) > MAX_PASSWORD:
        raise ValidationFailed(f"Password must have at most {MAX_PASSWORD} characters.", field="password")


def signup(*, session: Session, handle: str, email: str, password: str, birthdate: date | None = None) -> IssuedToken:
    canonical = normalize_handle(handle)
    skeleton = handle_skeleton(canonical)
    normalized_email = _normalize_email(email)
    _check_password(password)
    if birthdate is not None and birthdate > date.today():
        raise ValidationFailed("Birthdate cannot be in the future.", field="birthdate")

    clash = session.scalars(select(User).where(or_(User.handle == canonical, User.handle_skeleton == skeleton))).first()
    if clash is not None:
        if clash.handle == canonical:
            raise Conflict(f"The handle '{canonical}' is taken.", details={"field": "handle"})
        raise Conflict(
            f"The handle '{canonical}' looks too much like the existing handle '{clash.handle}'.",
            details={"field": "handle", "confusable_with": clash.handle},
        )
    # Characters (likeness feature) have handles too; a person may not take one, nor look like one.
    character = session.scalars(
        select(Likeness.handle).where(or_(Likeness.handle == canonical, Likeness.handle_skeleton == skeleton))
    ).first()
    if character is not None:
        raise Conflict(
            f"The handle '{canonical}' is taken by a character."
            if character == canonical
            else f"The handle '{canonical}' looks too much like the character '@{character}'.",
            details={"field": "handle"},
        )
    if session.scalars(select(User.id).where(User.email == normalized_email)).first() is not None:
        raise Conflict("An account with this email already exists.", details={"field": "email"})

    user = User(
        handle=canonical,
        handle_skeleton=skeleton,
        email=normalized_email,
        password_hash=_hasher.hash(password),
        birthdate=birthdate,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent signup won the race
        raise Conflict(f"The handle '{canonical}' or this email is taken.") from exc
    return IssuedToken(user=user, token=_issue_token(session=session, user=user))


def login(*, session: Session, login: str, password: str) -> IssuedToken:
    login = login.strip()
    user: User | None = None
    if "@" in login.lstrip("@"):
        user = session.scalars(select(User).where(User.email == login.lower())).first()
    else:
        try:
            user = session.scalars(select(User).where(User.handle == normalize_handle(login))).first()
        except ValidationFailed:
            user = None
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
    except (VerifyMismatchError, InvalidHashError):
        user = None
    if user is None:
        raise Unauthenticated("Wrong handle/email or password.")
    if user.banned_at is not None:
        raise Forbidden("This account was banned by an operator.")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return IssuedToken(user=user, token=_issue_token(session=session, user=user))


def _issue_token(*, session: Session, user: User) -> str:
    token = secrets.token_urlsafe(32)
    session.add(AuthToken(token_hash=hash_token(token), user_id=user.id))
    session.flush()
    return token


# Hot statements are built once: constructing a select costs about as much as running it.
_USER_BY_TOKEN = (
    select(User).join(AuthToken, AuthToken.user_id == User.id).where(AuthToken.token_hash == bindparam("token_hash"))
)


def user_for_token(*, session: Session, token: str) -> User | None:
    # One round trip: this runs on every authenticated request.
    return session.scalars(_USER_BY_TOKEN, {"token_hash": hash_token(token)}).first()


def logout(*, session: Session, token: str) -> None:
    session.execute(delete(AuthToken).where(AuthToken.token_hash == hash_token(token)))


def get_by_handle(*, session: Session, handle: str) -> User:
    try:
        canonical = normalize_handle(handle)
    except ValidationFailed as exc:
        raise NotFound(f"No user '@{handle[:40]}'.") from exc
    user = session.scalars(select(User).where(User.handle == canonical)).first()
    if user is None:
        raise NotFound(f"No user '@{canonical}'.")
    return user


def follow(*, session: Session, actor: User, target: User) -> bool:
    """Returns True when a new follow was created (False if it already existed)."""
    if actor.id == target.id:
        raise ValidationFailed("You cannot follow yourself.", field="handle")
    if is_blocked_between(session=session, a=actor.id, b=target.id):
        raise NotFound(f"No user '@{target.handle}'.")
    exists = session.scalars(
        select(Follow.id).where(Follow.follower_id == actor.id, Follow.followee_id == target.id)
    ).first()
    if exists:
        return False
    session.add(Follow(follower_id=actor.id, followee_id=target.id))
    session.flush()
    _relation_changed(session, actor, target)
    notify(
        session=session,
        recipient_id=target.id,
        actor_id=actor.id,
        kind=NotificationKind.follow,
        subject_type="user",
        subject_id=actor.id,
    )
    return True


def unfollow(*, session: Session, actor: User, target: User) -> None:
    session.execute(delete(Follow).where(Follow.follower_id == actor.id, Follow.followee_id == target.id))
    _relation_changed(session, actor, target)


def block(*, session: Session, actor: User, target: User) -> None:
    if actor.id == target.id:
        raise ValidationFailed("You cannot block yourself.", field="handle")
    exists = session.scalars(
        select(Block.id).where(Block.blocker_id == actor.id, Block.blocked_id == target.id)
    ).first()
    if not exists:
        session.add(Block(blocker_id=actor.id, blocked_id=target.id))
    # A block ends follows in both directions.
    session.execute(
        delete(Follow).where(
            or_(
                (Follow.follower_id == actor.id) & (Follow.followee_id == target.id),
                (Follow.follower_id == target.id) & (Follow.followee_id == actor.id),
            )
        )
    )
    session.flush()
    _relation_changed(session, actor, target)


def unblock(*, session: Session, actor: User, target: User) -> None:
    session.execute(delete(Block).where(Block.blocker_id == actor.id, Block.blocked_id == target.id))
    _relation_changed(session, actor, target)


def _relation_changed(session: Session, actor: User, target: User) -> None:
    # Both feeds change: follows are a ranking signal, blocks hide clips in both directions.
    events.record(session, events.Engaged(actor.id))
    events.record(session, events.Engaged(target.id))


def is_blocked_between(*, session: Session, a: str, b: str) -> bool:
    return (
        session.scalars(
            select(Block.id).where(
                or_(
                    (Block.blocker_id == a) & (Block.blocked_id == b),
                    (Block.blocker_id == b) & (Block.blocked_id == a),
                )
            )
        ).first()
        is not None
    )


@dataclass(frozen=True)
class Relations:
    following: frozenset[str]
    blocked: frozenset[str]  # blocked by or blocking this user, either way


_RELATIONS = union_all(
    select(literal("f"), Follow.followee_id).where(Follow.follower_id == bindparam("user_id")),
    select(literal("b"), Block.blocked_id).where(Block.blocker_id == bindparam("user_id")),
    select(literal("b"), Block.blocker_id).where(Block.blocked_id == bindparam("user_id")),
)


def relations_of(*, session: Session, user_id: str) -> Relations:
    """Who a viewer follows and who is blocked between them, in one round trip (feed pages need both)."""
    rows = session.execute(_RELATIONS, {"user_id": user_id}).all()
    return Relations(
        following=frozenset(other for kind, other in rows if kind == "f"),
        blocked=frozenset(other for kind, other in rows if kind == "b"),
    )


def followee_ids(*, session: Session, user_id: str) -> set[str]:
    return set(session.scalars(select(Follow.followee_id).where(Follow.follower_id == user_id)))


def is_following(*, session: Session, follower_id: str, followee_id: str) -> bool:
    return (
        session.scalars(
            select(Follow.id).where(Follow.follower_id == follower_id, Follow.followee_id == followee_id)
        ).first()
        is not None
    )


def follow_counts(*, session: Session, user_id: str) -> tuple[int, int]:
    followers = session.scalar(select(func.count()).select_from(Follow).where(Follow.followee_id == user_id))
    following = session.scalar(select(func.count()).select_from(Follow).where(Follow.follower_id == user_id))
    return int(followers or 0), int(following or 0)


def make_admin(*, session: Session, handle: str) -> User:
    user = get_by_handle(session=session, handle=handle)
    user.is_admin = True
    return user

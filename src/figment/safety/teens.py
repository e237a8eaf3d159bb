"""Teen accounts (under 18 by the birthdate given at signup): no personalised ranking unless turned
on, a daily feed limit, and a guardian link through which a parent can switch off personalisation
and endless scroll. A setting the guardian chose cannot be loosened by the teen.

Signup needs a date of birth and refuses anyone under FIGMENT_MIN_AGE (default 13). An account without
one (made before it was required, or by an operator's tooling) is treated as a teen until it adds one
(PATCH /api/me): every teen rule applies, including on its likeness. A birthdate, once given, cannot be
changed by the account (it would undo the protections); one under the minimum age is refused.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from figment import events
from figment.accounts.models import User
from figment.db import utcnow
from figment.errors import Conflict, Forbidden, NotFound, RateLimited, ValidationFailed
from figment.safety.quotas import day_bounds
from figment.videos.models import ViewEvent

ADULT_AGE = 18


def age_on(birthdate: date, today: date) -> int:
    return today.year - birthdate.year - ((today.month, today.day) < (birthdate.month, birthdate.day))


def is_teen(user: User, *, today: date | None = None) -> bool:
    """Under 18, or of unknown age: an account without a birthdate gets a teen's protections."""
    if user.birthdate is None:
        return True
    return age_on(user.birthdate, today or utcnow().date()) < ADULT_AGE


def check_birthdate(birthdate: date, *, min_age: int, today: date | None = None) -> None:
    """Refuse a birthdate in the future or one younger than the instance's minimum age."""
    today = today or utcnow().date()
    if birthdate > today:
        raise ValidationFailed("Birthdate cannot be in the future.", field="birthdate", reason="future")
    if age_on(birthdate, today) < min_age:
        raise ValidationFailed(
            f"You must be at least {min_age} years old to use Figment.",
            field="birthdate",
            reason="under_min_age",
            min_age=min_age,
        )


def set_birthdate(*, user: User, birthdate: date, min_age: int, today: date | None = None) -> User:
    """An account without a birthdate adds one; a birthdate already given stays as it is."""
    if user.birthdate is not None:
        if user.birthdate == birthdate:
            return user
        raise Conflict(
            "Your date of birth is already set and cannot be changed here; an operator can correct it.",
            details={"field": "birthdate", "reason": "birthdate_set"},
        )
    check_birthdate(birthdate, min_age=min_age, today=today)
    user.birthdate = birthdate
    return user


@dataclass(frozen=True)
class FeedRules:
    personalised: bool
    endless_scroll: bool


def feed_rules(user: User | None) -> FeedRules:
    if user is None:
        return FeedRules(personalised=False, endless_scroll=True)
    teen = is_teen(user)
    personalised = user.personalised if user.personalised is not None else not teen
    return FeedRules(personalised=personalised, endless_scroll=user.endless_scroll)


def check_feed_allowance(
    *,
    session: Session,
    user: User | None,
    limit: int,
    pending_video_ids: set[str] | None = None,
    now: datetime | None = None,
) -> None:
    """Teens see at most `limit` clips a UTC day (counted from their views); 0 = no limit.

    `pending_video_ids` are views recorded but not yet written (the feed batches its signal writes).
    """
    if user is None or limit <= 0 or not is_teen(user):
        return
    now = now or utcnow()
    start, end = day_bounds(now)
    seen = set(
        session.scalars(
            select(ViewEvent.video_id)
            .where(ViewEvent.user_id == user.id, ViewEvent.created_at >= start, ViewEvent.created_at < end)
            .distinct()
        )
    )
    if len(seen | (pending_video_ids or set())) < limit:
        return
    wait = max(1, int((end - now).total_seconds()) + 1)
    raise RateLimited(
        f"That's {limit} clips for today. The feed opens again at {end:%H:%M} UTC.",
        details={"reason": "teen_daily_feed_limit", "limit": limit, "retry_after_s": wait},
        headers={"Retry-After": str(wait)},
    )


def set_preferences(*, user: User, personalised: bool | None, endless_scroll: bool | None) -> User:
    """The account's own choice; cannot loosen what a guardian switched off."""
    if user.guardian_locked and (personalised or endless_scroll):
        raise Forbidden("Your guardian switched this off; ask them to change it.")
    if personalised is not None:
        user.personalised = personalised
    if endless_scroll is not None:
        user.endless_scroll = endless_scroll
    return user


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_guardian_link(*, user: User) -> str:
    """A new secret link for a parent (only its hash is stored; a new link replaces the old one)."""
    if not is_teen(user):
        raise Forbidden("Guardian links are for accounts under 18.")
    token = secrets.token_urlsafe(24)
    user.guardian_token_hash = _hash(token)
    return token


def guardian_set(*, session: Session, token: str, personalised: bool | None, endless_scroll: bool | None) -> User:
    user = session.scalars(select(User).where(User.guardian_token_hash == _hash(token))).first()
    if user is None:
        raise NotFound("This guardian link is not valid; ask for a new one.")
    if personalised is not None:
        user.personalised = personalised
    if endless_scroll is not None:
        user.endless_scroll = endless_scroll
    user.guardian_locked = user.personalised is False or user.endless_scroll is False
    events.record(session, events.FeedRulesChanged(user.id))  # the teen's next page follows the new rules
    return user

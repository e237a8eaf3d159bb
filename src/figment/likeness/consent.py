"""Who may put which likeness in a clip: mentions in a prompt, the owner's permission level, their
approved people, blocks, and their free-text restrictions.

Runs at submit and again just before rendering (consent may change while a job waits). Every
refusal names the handle and the rule, and happens before anything is rendered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from figment.accounts.handles import handle_skeleton, normalize_handle
from figment.accounts.models import Follow, User
from figment.accounts.service import is_blocked_between
from figment.errors import CameoPermissionDenied, CameoRestricted, ValidationFailed
from figment.likeness.models import ApprovedUser, Likeness, LikenessKind, Permission
from figment.likeness.restrictions import RestrictionMatcher
from figment.safety.teens import is_teen

MAX_LIKENESSES_PER_CLIP = 3
# Anything after '@' up to a separator, so that look-alike characters ('@аlice' with a Cyrillic а)
# are caught and refused with a reason instead of silently not being a mention.
MENTION = re.compile(r"(?<![\w@])@([^\s@,.;:!?()\[\]{}\"'«»“”<>/\\]+)")


def mentioned_handles(prompt: str) -> list[str]:
    """Canonical handles mentioned in the prompt, in order of first mention, each once."""
    out: list[str] = []
    for match in MENTION.finditer(prompt):
        raw = match.group(1)
        try:
            handle = normalize_handle(raw)
        except ValidationFailed as error:
            raise ValidationFailed(f"@{raw} is not a valid handle: {error.message}", field="prompt") from None
        if handle not in out:
            out.append(handle)
    return out


def resolve(*, session: Session, prompt: str) -> list[Likeness]:
    """The likenesses a prompt mentions. Exact handles only: a look-alike never resolves."""
    handles = mentioned_handles(prompt)
    if len(handles) > MAX_LIKENESSES_PER_CLIP:
        raise ValidationFailed(
            f"A clip can have at most {MAX_LIKENESSES_PER_CLIP} people or characters tagged, "
            f"but this prompt tags {len(handles)}.",
            field="prompt",
        )
    found: list[Likeness] = []
    for handle in handles:
        likeness = session.scalars(select(Likeness).where(Likeness.handle == handle)).first()
        if likeness is None:
            raise _unknown(session, handle)
        found.append(likeness)
    return found


def _unknown(session: Session, handle: str) -> Exception:
    user = session.scalars(select(User).where(User.handle == handle)).first()
    if user is not None:
        return CameoPermissionDenied(
            f"@{handle} has not verified a likeness, so nobody can put them in a clip.",
            details={"handle": handle, "rule": "not_verified"},
        )
    lookalike = session.scalars(
        select(Likeness.handle).where(Likeness.handle_skeleton == handle_skeleton(handle))
    ).first()
    if lookalike is not None:
        return CameoPermissionDenied(
            f"@{handle} is not @{lookalike}: handles that only look alike never stand for someone.",
            details={"handle": handle, "rule": "lookalike", "lookalike_of": lookalike},
        )
    return ValidationFailed(f"Nobody on Figment is @{handle}.", field="prompt", handle=handle)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    rule: str  # why: owner, everyone, approved, mutuals | not_verified, only_me, not_approved, ...
    message: str


def effective_permission(*, likeness: Likeness, owner: User) -> str:
    # A teen's likeness never reaches everyone, even if it was set before their birthdate was known.
    if likeness.permission == Permission.everyone and is_teen(owner):
        return Permission.mutuals
    return likeness.permission


def decide(*, session: Session, author: User, likeness: Likeness) -> Decision:
    """The permission rules, without restrictions (those need the prompt)."""
    handle = likeness.handle
    if author.id == likeness.owner_id:
        return Decision(True, "owner", "")
    if is_blocked_between(session=session, a=author.id, b=likeness.owner_id):
        return Decision(False, "blocked", f"You cannot use @{handle}: one of you blocked the other.")
    if likeness.kind == LikenessKind.person and likeness.verified_at is None:
        return Decision(False, "not_verified", f"@{handle} has not verified a likeness, so nobody can use it.")
    owner = session.get(User, likeness.owner_id)
    assert owner is not None
    permission = effective_permission(likeness=likeness, owner=owner)
    if permission == Permission.only_me:
        return Decision(False, "only_me", f"@{handle} lets only themselves appear in clips.")
    approved = (
        session.scalars(
            select(ApprovedUser.id).where(ApprovedUser.likeness_id == likeness.id, ApprovedUser.user_id == author.id)
        ).first()
        is not None
    )
    if approved:
        return Decision(True, "approved", "")
    if permission == Permission.approved:
        return Decision(False, "not_approved", f"@{handle} allows only people they approved, and you are not one.")
    if permission == Permission.mutuals:
        if _mutual(session, author.id, likeness.owner_id):
            return Decision(True, "mutuals", "")
        return Decision(False, "not_mutuals", f"@{handle} allows only people who follow them and whom they follow.")
    return Decision(True, "everyone", "")


@dataclass(frozen=True)
class Suggestion:
    """One @autocomplete row: a person (with or without a verified likeness) or a character."""

    handle: str
    kind: str
    description: str
    decision: Decision


def usable(*, session: Session, author: User, prefix: str, limit: int = 20) -> list[Suggestion]:
    """For @autocomplete: people and characters whose handle starts with `prefix` and whether `author`
    may use each, usable ones first. People who have not verified a face are offered too, greyed with
    the reason (tagging them would be refused), so a person is never missing from the list; anyone in
    a block with the author is left out."""
    query = select(Likeness).order_by(Likeness.handle).limit(limit)
    if prefix:
        query = query.where(Likeness.handle.startswith(prefix, autoescape=True))
    found: list[Suggestion] = []
    for likeness in session.scalars(query):
        if likeness.kind == LikenessKind.person and likeness.verified_at is None:
            continue
        decision = decide(session=session, author=author, likeness=likeness)
        if decision.rule == "blocked":
            continue  # blocked people do not even show up
        found.append(Suggestion(likeness.handle, likeness.kind, likeness.description, decision))
    taken = {s.handle for s in found}
    people = select(User).order_by(User.handle).limit(limit)
    if prefix:
        people = people.where(User.handle.startswith(prefix, autoescape=True))
    for user in session.scalars(people):
        if user.handle in taken or is_blocked_between(session=session, a=author.id, b=user.id):
            continue
        found.append(
            Suggestion(
                user.handle,
                LikenessKind.person,
                "",
                Decision(False, "not_verified", f"@{user.handle} has not verified a likeness, so nobody can use it."),
            )
        )
    found.sort(key=lambda s: (not s.decision.allowed, s.handle))
    return found[:limit]


def _mutual(session: Session, a: str, b: str) -> bool:
    rows = session.scalars(
        select(Follow.follower_id).where(
            ((Follow.follower_id == a) & (Follow.followee_id == b))
            | ((Follow.follower_id == b) & (Follow.followee_id == a))
        )
    ).all()
    return len(set(rows)) == 2


def check_use(*, session: Session, author: User, likeness: Likeness, prompt: str, matcher: RestrictionMatcher) -> None:
    """Raise CameoPermissionDenied or CameoRestricted, naming the handle and the rule."""
    decision = decide(session=session, author=author, likeness=likeness)
    if not decision.allowed:
        raise CameoPermissionDenied(decision.message, details={"handle": likeness.handle, "rule": decision.rule})
    if decision.rule == "owner":
        return  # restrictions are what the owner asks of others
    hit = matcher.first_hit(prompt, list(likeness.restrictions or []))
    if hit is not None:
        raise CameoRestricted(
            f"@{likeness.handle} does not allow this: \u201c{hit.restriction}\u201d "
            f"(matched \u201c{hit.evidence}\u201d).",
            details={
                "handle": likeness.handle,
                "rule": "restriction",
                "restriction": hit.restriction,
                "matcher": hit.matcher,
                "evidence": hit.evidence,
            },
        )


def check_prompt(*, session: Session, author: User, prompt: str, matcher: RestrictionMatcher) -> list[Likeness]:
    """Resolve and check every mention; returns the likenesses in order of first mention."""
    likenesses = resolve(session=session, prompt=prompt)
    for likeness in likenesses:
        check_use(session=session, author=author, likeness=likeness, prompt=prompt, matcher=matcher)
    return likenesses


def render_prompt(prompt: str, likenesses: list[Likeness]) -> str:
    """What the backend reads: a person's @handle becomes "a person" (their face comes separately),
    a character's becomes its description, so the scene planner casts the right figure."""
    by_handle = {lk.handle: lk for lk in likenesses}

    def swap(match: re.Match[str]) -> str:
        try:
            likeness = by_handle.get(normalize_handle(match.group(1)))
        except ValidationFailed:
            return match.group(0)
        if likeness is None:
            return match.group(0)
        if likeness.kind == LikenessKind.person:
            return "a person"
        sprite = (likeness.look or "").partition("/")[0].replace("_", " ")
        return f"{sprite} ({likeness.description})" if sprite else likeness.description

    styles = [lk.look.partition("/")[2] for lk in likenesses if lk.look and "/" in lk.look]
    rendered = MENTION.sub(swap, prompt)
    return f"{rendered}, in {styles[0]} style" if styles else rendered

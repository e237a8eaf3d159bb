"""Discover: what is worth a look today, each row with the reason it is there.

- trending tags: the most used tags on clips published in the last day (else the last week);
- clips of the day: the day's (else the week's) published clips with the most engagement;
- new creators: accounts from the last two weeks that published something;
- characters you may use: characters (likeness.Likeness kind `character`) whose owner's permission
  lets this viewer put them in a clip (likeness.consent.decide; logged out: those open to everyone).

Everything passes search.visibility, so Discover works logged out and never shows drafts, removed
clips, banned accounts or anyone blocked either way.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.likeness.consent import decide, effective_permission
from figment.likeness.models import Appearance, Likeness, LikenessKind, Permission
from figment.search.visibility import Viewer, listed_clip
from figment.tags.models import ClipTag
from figment.videos.models import Video

DAY = timedelta(days=1)
WEEK = timedelta(days=7)
NEW_CREATOR_DAYS = 14
ROWS = 10


@dataclass(frozen=True)
class Reason:
    """Why a row is shown: a stable code the client words in its language, with what it counts."""

    code: str
    counts: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class TrendingTag:
    name: str
    reason: Reason


@dataclass(frozen=True)
class ClipOfTheDay:
    video: Video
    reason: Reason


@dataclass(frozen=True)
class NewCreator:
    user: User
    reason: Reason


@dataclass(frozen=True)
class UsableCharacter:
    handle: str
    owner: str
    description: str
    reason: Reason


@dataclass
class DiscoverPage:
    tags: list[TrendingTag]
    clips: list[ClipOfTheDay]
    creators: list[NewCreator]
    characters: list[UsableCharacter]


def discover(*, session: Session, viewer: Viewer, now: datetime, clips_allowed: bool = True) -> DiscoverPage:
    """`clips_allowed` False: a teen past the day's allowance of clips (safety.teens) gets no clip row."""
    return DiscoverPage(
        tags=trending_tags(session=session, viewer=viewer, now=now),
        clips=clips_of_the_day(session=session, viewer=viewer, now=now) if clips_allowed else [],
        creators=new_creators(session=session, viewer=viewer, now=now),
        characters=usable_characters(session=session, viewer=viewer),
    )


def trending_tags(*, session: Session, viewer: Viewer, now: datetime, limit: int = ROWS) -> list[TrendingTag]:
    for window, code in ((DAY, "trending_today"), (WEEK, "trending_week")):
        uses = func.count(ClipTag.video_id)
        rows = session.execute(
            select(ClipTag.tag, uses)
            .join(Video, Video.id == ClipTag.video_id)
            .join(User, User.id == Video.author_id)
            .where(listed_clip(viewer), Video.published_at >= now - window)
            .group_by(ClipTag.tag)
            .order_by(uses.desc(), ClipTag.tag)
            .limit(limit)
        ).all()
        if rows:
            return [TrendingTag(tag, Reason(code, {"clips": int(count)})) for tag, count in rows]
    return []


def clips_of_the_day(*, session: Session, viewer: Viewer, now: datetime, limit: int = ROWS) -> list[ClipOfTheDay]:
    # Shares and remixes carry a clip further than a like; a view is the weakest sign.
    engagement = Video.like_count * 3 + Video.share_count * 4 + Video.comment_count * 2 + Video.view_count * 0.1
    for window, code in ((DAY, "clip_of_the_day"), (WEEK, "clip_of_the_week")):
        videos = list(
            session.scalars(
                select(Video)
                .join(User, User.id == Video.author_id)
                .where(listed_clip(viewer), Video.published_at >= now - window)
                .order_by(engagement.desc(), Video.published_at.desc())
                .limit(limit)
            )
        )
        if videos:
            return [
                ClipOfTheDay(v, Reason(code, {"likes": v.like_count, "views": v.view_count, "shares": v.share_count}))
                for v in videos
            ]
    return []


def new_creators(*, session: Session, viewer: Viewer, now: datetime, limit: int = ROWS) -> list[NewCreator]:
    clips = func.count(Video.id)
    query = (
        select(User, clips)
        .join(Video, Video.author_id == User.id)
        .where(listed_clip(viewer), User.created_at >= now - timedelta(days=NEW_CREATOR_DAYS))
        .group_by(User.id)
        .order_by(User.created_at.desc())
        .limit(limit)
    )
    if viewer.id is not None:
        query = query.where(User.id != viewer.id)
    out = []
    for user, count in session.execute(query).all():
        days = max(0, (now - user.created_at).days)
        out.append(NewCreator(user, Reason("new_creator", {"days": days, "clips": int(count)})))
    return out


def usable_characters(*, session: Session, viewer: Viewer, limit: int = ROWS) -> list[UsableCharacter]:
    """Characters this viewer may put in a clip, the most used first."""
    used = (
        select(func.count(Appearance.id))
        .join(Video, Video.id == Appearance.video_id)
        .join(User, User.id == Video.author_id)
        .where(Appearance.likeness_id == Likeness.id, listed_clip(viewer))
        .correlate(Likeness)
        .scalar_subquery()
    )
    owner = User.__table__.alias("owner")
    query = (
        select(Likeness, used)
        .join(owner, owner.c.id == Likeness.owner_id)
        .where(
            Likeness.kind == LikenessKind.character,
            Likeness.permission != Permission.only_me,
            owner.c.banned_at.is_(None),
        )
        .order_by(used.desc(), Likeness.handle)
        .limit(limit * 5)
    )
    if viewer.hidden:
        query = query.where(Likeness.owner_id.not_in(sorted(viewer.hidden)))
    out: list[UsableCharacter] = []
    for likeness, count in session.execute(query).all():
        owner_user = session.get(User, likeness.owner_id)
        if owner_user is None:
            continue
        if viewer.user is None:
            # Logged out: only what anyone with an account may use (a teen's "everyone" is mutuals).
            if effective_permission(likeness=likeness, owner=owner_user) != Permission.everyone:
                continue
            rule = "everyone"
        else:
            decision = decide(session=session, author=viewer.user, likeness=likeness)
            if not decision.allowed:
                continue
            rule = decision.rule
        out.append(
            UsableCharacter(
                handle=likeness.handle,
                owner=owner_user.handle,
                description=likeness.description,
                reason=Reason(f"character_{rule}", {"clips": int(count or 0)}),
            )
        )
        if len(out) == limit:
            break
    return out

"""What a viewer may find: the one rule search, tag pages and Discover share.

A clip is listed only when it is published and rendered (`ready`; drafts, blocked renders and
removed or taken-down clips never are), its author is not banned, and no block stands between the
author and the viewer, either way. People follow the same rule: banned accounts and blocked ones are
never found. Teens see the same clips as everyone (feed/ and safety.teens have no content that only
adults see), but their daily allowance of clips (safety.teens.check_feed_allowance) counts wherever
clips are listed, so search and tags are not a way around it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement
from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.accounts.service import relations_of
from figment.videos.models import Video, VideoStatus, Visibility


@dataclass(frozen=True)
class Viewer:
    user: User | None
    # Blocked by or blocking the viewer (accounts.service.relations_of), and the viewer's follows.
    hidden: frozenset[str] = frozenset()
    following: frozenset[str] = frozenset()

    @property
    def id(self) -> str | None:
        return self.user.id if self.user is not None else None


def viewer_of(*, session: Session, user: User | None) -> Viewer:
    if user is None:
        return Viewer(user=None)
    relations = relations_of(session=session, user_id=user.id)
    return Viewer(user=user, hidden=relations.blocked, following=relations.following)


def listed_clip(viewer: Viewer, *, author_joined: bool = True) -> ColumnElement[bool]:
    """Conditions on Video and, when `author_joined`, its author (User joined on Video.author_id).

    Without the author: an operator's ban removes the author's published clips in the same step
    (safety.reports._ban), so no published clip has a banned author; counting a tag's clips skips the
    join (half its index lookups) and relies on that."""
    condition = (Video.visibility == Visibility.published) & (Video.status == VideoStatus.ready)
    if author_joined:
        condition = condition & User.banned_at.is_(None)
    if viewer.hidden:
        condition = condition & Video.author_id.not_in(sorted(viewer.hidden))
    return condition


def listed_user(viewer: Viewer) -> ColumnElement[bool]:
    condition: ColumnElement[bool] = User.banned_at.is_(None)
    if viewer.hidden:
        condition = condition & User.id.not_in(sorted(viewer.hidden))
    return condition

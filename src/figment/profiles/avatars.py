"""Avatars: a profile picture is generated, never uploaded.

The person writes a prompt; `videos.service.submit_still` queues it as a `videos` row of visibility
`avatar` through the clip path itself (quota, consent for every @tag, public figures, moderation, rights,
then the render job: consent again, the frame checks (nudity, registered works, faces of verified people
who did not consent), the invisible watermark, C2PA credentials and a provenance record). The still is
that clip's poster.

Why a job and not a render inside the request: the configured backend may be a GPU model that only
GPU workers run (`figment worker --queue gpu`), and even on the CPU the frame checks (faces, nudity)
take around a second; a request must not hold a database session and a web thread for that. The client
polls `GET /api/me/avatar` (it takes about a second on the procedural engine).

When the render is ready (`avatar_ready`, run by the worker in the transaction that marks it ready) it
becomes the avatar (`published_at` = now) and the previous one goes, rows now and files in a purge job.
A render that fails or is refused never touches the current avatar: the old one stays.
"""

from __future__ import annotations

import dataclasses

from sqlalchemy import select
from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.db import utcnow
from figment.errors import ValidationFailed
from figment.generation.checks import Checks
from figment.jobs.models import PRIORITY_INTERACTIVE
from figment.jobs.purge import queue_purge
from figment.likeness.models import Appearance, ApprovalState, Likeness
from figment.videos import service as videos
from figment.videos.hooks import ClipHooks
from figment.videos.models import Video, Visibility


def current(*, session: Session, user_id: str) -> Video | None:
    """The avatar shown now: the newest avatar still that became one (ix_videos_author_feed)."""
    return session.scalars(
        select(Video)
        .where(Video.author_id == user_id, Video.visibility == Visibility.avatar, Video.published_at.is_not(None))
        .order_by(Video.published_at.desc())
        .limit(1)
    ).first()


def latest_request(*, session: Session, user_id: str) -> Video | None:
    """The newest avatar still that has not become the avatar: being made, failed or refused."""
    return session.scalars(
        select(Video)
        .where(Video.author_id == user_id, Video.visibility == Visibility.avatar, Video.published_at.is_(None))
        .order_by(Video.created_at.desc())
        .limit(1)
    ).first()


def _remove(session: Session, stills: list[Video], reason: str) -> None:
    keys: list[str] = []
    for still in stills:
        keys += videos.remove_rows(session=session, video=still)
    queue_purge(session=session, keys=keys, reason=reason)


def request(
    *, session: Session, user: User, prompt: str, limits: videos.SubmitLimits, checks: Checks, hooks: ClipHooks
) -> Video:
    """Queue a new avatar from a prompt; raises the clip path's refusals (naming whose consent, which rule)."""
    # An earlier request still waiting (or one that failed) is replaced by this one; the current avatar stays.
    waiting = list(
        session.scalars(
            select(Video).where(
                Video.author_id == user.id, Video.visibility == Visibility.avatar, Video.published_at.is_(None)
            )
        )
    )
    _remove(session, waiting, "avatar request replaced")
    # Someone waits on screen for it: ahead of clips on the same queue.
    limits = dataclasses.replace(limits, priority=PRIORITY_INTERACTIVE)
    still = videos.submit_still(session=session, author=user, prompt=prompt, limits=limits, checks=checks, hooks=hooks)
    _refuse_approval_wait(session, still)
    return still


def _refuse_approval_wait(session: Session, still: Video) -> None:
    """A clip with someone who approves each use waits as a draft for their yes; an avatar has no draft
    stage (it is public once made), so a tag that would wait for approval is refused up front."""
    waiting = session.scalars(
        select(Likeness.handle)
        .join(Appearance, Appearance.likeness_id == Likeness.id)
        .where(Appearance.video_id == still.id, Appearance.approval == ApprovalState.pending)
    ).first()
    if waiting is not None:
        raise ValidationFailed(
            f"@{waiting} approves every clip with their likeness before anyone sees it, and an avatar is public "
            f"as soon as it is made, so it cannot show @{waiting}. Leave the tag out.",
            field="prompt",
            handle=waiting,
            rule="approval_required",
        )


def avatar_ready(session: Session, video: Video) -> None:
    """The worker's ReadyHook: a finished avatar still becomes the author's avatar, the old one goes."""
    if video.visibility != Visibility.avatar:
        return
    video.published_at = utcnow()
    older = list(
        session.scalars(
            select(Video).where(
                Video.author_id == video.author_id,
                Video.visibility == Visibility.avatar,
                Video.published_at.is_not(None),
                Video.id != video.id,
            )
        )
    )
    _remove(session, older, "avatar replaced")


def remove(*, session: Session, user: User) -> None:
    """No avatar any more (the lettered disc is shown): every avatar still of the account goes."""
    stills = list(
        session.scalars(select(Video).where(Video.author_id == user.id, Video.visibility == Visibility.avatar))
    )
    _remove(session, stills, "avatar removed")


def url(*, handle: str, still: Video | None) -> str | None:
    """Public, and a new URL per avatar (so it may be cached for long)."""
    return f"/api/users/{handle}/avatar.jpg?v={still.id[:12]}" if still is not None and still.poster_key else None

"""Videos: submit a prompt, drafts and publishing, remixes, likes, comments, views, see-less."""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from figment import events
from figment.accounts.models import User
from figment.accounts.service import is_blocked_between
from figment.db import utcnow
from figment.errors import Conflict, Forbidden, NotFound, ValidationFailed
from figment.generation.checks import Checks
from figment.generation.types import MAX_DURATION_S
from figment.jobs import service as jobs
from figment.jobs.models import PRIORITY_CPU_CLIP, JobKind, Queue
from figment.likeness.models import Likeness, LikenessKind
from figment.media.watermark_invisible import new_watermark_id
from figment.notifications.models import NotificationKind
from figment.notifications.service import notify
from figment.provenance import records as provenance_records
from figment.safety.quotas import check_daily_quota
from figment.storage.base import BlobStore
from figment.tags import service as tags
from figment.videos.hooks import Cast, ClipHooks
from figment.videos.models import Comment, Like, SeeLess, Share, Video, VideoStatus, ViewEvent, Visibility

MAX_PROMPT = 1000
MIN_DURATION_S = 1.0
MAX_COMMENT = 500
# A view longer than this is a client bug or a lie; clamp rather than refuse so nothing is lost.
MAX_WATCHED_MS = 10 * 60 * 1000


@dataclass(frozen=True)
class SubmitLimits:
    width: int
    height: int
    max_attempts: int
    daily_quota: int = 0
    # Where the render job waits: the configured backend's queue (Services.submit_limits).
    queue: str = Queue.cpu
    priority: int = PRIORITY_CPU_CLIP
    # The video model that renders the clip (FIGMENT_BACKENDS: the author's pick) and what it can do.
    backend: str = "procedural"
    max_duration_s: float = MAX_DURATION_S
    supports_likeness: bool = True


def clean_prompt(raw: str) -> str:
    if not isinstance(raw, str):
        raise ValidationFailed("Prompt must be text.", field="prompt")
    prompt = unicodedata.normalize("NFC", raw)
    # Control characters (other than newlines and tabs) only hide text from readers and filters.
    prompt = "".join(ch for ch in prompt if ch in "\n\t" or unicodedata.category(ch) != "Cc").strip()
    if not prompt:
        raise ValidationFailed("Prompt must not be empty: describe the clip you want.", field="prompt")
    if len(prompt) > MAX_PROMPT:
        raise ValidationFailed(f"Prompt must be at most {MAX_PROMPT} characters but has {len(prompt)}.", field="prompt")
    return prompt


def check_duration(duration_s: float | None, *, longest_s: float = MAX_DURATION_S, backend: str = "") -> float:
    """The clip's length: the longest the video model makes when unsaid, else within what it makes."""
    if duration_s is None:
        return longest_s
    if not MIN_DURATION_S <= duration_s <= MAX_DURATION_S:
        raise ValidationFailed(
            f"duration_s must be between {MIN_DURATION_S:g} and {MAX_DURATION_S:g} seconds but is {duration_s:g}.",
            field="duration_s",
        )
    if duration_s > longest_s:
        raise ValidationFailed(
            f"The {backend} video model makes clips of at most {longest_s:g} seconds, not {duration_s:g}.",
            field="duration_s",
        )
    return float(duration_s)


def can_view(*, session: Session, video: Video, viewer: User | None, hooks: ClipHooks) -> bool:
    if viewer is not None and viewer.id == video.author_id:
        return True
    if video.visibility != Visibility.published:
        # A draft is visible to its author and to whom the hooks say (the people in it), nobody else.
        return (
            video.visibility == Visibility.draft
            and viewer is not None
            and hooks.can_view_draft(session=session, video=video, viewer=viewer)
        )
    return viewer is None or not is_blocked_between(session=session, a=viewer.id, b=video.author_id)


def get_visible(*, session: Session, video_id: str, viewer: User | None, hooks: ClipHooks) -> Video:
    """A video the viewer may see. Drafts of others are reported as missing, not forbidden,
    so their existence does not leak."""
    video = session.get(Video, video_id) if isinstance(video_id, str) and len(video_id) <= 64 else None
    if video is None or not can_view(session=session, video=video, viewer=viewer, hooks=hooks):
        raise NotFound(f"No video '{str(video_id)[:64]}'.")
    return video


def get_own(*, session: Session, video_id: str, actor: User, hooks: ClipHooks) -> Video:
    video = get_visible(session=session, video_id=video_id, viewer=actor, hooks=hooks)
    if video.author_id != actor.id:
        # Others may see a published clip but not change it; say so plainly.
        raise Forbidden("Only the author can do this to the clip.")
    return video


def _checked_prompt(
    *, session: Session, author: User, prompt: str, limits: SubmitLimits, checks: Checks, hooks: ClipHooks
) -> tuple[str, Cast]:
    """The checks every render request passes before a row exists: quota, consent, then the prompt checks."""
    cleaned = clean_prompt(prompt)
    check_daily_quota(session=session, author=author, quota=limits.daily_quota)
    # Tagged likenesses first: whether a person agreed is the first question, and the answer names them.
    cast = hooks.check_submit(session=session, author=author, prompt=cleaned)
    if not limits.supports_likeness and _casts_a_person(session, cast):
        raise ValidationFailed(
            f"The {limits.backend} video model cannot put a person's likeness in a clip; "
            "choose another video model or remove the @tag.",
            field="backend",
        )
    checks.check_prompt(session=session, author=author, prompt=cleaned)
    return cleaned, cast


def _queue_render(
    *,
    session: Session,
    author: User,
    prompt: str,
    duration_s: float,
    visibility: Visibility,
    remix_of_id: str | None,
    cast: Cast,
    limits: SubmitLimits,
    hooks: ClipHooks,
) -> Video:
    video = Video(
        author_id=author.id,
        prompt=prompt,
        duration_s=duration_s,
        seed=secrets.randbelow(2**31),
        width=limits.width,
        height=limits.height,
        status=VideoStatus.queued,
        visibility=visibility,
        remix_of_id=remix_of_id,
        watermark_id=new_watermark_id(),
        backend=limits.backend,
    )
    session.add(video)
    session.flush()
    tags.record_for_clip(session=session, video=video)
    hooks.record_submit(session=session, video=video, author=author, cast=cast)
    jobs.enqueue(
        session=session,
        kind=JobKind.render,
        queue=limits.queue,
        priority=limits.priority,
        video_id=video.id,
        max_attempts=limits.max_attempts,
    )
    return video


def submit(
    *,
    session: Session,
    author: User,
    prompt: str,
    duration_s: float | None,
    remix_of: str | None,
    limits: SubmitLimits,
    checks: Checks,
    hooks: ClipHooks,
) -> Video:
    """Queue a clip. `checks` and `hooks` are required: no clip exists without its consent and prompt checks."""
    clean_prompt(prompt)  # an empty or overlong prompt is named before anything else
    duration = check_duration(duration_s, longest_s=limits.max_duration_s, backend=limits.backend)
    cleaned, cast = _checked_prompt(
        session=session, author=author, prompt=prompt, limits=limits, checks=checks, hooks=hooks
    )
    original: Video | None = None
    if remix_of is not None:
        original = session.get(Video, remix_of) if isinstance(remix_of, str) and len(remix_of) <= 64 else None
        if (
            original is None
            or original.visibility != Visibility.published
            or not can_view(session=session, video=original, viewer=author, hooks=hooks)
        ):
            raise ValidationFailed(f"Cannot remix '{str(remix_of)[:64]}': no such published clip.", field="remix_of")
    video = _queue_render(
        session=session,
        author=author,
        prompt=cleaned,
        duration_s=duration,
        visibility=Visibility.draft,
        remix_of_id=original.id if original else None,
        cast=cast,
        limits=limits,
        hooks=hooks,
    )
    if original is not None:
        events.record(session, events.Engaged(author.id))  # remixing a clip is engagement with it
    return video


def _casts_a_person(session: Session, cast: Cast) -> bool:
    if not cast.likeness_ids:
        return False
    kinds = session.scalars(select(Likeness.kind).where(Likeness.id.in_(cast.likeness_ids))).all()
    return LikenessKind.person in kinds


def submit_still(
    *, session: Session, author: User, prompt: str, limits: SubmitLimits, checks: Checks, hooks: ClipHooks
) -> Video:
    """Queue a still for the author's profile (visibility `avatar`): the very checks and render job of a
    clip (consent, moderation, rights, and the frame checks after rendering), made as the shortest clip,
    whose poster is the picture. profiles.avatars decides what happens once it is ready."""
    cleaned, cast = _checked_prompt(
        session=session, author=author, prompt=prompt, limits=limits, checks=checks, hooks=hooks
    )
    return _queue_render(
        session=session,
        author=author,
        prompt=cleaned,
        duration_s=MIN_DURATION_S,
        visibility=Visibility.avatar,
        remix_of_id=None,
        cast=cast,
        limits=limits,
        hooks=hooks,
    )


def publish(*, session: Session, video_id: str, actor: User, hooks: ClipHooks) -> Video:
    video = get_own(session=session, video_id=video_id, actor=actor, hooks=hooks)
    if video.visibility == Visibility.published:
        return video
    if video.visibility == Visibility.removed:
        raise Conflict("This clip was removed and cannot be published.")
    if video.visibility == Visibility.avatar:
        raise Conflict("This is a profile picture, not a clip: it cannot be published.")
    if video.status != VideoStatus.ready:
        raise Conflict(f"Only a finished clip can be published; this one is {video.status}.")
    hooks.check_publish(session=session, video=video)
    video.visibility = Visibility.published
    video.published_at = utcnow()
    hooks.record_publish(session=session, video=video, author=actor)
    events.record(session, events.ClipPublished(video.id))
    if video.remix_of_id:
        original = session.get(Video, video.remix_of_id)
        if original is not None and original.author_id != actor.id:
            notify(
                session=session,
                recipient_id=original.author_id,
                actor_id=actor.id,
                kind=NotificationKind.remix,
                subject_type="video",
                subject_id=video.id,
            )
    return video


def unpublish(*, session: Session, video_id: str, actor: User, hooks: ClipHooks) -> Video:
    """The author takes a published clip back to their drafts: it leaves every feed and profile at once
    (they all read `visibility`); its likes and comments stay for a later publish. `published_at` is
    cleared because an operator's restore reads it to tell a published clip from a draft."""
    video = get_own(session=session, video_id=video_id, actor=actor, hooks=hooks)
    if video.visibility == Visibility.draft:
        return video
    if video.visibility != Visibility.published:
        raise Conflict("This clip was removed and cannot be unpublished.", details={"reason": "removed"})
    video.visibility = Visibility.draft
    video.published_at = None
    hooks.record_unpublish(session=session, video=video, by=actor)
    return video


def delete_video(*, session: Session, video_id: str, actor: User, storage: BlobStore, hooks: ClipHooks) -> None:
    """The author deletes a clip and its media; the people in it learn that it is gone."""
    video = get_own(session=session, video_id=video_id, actor=actor, hooks=hooks)
    hooks.record_deletion(session=session, video=video, by=actor)
    remove_with_media(session=session, video=video, storage=storage)


def remove_rows(*, session: Session, video: Video) -> list[str]:
    """Delete a clip's rows (its job cancelled); returns its media keys, for the caller to delete now
    (`remove_with_media`) or in a purge job (jobs.purge)."""
    jobs.cancel_for_video(session=session, video_id=video.id)
    keys = [k for k in (video.video_key, video.poster_key) if k]
    # The provenance record outlives the clip (no media, prompt or author in it): "made here, since removed".
    provenance_records.mark_removed(session, video_ids=[video.id])
    session.delete(video)
    session.flush()
    return keys


def remove_with_media(*, session: Session, video: Video, storage: BlobStore) -> None:
    # Blobs go after the row: if deleting a file fails, no record points at a missing file.
    for key in remove_rows(session=session, video=video):
        storage.delete(key)


def delete_all_by(*, session: Session, author: User) -> list[str]:
    """On account deletion: every clip of the author goes; returns their media keys to purge."""
    keys: list[str] = []
    for video in session.scalars(select(Video).where(Video.author_id == author.id)).all():
        keys += remove_rows(session=session, video=video)
    return keys


def drafts(*, session: Session, actor: User) -> list[Video]:
    return list(
        session.scalars(
            select(Video)
            .where(Video.author_id == actor.id, Video.visibility == Visibility.draft)
            .order_by(Video.created_at.desc())
            .limit(200)
        )
    )


def published_by(*, session: Session, author: User, limit: int = 60) -> list[Video]:
    return list(
        session.scalars(
            select(Video)
            .where(Video.author_id == author.id, Video.visibility == Visibility.published)
            .order_by(Video.published_at.desc())
            .limit(limit)
        )
    )


def _must_be_published(video: Video) -> None:
    if video.visibility != Visibility.published:
        raise Conflict("Publish the clip first; drafts cannot be liked, commented on or shared.")


def like(*, session: Session, video_id: str, actor: User, hooks: ClipHooks) -> Video:
    video = get_visible(session=session, video_id=video_id, viewer=actor, hooks=hooks)
    _must_be_published(video)
    exists = session.scalars(select(Like.id).where(Like.user_id == actor.id, Like.video_id == video.id)).first()
    if exists is None:
        try:
            with session.begin_nested():
                session.add(Like(user_id=actor.id, video_id=video.id))
        except IntegrityError:
            return video  # a concurrent click already liked it
        session.execute(update(Video).where(Video.id == video.id).values(like_count=Video.like_count + 1))
        events.record(session, events.Engaged(actor.id))
        if video.author_id != actor.id:
            notify(
                session=session,
                recipient_id=video.author_id,
                actor_id=actor.id,
                kind=NotificationKind.like,
                subject_type="video",
                subject_id=video.id,
            )
        session.refresh(video)
    return video


def share(*, session: Session, video_id: str, actor: User, hooks: ClipHooks) -> Video:
    """Count a share of a published clip, once per person (the link itself is made by the client)."""
    video = get_visible(session=session, video_id=video_id, viewer=actor, hooks=hooks)
    _must_be_published(video)
    try:
        with session.begin_nested():
            session.add(Share(user_id=actor.id, video_id=video.id))
    except IntegrityError:
        return video  # shared before: the count stays
    session.execute(update(Video).where(Video.id == video.id).values(share_count=Video.share_count + 1))
    events.record(session, events.Engaged(actor.id))
    session.refresh(video)
    return video


def unlike(*, session: Session, video_id: str, actor: User, hooks: ClipHooks) -> Video:
    video = get_visible(session=session, video_id=video_id, viewer=actor, hooks=hooks)
    result = session.execute(delete(Like).where(Like.user_id == actor.id, Like.video_id == video.id))
    if getattr(result, "rowcount", 0):
        session.execute(update(Video).where(Video.id == video.id).values(like_count=Video.like_count - 1))
        events.record(session, events.Engaged(actor.id))
        session.refresh(video)
    return video


def liked_ids(*, session: Session, user: User | None, video_ids: list[str]) -> set[str]:
    if user is None or not video_ids:
        return set()
    return set(session.scalars(select(Like.video_id).where(Like.user_id == user.id, Like.video_id.in_(video_ids))))


def add_comment(*, session: Session, video_id: str, actor: User, body: str, hooks: ClipHooks) -> Comment:
    if not isinstance(body, str):
        raise ValidationFailed("Comment must be text.", field="body")
    text = unicodedata.normalize("NFC", body).strip()
    if not text:
        raise ValidationFailed("Comment must not be empty.", field="body")
    if len(text) > MAX_COMMENT:
        raise ValidationFailed(f"Comment must be at most {MAX_COMMENT} characters but has {len(text)}.", field="body")
    video = get_visible(session=session, video_id=video_id, viewer=actor, hooks=hooks)
    _must_be_published(video)
    comment = Comment(video_id=video.id, author_id=actor.id, body=text)
    session.add(comment)
    session.flush()
    session.execute(update(Video).where(Video.id == video.id).values(comment_count=Video.comment_count + 1))
    events.record(session, events.Engaged(actor.id))
    if video.author_id != actor.id:
        notify(
            session=session,
            recipient_id=video.author_id,
            actor_id=actor.id,
            kind=NotificationKind.comment,
            subject_type="video",
            subject_id=video.id,
        )
    return comment


def comments(
    *, session: Session, video_id: str, viewer: User | None, hooks: ClipHooks, limit: int = 100
) -> list[Comment]:
    video = get_visible(session=session, video_id=video_id, viewer=viewer, hooks=hooks)
    return list(
        session.scalars(
            select(Comment)
            .where(Comment.video_id == video.id, Comment.hidden.is_(False))
            .order_by(Comment.created_at.asc())
            .limit(limit)
        )
    )


def clamp_watched(watched_ms: int) -> int:
    if watched_ms < 0:
        raise ValidationFailed(f"watched_ms must be >= 0 but is {watched_ms}.", field="watched_ms")
    return min(watched_ms, MAX_WATCHED_MS)


def record_view(
    *, session: Session, video_id: str, actor: User, watched_ms: int, completed: bool, hooks: ClipHooks
) -> None:
    """Write one view now (scripts, demo); the HTTP route batches through feed.signals instead."""
    video = get_visible(session=session, video_id=video_id, viewer=actor, hooks=hooks)
    session.add(
        ViewEvent(user_id=actor.id, video_id=video.id, watched_ms=clamp_watched(watched_ms), completed=completed)
    )
    session.execute(update(Video).where(Video.id == video.id).values(view_count=Video.view_count + 1))


def see_less(*, session: Session, video_id: str, actor: User, hooks: ClipHooks) -> None:
    video = get_visible(session=session, video_id=video_id, viewer=actor, hooks=hooks)
    exists = session.scalars(
        select(SeeLess.id).where(SeeLess.user_id == actor.id, SeeLess.video_id == video.id)
    ).first()
    if exists is None:
        session.add(SeeLess(user_id=actor.id, video_id=video.id))
        session.flush()
    events.record(session, events.Engaged(actor.id))


def count_published(*, session: Session, author_id: str) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(Video)
            .where(Video.author_id == author_id, Video.visibility == Visibility.published)
        )
        or 0
    )

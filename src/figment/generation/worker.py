"""Render jobs: turn a claimed job's prompt into a finished clip.

A job's effects are idempotent and guarded by ownership of the job row, so a retried or taken-over
job never produces a second clip, and a failure never leaves a half-written file or record.
"""

from __future__ import annotations

import dataclasses
import logging
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from figment.accounts.models import User
from figment.db import session_scope
from figment.errors import DomainError, ValidationFailed
from figment.generation.checks import Checks, FrameSampler
from figment.generation.types import Backend, BackendFailure, GenerationRequest
from figment.generation.watchdog import RenderStalled, Watchdog
from figment.jobs import service as jobs
from figment.jobs.models import Job, JobState
from figment.media.encode import compose, encode_clip
from figment.media.watermark_invisible import InvisibleWatermark, new_watermark_id
from figment.media.watermark_visible import VisibleWatermark
from figment.notifications.models import NotificationKind
from figment.notifications.service import notify
from figment.provenance import records as provenance_records
from figment.provenance.credentials import ContentCredentials
from figment.storage.base import BlobStore, is_disk_full
from figment.videos.hooks import ClipHooks, RenderCast
from figment.videos.models import Video, VideoStatus

log = logging.getLogger(__name__)

# The share of the draft's progress bar that a model reporting its own steps fills before encoding.
MODEL_SHARE = 90


class JobLost(Exception):
    """Our lease was taken over or the job was cancelled: stop without touching anything."""


class DiskFull(Exception):
    """A write found no space left (the render's temp files or the media store); retried like any failure."""

    def __init__(self, stage: str) -> None:
        super().__init__(f"The server ran out of disk space while {stage}.")


@contextmanager
def _disk_stage(stage: str) -> Iterator[None]:
    """Name the stage when a write in it finds the disk full: the author reads it, an operator acts on it."""
    try:
        yield
    except DiskFull:
        raise
    except Exception as exc:
        if is_disk_full(exc):
            raise DiskFull(stage) from exc
        raise


class Refused(Exception):
    """A check refused the clip (before or after rendering); nothing is stored."""

    def __init__(self, error: DomainError) -> None:
        super().__init__(error.message)
        self.error = error


@dataclass
class WorkerContext:
    session_factory: sessionmaker[Session]
    storage: BlobStore
    backend: Backend
    lease_s: float
    fps: int
    # Required, like at submit: nothing is rendered without the prompt checks and the consent re-check.
    checks: Checks
    hooks: ClipHooks
    # Signs every MP4 and poster; None only in tests of the worker's own bookkeeping.
    credentials: ContentCredentials | None = None
    # A failed render is retried after this, doubling per try (jobs.service.retry_delay_s); 0 = at once.
    retry_base_s: float = 0.0
    # A model that makes no progress for this long is stopped (generation.watchdog).
    render_timeout_s: float = 600.0
    # Where renders write before storing (settings.render_tmp_dir); None: the system temp folder.
    tmp_dir: Path | None = None


def media_keys(video_id: str) -> tuple[str, str]:
    # Deterministic keys: a retry overwrites the same blobs instead of leaving orphans.
    return f"videos/{video_id}/clip.mp4", f"videos/{video_id}/poster.jpg"


def run_job(ctx: WorkerContext, job: Job, worker_id: str) -> None:
    with session_scope(ctx.session_factory) as session:
        video = session.get(Video, job.video_id)
        author = session.get(User, video.author_id) if video else None
        if video is None or author is None:
            jobs.mark(session=session, job_id=job.id, worker_id=worker_id, state=JobState.cancelled)
            return
        video.status = VideoStatus.rendering
        video.progress = 0
        request = GenerationRequest(
            prompt=video.prompt,
            seed=video.seed,
            duration_s=video.duration_s,
            width=video.width,
            height=video.height,
            fps=ctx.fps,
            author_handle=author.handle,
        )
        if video.watermark_id is None:  # rows from before watermarks existed
            video.watermark_id = new_watermark_id()
        video_id, author_id, watermark_id = video.id, author.id, video.watermark_id

    try:
        plan = _render_and_store(ctx, job, worker_id, video_id, request, watermark_id)
    except Refused as refused:
        _block(ctx, job, worker_id, video_id, author_id, refused.error)
        return
    except JobLost:
        log.info("job %s was taken over or cancelled; dropping our result", job.id)
        return
    except Exception as exc:
        log.warning("job %s failed: %s", job.id, traceback.format_exc())
        _fail(ctx, job, worker_id, video_id, author_id, exc)
        return

    video_key, poster_key = media_keys(video_id)
    with session_scope(ctx.session_factory) as session:
        if not jobs.mark(session=session, job_id=job.id, worker_id=worker_id, state=JobState.done):
            return
        video = session.get(Video, video_id)
        if video is None:  # deleted while rendering: the clip must not outlive its record
            ctx.storage.delete(video_key)
            ctx.storage.delete(poster_key)
            return
        video.status = VideoStatus.ready
        video.progress = 100
        video.error = None
        video.plan = plan
        video.video_key, video.poster_key = video_key, poster_key
        provenance_records.record_made(session, video_id=video_id, watermark_id=watermark_id)
        _notify_author(session, author_id, video_id, NotificationKind.video_ready)
        ctx.hooks.record_outcome(session=session, video=video, outcome="render")


def _render_and_store(
    ctx: WorkerContext, job: Job, worker_id: str, video_id: str, request: GenerationRequest, watermark_id: str
) -> dict[str, object]:
    last = {"t": 0.0, "p": -1}

    def keep_alive() -> None:
        with session_scope(ctx.session_factory) as session:
            if not jobs.heartbeat(session=session, job_id=job.id, worker_id=worker_id, lease_s=ctx.lease_s):
                raise JobLost()

    # A model that reports its own progress (denoising steps) fills the bar up to MODEL_SHARE; encoding
    # the frames fills the rest. A model that does not (the procedural renderer draws while encoding)
    # leaves the whole bar to the encoder.
    model = {"reported": False}

    def store_progress(percent: int) -> None:
        with session_scope(ctx.session_factory) as session:
            if not jobs.heartbeat(session=session, job_id=job.id, worker_id=worker_id, lease_s=ctx.lease_s):
                raise JobLost()
            session.execute(update(Video).where(Video.id == video_id).values(progress=min(99, max(0, percent))))

    def on_progress(percent: int) -> None:
        now = time.monotonic()
        if model["reported"]:
            percent = MODEL_SHARE + percent * (100 - MODEL_SHARE) // 100
        if percent - last["p"] < 5 and now - last["t"] < 2 and percent < 100:
            return
        last["t"], last["p"] = now, percent
        store_progress(percent)

    def on_model_progress(percent: int) -> None:
        # Every report asks whether the job is still ours: a step of a real model takes seconds, and a
        # withdrawn consent, a deleted draft or a takedown must stop the model at the next step
        # (JobLost raised here propagates out of the model's loop; nothing is stored).
        model["reported"] = True
        watchdog.progressed()
        share = percent * MODEL_SHARE // 100
        last["t"], last["p"] = time.monotonic(), share
        store_progress(share)

    # Consent and rules may have changed while the job waited: check the prompt again first.
    _run_check(
        ctx,
        video_id,
        lambda session, video, author: ctx.checks.check_prompt(session=session, author=author, prompt=video.prompt),
    )
    request = _cast(ctx, video_id, request)
    # The model's calls run under a watchdog: a model that hangs costs a try, not the worker. Its
    # heartbeats keep the lease while the model works, and stop with it, so a hung job is not kept forever.
    watchdog = Watchdog(
        timeout_s=ctx.render_timeout_s, keep_alive=keep_alive, every_s=ctx.lease_s / 3, label=f"job-{job.id}"
    )
    request = dataclasses.replace(request, progress=on_model_progress)
    try:
        clip = watchdog.call(lambda: ctx.backend.generate(request))
    except DomainError as error:
        # The backend refused the request (a size or length it cannot make): final, not worth a retry.
        raise Refused(error) from error
    clip.frames = watchdog.frames(clip.frames)
    video_key, poster_key = media_keys(video_id)
    sampler = FrameSampler(fps=request.fps)
    if ctx.tmp_dir is not None:
        ctx.tmp_dir.mkdir(parents=True, exist_ok=True)
    # The temp folder goes, whatever happens inside it: a full disk leaves no partial file there.
    with (
        _disk_stage("encoding the clip"),
        tempfile.TemporaryDirectory(prefix="figment-render-", dir=ctx.tmp_dir) as tmp,
    ):
        video_path, poster_path = Path(tmp) / "clip.mp4", Path(tmp) / "poster.jpg"
        # The invisible mark goes first so it measures the picture as rendered; the visible label is
        # drawn over it; the sampler sees exactly what viewers will see.
        marks = compose(
            InvisibleWatermark(watermark_id), VisibleWatermark(request.author_handle, fps=request.fps), sampler
        )
        encode_clip(clip, video_path=video_path, poster_path=poster_path, progress=on_progress, frame_filter=marks)
        _run_check(
            ctx,
            video_id,
            lambda session, video, _author: ctx.checks.check_frames(
                session=session, video=video, frames=sampler.frames
            ),
        )
        keep_alive()
        if ctx.credentials is not None:
            with _disk_stage("signing the clip"):
                ctx.credentials.sign_file(video_path, video_id=video_id, watermark_id=watermark_id)
                ctx.credentials.sign_file(poster_path, video_id=video_id, watermark_id=watermark_id)
        # LocalBlobStore writes a temp file and renames it: a put that fills the disk leaves nothing.
        with _disk_stage("storing the clip"):
            ctx.storage.put_file(poster_key, poster_path, content_type="image/jpeg")
            ctx.storage.put_file(video_key, video_path, content_type="video/mp4")
    return clip.plan


def _cast(ctx: WorkerContext, video_id: str, request: GenerationRequest) -> GenerationRequest:
    """Consent for each tagged likeness, checked again now, and the faces to put in the clip."""
    cast: list[RenderCast] = []

    def prepare(session: Session, video: Video, author: User) -> None:
        cast.append(ctx.hooks.prepare_render(session=session, video=video, author=author))

    _run_check(ctx, video_id, prepare)
    prompt, faces = cast[0].prompt, cast[0].faces
    if faces and not ctx.backend.capabilities.supports_likeness:
        # Never hand a likeness job to a backend that would quietly draw someone else instead.
        raise Refused(ValidationFailed(f"The {ctx.backend.name} video model cannot put a person's likeness in a clip."))
    if prompt == request.prompt:
        return dataclasses.replace(request, likeness=faces)
    # The clip shows what the author wrote (@olga), the renderer reads whom to cast ("a person").
    return dataclasses.replace(request, prompt=prompt, likeness=faces, caption=request.prompt)


def _run_check(ctx: WorkerContext, video_id: str, check: Callable[[Session, Video, User], None]) -> None:
    with session_scope(ctx.session_factory) as session:
        video = session.get(Video, video_id)
        author = session.get(User, video.author_id) if video else None
        if video is None or author is None:
            raise JobLost()
        try:
            check(session, video, author)
        except DomainError as error:
            raise Refused(error) from error


def _block(ctx: WorkerContext, job: Job, worker_id: str, video_id: str, author_id: str, error: DomainError) -> None:
    """A refusal is final: no retry, no media, and the author reads why."""
    with session_scope(ctx.session_factory) as session:
        if not jobs.mark(session=session, job_id=job.id, worker_id=worker_id, state=JobState.done, error=error.code):
            return
        video = session.get(Video, video_id)
        if video is None:
            return
        video.status = VideoStatus.blocked
        video.error = error.message
        video.progress = 0
        _notify_author(session, author_id, video_id, NotificationKind.video_failed)
        ctx.hooks.record_outcome(session=session, video=video, outcome="blocked", reason=error.code)


def _notify_author(session: Session, author_id: str, video_id: str, kind: NotificationKind) -> None:
    # The hub wakes the author's live streams after this session commits (notifications.hub).
    notify(
        session=session,
        recipient_id=author_id,
        actor_id=author_id,
        kind=kind,
        subject_type="video",
        subject_id=video_id,
    )


def _readable(exc: Exception) -> str:
    if isinstance(exc, DiskFull | RenderStalled | BackendFailure):
        return str(exc)[:500]
    if is_disk_full(exc):
        return "The server ran out of disk space while rendering the clip."
    text = str(exc).strip() or exc.__class__.__name__
    return f"Rendering failed: {text}"[:500]


def _fail(ctx: WorkerContext, job: Job, worker_id: str, video_id: str, author_id: str, exc: Exception) -> None:
    reason = _readable(exc)
    # A poster stored before the clip's upload failed goes now, on a retry too (it may be what filled
    # the disk); while the lease is ours, so no worker that took the job over is writing those keys.
    with session_scope(ctx.session_factory) as session:
        if not jobs.heartbeat(session=session, job_id=job.id, worker_id=worker_id, lease_s=ctx.lease_s):
            return
    _drop_partial_media(ctx, video_id)
    with session_scope(ctx.session_factory) as session:
        # A failure no retry can fix (a missing API key) ends the job at once.
        retry = job.attempts < job.max_attempts and getattr(exc, "retryable", True)
        state = JobState.queued if retry else JobState.failed
        delay = jobs.retry_delay_s(job.attempts, ctx.retry_base_s)
        if not jobs.mark(
            session=session, job_id=job.id, worker_id=worker_id, state=state, error=reason, retry_in_s=delay
        ):
            return
        video = session.get(Video, video_id)
        if video is None:
            return
        if retry:
            video.status = VideoStatus.queued
            video.progress = 0
        else:
            video.status = VideoStatus.failed
            video.error = reason
            _notify_author(session, author_id, video_id, NotificationKind.video_failed)


def _drop_partial_media(ctx: WorkerContext, video_id: str) -> None:
    """A failed try's row points at no media, so nothing else would ever delete a poster stored
    before the clip's own upload failed. Best effort: storage may be the thing that is down."""
    for key in media_keys(video_id):
        try:
            ctx.storage.delete(key)
        except Exception:
            log.warning("could not delete %s of failed clip %s; it is unreferenced", key, video_id)


def render_handler(ctx: WorkerContext) -> Callable[[Job, str], None]:
    """The job runner's handler for render jobs."""
    return lambda job, worker_id: run_job(ctx, job, worker_id)

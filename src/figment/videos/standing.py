"""Where a pending clip stands: its place in its job queue and an honest estimate of when it is ready.

The place follows the claim order of `jobs.service.claim` (priority first, then the oldest); the
estimate comes from how long this server's last clips of the same model took (job rows' `started_at`
to `updated_at`), or from a published or measured figure until there is such history.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from figment.jobs.models import Job, JobKind, JobState
from figment.videos.models import Video, VideoStatus

# How many finished clips of a model make its typical pace: enough to outvote one odd clip, few enough
# to follow a change of card or provider within a day's work.
HISTORY_SIZE = 20

# Seconds of rendering per second of clip when a model has no finished clip on this server yet.
DEFAULT_RENDER_S_PER_CLIP_S: dict[str, float] = {
    # docs/BENCHMARKS.md: render + encode of a 10 s clip, 4.92 s median on the 2-core dev machine.
    "procedural": 0.5,
    # docs/MODELS.md: LTX-2.3, 10 s at 1080p in 99 s on one B300; an H100 is slower, so about 2 min.
    "ltx2": 12.0,
    # docs/MODELS.md: Wan2.2, "5-second 720P in under 9 minutes" on one consumer GPU (108 s per second).
    "wan": 108.0,
    # Hosted providers publish no clip times: an assumption of 2 min for 10 s (their own queue plus the
    # render), which this server's history replaces after its first hosted clips.
    "openai-videos": 12.0,
    "veo": 12.0,
}
# A model not listed above (a new backend): assume minutes, as for the GPU models, rather than seconds.
FALLBACK_RENDER_S_PER_CLIP_S = 12.0


@dataclass(frozen=True)
class Standing:
    queue_position: int | None  # 1 = the next job its queue's workers take; None once rendering
    eta_s: int | None  # seconds until ready, estimated


def render_pace(*, session: Session, backend: str) -> float:
    """Seconds of rendering per second of clip: the median of the model's last finished clips here."""
    rows = session.execute(
        select(Job.started_at, Job.updated_at, Video.duration_s)
        .join(Video, Video.id == Job.video_id)
        .where(
            Job.state == JobState.done,
            Job.kind == JobKind.render,
            Job.last_error.is_(None),  # a refused clip stopped early: not a render's length
            Job.started_at.is_not(None),
            Video.backend == backend,
        )
        .order_by(Job.updated_at.desc())
        .limit(HISTORY_SIZE)
    ).all()
    paces = [
        (finished - started).total_seconds() / duration
        for started, finished, duration in rows
        if started is not None and duration > 0 and finished >= started
    ]
    if paces:
        return statistics.median(paces)
    return DEFAULT_RENDER_S_PER_CLIP_S.get(backend, FALLBACK_RENDER_S_PER_CLIP_S)


def _ahead_and_busy(session: Session, job: Job) -> tuple[int, int]:
    """One COUNT over the job's queue (index ix_jobs_queue_order): the queued jobs a worker takes before
    this one, and the jobs running now (how many workers serve the queue at least)."""
    ahead = and_(
        Job.state == JobState.queued,
        or_(
            Job.priority > job.priority,
            and_(
                Job.priority == job.priority,
                or_(Job.created_at < job.created_at, and_(Job.created_at == job.created_at, Job.id < job.id)),
            ),
        ),
    )
    # A job waiting out a retry's backoff counts as ahead: its wait (seconds to minutes) is mostly over
    # by the time the jobs before this one are done, and the claim then takes it first.
    row = session.execute(
        select(func.count().filter(ahead), func.count().filter(Job.state == JobState.running)).where(
            Job.queue == job.queue, Job.state.in_([JobState.queued, JobState.running])
        )
    ).one()
    return int(row[0]), int(row[1])


def standings(*, session: Session, videos: list[Video]) -> dict[str, Standing]:
    """The standing of every queued or rendering clip among `videos`, by video id."""
    pending = [v for v in videos if v.status in (VideoStatus.queued, VideoStatus.rendering)]
    if not pending:
        return {}
    job_of = {
        job.video_id: job for job in session.scalars(select(Job).where(Job.video_id.in_([v.id for v in pending])))
    }
    paces: dict[str, float] = {}
    out: dict[str, Standing] = {}
    for video in pending:
        job = job_of.get(video.id)
        if job is None:
            continue
        if video.backend not in paces:
            paces[video.backend] = render_pace(session=session, backend=video.backend)
        own_s = paces[video.backend] * video.duration_s
        if video.status == VideoStatus.rendering or job.state == JobState.running:
            done = min(99, max(0, video.progress)) / 100
            out[video.id] = Standing(queue_position=None, eta_s=round(own_s * (1 - done)))
            continue
        ahead, busy = _ahead_and_busy(session, job)
        # The jobs ahead are estimated as clips like this one: reading each one's model and length
        # would cost a row per job ahead, and a queue mostly holds one kind of clip.
        wait_s = ahead / max(1, busy) * own_s
        out[video.id] = Standing(queue_position=ahead + 1, eta_s=round(wait_s + own_s))
    return out

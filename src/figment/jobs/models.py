from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from figment.db import Base, IdColumn, UTCDateTime, new_id, utcnow


class JobState(enum.StrEnum):
    queued = "queued"
    running = "running"
    done = "done"
    failed = "failed"
    cancelled = "cancelled"


class JobKind(enum.StrEnum):
    """What a job does; each kind has one handler (jobs.runner)."""

    render = "render"  # a clip: prompt -> checked, watermarked, signed MP4
    verify_likeness = "verify_likeness"  # a verification recording -> verified or refused, with reasons
    import_rights = "import_rights"  # a rights holder's CSV of works -> every row kept, or none
    purge_blobs = "purge_blobs"  # stored objects of a deleted account or likeness -> gone


class Queue(enum.StrEnum):
    """Where a job waits. A worker takes only the queues it can run (`figment worker --queue`)."""

    cpu = "cpu"  # any host: the procedural engine and every non-render task
    gpu = "gpu"  # hosts with a video model on a GPU
    # Hosted video APIs: a job waits minutes on someone else's servers and uses no CPU meanwhile, so it
    # must not hold a CPU worker that quick clips and face checks wait for; any host may serve it, with
    # many threads (`figment worker --queue hosted`, FIGMENT_WORKERS).
    hosted = "hosted"


# Higher runs first (the same sense as Procrastinate's). Work a person waits on screen for comes
# before clips, and a quick CPU clip before a long GPU one on a worker that serves both queues.
PRIORITY_INTERACTIVE = 30
# A rights holder's CSV import: someone waits on the page for it, and it takes well under a second, so
# it goes before clips (which take seconds to minutes each) but after a face check a person watches.
PRIORITY_IMPORT = 25
PRIORITY_CPU_CLIP = 20
# A worker serving both runs a quick CPU clip before starting a minutes-long wait on a provider.
PRIORITY_HOSTED_CLIP = 15
PRIORITY_GPU_CLIP = 10
PRIORITY_BACKGROUND = 0


class Job(Base):
    """The durable record of one piece of background work. The row, not any queue message, is the
    truth: a transport (lease loop or Procrastinate) only tells a worker to look at it."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_claim", "state", "lease_expires_at"),
        Index("ix_jobs_queue_order", "queue", "state", "priority", "created_at"),
        # The latest finished jobs, whose lengths make a model's typical render time (videos.standing).
        Index("ix_jobs_finished", "state", "updated_at"),
    )

    id: Mapped[str] = mapped_column(IdColumn, primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(32), default=JobKind.render)
    queue: Mapped[str] = mapped_column(String(32), default=Queue.cpu)
    priority: Mapped[int] = mapped_column(Integer, default=PRIORITY_CPU_CLIP)
    # A render job's clip; one job per video, so a video can never be produced twice by two rows.
    video_id: Mapped[str | None] = mapped_column(
        ForeignKey("videos.id", ondelete="CASCADE"), unique=True, nullable=True
    )
    # What a non-render job works on, and what it found (JSON objects; kind-specific).
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    state: Mapped[str] = mapped_column(String(16), default=JobState.queued)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    worker_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # A retry waits until then (backoff: an outage gets time to end instead of using up the attempts).
    run_after: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # When the current (or last) try was claimed: with `updated_at` of a done job, how long it ran.
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def render_placement(*, needs_gpu: bool, hosted: bool = False) -> tuple[Queue, int]:
    """The queue and priority of a render job for a backend."""
    if hosted:
        return Queue.hosted, PRIORITY_HOSTED_CLIP
    return (Queue.gpu, PRIORITY_GPU_CLIP) if needs_gpu else (Queue.cpu, PRIORITY_CPU_CLIP)

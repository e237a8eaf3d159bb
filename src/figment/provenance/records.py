"""Writing and reading provenance records (provenance.models.ProvenanceRecord).

Written in the transaction that marks a clip ready (generation.worker), marked removed by every path that
deletes or hides a clip (videos.service.remove_with_media, rights.takedowns, safety.reports), never given
media, a prompt or an author.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from figment.db import utcnow
from figment.provenance.models import ProvenanceRecord


def record_made(session: Session, *, video_id: str, watermark_id: str | None, made_at: datetime | None = None) -> None:
    """The clip was rendered. A render that runs again (a retried job) keeps the first record."""
    if session.get(ProvenanceRecord, video_id) is not None:
        return
    session.add(ProvenanceRecord(video_id=video_id, watermark_id=watermark_id, made_at=made_at or utcnow()))


def mark_removed(session: Session, *, video_ids: Iterable[str] | Select[Any], when: datetime | None = None) -> None:
    """The clips are gone from view (deleted, taken down, removed by an operator); the first date stays."""
    ids = video_ids if isinstance(video_ids, Select) else list(video_ids)
    if isinstance(ids, list) and not ids:
        return
    session.execute(
        update(ProvenanceRecord)
        .where(ProvenanceRecord.video_id.in_(ids), ProvenanceRecord.removed_at.is_(None))
        .values(removed_at=when or utcnow())
        .execution_options(synchronize_session=False)
    )


def mark_restored(session: Session, *, video_id: str) -> None:
    session.execute(
        update(ProvenanceRecord)
        .where(ProvenanceRecord.video_id == video_id)
        .values(removed_at=None)
        .execution_options(synchronize_session=False)
    )


def find(session: Session, *, watermark_id: str | None, video_id: str | None) -> ProvenanceRecord | None:
    if watermark_id is not None:
        found = session.scalars(select(ProvenanceRecord).where(ProvenanceRecord.watermark_id == watermark_id)).first()
        if found is not None:
            return found
    return session.get(ProvenanceRecord, video_id) if video_id is not None else None

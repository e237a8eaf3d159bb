"""Licensed credits: the licensed works a clip uses, named on the clip with their holders."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from figment.rights.models import RightsHolder, VideoCredit, Work

# Built once: every feed page runs it (see accounts.service._USER_BY_TOKEN).
_CREDITS = (
    select(VideoCredit.video_id, Work.title, RightsHolder.organisation)
    .join(Work, Work.id == VideoCredit.work_id)
    .join(RightsHolder, RightsHolder.id == Work.holder_id)
    .where(VideoCredit.video_id.in_(bindparam("video_ids", expanding=True)))
    .order_by(Work.title)
)


def credits_for(*, session: Session, video_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    if not video_ids:
        return out
    rows = session.execute(_CREDITS, {"video_ids": video_ids})
    for video_id, title, organisation in rows:
        out.setdefault(video_id, []).append((title, organisation))
    return out


def credit(*, session: Session, video_id: str, work_ids: Iterable[str]) -> None:
    """Credit the works on the clip; idempotent, so a retried job adds nothing twice."""
    present = set(session.scalars(select(VideoCredit.work_id).where(VideoCredit.video_id == video_id)))
    for work_id in set(work_ids) - present:
        session.add(VideoCredit(video_id=video_id, work_id=work_id))

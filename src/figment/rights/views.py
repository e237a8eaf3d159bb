"""How works are shown: the shape the routes and the import job give."""

from __future__ import annotations

from sqlalchemy.orm import Session

from figment.rights import screening, service
from figment.rights.models import Work
from figment.rights.schemas import AliasOut, ImageOut, WorkOut


def works_out(session: Session, works: list[Work], mode: str) -> list[WorkOut]:
    ids = [w.id for w in works]
    counts = service.work_counts(session=session, work_ids=ids)
    images = service.images_of(session=session, work_ids=ids)
    return [
        WorkOut(
            id=w.id,
            title=w.title,
            aliases=[AliasOut(text=a["text"], lang=a.get("lang")) for a in w.aliases or []],
            kind=w.kind,
            policy=w.policy,
            screening=screening.effective_policy(w.policy, mode) or "none",
            description=w.description,
            images=[ImageOut(id=i.id, width=i.width, height=i.height, created_at=i.created_at) for i in images[w.id]],
            refusals=counts[w.id]["refusals"],
            last_refused_at=counts[w.id]["last_refused_at"],
            takedowns=counts[w.id]["takedowns"],
            updated_at=w.updated_at,
        )
        for w in works
    ]

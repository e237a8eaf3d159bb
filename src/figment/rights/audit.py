"""The rights audit log: one row per step of a holder's application, a work's life and a takedown."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.rights.models import RightsAudit, Takedown


def record(
    session: Session,
    *,
    action: str,
    actor: User | None,
    note: str = "",
    takedown: Takedown | None = None,
    holder_id: str | None = None,
) -> None:
    session.add(
        RightsAudit(
            takedown_id=takedown.id if takedown else None,
            holder_id=holder_id or (takedown.holder_id if takedown else None),
            actor_id=actor.id if actor else None,
            action=action,
            note=note[:2000],
        )
    )


def trail(*, session: Session, takedown: Takedown) -> list[tuple[RightsAudit, str | None]]:
    """A takedown's steps in order, each with the acting user's handle (None for the system)."""
    return [
        (row, handle)
        for row, handle in session.execute(
            select(RightsAudit, User.handle)
            .outerjoin(User, User.id == RightsAudit.actor_id)
            .where(RightsAudit.takedown_id == takedown.id)
            .order_by(RightsAudit.created_at, RightsAudit.id)
        ).all()
    ]

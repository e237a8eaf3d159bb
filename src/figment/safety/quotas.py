"""Daily generation quota per user, counted from the Video rows themselves (no counter to drift).

The day is the UTC day: the quota resets at 00:00 UTC, and a refusal says so in Retry-After.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.db import utcnow
from figment.errors import QuotaExceeded
from figment.videos.models import Video


def day_bounds(now: datetime) -> tuple[datetime, datetime]:
    now = now.astimezone(UTC)
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def generations_today(*, session: Session, author: User, now: datetime) -> int:
    start, end = day_bounds(now)
    count = session.scalar(
        select(func.count())
        .select_from(Video)
        .where(Video.author_id == author.id, Video.created_at >= start, Video.created_at < end)
    )
    return int(count or 0)


def check_daily_quota(*, session: Session, author: User, quota: int, now: datetime | None = None) -> None:
    """Refuse a new generation once `quota` were made today (0 = unlimited)."""
    if quota <= 0:
        return
    now = now or utcnow()
    used = generations_today(session=session, author=author, now=now)
    if used < quota:
        return
    reset = day_bounds(now)[1]
    wait = max(1, int((reset - now).total_seconds()) + 1)
    raise QuotaExceeded(
        f"You made {used} clips today, the daily limit is {quota}. Try again after {reset:%H:%M} UTC.",
        details={"limit": quota, "used": used, "retry_after_s": wait, "resets_at": reset.isoformat()},
        headers={"Retry-After": str(wait)},
    )

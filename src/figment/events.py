"""What a transaction did, acted on only after it commits.

Services say what happened (`record(session, ClipPublished(video.id))`); they never bump a cache, wake a
worker or publish to a live stream themselves. One listener, installed on the session factory by
`services.build_services`, hands the events of each committed transaction to one function that knows
the in-process effects (feed caches, worker wake-ups, live notifications). A rolled-back transaction's
events are dropped.

Why: an effect run before COMMIT races the transaction. A feed cache bumped before the like is
committed lets a page built in that window cache the pre-like rows under the new version, for minutes.

Every event is a "look again" hint about rows that are already the truth, so acting on one twice, or
on one from a savepoint that was later rolled back inside a committed transaction, costs a recompute,
never a wrong answer. That is why savepoint rollbacks keep their events.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

_KEY = "figment.events"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Engaged:
    """The user liked, commented, shared, remixed, followed, reported...: their taste moved."""

    user_id: str


@dataclass(frozen=True)
class FeedRulesChanged:
    """What the user's For You may contain changed (steering words, teen rules): rank again."""

    user_id: str


@dataclass(frozen=True)
class JobQueued:
    """A job row waits (new, or back for a retry): a transport announces it to workers."""

    job_id: str
    queue: str
    priority: int
    run_after: datetime | None = None  # a retry after a backoff: not before then


@dataclass(frozen=True)
class ClipPublished:
    """A clip became public: the similar-clips index may take it now instead of at its next refresh."""

    video_id: str


@dataclass(frozen=True)
class UserNotified:
    """A notification row for the user is stored: wake their live streams."""

    user_id: str


Event = Engaged | FeedRulesChanged | JobQueued | ClipPublished | UserNotified


def record(session: Session, happened: Event) -> None:
    """Note what happened; it is acted on once the session's transaction commits (once per event)."""
    pending: dict[Event, None] = session.info.setdefault(_KEY, {})
    pending[happened] = None  # a dict keeps the order and drops repeats


def pending(session: Session) -> list[Event]:
    """The events this session's open transaction has recorded so far (for tests and debugging)."""
    return list(session.info.get(_KEY, {}))


def install(
    factory: sessionmaker[Session],
    act: Callable[[list[Event]], None],
    *,
    before_commit: Callable[[Session, list[Event]], None] | None = None,
) -> None:
    """Call `act` with each committed transaction's events, after COMMIT, on the committing thread.

    `before_commit`, when given, sees the same events inside the transaction, just before COMMIT, with
    the session still usable: for what must commit or roll back together with the rows (a job
    transport that writes its queue entry into the same database). If it raises, nothing commits.
    """

    def after_commit(session: Session) -> None:
        if session.in_nested_transaction():
            return  # a savepoint was released: the outer transaction may still roll back
        happened = list(session.info.pop(_KEY, {}))
        if not happened:
            return
        try:
            act(happened)
        except Exception:  # the data is committed: a failed hint must not turn the request into an error
            log.exception("acting on committed events failed: %s", happened)

    def after_rollback(session: Session) -> None:
        if not session.in_nested_transaction():
            session.info.pop(_KEY, None)

    def announce(session: Session) -> None:
        happened = list(session.info.get(_KEY, {}))
        if happened and before_commit is not None:
            before_commit(session, happened)

    if before_commit is not None:
        event.listen(factory, "before_commit", announce)
    event.listen(factory, "after_commit", after_commit)
    event.listen(factory, "after_rollback", after_rollback)

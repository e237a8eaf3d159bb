"""Cheap signal recording: views go to an in-process buffer that a background thread writes in
batches (one INSERT for many views, one UPDATE per clip), so a burst of views costs the request
path a list append. Pending views are visible to the feed through `pending_views` until flushed.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from figment.accounts.models import User
from figment.db import new_id, utcnow
from figment.videos.models import Video, ViewEvent

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class View:
    user_id: str
    video_id: str
    watched_ms: int
    completed: bool
    created_at: datetime


class SignalBuffer:
    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        flush_every_s: float = 0.5,
        max_pending: int = 2000,
        on_flush: Callable[[set[str]], None] | None = None,
        on_tick: Callable[[], None] | None = None,
    ) -> None:
        self._factory = session_factory
        self._flush_every_s = flush_every_s
        self._max_pending = max_pending
        self._on_flush = on_flush
        # Called on every turn of the flush thread, views or not (held-back re-ranks: feed.view_reranks).
        self._on_tick = on_tick
        self._pending: list[View] = []
        self._flushing: list[View] = []  # still visible to pending_views until committed
        self._lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None:
            self._stop.clear()
            self._thread = threading.Thread(target=self._run, name="figment-signals", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.flush()  # nothing buffered is lost on a clean shutdown

    def record_view(self, *, user_id: str, video_id: str, watched_ms: int, completed: bool) -> None:
        with self._lock:
            self._pending.append(View(user_id, video_id, watched_ms, completed, utcnow()))
            full = len(self._pending) >= self._max_pending
        if full:
            self._wake.set()

    def pending_views(self, user_id: str) -> set[str]:
        with self._lock:
            return {v.video_id for v in (*self._flushing, *self._pending) if v.user_id == user_id}

    def flush(self) -> int:
        with self._flush_lock:
            with self._lock:
                batch, self._pending = self._pending, []
                self._flushing = batch
            if not batch:
                return 0
            try:
                rows = self._write(batch)
            finally:
                with self._lock:
                    self._flushing = []
            if self._on_flush is not None:
                self._on_flush({str(r["user_id"]) for r in rows})
            return len(rows)

    def _write(self, batch: list[View]) -> list[dict[str, object]]:
        with self._factory() as session, session.begin():
            # Clips or accounts deleted while the view waited are skipped, not errors.
            videos = set(session.scalars(select(Video.id).where(Video.id.in_({v.video_id for v in batch}))))
            users = set(session.scalars(select(User.id).where(User.id.in_({v.user_id for v in batch}))))
            rows = [
                dict(
                    id=new_id(),
                    user_id=v.user_id,
                    video_id=v.video_id,
                    watched_ms=v.watched_ms,
                    completed=v.completed,
                    created_at=v.created_at,
                )
                for v in batch
                if v.video_id in videos and v.user_id in users
            ]
            if rows:
                session.execute(insert(ViewEvent), rows)
                # In id order: every process's flush takes these row locks in the same order, so two
                # flushes of the same clips wait for each other instead of deadlocking (and losing a batch).
                for video_id, count in sorted(Counter(str(r["video_id"]) for r in rows).items()):
                    session.execute(
                        update(Video).where(Video.id == video_id).values(view_count=Video.view_count + count)
                    )
        return rows

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self._flush_every_s)
            self._wake.clear()
            try:
                self.flush()
            except Exception:  # keep the thread alive; the next flush retries with new views
                log.exception("signal flush failed")
            if self._on_tick is not None:
                try:
                    self._on_tick()
                except Exception:
                    log.exception("signal tick failed")

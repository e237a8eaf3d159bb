"""Two web processes flush their view buffers at the same moment (found by the scale-out load run,
bench/load.py): each transaction bumps view_count on several clips, so they must take those row
locks in one order or PostgreSQL kills one of them as a deadlock and its batch of views is lost."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import event

from figment.accounts.models import User
from figment.db import make_engine, make_session_factory
from figment.feed.signals import SignalBuffer
from figment.videos.models import Video

pytestmark = pytest.mark.postgres


def test_concurrent_flushes_touching_the_same_clips_in_any_order_both_land(postgres_url: str) -> None:
    engines = [make_engine(postgres_url), make_engine(postgres_url)]
    factories = [make_session_factory(e) for e in engines]
    with factories[0]() as session, session.begin():
        user = User(handle="v", handle_skeleton="v", email="v@example.com", password_hash="x")
        session.add(user)
        session.flush()
        videos = [
            Video(author_id=user.id, prompt=f"p{i}", duration_s=1, seed=i, width=2, height=2, visibility="published")
            for i in range(2)
        ]
        session.add_all(videos)
        session.flush()
        user_id = user.id
        low, high = sorted(v.id for v in videos)

    # Each flush pauses after its first view_count UPDATE until the other has made its first one too
    # (or 2 s passed: a flush waiting on the other's row lock never gets there).
    both_started = threading.Barrier(2, timeout=2)
    for engine in engines:
        first = {"done": False}

        @event.listens_for(engine, "after_cursor_execute")
        def pause(*args: Any, first: dict[str, bool] = first) -> None:
            statement = args[2]
            if statement.startswith("UPDATE videos") and not first["done"]:
                first["done"] = True
                try:
                    both_started.wait()
                except threading.BrokenBarrierError:
                    pass

    buffers = [SignalBuffer(f, flush_every_s=60) for f in factories]
    for buffer, order in zip(buffers, ([low, high], [high, low]), strict=True):
        for video_id in order:
            buffer.record_view(user_id=user_id, video_id=video_id, watched_ms=100, completed=False)
    errors: list[Exception] = []

    def flush(buffer: SignalBuffer) -> None:
        try:
            buffer.flush()
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=flush, args=(b,)) for b in buffers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    with factories[0]() as session:
        assert [session.get(Video, v).view_count for v in (low, high)] == [2, 2]  # type: ignore[union-attr]
    for engine in engines:
        engine.dispose()

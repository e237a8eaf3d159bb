"""Live wake-ups across processes (FIGMENT_SHARED_STATE=redis): a notification committed by one process
(a worker on another host) wakes a stream held by another (a web process); without the relay it would
wait for the stream's fallback poll."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Coroutine, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from figment import events
from figment.accounts import service as accounts
from figment.db import session_scope
from figment.notifications.models import NotificationKind
from figment.notifications.service import notify
from figment.services import Services, build_services
from support import REDIS_URL, make_settings


@pytest.fixture
def two_processes(tmp_path: Path, sqlite_url: str, redis_prefix: str) -> Iterator[tuple[Services, Services]]:
    settings = make_settings(
        tmp_path / "data",
        sqlite_url,
        workers=0,
        shared_state="redis",
        redis_url=REDIS_URL,
        shared_state_prefix=redis_prefix,
    )
    worker_host, web_host = build_services(settings), build_services(settings)
    for services in (worker_host, web_host):
        services.start()
        assert services.relay is not None and services.relay.wait_subscribed(5)
    yield worker_host, web_host
    for services in (worker_host, web_host):
        services.close()


def _run_in_own_loop(coroutine: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """asyncio.run on a thread of its own: in a pytest worker that also ran browser tests, Playwright's
    sync API keeps an event loop running on the main thread, where asyncio.run refuses to start."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(coroutine())
        except BaseException as error:  # handed to the test's thread, which reports it
            failures.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "the stream did not finish"
    if failures:
        raise failures[0]


def _video_ready(services: Services, user_id: str) -> None:
    """What a worker stores when a clip is done (committed, so the wake-up goes out)."""
    with session_scope(services.session_factory) as session:
        notify(
            session=session,
            recipient_id=user_id,
            actor_id=user_id,
            kind=NotificationKind.video_ready,
            subject_type="video",
            subject_id="v1",
        )


def test_a_notification_stored_elsewhere_wakes_the_stream_here(two_processes: tuple[Services, Services]) -> None:
    worker_host, web_host = two_processes
    with session_scope(worker_host.session_factory) as session:
        author = accounts.signup(
            session=session, handle="alice", email="a@x.org", password="longenough", birthdate=date(1990, 1, 1)
        ).user
        author_id = author.id

    async def stream() -> None:
        woken = web_host.hub.subscribe(author_id)
        try:
            await asyncio.to_thread(_video_ready, worker_host, author_id)
            await asyncio.wait_for(woken.wait(), timeout=3)  # the fallback poll would take 10 s
        finally:
            web_host.hub.unsubscribe(author_id, woken)

    _run_in_own_loop(stream)


def test_without_redis_a_notification_still_wakes_this_process(
    tmp_path: Path, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    services = build_services(
        make_settings(tmp_path / "data", sqlite_url, workers=0, shared_state="redis", redis_url="redis://127.0.0.1:1/0")
    )
    services.start()
    try:
        with session_scope(services.session_factory) as session:
            user_id = accounts.signup(
                session=session, handle="alice", email="a@x.org", password="longenough", birthdate=date(1990, 1, 1)
            ).user.id

        async def stream() -> None:
            woken = services.hub.subscribe(user_id)
            _video_ready(services, user_id)
            await asyncio.wait_for(woken.wait(), timeout=3)

        _run_in_own_loop(stream)
    finally:
        services.close()
    assert "wake-up relay" in caplog.text


def test_a_clip_published_elsewhere_refreshes_the_index_here(
    two_processes: tuple[Services, Services], monkeypatch: pytest.MonkeyPatch
) -> None:
    worker_host, web_host = two_processes
    refreshed = threading.Event()
    monkeypatch.setattr(web_host.recommender, "published", refreshed.set)
    with session_scope(worker_host.session_factory) as session:
        events.record(session, events.ClipPublished("v1"))
    # Otherwise the other process's similar-clips index would read the clip at its 3-minute refresh.
    assert refreshed.wait(3)

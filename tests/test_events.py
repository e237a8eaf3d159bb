"""Effects after commit: caches, workers and live streams move only once the data they point at is stored."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from figment import events
from figment.accounts import service as accounts
from figment.accounts.models import User
from figment.db import make_session_factory, session_scope
from figment.feed import service as feed
from figment.services import Services, build_services
from figment.videos import service as videos
from support import make_settings


@pytest.fixture
def services(tmp_path: Path, database_url: str) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path / "data", database_url, workers=0))
    yield built
    built.close()


def _published_clips(services: Services, count: int) -> list[str]:
    limits = videos.SubmitLimits(width=144, height=256, max_attempts=1)
    with session_scope(services.session_factory) as session:
        author = accounts.signup(
            session=session, handle="author", email="a@x.org", password="longenough", birthdate=date(1990, 1, 1)
        ).user
        accounts.signup(
            session=session, handle="viewer", email="v@x.org", password="longenough", birthdate=date(1990, 1, 1)
        )
        ids = [
            videos.submit(
                session=session,
                author=author,
                prompt=f"a red fox number {n} in the snow",
                duration_s=1,
                remix_of=None,
                limits=limits,
                checks=services.checks,
                hooks=services.likeness,
            ).id
            for n in range(count)
        ]
    while services.workers.run_once("test"):
        pass
    with session_scope(services.session_factory) as session:
        author = session.scalars(select(User).where(User.handle == "author")).one()
        for video_id in ids:
            videos.publish(session=session, video_id=video_id, actor=author, hooks=services.likeness)
    return ids


def _viewer(session: object) -> User:
    return session.scalars(select(User).where(User.handle == "viewer")).one()  # type: ignore[attr-defined,no-any-return]


def _build_page(services: Services) -> list[str]:
    with session_scope(services.session_factory) as session:
        page = feed.page(
            session=session,
            viewer=_viewer(session),
            tab="for_you",
            cursor=None,
            limit=5,
            recs=services.recommender,
            secret=services.settings.secret_key,
        )
        return [video.id for video in page.items]


def test_a_page_built_before_the_commit_does_not_keep_pre_commit_rows(services: Services) -> None:
    clip = _published_clips(services, 2)[0]
    cache = services.recommender.cache
    with services.session_factory() as request:
        viewer = _viewer(request)
        videos.like(session=request, video_id=clip, actor=viewer, hooks=services.likeness)
        assert events.Engaged(viewer.id) in events.pending(request)
        version = cache.version(viewer.id)
        # Another request builds the viewer's list now: it cannot see the like, which is not committed.
        _build_page(services)
        cached = cache.get(viewer.id)
        assert cached is not None and cached.version == version == cache.version(viewer.id)
        request.commit()
    # Once the like is stored, the list built without it is stale: the next page ranks again.
    assert cache.version(viewer.id) == version + 1
    assert cache.get(viewer.id).version != cache.version(viewer.id)  # type: ignore[union-attr]


def test_a_rolled_back_transaction_has_no_effects(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    clip = _published_clips(services, 1)[0]
    woken: list[str] = []
    monkeypatch.setattr(services.hub, "publish", woken.append)
    cache = services.recommender.cache
    with services.session_factory() as request:
        viewer = _viewer(request)
        viewer_id, version = viewer.id, cache.version(viewer.id)
        videos.add_comment(session=request, video_id=clip, actor=viewer, body="lovely", hooks=services.likeness)
        request.rollback()
    assert cache.version(viewer_id) == version
    assert woken == []


def test_notifications_wake_streams_only_after_commit(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    clip = _published_clips(services, 1)[0]
    woken: list[str] = []
    monkeypatch.setattr(services.hub, "publish", woken.append)
    with services.session_factory() as request:
        viewer = _viewer(request)
        author_id = request.scalars(select(User.id).where(User.handle == "author")).one()
        videos.like(session=request, video_id=clip, actor=viewer, hooks=services.likeness)
        assert woken == []
        request.commit()
    assert woken == [author_id]


def test_a_released_savepoint_waits_for_the_outer_commit(services: Services) -> None:
    seen: list[list[events.Event]] = []
    factory = make_session_factory(services.engine)
    events.install(factory, seen.append)
    with factory() as session:
        with session.begin_nested():
            events.record(session, events.JobQueued("j1", "cpu", 20))
        assert seen == []
        events.record(session, events.JobQueued("j1", "cpu", 20))  # the same event twice is acted on once
        session.commit()
    assert seen == [[events.JobQueued("j1", "cpu", 20)]]

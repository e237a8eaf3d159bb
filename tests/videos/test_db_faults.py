"""PostgreSQL connections cut in the middle of a write: the request fails cleanly or succeeds, never half.

A hook on the app's engine terminates the request's own backend (`pg_terminate_backend`, from another
connection, waiting until it is gone) just before its Nth statement, for every N the request runs,
and once more just before its COMMIT. After each cut the answer is either a success with every effect
stored, or a 503 in the API's error shape with no row anywhere changed; and the next request on the
same app works, because the pool drops the dead connection.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, event, func, select, text
from sqlalchemy.engine import Connection

from cameo_support import verify_directly
from figment.db import Base
from figment.jobs.models import Job
from figment.likeness.models import LedgerEntry
from figment.notifications.models import Notification
from figment.services import Services, build_services
from figment.videos.models import Video
from support import Api, api_over, assert_error, make_settings

pytestmark = pytest.mark.postgres


class Cutter:
    """Terminates the connection that is about to run the armed request's Nth statement (or its COMMIT)."""

    def __init__(self, engine: Engine, admin: Engine) -> None:
        self.admin = admin
        self.at: int | None = None  # the statement to cut before; 0 = the COMMIT
        self.seen = 0
        self.fired = False
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)

    def arm(self, at: int) -> None:
        self.at, self.seen, self.fired = at, 0, False

    def disarm(self) -> None:
        self.at = None

    def _statement(self, conn: Connection, *_args: Any) -> None:
        if self.at is None or self.at == 0:
            return
        self.seen += 1
        if self.seen == self.at:
            self._kill(conn)

    def _commit(self, conn: Connection) -> None:
        if self.at == 0:
            self._kill(conn)

    def _kill(self, conn: Connection) -> None:
        pid = conn.connection.dbapi_connection.info.backend_pid  # type: ignore[union-attr]
        with self.admin.connect() as admin:
            # The timeout makes the call wait until the backend has exited, so the cut is certain.
            assert admin.execute(text("SELECT pg_terminate_backend(:pid, 5000)"), {"pid": pid}).scalar()
        self.fired = True


@pytest.fixture
def services(tmp_path: Path, postgres_url: str) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path / "data", postgres_url, workers=0, likeness_output_check=False))
    yield built
    built.close()


@pytest.fixture
def admin(postgres_url: str) -> Iterator[Engine]:
    engine = create_engine(postgres_url, isolation_level="AUTOCOMMIT")
    yield engine
    engine.dispose()


@pytest.fixture
def cutter(services: Services, admin: Engine) -> Cutter:
    return Cutter(services.engine, admin)


@pytest.fixture
def api(services: Services) -> Iterator[Api]:
    with api_over(services) as api:
        yield api


def _rows(admin: Engine) -> dict[str, Any]:
    """Every table's row count and the clips' publication state: what a half-done write would change."""
    with admin.connect() as conn:
        tables = Base.metadata.sorted_tables
        one_row = conn.execute(select(*(select(func.count()).select_from(t).scalar_subquery() for t in tables))).one()
        counts = {t.name: n for t, n in zip(tables, one_row, strict=True)}
        clips = conn.execute(select(Video.id, Video.visibility, Video.published_at).order_by(Video.id)).all()
    return {"counts": counts, "clips": [tuple(c) for c in clips]}


def _rendered(api: Api, services: Services, handle: str, prompt: str, **extra: Any) -> str:
    video_id = str(api.submit(handle, prompt, **extra)["id"])
    assert services.workers.run_once("w1")
    assert api.client.get(f"/api/videos/{video_id}", headers=api.auth(handle)).json()["status"] == "ready"
    return video_id


def _assert_clean_failure(response: Any) -> None:
    error = assert_error(response, 503, "unavailable")
    assert error["message"] == "The database is unavailable; try again."
    assert response.headers["retry-after"]


def test_a_publish_cut_at_any_statement_is_all_or_nothing(
    api: Api, services: Services, cutter: Cutter, admin: Engine
) -> None:
    for handle in ("olga", "sam"):
        api.signup(handle)
    verify_directly(api, "olga", permission="everyone")
    original = _rendered(api, services, "olga", "a lighthouse on a cliff at dawn")
    assert api.client.post(f"/api/videos/{original}/publish", headers=api.auth("olga")).status_code == 200
    published: list[None] = []
    services.recommender.published = lambda: published.append(None)  # type: ignore[method-assign]

    video_id = _rendered(api, services, "sam", "@olga reading a book in the library", remix_of=original)
    cut_points = 0
    for at in [0, *range(1, 1000)]:
        before = _rows(admin)
        cutter.arm(at)
        response = api.client.post(f"/api/videos/{video_id}/publish", headers=api.auth("sam"))
        cutter.disarm()
        if not cutter.fired:
            assert at > 0, "the COMMIT was never cut"
            assert response.status_code == 200, response.text  # past the last statement: nothing to cut
            break
        cut_points += 1
        _assert_clean_failure(response)
        assert _rows(admin) == before, f"cut before statement {at} left a partial publish"
        assert published == []  # no event of a rolled-back transaction is acted on
        # The same app answers the next request: the pool dropped the dead connection.
        again = api.client.get(f"/api/videos/{video_id}", headers=api.auth("sam"))
        assert again.status_code == 200 and again.json()["visibility"] == "draft", again.text
    else:
        pytest.fail("the publish never ran out of statements to cut")
    assert cut_points >= 10  # the token, the clip, consent, the ledger, two notifications, the COMMIT...

    # The uncut publish stored every effect, once, and nothing else.
    assert response.json()["visibility"] == "published"
    after = _rows(admin)
    grown = {t: n - before["counts"][t] for t, n in after["counts"].items() if n != before["counts"][t]}
    assert grown == {"notifications": 2, "likeness_ledger": 1}
    with admin.connect() as conn:
        assert conn.execute(select(Video.published_at).where(Video.id == video_id)).scalar() is not None
        kinds = conn.execute(
            select(Notification.kind).where(
                Notification.subject_id == video_id, Notification.kind.in_(["cameo_published", "remix"])
            )
        ).scalars()
        assert sorted(kinds) == ["cameo_published", "remix"]
        ledger = conn.execute(
            select(LedgerEntry.action).where(LedgerEntry.video_id == video_id, LedgerEntry.action == "publish")
        ).scalars()
        assert list(ledger) == ["publish"]
    assert published == [None]


def test_a_submit_cut_at_any_statement_stores_no_clip_and_no_job(
    api: Api, services: Services, cutter: Cutter, admin: Engine
) -> None:
    api.signup("sam")
    for at in [0, *range(1, 1000)]:
        before = _rows(admin)
        cutter.arm(at)
        response = api.client.post(
            "/api/videos", json={"prompt": "a red car in the city at night", "duration_s": 1}, headers=api.auth("sam")
        )
        cutter.disarm()
        if not cutter.fired:
            assert response.status_code == 202, response.text
            break
        _assert_clean_failure(response)
        assert _rows(admin) == before, f"cut before statement {at} left a partial submit"
        assert api.client.get("/api/me/drafts", headers=api.auth("sam")).status_code == 200
    else:
        pytest.fail("the submit never ran out of statements to cut")
    with admin.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Video)).scalar() == 1
        assert conn.execute(select(func.count()).select_from(Job)).scalar() == 1


def test_a_database_error_that_is_a_bug_stays_a_500(
    api: Api, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only "not now" errors become 503s: a broken constraint is a bug, and retrying will not help."""
    from sqlalchemy.exc import IntegrityError

    from figment.videos import service

    def broken(**_kwargs: Any) -> None:
        raise IntegrityError("INSERT ...", {}, Exception("duplicate key"))

    api.signup("sam")
    monkeypatch.setattr(service, "publish", broken)
    response = api.client.post("/api/videos/0123456789abcdef0123456789abcdef/publish", headers=api.auth("sam"))
    assert_error(response, 500, "internal_error")


def test_connections_killed_while_idle_in_the_pool_are_replaced_unseen(api: Api, admin: Engine) -> None:
    """A database restart or failover drops every pooled connection; the pool's pre-ping replaces them."""
    api.signup("sam")
    assert api.client.get("/api/me/drafts", headers=api.auth("sam")).status_code == 200  # a pooled connection
    with admin.connect() as conn:
        killed = conn.execute(
            text(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    assert killed
    assert api.client.get("/api/me/drafts", headers=api.auth("sam")).status_code == 200

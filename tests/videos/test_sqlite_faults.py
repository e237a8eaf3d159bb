"""The embedded SQLite database locked by another writer, or read-only: writes answer 503 with a sentence
that names the cause, nothing is half-written, reads go on where SQLite can serve them, and the next
write works once the cause is gone. Other SQLite errors (a missing table: a bug) stay 500s.
"""

from __future__ import annotations

import sqlite3
import subprocess  # nosec B404  # mount, with fixed arguments
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from figment.app import create_app
from figment.db import session_scope
from figment.jobs.models import Job
from figment.migrate import upgrade
from figment.services import Services
from figment.settings import Settings
from figment.videos.models import Video
from support import Api, assert_error, capped_filesystem, make_settings

BUSY = "The database is busy with another write; try again."
READ_ONLY = "The database is read-only, so changes cannot be saved right now; reading still works."
CANNOT_OPEN = "The database file cannot be opened right now; try again."


def _api(settings: Settings) -> Iterator[Api]:
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield Api(client)


def _services(api: Api) -> Services:
    return api.client.app.state.services  # type: ignore[attr-defined,no-any-return]


def _counts(api: Api) -> tuple[int, int]:
    with session_scope(_services(api).session_factory) as session:
        return (
            session.scalar(select(func.count()).select_from(Video)) or 0,
            session.scalar(select(func.count()).select_from(Job)) or 0,
        )


def _submit(api: Api) -> Any:
    return api.client.post(
        "/api/videos", json={"prompt": "a red car at night", "duration_s": 1}, headers=api.auth("alice")
    )


@pytest.fixture
def api(tmp_path: Path, sqlite_url: str) -> Iterator[Api]:
    yield from _api(make_settings(tmp_path / "data", sqlite_url, workers=0, sqlite_busy_timeout_s=0.2))


def test_a_write_lock_held_past_the_busy_timeout_answers_503_and_then_clears(api: Api, sqlite_url: str) -> None:
    api.signup("alice")
    first = api.submit("alice")
    holder = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another process's long write transaction
        holder.execute("UPDATE videos SET progress = progress")
        error = assert_error(_submit(api), 503, "unavailable")
        assert (error["message"], error["details"]) == (BUSY, {"service": "database"})
        # WAL: readers do not wait for the writer.
        read = api.client.get(f"/api/videos/{first['id']}", headers=api.auth("alice"))
        assert read.status_code == 200, read.text
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert _counts(api) == (1, 1)  # nothing of the refused submit
    assert _submit(api).status_code == 202
    assert _counts(api) == (2, 2)


def test_a_database_opened_read_only_answers_writes_with_503_and_keeps_reading(tmp_path: Path, sqlite_url: str) -> None:
    data = tmp_path / "data"
    for api in _api(make_settings(data, sqlite_url, workers=0)):
        api.signup("alice")
        clip = api.submit("alice")
        token = api.tokens["alice"]
    path = sqlite_url.removeprefix("sqlite:///")
    for api in _api(make_settings(data, f"sqlite:///file:{path}?mode=ro&uri=true", workers=0)):
        api.tokens["alice"] = token
        error = assert_error(_submit(api), 503, "unavailable")
        assert error["message"] == READ_ONLY
        read = api.client.get(f"/api/videos/{clip['id']}", headers=api.auth("alice"))
        assert read.status_code == 200, read.text
        assert _counts(api) == (1, 1)


def _remount(path: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(path)], check=True)  # nosec B603 B607


def test_a_database_on_a_read_only_disk_answers_503_until_the_disk_is_writable(
    tmp_path: Path,
) -> None:
    """SQLite cannot open a WAL database on a read-only disk at all (it needs its -shm file), so reads
    fail too: every database request answers 503, and all work again once the disk is writable."""
    disk = tmp_path / "db"
    with capped_filesystem(disk, 16 << 20):
        url = f"sqlite:///{disk / 'figment.db'}"
        upgrade(url)
        for api in _api(make_settings(tmp_path / "data", url, workers=0)):
            api.signup("alice")
            clip = api.submit("alice")
            _services(api).engine.dispose()  # a disk with files open for writing cannot turn read-only
            _remount(disk, "ro")
            try:
                error = assert_error(_submit(api), 503, "unavailable")
                assert error["message"] == CANNOT_OPEN
                read = api.client.get(f"/api/videos/{clip['id']}", headers=api.auth("alice"))
                assert_error(read, 503, "unavailable")
            finally:
                _services(api).engine.dispose()
                _remount(disk, "rw")
            assert _submit(api).status_code == 202
            assert _counts(api) == (2, 2)


def test_other_sqlite_errors_stay_500s(api: Api) -> None:
    api.signup("alice")
    with _services(api).engine.begin() as conn:
        conn.execute(text("DROP TABLE jobs"))  # every submit now fails on a missing table: a bug
    assert_error(_submit(api), 500, "internal_error")

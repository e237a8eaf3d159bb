"""Provenance that outlives the clip: deleted, taken-down and purged clips still check as made here, since
removed, with dates; the record holds no media, prompt or author; the migration backfills existing clips."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, delete, inspect, text

from figment.accounts.service import make_admin
from figment.db import session_scope
from figment.migrate import alembic_config
from figment.provenance.models import ProvenanceRecord
from figment.services import Services, build_services
from support import Api, api_over, make_settings


@pytest.fixture
def services(tmp_path: Path, sqlite_url: str) -> Iterator[Services]:
    # 288x512, as in test_provenance: the watermark decodes reliably from a one-second clip at this size.
    built = build_services(make_settings(tmp_path / "data", sqlite_url, video_width=288, video_height=512))
    yield built
    built.close()


@pytest.fixture
def api(services: Services) -> Iterator[Api]:
    with api_over(services) as api:
        yield api


def _clip_bytes(services: Services, video_id: str) -> bytes:
    return services.storage.local_path(f"videos/{video_id}/clip.mp4").read_bytes()


def _check(api: Api, data: bytes) -> dict[str, Any]:
    response = api.client.post("/api/provenance/check", files={"file": ("clip.mp4", data, "video/mp4")})
    assert response.status_code == 200, response.text
    return dict(response.json())


def _removed(body: dict[str, Any]) -> None:
    assert body["made_here"] is True and body["state"] == "removed", body
    assert "video_id" not in body
    made, removed = datetime.fromisoformat(body["made_at"]), datetime.fromisoformat(body["removed_at"])
    assert made <= removed


def test_a_live_clip_checks_as_made_here_with_its_date(api: Api, services: Services) -> None:
    api.signup("alice")
    video = api.ready_clip("alice", publish=True)
    body = _check(api, _clip_bytes(services, video["id"]))
    assert body["state"] == "made_here" and body["video_id"] == video["id"]
    assert body["made_at"] is not None and body["removed_at"] is None


def test_a_deleted_clip_is_made_here_since_removed(api: Api, services: Services) -> None:
    headers = api.signup("alice")
    draft = api.ready_clip("alice")  # drafts are made here too
    data = _clip_bytes(services, draft["id"])
    assert api.client.delete(f"/api/videos/{draft['id']}", headers=headers).status_code == 204
    body = _check(api, data)
    _removed(body)
    # The credentials still verify as ours, and the page's verdict agrees with them.
    assert body["c2pa"]["trusted"] is True and body["watermark"]["found"] is True


def test_the_record_keeps_no_media_prompt_or_author(api: Api, services: Services) -> None:
    headers = api.signup("alice")
    video = api.ready_clip("alice", "a blue kite over a quiet lake")
    api.client.delete(f"/api/videos/{video['id']}", headers=headers)
    columns = {c.key for c in ProvenanceRecord.__table__.columns}
    assert columns == {"video_id", "watermark_id", "made_at", "removed_at"}
    with session_scope(services.session_factory) as session:
        record = session.get(ProvenanceRecord, video["id"])
        assert record is not None and record.removed_at is not None and record.watermark_id


def test_a_purged_account_leaves_only_the_record(api: Api, services: Services) -> None:
    headers = api.signup("alice")
    video = api.ready_clip("alice", publish=True)
    data = _clip_bytes(services, video["id"])
    assert api.client.delete("/api/me", headers=headers).status_code == 204
    _removed(_check(api, data))


def test_a_taken_down_clip_is_removed_until_restored(api: Api, services: Services) -> None:
    operator = api.signup("operator")
    with session_scope(services.session_factory) as session:
        make_admin(session=session, handle="operator")
    studio = api.signup("studio")
    holder = api.client.post(
        "/api/rights/holders",
        json={"organisation": "Owl Post", "contact": "legal@owl.example", "statement": "We own it."},
        headers=studio,
    ).json()
    api.client.post(f"/api/admin/rights/holders/{holder['id']}/approve", headers=operator)
    work = api.client.post(
        "/api/rights/works",
        json={"title": "Night Train", "kind": "character", "policy": "allowed", "aliases": [], "description": ""},
        headers=studio,
    ).json()
    api.signup("alice")
    video = api.ready_clip("alice", "a red train crossing a bridge", publish=True)
    data = _clip_bytes(services, video["id"])
    filed = api.client.post(
        "/api/rights/takedowns",
        json={"video_id": video["id"], "work_id": work["id"], "statement": "Ours."},
        headers=studio,
    )
    assert filed.status_code == 201, filed.text
    _removed(_check(api, data))
    restored = api.client.post(
        f"/api/rights/takedowns/{filed.json()['id']}/resolve", json={"decision": "restore"}, headers=operator
    )
    assert restored.status_code == 200, restored.text
    body = _check(api, data)
    assert body["state"] == "made_here" and body["removed_at"] is None and body["video_id"] == video["id"]


def test_trusted_credentials_without_a_record_say_so(api: Api, services: Services) -> None:
    headers = api.signup("alice")
    video = api.ready_clip("alice")
    data = _clip_bytes(services, video["id"])
    api.client.delete(f"/api/videos/{video['id']}", headers=headers)
    with session_scope(services.session_factory) as session:  # another instance's clip, or one from before records
        session.execute(delete(ProvenanceRecord))
    body = _check(api, data)
    assert body["state"] == "credentials_only" and body["made_here"] is False
    assert body["c2pa"]["trusted"] is True and body["c2pa"]["claims"]["video_id"] == video["id"]
    assert body["watermark"]["found"] is False  # a mark that names nothing known is not claimed as ours


def test_the_migration_backfills_rendered_clips(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = alembic_config(url)
    command.upgrade(config, "0007")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO users (id, handle, handle_skeleton, email, password_hash, is_admin, endless_scroll,"
                " guardian_locked, created_at) VALUES ('u1', 'alice', 'alice', 'a@x.org', '-', 0, 1, 0,"
                " '2025-01-02 03:04:05.000000')"
            )
        )
        for video_id, visibility, key, mark in (
            ("v1", "published", "videos/v1/clip.mp4", "0123456789ab"),
            ("v2", "removed", "videos/v2/clip.mp4", "0123456789ac"),
            ("v3", "draft", None, None),  # never rendered: nothing was made
        ):
            connection.execute(
                text(
                    "INSERT INTO videos (id, author_id, prompt, duration_s, seed, width, height, status, visibility,"
                    " progress, backend, video_key, watermark_id, like_count, comment_count, view_count,"
                    " share_count, created_at) VALUES (:id, 'u1', 'p', 1, 1, 144, 256, 'ready', :visibility, 100,"
                    " 'procedural', :key, :mark, 0, 0, 0, 0, '2025-01-02 03:04:05.000000')"
                ),
                {"id": video_id, "visibility": visibility, "key": key, "mark": mark},
            )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT video_id, watermark_id, made_at, removed_at FROM provenance_records ORDER BY video_id")
        ).all()
        assert "provenance_records" in inspect(connection).get_table_names()
    engine.dispose()
    assert [(r[0], r[1], r[3] is not None) for r in rows] == [
        ("v1", "0123456789ab", False),
        ("v2", "0123456789ac", True),
    ]
    assert str(rows[0][2]).startswith("2025-01-02 03:04:05")

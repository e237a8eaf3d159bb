"""A verification recording that arrives when the media disk is full: the upload answers 507 in the
API's error shape, no partial blob is left (LocalBlobStore writes a temp file and renames it), and the
attempt is still pending with no job, so the same upload works once there is room.

The disk is real: a size-capped tmpfs mounted on the media folder (support.capped_filesystem, skipped
without root), filled to a few KB so the write fails part-way through the recording.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from skimage import data
from sqlalchemy import select

from cameo_support import services_of
from figment.app import create_app
from figment.db import session_scope
from figment.jobs.models import Job
from figment.likeness.liveness import Challenge
from figment.likeness.models import VerificationAttempt
from figment.likeness.verification import recording_key
from figment.testing.recordings import make_recording
from support import Api, assert_error, capped_filesystem, files_under, fill_disk, make_settings


@pytest.fixture(scope="module")
def recording() -> bytes:
    challenge = Challenge(digits="1234", head_turns=("left", "right"))
    return make_recording(challenge, data.astronaut(), head_turns=(), with_audio=False, size=(180, 240), seconds=2.0)


@pytest.fixture
def api(tmp_path: Path, sqlite_url: str) -> Iterator[Api]:
    settings = make_settings(tmp_path / "data", sqlite_url, workers=0)
    with (
        capped_filesystem(settings.media_dir, 1 << 20),
        TestClient(create_app(settings), raise_server_exceptions=False) as client,
    ):
        yield Api(client)


def _upload(api: Api, attempt: str, recording: bytes) -> object:
    return api.client.post(
        f"/api/cameo/verification/{attempt}/recording",
        files={"file": ("me.webm", recording, "video/webm")},
        headers=api.auth("alice"),
    )


def test_a_recording_that_meets_a_full_disk_answers_507_and_can_be_sent_again(api: Api, recording: bytes) -> None:
    media = services_of(api).settings.media_dir
    assert len(recording) > 8192
    filler = fill_disk(media, leave_bytes=4096)
    api.signup("alice")
    attempt = api.client.post("/api/cameo/verification", headers=api.auth("alice")).json()["id"]

    error = assert_error(_upload(api, attempt, recording), 507, "insufficient_storage")
    assert error["message"] == "The server ran out of disk space, so nothing was saved; try again later."
    assert files_under(media) == ["filler"]  # no partial recording, no temp file
    state = api.client.get(f"/api/cameo/verification/{attempt}", headers=api.auth("alice")).json()
    assert state == {"status": "pending", "reasons": []}
    with session_scope(services_of(api).session_factory) as session:
        assert session.get(VerificationAttempt, attempt).status == "pending"  # type: ignore[union-attr]
        assert session.scalars(select(Job)).all() == []

    filler.unlink()
    response = _upload(api, attempt, recording)
    assert response.status_code == 202, response.text  # type: ignore[attr-defined]
    assert services_of(api).storage.read_bytes(recording_key(attempt)) == recording

"""The verification check as a job (issue 14): the upload stores the recording and queues a
`verify_likeness` job; a worker judges it, records the verdict and tells the person. Workers are off
here, so each test runs the job itself (`workers.run_once`) and sees every state in between.

The verifier is replaced by a stub where the test is about the job, not the judgement (test_verification
runs the real one end to end)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from skimage import data
from sqlalchemy import select

from cameo_support import notifications, services_of
from figment.db import session_scope
from figment.jobs.models import PRIORITY_INTERACTIVE, Job, JobState
from figment.likeness import liveness
from figment.likeness.liveness import Challenge, Reason, Verification
from figment.likeness.models import VerificationAttempt
from figment.likeness.verification import recording_key
from figment.settings import Settings
from figment.testing.recordings import make_recording
from support import Api, assert_error, make_settings


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path / "data", database_url, workers=0)


@pytest.fixture(scope="module")
def recording() -> bytes:
    """A real WebM (so the upload's quick check lets it through); the stubbed verifier never decodes it."""
    challenge = Challenge(digits="1234", head_turns=("left", "right"))
    return make_recording(challenge, data.astronaut(), head_turns=(), with_audio=False, size=(180, 240), seconds=2.0)


def _start_and_upload(api: Api, handle: str, recording: bytes) -> str:
    attempt = api.client.post("/api/cameo/verification", headers=api.auth(handle)).json()["id"]
    response = api.client.post(
        f"/api/cameo/verification/{attempt}/recording",
        files={"file": ("me.webm", recording, "video/webm")},
        headers=api.auth(handle),
    )
    assert response.status_code == 202, response.text
    assert response.json() == {"status": "checking", "reasons": []}
    return str(attempt)


def _state(api: Api, handle: str, attempt: str) -> dict[str, Any]:
    response = api.client.get(f"/api/cameo/verification/{attempt}", headers=api.auth(handle))
    assert response.status_code == 200, response.text
    return dict(response.json())


def _job(api: Api) -> Job:
    with session_scope(services_of(api).session_factory) as session:
        job = session.scalars(select(Job).where(Job.kind == "verify_likeness")).one()
        session.expunge(job)
        return job


def _refused(data_: bytes, challenge: Challenge) -> Verification:
    return Verification(reasons=[Reason("digits", "We heard the digits 9 9 9 9 but the challenge was 1 2 3 4.")])


def test_the_upload_queues_a_check_that_a_worker_records(
    api: Api, recording: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.signup("olga")
    api.signup("sam")
    services = services_of(api)
    monkeypatch.setattr(liveness, "verify_recording", _refused)
    attempt = _start_and_upload(api, "olga", recording)

    # Queued for any CPU worker, ahead of clips; the recording waits as a private blob.
    job = _job(api)
    assert (job.state, job.queue, job.priority, job.payload) == (
        JobState.queued,
        "cpu",
        PRIORITY_INTERACTIVE,
        {"attempt_id": attempt},
    )
    assert services.storage.exists(recording_key(attempt))
    assert _state(api, "olga", attempt) == {"status": "checking", "reasons": []}
    # Nobody else learns anything about it, while it waits or after.
    assert_error(api.client.get(f"/api/cameo/verification/{attempt}", headers=api.auth("sam")), 404, "not_found")

    assert services.workers.run_once("w1")
    body = _state(api, "olga", attempt)
    assert body["status"] == "rejected" and [r["code"] for r in body["reasons"]] == ["digits"]
    assert _job(api).state == JobState.done and _job(api).result == body
    assert not services.storage.exists(recording_key(attempt))
    assert [n["subject"]["id"] for n in notifications(api, "olga", "cameo_checked")] == [attempt]
    assert notifications(api, "sam", "cameo_checked") == []
    assert_error(api.client.get(f"/api/cameo/verification/{attempt}", headers=api.auth("sam")), 404, "not_found")


def test_a_transient_error_is_retried_and_a_check_that_keeps_breaking_says_so(
    api: Api, recording: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.signup("olga")
    services = services_of(api)
    monkeypatch.setattr(liveness, "verify_recording", _refused)
    real_read = services.storage.read_bytes
    calls: list[str] = []

    def flaky_read(key: str) -> bytes:
        calls.append(key)
        if len(calls) == 1:
            raise ConnectionError("the store did not answer")
        return real_read(key)

    monkeypatch.setattr(services.storage, "read_bytes", flaky_read)
    attempt = _start_and_upload(api, "olga", recording)
    assert services.workers.run_once("w1")
    job = _job(api)
    assert (job.state, job.attempts, job.last_error) == (JobState.queued, 1, "the store did not answer")
    assert _state(api, "olga", attempt)["status"] == "checking"
    assert services.storage.exists(recording_key(attempt))
    assert services.workers.run_once("w1")
    assert _job(api).state == JobState.done
    assert _state(api, "olga", attempt)["status"] == "rejected"

    # A check that breaks on every try (not the recording's fault) ends the wait with a reason.
    def broken(data_: bytes, challenge: Challenge) -> Verification:
        raise RuntimeError("dlib crashed")

    monkeypatch.setattr(liveness, "verify_recording", broken)
    attempt = _start_and_upload(api, "olga", recording)
    for _ in range(3):
        assert services.workers.run_once("w1")
    assert not services.workers.run_once("w1")
    with session_scope(services.session_factory) as session:
        job = session.scalars(select(Job).where(Job.payload.is_not(None)).order_by(Job.created_at.desc())).first()
        assert job is not None and (job.state, job.attempts, job.last_error) == (JobState.failed, 3, "dlib crashed")
    body = _state(api, "olga", attempt)
    assert body["status"] == "failed" and [r["code"] for r in body["reasons"]] == ["check_failed"]
    assert not services.storage.exists(recording_key(attempt))
    assert attempt in [n["subject"]["id"] for n in notifications(api, "olga", "cameo_checked")]


def test_a_repeated_delivery_after_the_verdict_changes_nothing(
    api: Api, recording: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that dies after recording the verdict but before finishing its job: the next try finds
    the attempt decided, keeps the verdict and only makes sure the recording is gone."""
    api.signup("olga")
    services = services_of(api)
    monkeypatch.setattr(liveness, "verify_recording", _refused)
    attempt = _start_and_upload(api, "olga", recording)
    from figment.likeness.verification import check_recording

    first = check_recording(session_factory=services.session_factory, storage=services.storage, attempt_id=attempt)
    with session_scope(services.session_factory) as session:
        finished = session.get(VerificationAttempt, attempt)
        assert finished is not None
        finished_at = finished.finished_at
    assert services.workers.run_once("w1")
    assert _job(api).result == first == _state(api, "olga", attempt)
    with session_scope(services.session_factory) as session:
        again = session.get(VerificationAttempt, attempt)
        assert again is not None and again.finished_at == finished_at
    assert len(notifications(api, "olga", "cameo_checked")) == 1

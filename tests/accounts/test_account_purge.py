"""Deleting an account or a likeness: the rows go in the request, the stored objects in a `purge_blobs`
job queued in the same transaction (issue 14). Workers are off here, so each test runs the job itself
and sees the objects still there before it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from cameo_support import services_of, verify_directly
from figment.db import session_scope
from figment.jobs.models import PRIORITY_BACKGROUND, Job, JobState
from figment.settings import Settings
from support import Api, make_settings


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path / "data", database_url, workers=0)


def _ready_clip(api: Api, handle: str) -> dict[str, Any]:
    video = api.submit(handle, "a red fox in the snow")
    assert services_of(api).workers.run_once("renderer")
    return api.wait(handle, video["id"])


def _purge_jobs(api: Api) -> list[Job]:
    with session_scope(services_of(api).session_factory) as session:
        rows = list(session.scalars(select(Job).where(Job.kind == "purge_blobs").order_by(Job.created_at)))
        session.expunge_all()
        return rows


def _stored(api: Api) -> list[str]:
    media = services_of(api).settings.media_dir
    return sorted(str(p.relative_to(media)) for p in media.rglob("*") if p.is_file())


def test_deleting_the_account_queues_a_purge_that_removes_every_object(api: Api) -> None:
    alice = api.signup("alice")
    api.signup("bob")
    clip = _ready_clip(api, "alice")
    likeness_id = verify_directly(api, "alice")
    bob_clip = _ready_clip(api, "bob")
    before = _stored(api)
    mine = [k for k in before if "alice" in k or likeness_id in k or clip["id"] in k]
    assert mine and len(before) > len(mine)

    assert api.client.delete("/api/me", headers=alice).status_code == 204
    [job] = _purge_jobs(api)
    assert (job.state, job.queue, job.priority) == (JobState.queued, "cpu", PRIORITY_BACKGROUND)
    assert job.payload is not None and job.payload["reason"] == "account deleted"
    keys = job.payload["keys"]
    assert f"likeness/{likeness_id}/cutout.png" in keys and any(
        k.startswith(f"likeness/{likeness_id}/crop-") for k in keys
    )
    assert len(keys) == 4  # the clip, its poster, the crop and the cutout
    assert all(services_of(api).storage.exists(k) for k in keys)  # still there until the job runs

    assert services_of(api).workers.run_once("w1")
    assert not any(services_of(api).storage.exists(k) for k in keys)
    assert _purge_jobs(api)[0].state == JobState.done
    # Only alice's objects went: bob's clip plays on.
    assert _stored(api) == [k for k in before if k not in keys]
    assert api.client.get(f"/api/videos/{bob_clip['id']}/clip.mp4", headers=api.auth("bob")).status_code == 200


def test_a_store_error_is_retried_and_a_missing_object_is_fine(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    api.signup("olga")
    likeness_id = verify_directly(api, "olga")
    storage = services_of(api).storage
    # One of the objects is already gone (a retry after a partial purge, say): not an error.
    storage.delete(f"likeness/{likeness_id}/cutout.png")
    real_delete = storage.delete
    calls: list[str] = []

    def flaky(key: str) -> None:
        calls.append(key)
        if len(calls) == 1:
            raise ConnectionError("the store did not answer")
        real_delete(key)

    monkeypatch.setattr(storage, "delete", flaky)
    response = api.client.delete("/api/cameo", headers=api.auth("olga"))
    assert response.status_code == 200 and response.json() == {"clips_removed": 0}
    [job] = _purge_jobs(api)
    assert job.payload is not None and job.payload["reason"] == "likeness deleted"
    assert services_of(api).workers.run_once("w1")
    [job] = _purge_jobs(api)
    assert (job.state, job.attempts, job.last_error) == (JobState.queued, 1, "the store did not answer")
    assert services_of(api).workers.run_once("w1")
    [job] = _purge_jobs(api)
    assert (job.state, job.result) == (JobState.done, {"deleted": 2})
    assert not any(storage.exists(k) for k in job.payload["keys"])  # type: ignore[index]
    assert _stored(api) == []

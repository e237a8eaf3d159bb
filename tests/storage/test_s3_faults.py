"""The bucket goes away (FIGMENT_STORAGE=s3): the clip fails with a sentence a person can read and is
tried again; requests that need the bucket answer 503; nothing half-stored is left behind.

"Down" is the store's client pointed at a closed port after start (a network cut, an outage): connections
are refused at once, the way a stopped server refuses them, through the client `make_client` builds.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from botocore.stub import Stubber
from sqlalchemy import select

from figment.db import session_scope
from figment.jobs.models import Job, JobState
from figment.notifications.models import Notification
from figment.services import Services, build_services
from figment.storage.base import StorageUnavailable
from figment.storage.s3 import ATTEMPTS, CONNECT_TIMEOUT_S, READ_TIMEOUT_S, S3BlobStore, make_client
from figment.videos.models import Video, VideoStatus
from support import Api, api_over, assert_error, free_port, s3_settings


@pytest.fixture
def services(tmp_path: Path, sqlite_url: str, s3_endpoint: str, s3_bucket: str) -> Iterator[Services]:
    built = build_services(
        s3_settings(
            tmp_path / "data",
            sqlite_url,
            s3_endpoint,
            s3_bucket,
            workers=0,  # the tests run the worker by hand, at the moments they choose
            job_max_attempts=2,
        )
    )
    yield built
    built.close()


@pytest.fixture
def api(services: Services) -> Iterator[Api]:
    with api_over(services) as api:
        yield api


def _store(services: Services) -> S3BlobStore:
    assert isinstance(services.storage, S3BlobStore)
    return services.storage


@contextmanager
def s3_down(services: Services) -> Iterator[str]:
    """The bucket is unreachable inside the block; yields the reason a clip should show."""
    store = _store(services)
    live = store._client
    store._client = make_client(
        endpoint=f"http://127.0.0.1:{free_port()}", region="us-east-1", access_key="test", secret_key="test"
    )
    try:
        yield f"Media storage is unreachable: S3 at {store.endpoint} (bucket {store.bucket!r}) cannot be reached."
    finally:
        store._client = live


def _outage_after_the_poster(services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    """The poster is stored, then the bucket goes away before the clip's upload."""
    store = _store(services)
    put_file = store.put_file

    def poster_then_outage(key: str, source: Path, *, content_type: str) -> None:
        with s3_down(services) if key.endswith("clip.mp4") else nullcontext():
            put_file(key, source, content_type=content_type)

    monkeypatch.setattr(store, "put_file", poster_then_outage)


def _objects(services: Services) -> list[str]:
    listing = _store(services)._client.list_objects_v2(Bucket=services.settings.s3_bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def _state(services: Services, video_id: str) -> dict[str, Any]:
    with session_scope(services.session_factory) as session:
        video = session.get(Video, video_id)
        job = session.scalars(select(Job).where(Job.video_id == video_id)).one()
        assert video is not None
        return {
            "video": (video.status, video.error, video.video_key),
            "job": (job.state, job.attempts, job.last_error),
            "notified": sorted(n.kind for n in session.scalars(select(Notification))),
        }


def test_an_outage_sends_the_clip_back_to_the_queue_and_it_renders_once_s3_is_back(
    api: Api, services: Services
) -> None:
    api.signup("alice")
    video_id = api.submit("alice", "a red fox in the snow")["id"]
    with s3_down(services) as reason:
        assert services.workers.run_once("w1")
    assert _state(services, video_id) == {
        "video": (VideoStatus.queued, None, None),
        "job": (JobState.queued, 1, f"Rendering failed: {reason}"),
        "notified": [],  # a retry is not news
    }
    assert _objects(services) == []

    assert services.workers.run_once("w1")
    assert _state(services, video_id) == {
        "video": (VideoStatus.ready, None, f"videos/{video_id}/clip.mp4"),
        "job": (JobState.done, 2, None),
        "notified": ["video_ready"],
    }
    assert _objects(services) == [f"figment/videos/{video_id}/clip.mp4", f"figment/videos/{video_id}/poster.jpg"]
    assert not services.workers.run_once("w1")  # rendered once


def test_an_outage_between_the_poster_and_the_clip_leaves_no_row_pointing_at_half_the_media(
    api: Api, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.signup("alice")
    video_id = api.submit("alice", "a red fox in the snow")["id"]
    _outage_after_the_poster(services, monkeypatch)
    assert services.workers.run_once("w1")
    assert _state(services, video_id)["video"] == (VideoStatus.queued, None, None)  # no key: nothing served
    assert _objects(services) == []  # the poster stored before the outage went with the failed try
    monkeypatch.undo()
    assert services.workers.run_once("w1")  # the retry writes over the same keys: no second poster
    assert _state(services, video_id)["video"] == (VideoStatus.ready, None, f"videos/{video_id}/clip.mp4")
    assert _objects(services) == [f"figment/videos/{video_id}/clip.mp4", f"figment/videos/{video_id}/poster.jpg"]


def test_an_outage_longer_than_the_retries_fails_the_clip_with_the_reason_and_tells_the_author(
    api: Api, services: Services
) -> None:
    api.signup("alice")
    video_id = api.submit("alice", "a red fox in the snow")["id"]
    with s3_down(services) as reason:
        runs = 0
        while services.workers.run_once("w1"):
            runs += 1
    assert runs == services.settings.job_max_attempts
    assert _state(services, video_id) == {
        "video": (VideoStatus.failed, f"Rendering failed: {reason}", None),
        "job": (JobState.failed, 2, f"Rendering failed: {reason}"),
        "notified": ["video_failed"],
    }
    video = api.client.get(f"/api/videos/{video_id}", headers=api.auth("alice")).json()
    assert video["status"] == "failed" and video["error"] == f"Rendering failed: {reason}"
    assert _objects(services) == []


def test_requests_that_need_the_bucket_answer_503_while_it_is_down(api: Api, services: Services) -> None:
    alice = api.signup("alice")
    video_id = api.submit("alice", "a red fox in the snow")["id"]
    assert services.workers.run_once("w1")
    clip_url = f"/api/videos/{video_id}/clip.mp4"
    with s3_down(services):
        # The clip route only signs a URL (no request to the bucket): it still redirects.
        assert api.client.get(clip_url, headers=alice, follow_redirects=False).status_code == 307
        # Deleting must remove the objects: it answers 503 and the clip stays, whole.
        error = assert_error(api.client.delete(f"/api/videos/{video_id}", headers=alice), 503, "unavailable")
        assert error == {
            "code": "unavailable",
            "message": "Media storage is unavailable; try again.",
            "details": {"service": "storage"},
        }
        assert api.client.get(f"/api/videos/{video_id}", headers=alice).json()["status"] == "ready"
    assert len(_objects(services)) == 2
    assert api.client.delete(f"/api/videos/{video_id}", headers=alice).status_code == 204
    assert _objects(services) == []


def test_a_server_error_is_unavailable_but_a_refusal_is_not() -> None:
    store = S3BlobStore(bucket="media", endpoint="http://127.0.0.1:1", access_key="test", secret_key="test")
    with Stubber(store._client) as stub:
        stub.add_client_error("put_object", service_error_code="SlowDown", http_status_code=503)
        with pytest.raises(StorageUnavailable, match=r"^Media storage is failing: .* answered 503 SlowDown\.$"):
            store.put_bytes("a/b.png", b"x", content_type="image/png")
        # Wrong keys or a missing bucket are not outages: retrying would not help, so they stay errors.
        stub.add_client_error("get_object", service_error_code="AccessDenied", http_status_code=403)
        with pytest.raises(ClientError):
            store.read_bytes("a/b.png")


def test_a_dead_endpoint_fails_in_seconds_not_minutes() -> None:
    config = make_client(endpoint="http://127.0.0.1:1", region="us-east-1", access_key="a", secret_key="b").meta.config
    assert (config.connect_timeout, config.read_timeout) == (CONNECT_TIMEOUT_S, READ_TIMEOUT_S) == (5, 30)
    assert config.retries == {"mode": "standard", "total_max_attempts": ATTEMPTS} and ATTEMPTS <= 3


def test_a_clip_that_fails_for_good_leaves_no_unreferenced_poster(
    api: Api, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    api.signup("alice")
    video_id = api.submit("alice", "a red fox in the snow")["id"]
    _outage_after_the_poster(services, monkeypatch)
    while services.workers.run_once("w1"):
        pass
    assert _state(services, video_id)["video"][0] == VideoStatus.failed
    assert _objects(services) == []  # the last attempt's poster went with the failure

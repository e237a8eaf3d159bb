"""Media in an S3 bucket (FIGMENT_STORAGE=s3): the worker stores clips there, the media routes check who
may see a clip exactly as with local files and then redirect to a short-lived presigned URL, and
deleting an account removes the objects from the bucket."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from figment.services import Services, build_services
from figment.storage.s3 import make_client
from support import Api, api_over, make_settings, s3_settings


@pytest.fixture
def services(tmp_path: Path, sqlite_url: str, s3_endpoint: str, s3_bucket: str) -> Iterator[Services]:
    built = build_services(s3_settings(tmp_path / "data", sqlite_url, s3_endpoint, s3_bucket))
    yield built
    built.close()


@pytest.fixture
def api(services: Services) -> Iterator[Api]:
    with api_over(services) as api:
        yield api


def _objects(services: Services) -> list[str]:
    settings = services.settings
    client = make_client(endpoint=settings.s3_endpoint, region="us-east-1", access_key="test", secret_key="test")
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=settings.s3_bucket).get("Contents", []))


def test_clips_live_in_the_bucket_and_are_served_by_redirect(api: Api, services: Services) -> None:
    alice = api.signup("alice")
    bob = api.signup("bob")
    video = api.ready_clip("alice", "a red fox in the snow")
    clip_url = f"/api/videos/{video['id']}/clip.mp4"
    assert _objects(services) == [f"figment/videos/{video['id']}/clip.mp4", f"figment/videos/{video['id']}/poster.jpg"]
    assert not (services.settings.media_dir / "videos").exists()  # nothing on this host's disk

    # A draft: its author is sent to a presigned URL that no cache may keep; anyone else gets 404.
    response = api.client.get(clip_url, headers=alice, follow_redirects=False)
    assert response.status_code == 307 and response.headers["cache-control"] == "private, no-store"
    target = response.headers["location"]
    assert "X-Amz-Signature=" in target and "X-Amz-Expires=900" in target
    assert api.client.get(clip_url, headers=bob, follow_redirects=False).status_code == 404
    assert api.client.get(clip_url, follow_redirects=False).status_code == 404

    # The store answers the browser's range requests itself.
    ranged = httpx.get(target, headers={"Range": "bytes=0-99"})
    assert ranged.status_code == 206 and len(ranged.content) == 100 and ranged.content[4:8] == b"ftyp"
    assert ranged.headers["cache-control"] == "private, no-store"

    # Published: anyone may follow the redirect, which caches for less time than the URL works.
    assert api.client.post(f"/api/videos/{video['id']}/publish", headers=alice).status_code == 200
    public = api.client.get(clip_url, follow_redirects=False)
    assert public.status_code == 307 and public.headers["cache-control"] == "public, max-age=300"
    poster = api.client.get(f"/api/videos/{video['id']}/poster.jpg", follow_redirects=False)
    assert httpx.get(poster.headers["location"]).content[:3] == b"\xff\xd8\xff"  # a JPEG


def test_deleting_the_account_removes_its_objects_from_the_bucket(api: Api, services: Services) -> None:
    alice = api.signup("alice")
    api.ready_clip("alice", "a red fox in the snow", publish=True)
    api.ready_clip("alice", "a blue boat on a lake")
    assert len(_objects(services)) == 4
    assert api.client.delete("/api/me", headers=alice).status_code == 204
    api.settle()  # the objects go in a purge job
    assert _objects(services) == []


def test_a_missing_bucket_stops_the_app_at_start_naming_it(tmp_path: Path, sqlite_url: str, s3_endpoint: str) -> None:
    settings = make_settings(
        tmp_path / "data",
        sqlite_url,
        storage="s3",
        s3_endpoint=s3_endpoint,
        s3_bucket="no-such-bucket",
        s3_access_key="test",
        s3_secret_key="test",
    )
    with pytest.raises(RuntimeError, match="'no-such-bucket' at http://127.0.0.1"):
        build_services(settings)


def test_s3_storage_needs_a_bucket(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="FIGMENT_S3_BUCKET"):
        make_settings(tmp_path, "sqlite://", storage="s3")


def test_a_download_redirects_to_a_url_that_saves_the_file_under_its_name(api: Api) -> None:
    api.signup("alice")
    video = api.ready_clip("alice", "a red fox in the snow", publish=True)
    response = api.client.get(f"/api/videos/{video['id']}/clip.mp4?download=1", follow_redirects=False)
    assert response.status_code == 307
    target = httpx.get(response.headers["location"])
    assert target.status_code == 200 and target.content[4:8] == b"ftyp"
    assert target.headers["content-disposition"] == f'attachment; filename="figment-alice-{video["id"]}.mp4"'
    played = api.client.get(f"/api/videos/{video['id']}/clip.mp4", follow_redirects=False)
    assert "response-content-disposition" not in played.headers["location"]

"""Redis stopped (or never reachable): the feed, likes, signups and live streams carry on in each
process's memory, with no failed request; the logs say what is degraded."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from figment.services import Services, build_services
from support import Api, api_over, make_settings

DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def services(tmp_path: Path, sqlite_url: str) -> Iterator[Services]:
    built = build_services(
        make_settings(
            tmp_path / "data",
            sqlite_url,
            feed_cache="redis",
            shared_state="redis",
            redis_url=DEAD_REDIS,
            signup_per_hour=5,
        )
    )
    yield built
    built.close()


@pytest.fixture
def api(services: Services) -> Iterator[Api]:
    with api_over(services) as api:
        yield api


def test_without_redis_every_request_still_succeeds(api: Api, caplog: pytest.LogCaptureFixture) -> None:
    api.signup("alice")
    bob = api.signup("bob")
    clip = api.ready_clip("alice", "a red fox in the snow", publish=True)
    first = api.client.get("/api/feed?tab=for_you", headers=bob)
    assert first.status_code == 200 and [v["id"] for v in first.json()["items"]] == [clip["id"]]
    assert api.client.post(f"/api/videos/{clip['id']}/like", headers=bob).status_code == 200
    again = api.client.get("/api/feed?tab=for_you", headers=bob)
    assert again.status_code == 200  # ranked again after the like, from this process's memory
    assert api.client.get("/api/notifications", headers=api.auth("alice")).json()["items"][0]["kind"] == "like"
    assert "feed cache unreachable" in caplog.text and "rate limit store unreachable" in caplog.text

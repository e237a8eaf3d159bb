"""The refusal seam: prompt checks at submit and again before render, frame checks after render."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import select

from figment.accounts.models import User
from figment.errors import DomainError
from figment.safety.moderation import Moderator
from figment.services import Services, build_services
from figment.videos.models import Video
from support import Api, api_over, assert_error, make_settings


class Refused(DomainError):
    code = "test_refused"
    status = 422


@pytest.fixture
def services(tmp_path: Path, sqlite_url: str) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path / "data", sqlite_url))
    yield built
    built.close()


@pytest.fixture
def api(services: Services) -> Iterator[Api]:
    with api_over(services) as api:
        yield api


def test_prompt_check_refuses_at_submit_with_its_reason(api: Api, services: Services) -> None:
    def no_dragons(_session: object, _author: User, prompt: str) -> None:
        if "dragon" in prompt:
            raise Refused("Dragons are registered by Example Studios.", details={"work": "Dragons"})

    services.checks.prompt.append(no_dragons)
    alice = api.signup("alice")
    error = assert_error(
        api.client.post("/api/videos", json={"prompt": "a red dragon"}, headers=alice), 422, "test_refused"
    )
    assert error["details"] == {"work": "Dragons"}
    assert api.client.get("/api/me/drafts", headers=alice).json()["items"] == []
    assert api.wait("alice", api.submit("alice", "a red car")["id"])["status"] == "ready"


def test_a_check_that_starts_refusing_while_queued_blocks_before_render(api: Api, services: Services) -> None:
    services.workers.stop()  # hold the queue so the rule can change while the job waits
    alice = api.signup("alice")
    video_id = api.submit("alice", "a cat")["id"]

    def revoked(_session: object, _author: User, _prompt: str) -> None:
        raise Refused("Consent was revoked while the clip waited.")

    services.checks.prompt.append(revoked)
    assert services.workers.run_once("w")
    video = api.client.get(f"/api/videos/{video_id}", headers=alice).json()
    assert video["status"] == "blocked" and "revoked" in video["error"]
    assert video["urls"] == {"video": None, "poster": None}
    assert not [p for p in services.settings.media_dir.rglob("*") if p.is_file()]


def test_frame_check_sees_frames_and_blocks_without_storing(api: Api, services: Services) -> None:
    seen: list[int] = []

    def bright_frames_only(_session: object, _video: Video, frames: list[np.ndarray]) -> None:
        seen.append(len(frames))
        assert all(f.shape == (256, 144, 3) for f in frames)
        raise Refused("A registered character was found in the frames.")

    services.checks.frames.append(bright_frames_only)
    api.signup("alice")
    video = api.wait(
        "alice",
        api.client.post("/api/videos", json={"prompt": "a cat", "duration_s": 2}, headers=api.auth("alice")).json()[
            "id"
        ],
    )
    assert video["status"] == "blocked" and "character" in video["error"]
    # The refusal's stable code comes with it, for clients that say it in their reader's language.
    assert video["error_code"] == "test_refused"
    assert seen == [2]  # about one frame per second
    with services.session_factory() as session:
        stored = session.scalars(select(Video)).one()
        assert stored.video_key is None
    assert not [p for p in services.settings.media_dir.rglob("*") if p.is_file()]
    kinds = [n["kind"] for n in api.client.get("/api/notifications", headers=api.auth("alice")).json()["items"]]
    assert kinds == ["video_failed"]


def test_every_feature_embeds_with_the_one_embedder(services: Services) -> None:
    moderator = next(c.__self__ for c in services.checks.prompt if isinstance(getattr(c, "__self__", None), Moderator))
    assert moderator.embedder is services.embedder
    assert services.rights.embedder is services.embedder
    assert services.likeness.matcher.embedder is services.embedder
    assert services.recommender.embedder is services.embedder

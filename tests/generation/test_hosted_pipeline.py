"""A hosted backend through the whole product: an author picks openai-videos on an instance that enables
it beside the procedural engine, the job waits on the `hosted` queue, the worker gets the clip from a local
provider server, and it comes out like every other clip: Figment's marks, checks, content credentials,
the instance's size with sound, ready in the drafts; the provider's billed seconds recorded on the job.
Refusals, failures and a missing key end the way an author and an operator can read."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from figment.db import session_scope
from figment.jobs.models import PRIORITY_HOSTED_CLIP, Job, JobState
from figment.media import watermark_invisible
from figment.media.probe import probe, read_frames
from figment.services import Services, build_services
from figment.testing.hosted_providers import KEY, OpenAIVideosServer, serve
from figment.videos.models import Video
from support import Api, api_over, assert_error, make_settings

pytest.importorskip("httpx2", reason="the hosted extra (make test installs it)")


@pytest.fixture
def provider() -> Iterator[OpenAIVideosServer]:
    with serve(OpenAIVideosServer()) as running:
        yield running


def hosted_services(tmp_path: Path, sqlite_url: str, provider: OpenAIVideosServer, **overrides: Any) -> Services:
    values: dict[str, Any] = dict(
        backends="procedural,openai-videos",
        openai_videos_base_url=provider.base_url(),
        openai_videos_api_key=KEY,
        openai_videos_model="sora-2",
        openai_videos_poll_s=0.01,
        openai_videos_timeout_s=10.0,
        job_max_attempts=3,
    )
    return build_services(make_settings(tmp_path / "data", sqlite_url, **(values | overrides)))


@contextlib.contextmanager
def app(services: Services) -> Iterator[Api]:
    try:
        with api_over(services) as api:
            yield api
    finally:
        services.close()


def job_of(services: Services, video_id: str) -> Job:
    with session_scope(services.session_factory) as session:
        return session.scalars(select(Job).where(Job.video_id == video_id)).one()


def test_a_hosted_clip_goes_through_marks_checks_and_credentials_to_ready(
    tmp_path: Path, sqlite_url: str, provider: OpenAIVideosServer
) -> None:
    services = hosted_services(tmp_path, sqlite_url, provider)
    with app(services) as api:
        api.signup("alice")
        choices = api.client.get("/api/backends").json()["items"]
        assert [(c["name"], c["default"], c["available"], c["hosted"]) for c in choices] == [
            ("procedural", True, True, False),
            ("openai-videos", False, True, True),
        ]
        submitted = api.submit("alice", "a lighthouse in a storm at night", duration_s=3, backend="openai-videos")
        video = api.wait("alice", submitted["id"])
        assert video["status"] == "ready", video

        # The provider was asked for the shortest length covering 3 s, at its portrait size, with the prompt.
        assert provider.requests == [
            {"prompt": "a lighthouse in a storm at night", "model": "sora-2", "seconds": "4", "size": "720x1280"}
        ]
        job = job_of(services, video["id"])
        assert (job.queue, job.priority, job.state) == ("hosted", PRIORITY_HOSTED_CLIP, JobState.done)
        assert job.result == {
            "provider_usage": [
                {"backend": "openai-videos", "model": "sora-2", "provider_job_id": "video_0001", "billed_seconds": 4.0}
            ],
            "billed_seconds": 4.0,
        }
        with session_scope(services.session_factory) as session:
            row = session.get(Video, video["id"])
            assert row is not None and row.backend == "openai-videos" and row.video_key and row.watermark_id
            clip_path = services.settings.media_dir / row.video_key
            watermark_id = row.watermark_id
        # The instance's size and length, with sound, like every clip.
        info = probe(clip_path)
        assert (info.width, info.height, info.video_codec, info.audio_codec) == (144, 256, "h264", "aac")
        assert info.has_audio and abs(info.duration_s - 3.0) < 0.15
        # Figment's own invisible mark, and its signed content credentials.
        found = watermark_invisible.detect(read_frames(clip_path, every_n=4))
        assert found.found and found.watermark_id == watermark_id
        report = services.credentials.read(clip_path.read_bytes(), mime="video/mp4")
        assert report.present and report.valid
        assert video["plan"]["backend"] == "openai-videos"


def test_the_default_backend_still_renders_beside_a_hosted_one(
    tmp_path: Path, sqlite_url: str, provider: OpenAIVideosServer
) -> None:
    services = hosted_services(tmp_path, sqlite_url, provider)
    with app(services) as api:
        api.signup("alice")
        video = api.wait("alice", api.submit("alice", "a red car in the city at night")["id"])
        assert video["status"] == "ready" and "setting" in video["plan"]  # the procedural plan
        assert job_of(services, video["id"]).queue == "cpu" and provider.requests == []


def test_a_provider_refusal_blocks_the_clip_and_bills_nothing(
    tmp_path: Path, sqlite_url: str, provider: OpenAIVideosServer
) -> None:
    provider.scenario = "refuse_job"
    services = hosted_services(tmp_path, sqlite_url, provider)
    with app(services) as api:
        api.signup("alice")
        video = api.wait("alice", api.submit("alice", "a storm", backend="openai-videos")["id"])
        assert video["status"] == "blocked"
        assert video["error"].startswith("The openai-videos video provider refused to make this clip")
        job = job_of(services, video["id"])
        assert (job.last_error, job.attempts, job.result) == ("moderation_blocked", 1, None)
        assert not [p for p in services.settings.media_dir.rglob("*") if p.is_file()]


def test_a_rejected_key_fails_the_clip_at_once_naming_the_setting(
    tmp_path: Path, sqlite_url: str, provider: OpenAIVideosServer
) -> None:
    services = hosted_services(tmp_path, sqlite_url, provider, openai_videos_api_key="sk-revoked")
    with app(services) as api:
        api.signup("alice")
        video = api.wait("alice", api.submit("alice", "a storm", backend="openai-videos")["id"])
        assert video["status"] == "failed" and "FIGMENT_OPENAI_VIDEOS_API_KEY" in video["error"]
        assert job_of(services, video["id"]).attempts == 1  # not worth the other two tries


def test_a_slow_provider_costs_a_try_with_a_readable_reason(
    tmp_path: Path, sqlite_url: str, provider: OpenAIVideosServer
) -> None:
    provider.scenario = "slow"
    services = hosted_services(tmp_path, sqlite_url, provider, openai_videos_timeout_s=1.0, job_max_attempts=1)
    with app(services) as api:
        api.signup("alice")
        video = api.wait("alice", api.submit("alice", "a storm", backend="openai-videos")["id"])
        assert video["status"] == "failed"
        assert video["error"] == (
            "The openai-videos provider did not finish the clip within 1 s (it was in_progress, 40%)."
        )


def test_choices_are_checked_at_submit(tmp_path: Path, sqlite_url: str, provider: OpenAIVideosServer) -> None:
    services = hosted_services(tmp_path, sqlite_url, provider, openai_videos_seconds="4")
    with app(services) as api:
        headers = api.signup("alice")
        post = lambda **body: api.client.post("/api/videos", json={"prompt": "a storm", **body}, headers=headers)  # noqa: E731
        error = assert_error(post(backend="veo"), 422, "validation_error")
        assert error["details"]["field"] == "backend" and "procedural, openai-videos" in error["message"]
        error = assert_error(post(backend="openai-videos", duration_s=6), 422, "validation_error")
        assert error["details"]["field"] == "duration_s"
        assert error["message"] == "The openai-videos video model makes clips of at most 4 seconds, not 6."
        # Unsaid, the length is the longest the chosen model makes.
        assert post(backend="openai-videos").json()["duration_s"] == 4.0
        # The document says which names this server takes.
        schema = api.client.get("/openapi.json").json()["components"]["schemas"]["SubmitIn"]
        assert {"type": "string", "maxLength": 32, "enum": ["procedural", "openai-videos"]} in schema["properties"][
            "backend"
        ]["anyOf"]


def test_a_hosted_backend_without_its_key_is_offered_as_unavailable_and_refused(
    tmp_path: Path, sqlite_url: str, provider: OpenAIVideosServer
) -> None:
    services = hosted_services(tmp_path, sqlite_url, provider, openai_videos_api_key="")
    with app(services) as api:
        headers = api.signup("alice")
        choices = {c["name"]: c for c in api.client.get("/api/backends").json()["items"]}
        assert not choices["openai-videos"]["available"] and choices["procedural"]["available"]
        response = api.client.post(
            "/api/videos", json={"prompt": "a storm", "backend": "openai-videos"}, headers=headers
        )
        error = assert_error(response, 422, "validation_error")
        assert error["message"] == (
            "The openai-videos video model cannot render on this server right now; choose another one."
        )
        assert provider.requests == []


def test_a_tagged_person_is_refused_for_a_hosted_model_and_sent_nowhere(
    tmp_path: Path, sqlite_url: str, provider: OpenAIVideosServer
) -> None:
    from cameo_support import verify_directly

    services = hosted_services(tmp_path, sqlite_url, provider)
    with app(services) as api:
        headers = api.signup("alice")
        verify_directly(api, "alice")
        body = {"prompt": "@alice waves at the camera", "duration_s": 1}
        response = api.client.post("/api/videos", json={**body, "backend": "openai-videos"}, headers=headers)
        error = assert_error(response, 422, "validation_error")
        assert error["details"]["field"] == "backend"
        assert "cannot put a person's likeness in a clip" in error["message"]
        # The built-in engine may draw her (she tagged herself).
        assert api.client.post("/api/videos", json=body, headers=headers).status_code == 202
        assert provider.requests == []


def test_demo_clips_are_made_by_the_built_in_engine_not_billed_by_a_hosted_default(
    tmp_path: Path, sqlite_url: str, provider: OpenAIVideosServer
) -> None:
    from figment.demo import DEMO_CLIPS, seed

    services = hosted_services(tmp_path, sqlite_url, provider, backend="openai-videos", workers=0)
    try:
        assert seed(services, clips=DEMO_CLIPS[:1]) == 1
        with session_scope(services.session_factory) as session:
            # The clip and the demo people's generated avatars: all made by the built-in engine.
            videos = session.scalars(select(Video)).all()
            assert {(video.backend, video.status) for video in videos} == {("procedural", "ready")}
            assert DEMO_CLIPS[0].prompt in {video.prompt for video in videos}
        assert provider.requests == []
    finally:
        services.close()


def test_with_a_hosted_default_a_tagged_person_can_still_pick_the_built_in_engine(
    tmp_path: Path, sqlite_url: str, provider: OpenAIVideosServer
) -> None:
    from cameo_support import verify_directly

    services = hosted_services(tmp_path, sqlite_url, provider, backend="openai-videos")
    with app(services) as api:
        headers = api.signup("alice")
        verify_directly(api, "alice")
        body = {"prompt": "@alice waves at the camera", "duration_s": 1}
        # Unsaid, the model is the hosted default, which cannot draw her.
        assert assert_error(api.client.post("/api/videos", json=body, headers=headers), 422, "validation_error")[
            "details"
        ]["field"] == "backend"
        response = api.client.post("/api/videos", json={**body, "backend": "procedural"}, headers=headers)
        assert response.status_code == 202, response.text
        assert provider.requests == []


def test_a_clip_figments_own_checks_block_is_still_counted_as_billed(
    tmp_path: Path, sqlite_url: str, provider: OpenAIVideosServer
) -> None:
    from figment.errors import OutputBlocked

    def refuse(session: object, video: object, frames: object) -> None:
        raise OutputBlocked("The clip failed a check.")

    services = hosted_services(tmp_path, sqlite_url, provider)
    services.checks.frames.append(refuse)
    with app(services) as api:
        api.signup("alice")
        video = api.wait("alice", api.submit("alice", "a storm", duration_s=2, backend="openai-videos")["id"])
        assert video["status"] == "blocked"
        job = job_of(services, video["id"])
        assert job.last_error == "output_blocked" and job.result is not None and job.result["billed_seconds"] == 4.0
        assert not [p for p in services.settings.media_dir.rglob("*") if p.is_file()]

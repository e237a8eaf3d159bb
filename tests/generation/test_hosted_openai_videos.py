"""The openai-videos backend against a local server that follows the OpenAI Videos API shapes
(figment.testing.hosted_providers.OpenAIVideosServer): create, poll, download, the clip decoded to the request's size,
frame rate and length; refusals, failures, a slow job, a bad key, a missing key, no provider at all."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from figment.errors import ModerationBlocked, ValidationFailed
from figment.generation.backends.hosted.openai_videos import OpenAIVideosBackend
from figment.generation.types import Backend, BackendFailure, GenerationRequest, LikenessRef
from figment.testing.hosted_providers import KEY, OpenAIVideosServer, make_mp4, serve
from support import free_port

pytest.importorskip("httpx2", reason="the hosted extra (make test installs it)")

SIZE = (144, 256)


def make_backend(server: OpenAIVideosServer, **overrides: Any) -> OpenAIVideosBackend:
    values: dict[str, Any] = dict(
        base_url=server.base_url(),
        api_key=KEY,
        model="sora-2",
        sizes=((720, 1280), (1280, 720)),
        seconds=(4, 8, 12),
        timeout_s=10.0,
        poll_s=0.01,
        size=SIZE,
    )
    return OpenAIVideosBackend(**(values | overrides))


def request(**overrides: Any) -> GenerationRequest:
    values: dict[str, Any] = dict(prompt="a red fox in the snow", seed=3, duration_s=5.0, width=144, height=256, fps=12)
    return GenerationRequest(**(values | overrides))


@pytest.fixture
def server() -> Iterator[OpenAIVideosServer]:
    with serve(OpenAIVideosServer()) as running:
        yield running


def test_a_clip_is_created_polled_downloaded_and_decoded_to_the_request(server: OpenAIVideosServer) -> None:
    clip = make_backend(server).generate(request(duration_s=5.0))

    # The documented create form: the shortest length that covers 5 s, the portrait size.
    assert server.requests == [
        {"prompt": "a red fox in the snow", "model": "sora-2", "seconds": "8", "size": "720x1280"}
    ]
    assert (clip.width, clip.height, clip.fps, clip.frame_count) == (144, 256, 12, 60)
    frames = list(clip.frames)
    assert len(frames) == 60 and all(f.shape == (256, 144, 3) and f.dtype == np.uint8 for f in frames)
    # The provider's 24 fps become 12: output frame i is source frame 2i, whose red is 4 * 2i (give or
    # take the YUV round trip): red climbs by about 8 a frame, not 4 (every frame) or 16 (every fourth).
    reds = [int(f[200, 72, 0]) for f in frames[:30]]
    slope = float(np.polyfit(np.arange(30), reds, 1)[0])
    assert 6.5 < slope < 9.5 and reds == sorted(reds), reds
    assert frames[0][10, 72, 2] > 200 and frames[0][240, 72, 2] < 50  # blue top half, kept the right way up
    # The sound: the provider's stereo 48 kHz tone, cut to the clip's 5 s.
    assert clip.audio.dtype == np.float32 and clip.audio.shape == (2, 5 * 48_000) and clip.sample_rate == 48_000
    assert 0.15 < float(np.abs(clip.audio[:, 48_000:96_000]).max()) <= 0.35
    # What was paid: the 8 s the provider made, not the 5 s kept.
    assert clip.usage is not None and clip.usage.to_dict() == {
        "backend": "openai-videos",
        "model": "sora-2",
        "provider_job_id": "video_0001",
        "billed_seconds": 8.0,
    }
    assert clip.plan == {
        "backend": "openai-videos",
        "model": "sora-2",
        "provider_seconds": 8,
        "provider_size": "720x1280",
    }


def test_a_provider_size_that_is_not_9_16_is_cropped_without_stretching(server: OpenAIVideosServer) -> None:
    server.render_size = (96, 168)  # 4:7, like 1024x1792
    clip = make_backend(server, sizes=((1280, 720), (1024, 1792))).generate(request(duration_s=1.0))
    assert server.requests[0]["size"] == "1024x1792"
    frame = next(clip.frames)
    assert frame.shape == (256, 144, 3)
    # The half-way line between blue and not-blue stays at half height: scaled evenly, cropped at the sides.
    column = frame[:, 72, 2].astype(int)
    edge = int(np.argmax(column < 128))
    assert abs(edge - 128) <= 3, edge


def test_a_provider_without_sound_gives_a_silent_track_of_the_right_length(server: OpenAIVideosServer) -> None:
    server.scenario = "no_audio"
    clip = make_backend(server).generate(request(duration_s=2.0))
    assert clip.audio.shape[1] == round(2.0 * clip.sample_rate) and not clip.audio.any()
    assert sum(1 for _ in clip.frames) == 24


@pytest.mark.parametrize("scenario", ["refuse_create", "refuse_job"])
def test_a_content_policy_refusal_is_figments_moderation_refusal(server: OpenAIVideosServer, scenario: str) -> None:
    server.scenario = scenario
    with pytest.raises(ModerationBlocked) as refused:
        make_backend(server).generate(request())
    assert refused.value.code == "moderation_blocked"
    assert refused.value.details == {
        "category": "provider_policy",
        "backend": "openai-videos",
        "provider_code": "moderation_blocked",
    }
    assert "refused to make this clip under its content policy" in refused.value.message
    assert "moderation" in refused.value.message  # what the provider said is kept for the author


def test_a_failed_job_is_a_readable_failure_worth_a_retry(server: OpenAIVideosServer) -> None:
    server.scenario = "fail"
    with pytest.raises(BackendFailure) as failed:
        make_backend(server).generate(request())
    assert failed.value.retryable
    assert str(failed.value) == (
        "The openai-videos provider could not make the clip (internal_error): The render node crashed."
    )


def test_a_slow_job_is_given_up_at_the_timeout_and_dropped_at_the_provider(server: OpenAIVideosServer) -> None:
    server.scenario = "slow"
    started = time.monotonic()
    with pytest.raises(BackendFailure, match=r"did not finish the clip within 1 s \(it was in_progress, 40%\)"):
        make_backend(server, timeout_s=1.0).generate(request())
    assert time.monotonic() - started < 3
    assert server.deleted == ["video_0001"]


def test_a_bad_key_fails_at_once_naming_the_setting(server: OpenAIVideosServer) -> None:
    with pytest.raises(BackendFailure) as failed:
        make_backend(server, api_key="sk-wrong").generate(request())
    assert not failed.value.retryable
    assert "HTTP 401" in str(failed.value) and "FIGMENT_OPENAI_VIDEOS_API_KEY" in str(failed.value)
    assert server.requests == []


def test_a_missing_key_refuses_naming_the_setting_and_sends_nothing(server: OpenAIVideosServer) -> None:
    with pytest.raises(BackendFailure) as failed:
        make_backend(server, api_key="").generate(request())
    assert str(failed.value) == (
        "The openai-videos video model cannot run here: FIGMENT_OPENAI_VIDEOS_API_KEY is not set."
    )
    assert not failed.value.retryable and server.requests == [] and server.jobs == {}


def test_a_length_the_provider_does_not_make_is_rejected_for_good(server: OpenAIVideosServer) -> None:
    server.seconds = ("4",)  # the settings say 4, 8, 12; the provider takes only 4
    with pytest.raises(BackendFailure, match=r"rejected the request \(HTTP 400, invalid_value\)") as failed:
        make_backend(server).generate(request(duration_s=6.0))
    assert not failed.value.retryable


def test_no_provider_at_the_address_is_a_failure_worth_a_retry() -> None:
    closed = OpenAIVideosServer()
    closed.port = free_port()
    with pytest.raises(BackendFailure, match="Could not reach the openai-videos provider") as failed:
        make_backend(closed).generate(request())
    assert failed.value.retryable


def test_what_it_cannot_make_is_refused_before_anything_is_sent(server: OpenAIVideosServer) -> None:
    backend = make_backend(server, seconds=(4,))
    assert backend.capabilities.max_duration_s == 4.0 and not backend.capabilities.supports_likeness
    with pytest.raises(ValidationFailed, match="at most 4 s, not 5 s"):
        backend.generate(request(duration_s=5.0))
    face = np.zeros((16, 16, 4), np.uint8)
    with pytest.raises(ValidationFailed, match="likeness"):
        backend.generate(request(duration_s=2.0, likeness=(LikenessRef(handle="olga", face=face),)))
    assert server.requests == []


# ---- the Backend contract, against one server for the class -------------------------------------

from contracts.test_backend import BackendContract  # noqa: E402

_contract_server: OpenAIVideosServer | None = None


@pytest.fixture(scope="module", autouse=True)
def contract_server() -> Iterator[None]:
    global _contract_server
    with serve(OpenAIVideosServer()) as running:
        for seconds in (4, 8, 12):  # made before the contract measures generate()'s memory, in this process
            make_mp4(*running.render_size, float(seconds), audio=True)
        _contract_server = running
        yield
    _contract_server = None


class TestOpenAIVideosContract(BackendContract):
    # The provider has no seed (the stand-in returns the same clip for every prompt), and the clip is
    # scaled to any 9:16 size asked.
    seeded = False
    accepts_unlisted_sizes = True
    # Large enough that the clip's frames outweigh its sound (decoded up front, 10 s of 48 kHz stereo).
    size = (288, 512)

    @classmethod
    def make_backend(cls) -> Backend:
        assert _contract_server is not None
        return make_backend(_contract_server, size=cls.size)


# ---- progress while the provider works, and cancellation between polls ---------------------------

import dataclasses  # noqa: E402
from collections.abc import Callable  # noqa: E402


@dataclasses.dataclass(frozen=True, kw_only=True)
class ListenedRequest(GenerationRequest):
    """A request with a progress listener, as GenerationRequest.progress carries one on GPU builds."""

    progress: Callable[[int], None] | None = None


class Cancelled(Exception):
    pass


def test_the_providers_progress_reaches_the_listener(server: OpenAIVideosServer) -> None:
    seen: list[int] = []
    values: dict[str, Any] = dict(prompt="a fox", seed=1, duration_s=1.0, width=144, height=256, fps=12)
    make_backend(server).generate(ListenedRequest(**values, progress=seen.append))
    assert seen == [0, 50]  # queued, then in progress; the next answer is done


def test_a_cancelled_job_stops_polling_and_downloads_nothing(server: OpenAIVideosServer) -> None:
    server.scenario = "slow"

    def cancel(percent: int) -> None:
        if percent:
            raise Cancelled()

    values: dict[str, Any] = dict(prompt="a fox", seed=1, duration_s=1.0, width=144, height=256, fps=12)
    started = time.monotonic()
    with pytest.raises(Cancelled):
        make_backend(server, timeout_s=30).generate(ListenedRequest(**values, progress=cancel))
    assert time.monotonic() - started < 5 and server.jobs["video_0001"]["_polls"] == 1

"""The veo backend through the real google-genai client, pointed (http_options base_url) at a local
server that follows the Vertex AI shapes it speaks (figment.testing.hosted_providers.VeoServer): predictLongRunning,
fetchPredictOperation, the video inline; filtered clips, failures, a slow job, a bad key, no key."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from figment.errors import ModerationBlocked, ValidationFailed
from figment.generation.backends.hosted.veo import VeoBackend
from figment.generation.types import Backend, BackendFailure, GenerationRequest
from figment.testing.hosted_providers import KEY, VeoServer, make_mp4, serve

pytest.importorskip("google.genai", reason="the hosted extra (make test installs it)")


def make_backend(server: VeoServer, **overrides: Any) -> VeoBackend:
    values: dict[str, Any] = dict(
        api_key=KEY,
        model="veo-3.0-generate-001",
        base_url=server.base_url(),
        resolution="720p",
        seconds=(4, 6, 8),
        person_generation="",
        timeout_s=10.0,
        poll_s=0.01,
        size=(144, 256),
    )
    return VeoBackend(**(values | overrides))


def request(**overrides: Any) -> GenerationRequest:
    values: dict[str, Any] = dict(prompt="a red fox in the snow", seed=3, duration_s=5.0, width=144, height=256, fps=12)
    return GenerationRequest(**(values | overrides))


@pytest.fixture
def server() -> Iterator[VeoServer]:
    with serve(VeoServer()) as running:
        yield running


def test_a_clip_is_made_9_16_with_sound_and_decoded_to_the_request(server: VeoServer) -> None:
    clip = make_backend(server, person_generation="allow_adult").generate(request(duration_s=5.0))

    [sent] = server.requests
    assert sent["model"] == "veo-3.0-generate-001"
    assert sent["instances"] == [{"prompt": "a red fox in the snow"}]
    assert sent["parameters"] == {
        "aspectRatio": "9:16",
        "durationSeconds": 6,  # the shortest Veo length that covers 5 s
        "generateAudio": True,
        "resolution": "720p",
        "sampleCount": 1,
        "seed": 3,
        "personGeneration": "allow_adult",
    }
    frames = list(clip.frames)
    assert len(frames) == clip.frame_count == 60 and frames[0].shape == (256, 144, 3)
    assert clip.audio.shape == (2, 5 * 48_000) and float(np.abs(clip.audio).max()) > 0.15
    assert clip.usage is not None and clip.usage.billed_seconds == 6 and clip.usage.backend == "veo"
    assert clip.usage.provider_job_id.startswith("publishers/google/models/veo-3.0-generate-001/operations/")


@pytest.mark.parametrize("scenario", ["refuse_create", "refuse_job"])
def test_a_content_policy_refusal_is_figments_moderation_refusal(server: VeoServer, scenario: str) -> None:
    server.scenario = scenario
    with pytest.raises(ModerationBlocked) as refused:
        make_backend(server).generate(request())
    assert refused.value.details["category"] == "provider_policy" and refused.value.details["backend"] == "veo"
    assert "content policy" in refused.value.message


def test_a_failed_operation_is_a_readable_failure_worth_a_retry(server: VeoServer) -> None:
    server.scenario = "fail"
    with pytest.raises(BackendFailure) as failed:
        make_backend(server).generate(request())
    assert failed.value.retryable and str(failed.value) == (
        "The veo provider could not make the clip (code 13): Internal error encountered."
    )


def test_a_slow_operation_is_given_up_at_the_timeout(server: VeoServer) -> None:
    server.scenario = "slow"
    started = time.monotonic()
    with pytest.raises(BackendFailure, match=r"did not finish the clip within 0\.3 s") as failed:
        make_backend(server, timeout_s=0.3).generate(request())
    assert failed.value.retryable and time.monotonic() - started < 5


def test_a_bad_key_fails_at_once_naming_the_setting(server: VeoServer) -> None:
    with pytest.raises(BackendFailure) as failed:
        make_backend(server, api_key="wrong").generate(request())
    assert not failed.value.retryable
    assert "HTTP 401" in str(failed.value) and "FIGMENT_VEO_API_KEY" in str(failed.value)


def test_a_missing_key_refuses_naming_the_setting_and_sends_nothing(server: VeoServer) -> None:
    with pytest.raises(BackendFailure, match="^The veo video model cannot run here: FIGMENT_VEO_API_KEY is not set.$"):
        make_backend(server, api_key="").generate(request())
    assert server.requests == []


def test_veo_makes_at_most_its_longest_length(server: VeoServer) -> None:
    with pytest.raises(ValidationFailed, match="at most 8 s, not 9 s"):
        make_backend(server).generate(request(duration_s=9.0))


from contracts.test_backend import BackendContract  # noqa: E402

_contract_server: VeoServer | None = None


@pytest.fixture(scope="module", autouse=True)
def contract_server() -> Iterator[None]:
    global _contract_server
    with serve(VeoServer()) as running:
        for seconds in (4, 6, 8):  # made before the contract measures generate()'s memory, in this process
            make_mp4(*running.render_size, float(seconds), audio=True)
        _contract_server = running
        yield
    _contract_server = None


class TestVeoContract(BackendContract):
    # Veo takes the seed, but the local stand-in ignores it (it returns one clip for every request).
    seeded = False
    accepts_unlisted_sizes = True
    size = (288, 512)

    @classmethod
    def make_backend(cls) -> Backend:
        assert _contract_server is not None
        return make_backend(_contract_server, size=cls.size)

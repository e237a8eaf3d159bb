"""`veo`: Google Veo through google-genai (`client.models.generate_videos`), 9:16 with sound.

google-genai 3.6.1 makes videos only on Vertex AI ("Gemini Enterprise Agent Platform" mode); the
Gemini Developer API path raises. Figment uses Vertex in express mode, an API key and no project,
so the only credential is FIGMENT_VEO_API_KEY. The REST shapes the client speaks (and the test server
in figment.testing.hosted_providers follows):

- `POST {base}/v1beta1/publishers/google/models/{model}:predictLongRunning` with header
  `x-goog-api-key`, body `{"instances": [{"prompt"}], "parameters": {"aspectRatio": "9:16",
  "durationSeconds", "generateAudio": true, "resolution", "seed", "sampleCount": 1, ...}}`
  -> `{"name": ".../operations/ID"}`;
- `POST {base}/v1beta1/publishers/google/models/{model}:fetchPredictOperation` `{"operationName"}`
  -> `{"name", "done", "response": {"videos": [{"bytesBase64Encoded", "mimeType"}],
  "raiMediaFilteredCount", "raiMediaFilteredReasons"}}` or `{"name", "done": true, "error": {"code",
  "message"}}`;
- HTTP errors `{"error": {"code", "message", "status"}}` (google.genai.errors.APIError).

A clip Google's filters withhold (raiMediaFilteredCount > 0, no video) is a content-policy refusal.
What leaves the instance: the prompt as the renderer reads it, the seed, length and size; never a face.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from figment.generation.backends.hosted.common import (
    MAX_DOWNLOAD_BYTES,
    Deadline,
    capabilities,
    check_request,
    choose_seconds,
    decode_clip,
    missing_key,
    provider_refusal,
    report_progress,
)
from figment.generation.registry import BackendAvailability
from figment.generation.types import BackendFailure, GeneratedClip, GenerationRequest, ProviderUsage

if TYPE_CHECKING:
    from figment.settings import Settings

log = logging.getLogger(__name__)

NAME = "veo"
KEY_SETTING = "FIGMENT_VEO_API_KEY"
# Each HTTP call (google-genai takes milliseconds); the whole job has FIGMENT_VEO_TIMEOUT_S.
REQUEST_TIMEOUT_MS = 120_000
# Operation errors that mean "refused under the usage guidelines" rather than "broke" (Vertex puts the
# Responsible AI wording in the message; there is no separate code for it).
POLICY_WORDS = ("responsible ai", "usage guidelines", "safety filter", "content policy", "sensitive words")


def availability(settings: Settings) -> BackendAvailability:
    if not _has_genai():
        return BackendAvailability(
            name=NAME, can_run=False, reason="missing extra: pip install 'figment[hosted]' (google-genai)"
        )
    if not settings.veo_api_key.get_secret_value():
        return BackendAvailability(name=NAME, can_run=False, reason=f"missing {KEY_SETTING}")
    return BackendAvailability(name=NAME, can_run=True, reason="")


def _has_genai() -> bool:
    try:
        from google import genai  # noqa: F401
    except ImportError:
        return False
    return True


class VeoBackend:
    name = NAME

    def __init__(
        self,
        *,
        api_key: str,
        model: str,
        base_url: str,
        resolution: str,
        seconds: tuple[int, ...],
        person_generation: str,
        timeout_s: float,
        poll_s: float,
        size: tuple[int, int],
    ) -> None:
        self._api_key = api_key
        self.model = model
        self.base_url = base_url
        self.resolution = resolution
        self.seconds = seconds
        self.person_generation = person_generation
        self.timeout_s = timeout_s
        self.poll_s = poll_s
        self.capabilities = capabilities(seconds=seconds, size=size)

    @classmethod
    def from_settings(cls, settings: Settings) -> VeoBackend:
        from figment.settings import parse_seconds

        return cls(
            api_key=settings.veo_api_key.get_secret_value(),
            model=settings.veo_model,
            base_url=settings.veo_base_url,
            resolution=settings.veo_resolution,
            seconds=parse_seconds(settings.veo_seconds),
            person_generation=settings.veo_person_generation,
            timeout_s=settings.veo_timeout_s,
            poll_s=settings.veo_poll_s,
            size=(settings.video_width, settings.video_height),
        )

    def generate(self, request: GenerationRequest) -> GeneratedClip:
        check_request(self.name, self.capabilities, request)
        if not self._api_key:
            raise missing_key(self.name, KEY_SETTING)
        try:
            import httpx2
            from google import genai
            from google.genai import errors, types
        except ImportError as exc:
            raise BackendFailure(
                "The veo video model needs the hosted extra: pip install 'figment[hosted]'.", retryable=False
            ) from exc
        seconds = choose_seconds(request.duration_s, self.seconds)
        deadline = Deadline(self.timeout_s)
        # Explicit arguments only: google-genai would otherwise read GOOGLE_* variables of the process.
        client = genai.Client(
            vertexai=True,
            api_key=self._api_key,
            http_options=types.HttpOptions(base_url=self.base_url or None, timeout=REQUEST_TIMEOUT_MS),
        )
        config = types.GenerateVideosConfig(
            aspect_ratio="9:16",
            duration_seconds=seconds,
            generate_audio=True,
            resolution=self.resolution,
            number_of_videos=1,
            # Veo takes a 32-bit seed; the clip's seed makes a retry ask for the same clip.
            seed=request.seed,
            person_generation=self.person_generation or None,
        )
        try:
            operation = client.models.generate_videos(
                model=self.model, source=types.GenerateVideosSource(prompt=request.prompt), config=config
            )
            log.info("veo operation %s started (%s s)", operation.name, seconds)
            while not operation.done:
                if deadline.left() <= 0:
                    raise BackendFailure(
                        f"The veo provider did not finish the clip within {deadline.timeout_s:g} s."
                    )
                # Veo reports no percentage: 0 while waiting still lets a cancelled job stop here.
                report_progress(request, 0)
                deadline.sleep(self.poll_s)
                operation = client.operations.get(operation)
        except errors.APIError as exc:
            raise self._error(exc) from exc
        except httpx2.TransportError as exc:  # google-genai lets its HTTP client's errors through
            raise BackendFailure(f"Could not reach the veo provider ({exc.__class__.__name__}: {exc}).") from exc
        finally:
            client.close()
        data = self._video_bytes(operation)
        usage = ProviderUsage(
            backend=self.name, model=self.model, provider_job_id=str(operation.name or ""), billed_seconds=seconds
        )
        plan = {"backend": self.name, "model": self.model, "provider_seconds": seconds, "resolution": self.resolution}
        return decode_clip(data, request=request, plan=plan, usage=usage)

    def _video_bytes(self, operation: Any) -> bytes:
        if operation.error:
            message = str(operation.error.get("message") or "")
            if any(word in message.lower() for word in POLICY_WORDS):
                raise provider_refusal(self.name, message, provider_code=str(operation.error.get("code") or ""))
            raise BackendFailure(
                f"The veo provider could not make the clip (code {operation.error.get('code')}): {message[:300]}"
            )
        result = operation.result or operation.response
        videos = (result.generated_videos or []) if result is not None else []
        if not videos or videos[0].video is None:
            filtered = result.rai_media_filtered_count if result is not None else None
            if filtered:
                reasons = "; ".join(result.rai_media_filtered_reasons or []) if result is not None else ""
                raise provider_refusal(self.name, reasons, filtered=int(filtered))
            raise BackendFailure("The veo provider finished without a video.")
        video = videos[0].video
        if not video.video_bytes:
            # Only when the operation was told to write to Cloud Storage (output_gcs_uri), which Figment
            # never asks for: the bytes come inline.
            raise BackendFailure(f"The veo provider stored the clip at {video.uri} instead of sending it.")
        if len(video.video_bytes) > MAX_DOWNLOAD_BYTES:
            raise BackendFailure(f"The veo provider sent more than {MAX_DOWNLOAD_BYTES // 2**20} MB for one clip.")
        data: bytes = video.video_bytes
        return data

    def _error(self, exc: Any) -> Exception:
        code, message = int(getattr(exc, "code", 0) or 0), str(getattr(exc, "message", "") or "")
        said = f": {message[:300].rstrip('.')}" if message else ""
        if code in (401, 403):
            return BackendFailure(
                f"The veo provider refused Figment's API key (HTTP {code}){said}. "
                f"An operator must check {KEY_SETTING}.",
                retryable=False,
            )
        if code == 400 and any(word in message.lower() for word in POLICY_WORDS):
            return provider_refusal(self.name, message, provider_code=str(getattr(exc, "status", "") or code))
        if code in (400, 404):
            return BackendFailure(f"The veo provider rejected the request (HTTP {code}){said}.", retryable=False)
        if code == 429:
            return BackendFailure(f"The veo provider is rate limiting Figment (HTTP 429){said}.")
        return BackendFailure(f"The veo provider failed (HTTP {code}){said}.")

"""`openai-videos`: any provider that serves the OpenAI Videos API shapes.

OpenAI shut its own Videos API (Sora 2) down on 2026-09-24, and the `openai` SDK marks every
`client.videos` method deprecated, but gateways still serve the same shapes with other models. So this
speaks the documented HTTP directly, with httpx2 (the `hosted` extra):

- `POST {base}/videos`, multipart form `prompt`, `model`, `seconds` ("8"), `size` ("720x1280")
  -> a Video `{id, object: "video", status: queued|in_progress|completed|failed, progress, model,
  seconds, size, error: {code, message} | null, ...}`;
- `GET {base}/videos/{id}` until `completed` or `failed`, at the pace of the `openai-poll-after-ms`
  header when the provider sends one;
- `GET {base}/videos/{id}/content?variant=video` -> the MP4;
- errors: `{"error": {"message", "type", "param", "code"}}` with an HTTP status; a content-policy
  refusal carries code `moderation_blocked` (at create, or as the failed video's `error.code`).

What leaves the instance: the prompt as the renderer reads it (people's @handles already replaced),
the model name, the length and the size. Never a face: hosted backends do not take likeness.
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
    choose_size,
    decode_clip,
    missing_key,
    provider_refusal,
    report_progress,
)
from figment.generation.registry import BackendAvailability
from figment.generation.types import BackendFailure, GeneratedClip, GenerationRequest, ProviderUsage

if TYPE_CHECKING:
    import httpx2

    from figment.settings import Settings

log = logging.getLogger(__name__)

NAME = "openai-videos"
KEY_SETTING = "FIGMENT_OPENAI_VIDEOS_API_KEY"
# Error codes providers of these shapes use for a content-policy refusal (OpenAI's is the first).
POLICY_CODES = frozenset(
    {"moderation_blocked", "content_policy_violation", "content_filter", "safety_violation", "policy_violation"}
)
# Connecting and each read; a download of tens of MB gets the read timeout per chunk, not in all.
CONNECT_TIMEOUT_S = 15.0
READ_TIMEOUT_S = 120.0


def availability(settings: Settings) -> BackendAvailability:
    if not _has_httpx():
        return BackendAvailability(
            name=NAME, can_run=False, reason="missing extra: pip install 'figment[hosted]' (httpx2)"
        )
    missing = _missing_settings(settings)
    if missing:
        return BackendAvailability(name=NAME, can_run=False, reason=f"missing {', '.join(missing)}")
    return BackendAvailability(name=NAME, can_run=True, reason="")


def _has_httpx() -> bool:
    try:
        import httpx2  # noqa: F401
    except ImportError:
        return False
    return True


def _missing_settings(settings: Settings) -> list[str]:
    missing = []
    if not settings.openai_videos_api_key.get_secret_value():
        missing.append(KEY_SETTING)
    if not settings.openai_videos_base_url:
        missing.append("FIGMENT_OPENAI_VIDEOS_BASE_URL")
    if not settings.openai_videos_model:
        missing.append("FIGMENT_OPENAI_VIDEOS_MODEL")
    return missing


class OpenAIVideosBackend:
    name = NAME

    def __init__(
        self,
        *,
        base_url: str,
        api_key: str,
        model: str,
        sizes: tuple[tuple[int, int], ...],
        seconds: tuple[int, ...],
        timeout_s: float,
        poll_s: float,
        size: tuple[int, int],
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self.model = model
        self.sizes = sizes
        self.seconds = seconds
        self.timeout_s = timeout_s
        self.poll_s = poll_s
        self.capabilities = capabilities(seconds=seconds, size=size)

    @classmethod
    def from_settings(cls, settings: Settings) -> OpenAIVideosBackend:
        from figment.settings import parse_seconds, parse_sizes

        return cls(
            base_url=settings.openai_videos_base_url,
            api_key=settings.openai_videos_api_key.get_secret_value(),
            model=settings.openai_videos_model,
            sizes=parse_sizes(settings.openai_videos_sizes),
            seconds=parse_seconds(settings.openai_videos_seconds),
            timeout_s=settings.openai_videos_timeout_s,
            poll_s=settings.openai_videos_poll_s,
            size=(settings.video_width, settings.video_height),
        )

    def generate(self, request: GenerationRequest) -> GeneratedClip:
        check_request(self.name, self.capabilities, request)
        if not self._api_key:
            raise missing_key(self.name, KEY_SETTING)
        if not self.base_url or not self.model:
            missing = "FIGMENT_OPENAI_VIDEOS_BASE_URL" if not self.base_url else "FIGMENT_OPENAI_VIDEOS_MODEL"
            raise missing_key(self.name, missing)
        try:
            import httpx2
        except ImportError as exc:
            raise BackendFailure(
                "The openai-videos video model needs the hosted extra: pip install 'figment[hosted]'.", retryable=False
            ) from exc
        seconds = choose_seconds(request.duration_s, self.seconds)
        width, height = choose_size(request.width, request.height, self.sizes)
        deadline = Deadline(self.timeout_s)
        with httpx2.Client(
            base_url=self.base_url + "/",
            headers={"Authorization": f"Bearer {self._api_key}"},
            timeout=httpx2.Timeout(READ_TIMEOUT_S, connect=CONNECT_TIMEOUT_S),
            # A provider may answer the content with a redirect to its storage; httpx2 drops the
            # Authorization header when the redirect leaves the provider's origin.
            follow_redirects=True,
        ) as http:
            try:
                video = self._create(http, request.prompt, seconds=seconds, size=f"{width}x{height}")
                video = self._wait(http, video, deadline, request)
                data = self._download(http, str(video["id"]))
            except httpx2.TransportError as exc:
                raise BackendFailure(
                    f"Could not reach the openai-videos provider at {self.base_url} ({exc.__class__.__name__})."
                ) from exc
        usage = ProviderUsage(
            backend=self.name,
            model=str(video.get("model") or self.model),
            provider_job_id=str(video["id"]),
            billed_seconds=_seconds_of(video, default=seconds),
        )
        plan = {
            "backend": self.name,
            "model": usage.model,
            "provider_seconds": seconds,
            "provider_size": f"{width}x{height}",
        }
        return decode_clip(data, request=request, plan=plan, usage=usage)

    # ---- the three calls -------------------------------------------------------------------------

    def _create(self, http: httpx2.Client, prompt: str, *, seconds: int, size: str) -> dict[str, Any]:
        # Multipart, as the API takes it (the same form carries an optional reference image); a
        # (None, value) part is a plain form field.
        fields = {"prompt": prompt, "model": self.model, "seconds": str(seconds), "size": size}
        response = http.post("videos", files={key: (None, value) for key, value in fields.items()})
        video = self._json(response, stage="creating the clip")
        if not video.get("id"):
            raise BackendFailure("The openai-videos provider accepted the clip but sent no job id.")
        log.info("openai-videos job %s created (%s s, %s)", video["id"], seconds, size)
        return video

    def _wait(
        self, http: httpx2.Client, video: dict[str, Any], deadline: Deadline, request: GenerationRequest
    ) -> dict[str, Any]:
        pace_s = self.poll_s
        while True:
            status = video.get("status")
            if status == "completed":
                return video
            if status == "failed":
                raise self._failed(video)
            if status not in ("queued", "in_progress"):
                raise BackendFailure(f"The openai-videos provider reported an unknown status {status!r}.")
            if deadline.left() <= 0:
                self._give_up(http, str(video["id"]))
                raise BackendFailure(
                    f"The openai-videos provider did not finish the clip within {deadline.timeout_s:g} s "
                    f"(it was {status}, {video.get('progress') or 0}%)."
                )
            report_progress(request, video.get("progress") or 0)
            deadline.sleep(pace_s)
            response = http.get(f"videos/{video['id']}")
            video = self._json(response, stage="waiting for the clip")
            pace_s = _poll_after_s(response, default=self.poll_s)

    def _download(self, http: httpx2.Client, video_id: str) -> bytes:
        with http.stream("GET", f"videos/{video_id}/content", params={"variant": "video"}) as response:
            if response.status_code >= 400:
                response.read()
                self._json(response, stage="downloading the clip")
            data = bytearray()
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > MAX_DOWNLOAD_BYTES:
                    raise BackendFailure(
                        f"The openai-videos provider sent more than {MAX_DOWNLOAD_BYTES // 2**20} MB for one clip."
                    )
        return bytes(data)

    def _give_up(self, http: httpx2.Client, video_id: str) -> None:
        """Best effort: ask the provider to drop a job we no longer wait for (it may bill less)."""
        try:
            http.delete(f"videos/{video_id}", timeout=CONNECT_TIMEOUT_S)
        except Exception as exc:
            log.info("openai-videos: could not delete abandoned job %s: %s", video_id, exc)

    # ---- answers ---------------------------------------------------------------------------------

    def _json(self, response: httpx2.Response, *, stage: str) -> dict[str, Any]:
        if response.status_code < 400:
            try:
                body = response.json()
            except ValueError as exc:
                raise BackendFailure(f"The openai-videos provider sent no JSON while {stage}.") from exc
            if not isinstance(body, dict):
                raise BackendFailure(f"The openai-videos provider sent an unexpected answer while {stage}.")
            return body
        raise self._error(response, stage=stage)

    def _error(self, response: httpx2.Response, *, stage: str) -> Exception:
        status = response.status_code
        code, message = _error_of(response)
        if code in POLICY_CODES:
            return provider_refusal(self.name, message, provider_code=code)
        said = f": {message[:300].rstrip('.')}" if message else ""
        if status in (401, 403):
            return BackendFailure(
                f"The openai-videos provider refused Figment's API key (HTTP {status}){said}. "
                f"An operator must check {KEY_SETTING}.",
                retryable=False,
            )
        if status in (400, 404, 422) and stage == "creating the clip":
            # The request itself is wrong for this provider (a model, size or length it does not take):
            # no retry can fix that, only the operator's settings.
            return BackendFailure(
                f"The openai-videos provider rejected the request (HTTP {status}{', ' + code if code else ''}){said}.",
                retryable=False,
            )
        if status == 429:
            return BackendFailure(f"The openai-videos provider is rate limiting Figment (HTTP 429){said}.")
        return BackendFailure(f"The openai-videos provider failed while {stage} (HTTP {status}){said}.")

    def _failed(self, video: dict[str, Any]) -> Exception:
        raw = video.get("error")
        error: dict[str, Any] = raw if isinstance(raw, dict) else {}
        code, message = str(error.get("code") or ""), str(error.get("message") or "")
        if code in POLICY_CODES:
            return provider_refusal(self.name, message, provider_code=code)
        said = f": {message[:300].rstrip('.')}" if message else ""
        return BackendFailure(f"The openai-videos provider could not make the clip ({code or 'failed'}){said}.")


def _error_of(response: httpx2.Response) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        return "", response.text[:300].strip()
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return "", ""
    return str(error.get("code") or error.get("type") or ""), str(error.get("message") or "")


def _poll_after_s(response: httpx2.Response, *, default: float) -> float:
    raw = response.headers.get("openai-poll-after-ms")
    try:
        return max(0.0, float(raw) / 1000) if raw is not None else default
    except ValueError:
        return default


def _seconds_of(video: dict[str, Any], *, default: int) -> float:
    """The length the provider made, which is what it bills (the API returns it as a string, "8")."""
    try:
        return float(video.get("seconds") or default)
    except (TypeError, ValueError):
        return float(default)

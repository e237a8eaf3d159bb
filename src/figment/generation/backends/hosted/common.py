"""What every hosted video backend shares: the provider's limits mapped onto Figment's, its MP4 decoded
into frames and sound at the instance's size and frame rate, and its refusals in Figment's words.

A hosted clip is treated like any other: the worker runs it through the same marks, checks and content
credentials, so the provider's file is only raw material (decoded here, never stored as it came).
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from figment.errors import ModerationBlocked, ValidationFailed
from figment.generation.types import (
    MAX_DURATION_S,
    BackendCapabilities,
    BackendFailure,
    GeneratedClip,
    GenerationRequest,
    ProviderUsage,
)

# A 10 s clip at 1080x1920 is a few tens of MB; anything far beyond is not a clip of ours.
MAX_DOWNLOAD_BYTES = 512 * 1024 * 1024
# Without a sound track the clip still needs one (the encoder writes AAC): silence at this rate.
SILENT_RATE = 48_000
# A provider clip shorter than the request by more than this is a provider fault, not rounding.
SHORT_TOLERANCE_S = 0.25
# The category a provider's content refusal carries (ModerationBlocked.details.category; i18n.js
# moderation.category.provider_policy says it in the reader's language).
PROVIDER_POLICY = "provider_policy"


def capabilities(*, seconds: Sequence[int], size: tuple[int, int]) -> BackendCapabilities:
    """What a hosted backend offers: clips up to its longest length (and the product's), at the instance's
    size (the provider's file is scaled and cropped to it), never with a real person's likeness: Figment
    cannot hand a consented face to someone else's model and still guarantee what it does with it."""
    return BackendCapabilities(
        max_duration_s=min(MAX_DURATION_S, float(max(seconds))),
        sizes=(size,),
        supports_likeness=False,
        needs_gpu=False,
    )


def check_request(name: str, caps: BackendCapabilities, request: GenerationRequest) -> None:
    """Refuse what the backend cannot make, naming the value (a refusal is final: no retry)."""
    if request.duration_s > caps.max_duration_s:
        raise ValidationFailed(
            f"The {name} video model makes at most {caps.max_duration_s:g} s, not {request.duration_s:g} s.",
            field="duration_s",
            value=request.duration_s,
        )
    if request.likeness:
        raise ValidationFailed(f"The {name} video model cannot put a person's likeness in a clip.", field="likeness")


def choose_seconds(duration_s: float, allowed: Sequence[int]) -> int:
    """The shortest length the provider makes that covers the request; the clip is cut to the request."""
    covering = [s for s in sorted(allowed) if s + 1e-6 >= duration_s]
    return covering[0] if covering else max(allowed)


def choose_size(width: int, height: int, allowed: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The provider size to ask for: portrait, at least the instance's size if one is (the smallest such,
    so nothing is paid for pixels thrown away), else the largest portrait one (then scaled up)."""
    portrait = [s for s in allowed if s[1] > s[0]]
    if not portrait:
        raise BackendFailure("The provider lists no portrait size; set one (e.g. 720x1280).", retryable=False)
    big_enough = [s for s in portrait if s[0] >= width and s[1] >= height]
    if big_enough:
        return min(big_enough, key=lambda s: (s[0] * s[1], abs(s[0] * 16 - s[1] * 9)))
    return max(portrait, key=lambda s: s[0] * s[1])


def provider_refusal(name: str, message: str, **details: Any) -> ModerationBlocked:
    """A content-policy refusal by the provider, as Figment's own moderation refusal (final, no retry)."""
    said = f" It said: {message.strip()[:300]}" if message and message.strip() else ""
    return ModerationBlocked(
        f"The {name} video provider refused to make this clip under its content policy.{said}",
        details={"category": PROVIDER_POLICY, "backend": name, **details},
    )


def missing_key(name: str, setting: str) -> BackendFailure:
    return BackendFailure(f"The {name} video model cannot run here: {setting} is not set.", retryable=False)


def report_progress(request: GenerationRequest, percent: object) -> None:
    """Hand the provider's progress (0..100) to whoever listens while a job waits at the provider.

    The listener is `GenerationRequest.progress` where the request carries one (the GPU backends' step
    callback: the draft's progress bar, and cancellation, since it raises when the job was cancelled,
    which stops the polling at once); read with getattr so this works with and without that field.
    """
    listener = getattr(request, "progress", None)
    if listener is None:
        return
    try:
        value = int(float(str(percent)))
    except ValueError:
        value = 0
    listener(max(0, min(100, value)))


class Deadline:
    """The time left before a provider job is given up."""

    def __init__(self, timeout_s: float) -> None:
        self.timeout_s = timeout_s
        self._end = time.monotonic() + timeout_s

    def left(self) -> float:
        return self._end - time.monotonic()

    def sleep(self, pace_s: float) -> None:
        time.sleep(max(0.0, min(pace_s, self.left())))


def decode_clip(
    data: bytes, *, request: GenerationRequest, plan: dict[str, Any], usage: ProviderUsage
) -> GeneratedClip:
    """The provider's MP4 as a clip of exactly the request's size, frame rate and length.

    Sound is decoded now (it is small); frames are decoded one by one as the encoder pulls them, from
    the bytes in memory, so a long clip never sits in memory as raw frames.
    """
    import av

    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.video:
                raise BackendFailure("The video provider sent a file without a picture.")
            length_s = _length_s(container)
            audio, rate = _decode_audio(container, seconds=request.frame_count / request.fps)
    except av.FFmpegError as exc:
        raise BackendFailure(f"The video provider sent a file that is not a playable video ({exc}).") from exc
    if length_s is not None and length_s + SHORT_TOLERANCE_S < request.duration_s:
        raise BackendFailure(f"The video provider sent {length_s:.1f} s of video for a {request.duration_s:g} s clip.")
    return GeneratedClip(
        width=request.width,
        height=request.height,
        fps=request.fps,
        frame_count=request.frame_count,
        frames=_frames(data, request),
        audio=audio,
        sample_rate=rate,
        plan=plan,
        usage=usage,
    )


def _length_s(container: Any) -> float | None:
    stream = container.streams.video[0]
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration) / 1_000_000  # AV_TIME_BASE
    return None


def _decode_audio(container: Any, *, seconds: float) -> tuple[np.ndarray, int]:
    """(channels, samples) float32 in [-1, 1], exactly `seconds` long (cut or padded with silence)."""
    import av

    if not container.streams.audio:
        return np.zeros((1, round(seconds * SILENT_RATE)), np.float32), SILENT_RATE
    stream = container.streams.audio[0]
    rate = int(stream.rate or stream.codec_context.sample_rate)
    layout = "stereo" if (stream.channels or 1) >= 2 else "mono"
    resampler = av.AudioResampler(format="fltp", layout=layout, rate=rate)
    wanted = round(seconds * rate)
    # Filled in place, chunk by chunk: no second copy of the track while decoding.
    out = np.zeros((2 if layout == "stereo" else 1, wanted), np.float32)
    filled = 0

    def take(frames: list[Any]) -> None:
        nonlocal filled
        for decoded in frames:
            samples = decoded.to_ndarray()
            count = min(samples.shape[1], wanted - filled)
            if count > 0:
                out[:, filled : filled + count] = samples[:, :count]
                filled += count

    for frame in container.decode(stream):
        take(resampler.resample(frame))
    take(resampler.resample(None))
    clipped: np.ndarray = np.clip(out, -1.0, 1.0, out=out)
    return clipped, rate


def _frames(data: bytes, request: GenerationRequest) -> Iterator[np.ndarray]:
    """The request's frames: at each output time the provider's latest frame, scaled to cover the
    request's size and cropped to its middle (a provider's 4:7 becomes 9:16 without stretching)."""
    import av

    with av.open(io.BytesIO(data), mode="r") as container:
        stream = container.streams.video[0]
        base = stream.time_base
        start = float(stream.start_time * base) if stream.start_time is not None and base is not None else 0.0
        source = container.decode(stream)
        current: Any = None
        upcoming: Any = next(source, None)
        fitted: np.ndarray | None = None
        for index in range(request.frame_count):
            at = index / request.fps
            moved = False
            while upcoming is not None and (current is None or _time(upcoming, start) <= at + 1e-6):
                current, upcoming, moved = upcoming, next(source, None), True
            if current is None:
                raise BackendFailure("The video provider sent a video without frames.")
            if moved or fitted is None:
                fitted = _fit(current, request.width, request.height)
            # A fresh array per frame: consumers keep frames (the frame sampler) or draw on them (the marks).
            yield fitted.copy()


def _time(frame: Any, start: float) -> float:
    if frame.pts is None or frame.time_base is None:
        return float(frame.time or 0.0) - start
    return float(frame.pts * frame.time_base) - start


def _fit(frame: Any, width: int, height: int) -> np.ndarray:
    scale = max(width / frame.width, height / frame.height)
    scaled_w, scaled_h = max(width, round(frame.width * scale)), max(height, round(frame.height * scale))
    rgb = frame.reformat(width=scaled_w, height=scaled_h, format="rgb24", interpolation="AREA").to_ndarray()
    top, left = (scaled_h - height) // 2, (scaled_w - width) // 2
    fitted: np.ndarray = np.ascontiguousarray(rgb[top : top + height, left : left + width])
    return fitted

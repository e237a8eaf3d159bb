"""GeneratedClip -> H.264/AAC MP4 (moov first, so playback starts before the download ends) + poster.

Every backend's output goes through here, so every published file has the same shape. Files are
written under temporary names beside their destination and moved into place only when both are
complete: a crash or a failing frame source never leaves a half-written file at the final paths.
"""

from __future__ import annotations

import os
import queue
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
from PIL import Image

from figment.generation.types import GeneratedClip

AUDIO_RATE = 44100
AUDIO_BITRATE = 128_000
VIDEO_CRF = 23
# veryfast is where libx264's speed/size curve flattens for flat, synthetic pictures like ours.
VIDEO_PRESET = "veryfast"
POSTER_QUALITY = 85
PROGRESS_STEP = 5
AAC_FRAME = 1024
# Frames rendered ahead of the encoder. Rendering (numpy, Pillow) and encoding (swscale, x264)
# both release the GIL for their heavy parts, so a small lead lets them overlap on two cores.
PREFETCH_FRAMES = 4

FrameFilter = Callable[[np.ndarray, int], np.ndarray]


def compose(*filters: FrameFilter) -> FrameFilter:
    """One filter applying `filters` in order (watermarks, then the sampler that sees the result)."""

    def apply(frame: np.ndarray, index: int) -> np.ndarray:
        for step in filters:
            frame = step(frame, index)
        return frame

    return apply


@dataclass(frozen=True, kw_only=True)
class EncodedMedia:
    duration_s: float
    width: int
    height: int
    size_bytes: int
    video_path: Path
    poster_path: Path


def _check_clip(clip: GeneratedClip) -> None:
    if clip.width % 2 or clip.height % 2:
        raise ValueError(f"width and height must be even for H.264 but are {clip.width} and {clip.height}")
    if clip.frame_count < 1:
        raise ValueError(f"frame_count must be at least 1 but is {clip.frame_count}")
    if clip.fps < 1:
        raise ValueError(f"fps must be at least 1 but is {clip.fps}")
    if clip.audio.ndim != 2 or clip.audio.shape[0] not in (1, 2):
        raise ValueError(f"audio must have shape (channels, samples) with 1 or 2 channels but is {clip.audio.shape}")


def _stereo_at_rate(clip: GeneratedClip, samples: int) -> np.ndarray:
    """The clip's audio as float32 stereo at AUDIO_RATE, cut or zero-padded to exactly `samples`."""
    audio = np.asarray(clip.audio, np.float32)
    if audio.shape[0] == 1:
        audio = np.repeat(audio, 2, axis=0)
    if clip.sample_rate != AUDIO_RATE and audio.shape[1]:
        # Linear interpolation is enough for the rates backends use (22.05k, 48k, 44.1k).
        src_t = np.arange(audio.shape[1], dtype=np.float64) / clip.sample_rate
        dst_t = np.arange(int(round(audio.shape[1] * AUDIO_RATE / clip.sample_rate))) / AUDIO_RATE
        audio = np.stack([np.interp(dst_t, src_t, ch) for ch in audio]).astype(np.float32)
    out = np.zeros((2, samples), np.float32)
    n = min(samples, audio.shape[1])
    out[:, :n] = np.clip(audio[:, :n], -1.0, 1.0)
    return out


def _check_frame(frame: np.ndarray, *, index: int, width: int, height: int) -> np.ndarray:
    if frame.shape != (height, width, 3) or frame.dtype != np.uint8:
        raise ValueError(
            f"frame {index} must be uint8 of shape {(height, width, 3)} but is {frame.dtype} of shape {frame.shape}"
        )
    return frame


class _Done:
    pass


def _prefetch(frames: Iterator[np.ndarray], *, depth: int) -> Iterator[np.ndarray]:
    """Pull `frames` on a worker thread, `depth` ahead. Errors from the source re-raise here; if the
    consumer stops early (an encoder error), the worker is told to stop and is joined."""
    slots: queue.Queue[np.ndarray | BaseException | _Done] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: np.ndarray | BaseException | _Done) -> bool:
        while not stop.is_set():
            try:
                slots.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            for frame in frames:
                if not put(frame):
                    return
        except BaseException as exc:  # handed to the consumer, which re-raises it
            put(exc)
            return
        put(_Done())

    worker = threading.Thread(target=work, name="figment-frame-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            item = slots.get()
            if isinstance(item, _Done):
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        worker.join()


def _temp_beside(path: Path) -> Path:
    return path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.part")


def encode_clip(
    clip: GeneratedClip,
    *,
    video_path: Path,
    poster_path: Path,
    progress: Callable[[int], None] | None = None,
    frame_filter: FrameFilter | None = None,
) -> EncodedMedia:
    """Encode `clip` to `video_path` (MP4) and a JPEG poster from about a third of the way in.

    `progress` receives whole percentages, at most every PROGRESS_STEP, ending with 100 once both
    files are in place. `frame_filter(frame, index)` may change each RGB frame before encoding (a
    watermark, say); the poster is taken after the filter.
    """
    _check_clip(clip)
    video_path.parent.mkdir(parents=True, exist_ok=True)
    poster_path.parent.mkdir(parents=True, exist_ok=True)
    tmp_video, tmp_poster = _temp_beside(video_path), _temp_beside(poster_path)
    try:
        poster = _encode(clip, tmp_video=tmp_video, progress=progress, frame_filter=frame_filter)
        Image.fromarray(poster, "RGB").save(tmp_poster, format="JPEG", quality=POSTER_QUALITY, optimize=True)
        os.replace(tmp_poster, poster_path)
        try:
            os.replace(tmp_video, video_path)
        except BaseException:
            poster_path.unlink(missing_ok=True)
            raise
    finally:
        tmp_video.unlink(missing_ok=True)
        tmp_poster.unlink(missing_ok=True)
    if progress is not None:
        progress(100)
    return EncodedMedia(
        duration_s=clip.frame_count / clip.fps,
        width=clip.width,
        height=clip.height,
        size_bytes=video_path.stat().st_size,
        video_path=video_path,
        poster_path=poster_path,
    )


def _encode(
    clip: GeneratedClip,
    *,
    tmp_video: Path,
    progress: Callable[[int], None] | None,
    frame_filter: FrameFilter | None,
) -> np.ndarray:
    """Write the MP4 to `tmp_video`; return the poster frame."""
    fps, total = clip.fps, clip.frame_count
    samples = int(round(total * AUDIO_RATE / fps))
    audio = _stereo_at_rate(clip, samples)
    poster_index = total // 3
    poster: np.ndarray | None = None
    next_report = PROGRESS_STEP

    with av.open(str(tmp_video), mode="w", format="mp4", options={"movflags": "+faststart"}) as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height = clip.width, clip.height
        video.pix_fmt = "yuv420p"
        video.codec_context.options = {"preset": VIDEO_PRESET, "crf": str(VIDEO_CRF), "profile": "high"}
        video.codec_context.gop_size = fps * 2
        # libx264 runs its own frame threads; these let it use every core while Python renders.
        video.codec_context.thread_type = "FRAME"
        video.codec_context.thread_count = 0
        video.codec_context.colorspace = 1  # BT.709, matching the conversion below
        video.codec_context.color_primaries = 1
        video.codec_context.color_trc = 1
        video.codec_context.color_range = 1  # limited ("TV") range
        video.codec_context.time_base = Fraction(1, fps)

        sound = container.add_stream("aac", rate=AUDIO_RATE)
        sound.codec_context.layout = "stereo"
        sound.codec_context.bit_rate = AUDIO_BITRATE
        # The default "twoloop" coder costs a quarter second per clip for no audible gain at 128k.
        sound.codec_context.options = {"aac_coder": "fast"}
        sound.codec_context.time_base = Fraction(1, AUDIO_RATE)

        audio_sent = 0
        count = 0
        for index, raw in enumerate(_prefetch(clip.frames, depth=PREFETCH_FRAMES)):
            if index >= total:
                break
            frame = _check_frame(np.asarray(raw), index=index, width=clip.width, height=clip.height)
            if frame_filter is not None:
                frame = _check_frame(frame_filter(frame, index), index=index, width=clip.width, height=clip.height)
            if index == poster_index:
                poster = frame.copy()
            vf = av.VideoFrame.from_ndarray(np.ascontiguousarray(frame), format="rgb24")
            vf = vf.reformat(format="yuv420p", dst_colorspace="ITU709")
            vf.pts = index
            container.mux(video.encode(vf))
            # Feed audio in step with the pictures so the muxer never buffers much of either.
            audio_due = int((index + 1) * AUDIO_RATE / fps)
            while audio_sent + AAC_FRAME <= audio_due:
                container.mux(sound.encode(_audio_frame(audio, audio_sent, AAC_FRAME)))
                audio_sent += AAC_FRAME
            count = index + 1
            pct = count * 100 // total
            if progress is not None and pct >= next_report and count < total:
                progress(min(99, pct))
                next_report = (pct // PROGRESS_STEP + 1) * PROGRESS_STEP
        if count < total:
            raise ValueError(f"clip promised {total} frames but produced {count}")
        while audio_sent < samples:
            n = min(AAC_FRAME, samples - audio_sent)
            container.mux(sound.encode(_audio_frame(audio, audio_sent, n)))
            audio_sent += n
        container.mux(video.encode(None))
        container.mux(sound.encode(None))
    if poster is None:  # unreachable while frame_count >= 1, which _check_clip guarantees
        raise RuntimeError("no poster frame was encoded")
    return poster


def _audio_frame(audio: np.ndarray, start: int, n: int) -> av.AudioFrame:
    frame = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(audio[:, start : start + n]), format="fltp", layout="stereo"
    )
    frame.sample_rate = AUDIO_RATE
    frame.pts = start
    return frame

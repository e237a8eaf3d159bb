"""Inspect encoded media: codecs, size, duration, and whether the MP4 is laid out for streaming."""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np


@dataclass(frozen=True, kw_only=True)
class MediaInfo:
    video_codec: str | None
    audio_codec: str | None
    width: int
    height: int
    fps: float
    duration_s: float
    has_audio: bool
    # True when the 'moov' index precedes the 'mdat' payload, so playback can start mid-download.
    faststart: bool


def top_level_boxes(path: Path) -> list[str]:
    """The types of an MP4's top-level boxes, in file order (e.g. ['ftyp', 'moov', 'mdat'])."""
    boxes: list[str] = []
    size_total = path.stat().st_size
    with path.open("rb") as f:
        offset = 0
        while offset + 8 <= size_total:
            f.seek(offset)
            size, kind = struct.unpack(">I4s", f.read(8))
            if size == 1:
                (size,) = struct.unpack(">Q", f.read(8))
            elif size == 0:
                size = size_total - offset
            if size < 8:
                break
            boxes.append(kind.decode("latin-1"))
            offset += size
    return boxes


def probe(path: Path) -> MediaInfo:
    boxes = top_level_boxes(path)
    faststart = "moov" in boxes and "mdat" in boxes and boxes.index("moov") < boxes.index("mdat")
    with av.open(str(path)) as container:
        video = container.streams.video[0] if container.streams.video else None
        audio = container.streams.audio[0] if container.streams.audio else None
        duration = container.duration / av.time_base if container.duration is not None else 0.0
        return MediaInfo(
            video_codec=video.codec_context.name if video else None,
            audio_codec=audio.codec_context.name if audio else None,
            width=video.codec_context.width if video else 0,
            height=video.codec_context.height if video else 0,
            fps=float(video.average_rate) if video and video.average_rate else 0.0,
            duration_s=float(duration),
            has_audio=audio is not None,
            faststart=faststart,
        )


def read_frames(path: Path, *, every_n: int = 1) -> list[np.ndarray]:
    """Decoded RGB frames (uint8, h x w x 3); every_n=4 keeps frames 0, 4, 8, ..."""
    if every_n < 1:
        raise ValueError(f"every_n must be at least 1 but is {every_n}")
    frames: list[np.ndarray] = []
    with av.open(str(path)) as container:
        for index, frame in enumerate(container.decode(video=0)):
            if index % every_n == 0:
                frames.append(frame.to_ndarray(format="rgb24"))
    return frames


def read_audio(path: Path) -> tuple[np.ndarray, int]:
    """The first audio stream decoded to mono float32, with its sample rate."""
    chunks: list[np.ndarray] = []
    rate = 0
    limit: int | None = None
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return np.zeros(0, np.float32), 0
        stream = container.streams.audio[0]
        rate = stream.codec_context.sample_rate
        if stream.duration is not None and stream.time_base is not None:
            # The decoder pads the last AAC frame to 1024 samples; the stream knows the true length.
            limit = int(round(float(stream.duration * stream.time_base) * rate))
        for frame in container.decode(audio=0):
            data = frame.to_ndarray()
            if data.ndim == 1 or frame.format.is_packed:
                data = data.reshape(-1, len(frame.layout.channels)).T
            chunks.append(data.astype(np.float32))
    if not chunks:
        return np.zeros(0, np.float32), rate
    mono = np.concatenate(chunks, axis=1).mean(axis=0).astype(np.float32)
    return (mono[:limit] if limit is not None else mono), rate

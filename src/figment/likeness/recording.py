"""What a verification upload must be before it is worth a worker's time: a file of at most MAX_BYTES in
a video container a browser records (WebM, MP4). The web process checks this at once, with PyAV only
(no face or speech models), and gives the same reasons `liveness.verify_recording` gives."""

from __future__ import annotations

import io
from dataclasses import dataclass

import av

MAX_BYTES = 20 * 1024 * 1024

# FFmpeg's demuxer names for WebM (Chrome, Firefox) and MP4/QuickTime (Safari, phones).
CONTAINERS = frozenset({"matroska,webm", "mov,mp4,m4a,3gp,3g2,mj2"})


@dataclass(frozen=True)
class Reason:
    """Why a recording was not accepted: a stable `code` and a sentence the person can act on."""

    code: str
    message: str


def too_large(size: int) -> Reason:
    return Reason(
        "too_large",
        f"The file is {size / 1024 / 1024:.1f} MB, more than the {MAX_BYTES // 1024 // 1024} MB limit: "
        "record a shorter clip.",
    )


NOT_A_VIDEO = Reason(
    "not_a_video",
    "We could not read this file as a video: upload the recording made on this page (WebM or MP4).",
)


def precheck(data: bytes) -> Reason | None:
    """The reason a file cannot be a recording, from its size and container header alone (milliseconds);
    None when it is worth judging. FFmpeg also opens still images as one-frame "videos": only real
    video containers with a video stream count."""
    if len(data) > MAX_BYTES:
        return too_large(len(data))
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if container.format.name not in CONTAINERS or not container.streams.video:
                return NOT_A_VIDEO
    except (av.FFmpegError, ValueError, OSError):
        return NOT_A_VIDEO
    return None

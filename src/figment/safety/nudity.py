"""Output moderation: the sampled frames (about one per second) through NudeNet's detector.

A hit blocks the clip in the worker before anything is stored, so nobody but an operator (who sees
the blocked row and its reason) ever learns it existed. The model is loaded once, on first use.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import cv2
import numpy as np
from sqlalchemy.orm import Session

from figment.errors import OutputBlocked
from figment.videos.models import Video

EXPOSED = frozenset(
    {
        "FEMALE_GENITALIA_EXPOSED",
        "MALE_GENITALIA_EXPOSED",
        "FEMALE_BREAST_EXPOSED",
        "BUTTOCKS_EXPOSED",
        "ANUS_EXPOSED",
    }
)
# NudeNet's own examples use 0.5; below it the 320n model flags skin-coloured blobs.
MIN_SCORE = 0.5
INPUT_SIZE = 320  # the 320n model's input

Detect = Callable[[np.ndarray], list[dict[str, Any]]]


class _NudeNet:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._detector: Any = None

    def __call__(self, rgb: np.ndarray) -> list[dict[str, Any]]:
        with self._lock:
            if self._detector is None:
                from nudenet import NudeDetector

                self._detector = NudeDetector()
            # NudeNet pads to a square and scales to 320 px itself; handing it the frame already at
            # 320 px on the long side gives the model the same input for a fraction of the copying.
            scale = INPUT_SIZE / max(rgb.shape[:2])
            small = rgb
            if scale < 1:
                size = (max(1, round(rgb.shape[1] * scale)), max(1, round(rgb.shape[0] * scale)))
                small = cv2.resize(rgb, size, interpolation=cv2.INTER_AREA)
            # NudeNet reads OpenCV's BGR order.
            result: list[dict[str, Any]] = self._detector.detect(np.ascontiguousarray(small[:, :, ::-1]))
        return result


_SHARED = _NudeNet()


class NudityCheck:
    def __init__(self, *, detect: Detect | None = None, min_score: float = MIN_SCORE) -> None:
        self.detect = detect or _SHARED
        self.min_score = min_score

    def hits(self, frame: np.ndarray) -> list[str]:
        return sorted(
            {
                d["class"]
                for d in self.detect(frame)
                if d.get("class") in EXPOSED and d.get("score", 0) >= self.min_score
            }
        )

    def check(self, _session: Session, _video: Video, frames: list[np.ndarray]) -> None:
        """The FrameCheck registered in services."""
        for index, frame in enumerate(frames):
            found = self.hits(frame)
            if found:
                raise OutputBlocked(
                    "The finished clip showed nudity, so it was blocked and not stored.",
                    details={"category": "nudity", "second": index, "classes": found},
                )

"""The visible mark: "Figment · @handle" that hops to another corner every few seconds.

A mark that moves cannot be removed with one static crop or blur box; the invisible watermark
covers the case where someone crops or paints it out anyway. The label is drawn once per clip with
Pillow and alpha-blended onto a small region per frame, so it costs well under a millisecond.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

# Seconds the mark stays in one corner.
HOP_S = 3.0
# Corners in visiting order: top-left, bottom-right, top-right, bottom-left (never the same edge twice).
CORNERS = ((0, 0), (1, 1), (0, 1), (1, 0))
OPACITY = 0.8


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for name in ("DejaVuSans-Bold.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size)


def render_label(text: str, *, frame_width: int) -> tuple[np.ndarray, np.ndarray]:
    """(rgb, alpha) of the label sized relative to the frame: RGB uint8 and alpha float32 in [0, 1]."""
    size = max(8, frame_width // 28)
    font = _font(size)
    left, top, right, bottom = ImageDraw.Draw(Image.new("L", (1, 1))).textbbox((0, 0), text, font=font)
    pad = max(2, size // 3)
    width, height = int(right - left) + 2 * pad, int(bottom - top) + 2 * pad
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, width - 1, height - 1), radius=pad, fill=(0, 0, 0, 110))
    draw.text((pad - left, pad - top), text, font=font, fill=(255, 255, 255, 255))
    rgba = np.asarray(image)
    return np.ascontiguousarray(rgba[:, :, :3]), rgba[:, :, 3:4].astype(np.float32) / 255.0 * OPACITY


class VisibleWatermark:
    """A frame filter `(frame, index) -> frame` drawing the label in a corner that changes every HOP_S."""

    def __init__(self, handle: str, *, fps: int) -> None:
        self.text = f"Figment · @{handle}" if handle else "Figment"
        self.every = max(1, round(HOP_S * fps))
        self._label: tuple[int, np.ndarray, np.ndarray] | None = None

    def corner(self, index: int) -> tuple[int, int]:
        return CORNERS[(index // self.every) % len(CORNERS)]

    def __call__(self, frame: np.ndarray, index: int) -> np.ndarray:
        height, width = frame.shape[:2]
        if self._label is None or self._label[0] != width:
            self._label = (width, *render_label(self.text, frame_width=width))
        _, rgb, alpha = self._label
        lh, lw = rgb.shape[:2]
        if lh > height or lw > width:
            return frame
        margin = max(2, width // 40)
        row, col = self.corner(index)
        y = margin if row == 0 else height - lh - margin
        x = margin if col == 0 else width - lw - margin
        out = frame if frame.flags.writeable else frame.copy()
        region = out[y : y + lh, x : x + lw].astype(np.float32)
        out[y : y + lh, x : x + lw] = (region + (rgb - region) * alpha).astype(np.uint8)
        return out

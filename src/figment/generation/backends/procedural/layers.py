"""Parallax layers: pre-rendered strips that the renderer only pastes, never redraws.

A layer is wider than the frame by exactly the distance it will travel (camera pan times depth,
plus its own drift), so a frame is one or two C-level pastes with no resampling.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SUPERSAMPLE = 2


@dataclass(kw_only=True)
class Layer:
    # Rows with any transparency, pasted with their alpha as mask.
    top: Image.Image | None
    # Fully opaque rows below `top`, pasted as plain RGB (several times cheaper than a masked paste).
    bottom: Image.Image | None
    y: int
    depth: float
    x: int = 0
    drift: float = 0.0
    bob_amp: float = 0.0
    bob_period: float = 4.0
    bob_phase: float = 0.0
    x0: float = 0.0

    def paste(self, canvas: Image.Image, *, cam_x: float, t: float) -> None:
        shift = round(self.x0 + cam_x * self.depth + self.drift * t) - self.x
        y = self.y
        if self.bob_amp:
            y += round(self.bob_amp * math.sin(2 * math.pi * (t / self.bob_period + self.bob_phase)))
        if self.top is not None:
            canvas.paste(self.top, (-shift, y), self.top)
            y += self.top.height
        if self.bottom is not None:
            canvas.paste(self.bottom, (-shift, y))


@dataclass(frozen=True, kw_only=True)
class Travel:
    """How far layers move: the camera's pan at depth 1 and the clip length for drifting layers."""

    width: int
    height: int
    pan_px: float
    duration_s: float

    def span(self, *, depth: float, drift: float = 0.0) -> tuple[int, float]:
        """(image width needed, starting offset) for a layer at `depth` drifting `drift` px/s."""
        pan = self.pan_px * depth
        move = drift * self.duration_s
        x0 = max(0.0, -pan) + max(0.0, -move)
        width = self.width + math.ceil(abs(pan) + abs(move)) + 4
        return width, x0


def make_layer(
    rgba: np.ndarray,
    *,
    y: int,
    depth: float,
    x: int = 0,
    x0: float = 0.0,
    drift: float = 0.0,
    bob_amp: float = 0.0,
    bob_period: float = 4.0,
    bob_phase: float = 0.0,
) -> Layer:
    """Split an (h, w, 4) uint8 array into its transparent top rows and its opaque bottom rows."""
    alpha = rgba[..., 3]
    row_opaque = (alpha == 255).all(axis=1)
    # The opaque block is the longest run of fully opaque rows that reaches the bottom.
    split = len(row_opaque)
    while split > 0 and row_opaque[split - 1]:
        split -= 1
    top = Image.fromarray(np.ascontiguousarray(rgba[:split]), "RGBA") if split > 0 else None
    bottom = Image.fromarray(np.ascontiguousarray(rgba[split:, :, :3]), "RGB") if split < len(row_opaque) else None
    if top is not None:
        # Rows above the first ink are pure cost at paste time.
        first = int(np.argmax(alpha[:split].any(axis=1))) if alpha[:split].any() else split
        if first >= split:
            top = None
        elif first > 0:
            top = top.crop((0, first, top.width, top.height))
            y += first
    return Layer(
        top=top,
        bottom=bottom,
        y=y,
        depth=depth,
        x=x,
        x0=x0,
        drift=drift,
        bob_amp=bob_amp,
        bob_period=bob_period,
        bob_phase=bob_phase,
    )


def vertical_gradient(height: int, width: int, stops: list[tuple[float, np.ndarray]]) -> np.ndarray:
    """(height, width, 3) float32 gradient through colour stops placed at 0..1 of the height."""
    pos = np.array([p for p, _ in stops], np.float32)
    cols = np.stack([np.asarray(c, np.float32) for _, c in stops])
    y = np.linspace(0.0, 1.0, max(1, height), dtype=np.float32)
    column = np.stack([np.interp(y, pos, cols[:, c]) for c in range(3)], axis=1)
    return np.broadcast_to(column[:, None, :], (height, width, 3)).astype(np.float32)


def smooth_noise(n: int, *, rng: np.random.Generator, period: float, octaves: int = 4, gain: float = 0.5) -> np.ndarray:
    """1-D fractal value noise in about -1..1 over n samples; `period` is the largest feature in samples."""
    out = np.zeros(n, np.float32)
    amp, total = 1.0, 0.0
    x = np.arange(n, dtype=np.float32)
    for _ in range(octaves):
        knots = max(2, int(n / max(2.0, period)) + 2)
        values = rng.uniform(-1, 1, knots).astype(np.float32)
        u = x / period
        i = np.floor(u).astype(np.int64)
        f = u - i
        f = f * f * (3 - 2 * f)
        i = np.clip(i, 0, knots - 2)
        out += amp * (values[i] * (1 - f) + values[i + 1] * f)
        total += amp
        amp *= gain
        period /= 2.0
    return out / total


def ridge_alpha(ridge_y: np.ndarray, height: int) -> np.ndarray:
    """Alpha (height, width) float32 for the area below a ridge line, with a one-pixel soft edge."""
    rows = np.arange(height, dtype=np.float32)[:, None]
    return np.asarray(np.clip(rows - ridge_y[None, :] + 0.5, 0.0, 1.0))


def to_rgba(rgb: np.ndarray, alpha: np.ndarray) -> np.ndarray:
    out = np.empty(rgb.shape[:2] + (4,), np.uint8)
    out[..., :3] = np.clip(rgb + 0.5, 0, 255)
    out[..., 3] = np.clip(alpha * 255.0 + 0.5, 0, 255)
    return out


class MaskCanvas:
    """Draw shapes with Pillow at 2x and read back an antialiased float mask."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.image = Image.new("L", (width * SUPERSAMPLE, height * SUPERSAMPLE), 0)
        self.draw = ImageDraw.Draw(self.image)

    def polygon(self, points: list[tuple[float, float]], value: int = 255) -> None:
        self.draw.polygon([(x * SUPERSAMPLE, y * SUPERSAMPLE) for x, y in points], fill=value)

    # Shapes scale with the frame, so at thumbnail sizes they can shrink below one pixel: such a
    # shape is skipped rather than handed to Pillow, which refuses inverted boxes.
    def ellipse(self, cx: float, cy: float, rx: float, ry: float, value: int = 255) -> None:
        s = SUPERSAMPLE
        if rx <= 0 or ry <= 0:
            return
        self.draw.ellipse(((cx - rx) * s, (cy - ry) * s, (cx + rx) * s, (cy + ry) * s), fill=value)

    def rect(self, x0: float, y0: float, x1: float, y1: float, value: int = 255) -> None:
        s = SUPERSAMPLE
        if x1 * s - 1 < x0 * s or y1 * s - 1 < y0 * s:
            return
        self.draw.rectangle((x0 * s, y0 * s, x1 * s - 1, y1 * s - 1), fill=value)

    def mask(self, *, blur: float = 0.0) -> np.ndarray:
        image = self.image.resize((self.width, self.height), Image.Resampling.BOX)
        if blur > 0:
            image = image.filter(ImageFilter.GaussianBlur(blur))
        return np.asarray(image, np.float32) / 255.0


def composite_over(dst: np.ndarray, src: Image.Image, x: int, y: int) -> None:
    """Alpha-composite an RGBA sprite onto an (h, w, 4) uint8 layer array in place (build time only)."""
    h, w = dst.shape[:2]
    sx0, sy0 = max(0, -x), max(0, -y)
    dx0, dy0 = max(0, x), max(0, y)
    dx1, dy1 = min(w, x + src.width), min(h, y + src.height)
    if dx1 <= dx0 or dy1 <= dy0:
        return
    s = np.asarray(src, np.float32)[sy0 : sy0 + dy1 - dy0, sx0 : sx0 + dx1 - dx0]
    d = dst[dy0:dy1, dx0:dx1].astype(np.float32)
    sa = s[..., 3:4] / 255.0
    da = d[..., 3:4] / 255.0
    out_a = sa + da * (1 - sa)
    safe = np.where(out_a == 0, 1.0, out_a)
    rgb = (s[..., :3] * sa + d[..., :3] * da * (1 - sa)) / safe
    dst[dy0:dy1, dx0:dx1, :3] = np.clip(rgb + 0.5, 0, 255)
    dst[dy0:dy1, dx0:dx1, 3:4] = np.clip(out_a * 255 + 0.5, 0, 255)

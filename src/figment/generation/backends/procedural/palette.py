"""Colours: skies per time of day, scene light, and the colour grade that carries a mood.

Grades are applied once to pre-rendered layers and sprites, never per frame, so a mood costs
nothing while encoding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

RGB = tuple[int, int, int]

# Sky gradient stops from the top of the frame (0.0) to the horizon (1.0).
SKY_STOPS: dict[str, tuple[tuple[float, RGB], ...]] = {
    "dawn": ((0.0, (58, 82, 150)), (0.55, (196, 150, 180)), (0.85, (250, 186, 160)), (1.0, (255, 214, 160))),
    "day": ((0.0, (38, 112, 214)), (0.6, (110, 176, 240)), (1.0, (196, 228, 250))),
    "sunset": ((0.0, (38, 34, 96)), (0.45, (150, 70, 120)), (0.78, (240, 112, 84)), (1.0, (255, 184, 90))),
    "night": ((0.0, (4, 6, 20)), (0.6, (12, 20, 48)), (1.0, (34, 46, 88))),
}

# Overcast skies replace most of the colour; the weight is how much of the grey shows.
OVERCAST: dict[str, tuple[RGB, float]] = {
    "rain": ((120, 128, 140), 0.65),
    "storm": ((62, 66, 80), 0.8),
    "snow": ((200, 208, 220), 0.75),
    "fog": ((206, 208, 212), 0.55),
}

# Light falling on the scene: multiplies ground layers and (more gently) sprites.
LIGHT: dict[str, tuple[float, float, float]] = {
    "dawn": (0.96, 0.86, 0.86),
    "day": (1.0, 1.0, 1.0),
    "sunset": (1.0, 0.76, 0.62),
    "night": (0.42, 0.5, 0.74),
}
NIGHT_AMBIENT = np.array([10, 16, 34], np.float32)
SPRITE_LIGHT: dict[str, tuple[float, float, float]] = {
    "dawn": (1.0, 0.94, 0.92),
    "day": (1.0, 1.0, 1.0),
    "sunset": (1.0, 0.86, 0.76),
    "night": (0.62, 0.66, 0.86),
}


@dataclass(frozen=True, kw_only=True)
class Grade:
    gain: tuple[float, float, float]
    saturation: float
    contrast: float
    lift: float = 0.0


GRADES: dict[str, Grade] = {
    "happy": Grade(gain=(1.03, 1.02, 0.98), saturation=1.18, contrast=1.04),
    "calm": Grade(gain=(0.97, 1.0, 1.04), saturation=0.88, contrast=0.94, lift=0.03),
    "spooky": Grade(gain=(0.84, 0.96, 0.92), saturation=0.62, contrast=1.1),
    "epic": Grade(gain=(1.06, 0.99, 0.9), saturation=1.08, contrast=1.16),
    "romantic": Grade(gain=(1.07, 0.95, 1.0), saturation=1.05, contrast=0.98, lift=0.02),
    "sad": Grade(gain=(0.92, 0.96, 1.06), saturation=0.6, contrast=0.96, lift=0.02),
}


def lerp_rgb(a: RGB | np.ndarray, b: RGB | np.ndarray, t: float) -> np.ndarray:
    return np.asarray(a, np.float32) * (1.0 - t) + np.asarray(b, np.float32) * t


def sky_column(*, time: str, weather: str, rows: int, jitter: float = 0.0) -> np.ndarray:
    """Sky colour per row, shape (rows, 3) float32 in 0..255, from the top down to the horizon."""
    stops = SKY_STOPS[time]
    pos = np.array([s[0] for s in stops], np.float32)
    cols = np.array([s[1] for s in stops], np.float32)
    y = np.linspace(0.0, 1.0, rows, dtype=np.float32)
    out = np.stack([np.interp(y, pos, cols[:, c]) for c in range(3)], axis=1).astype(np.float32)
    # Seed jitter: a slightly warmer or cooler sky, so two renders of one prompt are not clones.
    out *= np.array([1.0 + jitter, 1.0, 1.0 - jitter], np.float32)
    if weather in OVERCAST:
        grey, weight = OVERCAST[weather]
        if time == "night":
            grey = tuple(int(c * 0.22) for c in grey)  # type: ignore[assignment]
        elif time in ("dawn", "sunset"):
            weight *= 0.75
        out = out * (1 - weight) + np.asarray(grey, np.float32) * weight
    return np.clip(out, 0, 255)


def lit(rgb: RGB, *, time: str, haze: float = 0.0, horizon: np.ndarray | None = None) -> np.ndarray:
    """A ground colour under the scene light, pulled toward the horizon colour with distance."""
    col: np.ndarray = np.asarray(rgb, np.float32) * np.asarray(LIGHT[time], np.float32)
    if time == "night":
        col = col + NIGHT_AMBIENT  # moonlight: silhouettes stay readable instead of going black
    if horizon is not None and haze > 0:
        col = col * (1 - haze) + horizon * haze
    return np.asarray(np.clip(col, 0, 255))


def apply_grade(rgb: np.ndarray, *, mood: str, strength: float = 1.0) -> np.ndarray:
    """Grade an (..., 3) float32 array in 0..255. Used at build time on layers and sprites."""
    g = GRADES[mood]
    x = rgb.astype(np.float32) / 255.0
    graded = x * np.asarray(g.gain, np.float32)
    luma = graded @ np.array([0.299, 0.587, 0.114], np.float32)
    graded = luma[..., None] + (graded - luma[..., None]) * g.saturation
    graded = (graded - 0.5) * g.contrast + 0.5 + g.lift
    out = x + (graded - x) * strength
    return np.clip(out * 255.0, 0, 255)


def rgb_to_hsv(rgb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vectorised RGB (0..1) -> hue (0..1), saturation, value."""
    r, g, b = rgb[..., 0], rgb[..., 1], rgb[..., 2]
    mx = rgb.max(axis=-1)
    mn = rgb.min(axis=-1)
    delta = mx - mn
    safe = np.where(delta == 0, 1.0, delta)
    h = np.where(mx == r, (g - b) / safe % 6, np.where(mx == g, (b - r) / safe + 2, (r - g) / safe + 4))
    h = np.where(delta == 0, 0.0, h / 6.0)
    s = np.where(mx == 0, 0.0, delta / np.where(mx == 0, 1.0, mx))
    return h.astype(np.float32), s.astype(np.float32), mx.astype(np.float32)


def hsv_to_rgb(h: np.ndarray, s: np.ndarray, v: np.ndarray) -> np.ndarray:
    i = np.floor(h * 6.0)
    f = h * 6.0 - i
    p = v * (1 - s)
    q = v * (1 - f * s)
    t = v * (1 - (1 - f) * s)
    i = i.astype(np.int32) % 6
    choices_r = [v, q, p, p, t, v]
    choices_g = [t, v, v, q, p, p]
    choices_b = [p, p, t, v, v, q]
    r = np.choose(i, choices_r)
    g = np.choose(i, choices_g)
    b = np.choose(i, choices_b)
    return np.stack([r, g, b], axis=-1).astype(np.float32)

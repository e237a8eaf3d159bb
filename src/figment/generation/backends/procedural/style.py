"""Looks: cartoon, neon, noir, vintage film and pastel, applied to each finished picture.

Every look is built from Pillow operations that run in C (lookup tables, and for the monochrome
looks a one-channel vignette and grain), so a styled 720x1280 frame costs 2-6 ms.
The mood grade (palette.py) still applies underneath; a look is the author's explicit request.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PIL import Image, ImageChops, ImageFilter


def _curve(fn: Callable[[np.ndarray], np.ndarray]) -> list[int]:
    values = np.clip(np.round(fn(np.arange(256, dtype=np.float32))), 0, 255)
    return [int(v) for v in values.tolist()]


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

    def apply(self, frame: Image.Image) -> Image.Image:
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

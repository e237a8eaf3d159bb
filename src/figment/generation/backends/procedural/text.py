"""Caption and subtitle images, rendered once per clip and pasted on every frame.

Text uses DejaVu Sans Bold where the system has it (Pillow's built-in font otherwise); characters
that font lacks but OpenMoji has (emoji typed in a prompt) are drawn from OpenMoji, and anything
neither font has is dropped rather than shown as empty boxes.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from figment.generation.backends.procedural.sprites import FONT_LOCK, openmoji_font_path

_FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    Path("/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
)
# Joiners and modifiers belong to the emoji before them (👩‍🚀, 👍🏽, flags).
_EMOJI_JOINERS = {"\u200d", "\ufe0f", "\u20e3"} | {chr(c) for c in range(0x1F3FB, 0x1F400)}

FontT = ImageFont.FreeTypeFont | ImageFont.ImageFont


@functools.lru_cache(maxsize=8)
def text_font(size: int) -> FontT:
    for path in _FONT_CANDIDATES:
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size)


@functools.lru_cache(maxsize=4)
def _emoji_text_font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(openmoji_font_path()), size)


def _mask_bytes(font: FontT, ch: str) -> bytes:
    with FONT_LOCK:
        mask = font.getmask(ch)
    return bytes(mask) + repr(mask.size).encode()


@functools.lru_cache(maxsize=4096)
def _covered(ch: str, *, emoji: bool) -> bool:
    """Whether a font has a real glyph for ch (not its .notdef box)."""
    if ch.isspace():
        return not emoji
    font: FontT = _emoji_text_font(24) if emoji else text_font(24)
    # U+0378 is unassigned, so every font draws its .notdef box for it.
    return _mask_bytes(font, ch) != _mask_bytes(font, "\u0378")


@dataclass(frozen=True)
class _Run:
    text: str
    emoji: bool


def _runs(text: str) -> list[_Run]:
    runs: list[_Run] = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in _EMOJI_JOINERS or unicodedata.category(ch) in ("Mn", "Me") and runs and runs[-1].emoji:
            if runs and runs[-1].emoji:
                runs[-1] = _Run(runs[-1].text + ch, True)
            continue
        if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs", "Cn"):
            continue
        if runs and runs[-1].emoji and runs[-1].text.endswith("\u200d"):
            runs[-1] = _Run(runs[-1].text + ch, True)  # the next part of a ZWJ sequence (👩‍🚀, 🏃‍♀️)
            continue
        if _covered(ch, emoji=False):
            is_emoji = False
        elif _covered(ch, emoji=True):
            is_emoji = True
        else:
            continue
        if runs and runs[-1].emoji == is_emoji and not is_emoji:
            runs[-1] = _Run(runs[-1].text + ch, False)
        else:
            runs.append(_Run(ch, is_emoji))
    return runs


class _Typesetter:
    def __init__(self, size: int) -> None:
        self.size = size
        self.font = text_font(size)
        self.emoji_font = _emoji_text_font(max(8, int(size * 0.8)))

    def width(self, runs: list[_Run]) -> float:
        total = 0.0
        for run in runs:
            font = self.emoji_font if run.emoji else self.font
            with FONT_LOCK:
                total += font.getlength(run.text)
        return total

    def wrap(self, text: str, *, max_width: float, max_lines: int) -> list[list[_Run]]:
        words = [_runs(w) for w in text.split()]
        words = [w for w in words if w]
        space = [_Run(" ", False)]
        lines: list[list[_Run]] = []
        current: list[_Run] = []
        for word in words:
            candidate = current + space + word if current else word
            if self.width(candidate) <= max_width or not current:
                current = candidate
                while (
                    self.width(current) > max_width
                    and len(current)
                    and not current[-1].emoji
                    and len(current[-1].text) > 1
                ):
                    # A single word wider than the line (a URL, 1000 x's) is cut, not overflowed.
                    current = current[:-1] + [_Run(current[-1].text[:-1], False)]
                continue
            lines.append(current)
            current = word
        if current:
            lines.append(current)
        if len(lines) > max_lines:
            lines = lines[:max_lines]
            last = lines[-1] + [_Run("…", False)]
            while self.width(last) > max_width and len(last) > 1:
                tail = last[-2]
                last = (
                    last[:-2]
                    + ([_Run(tail.text[:-1], tail.emoji)] if len(tail.text) > 1 and not tail.emoji else [])
                    + [last[-1]]
                )
            lines[-1] = last
        return lines

    def draw_line(
        self,
        draw: ImageDraw.ImageDraw,
        runs: list[_Run],
        *,
        x: float,
        y: float,
        fill: tuple[int, int, int, int],
        stroke: int = 0,
        stroke_fill: tuple[int, int, int, int] = (0, 0, 0, 255),
    ) -> None:
        for run in runs:
            with FONT_LOCK:
                if run.emoji:
                    dy = self.size * 0.12
                    draw.text((x, y + dy), run.text, font=self.emoji_font, embedded_color=True)
                    x += self.emoji_font.getlength(run.text)
                else:
                    draw.text((x, y), run.text, font=self.font, fill=fill, stroke_width=stroke, stroke_fill=stroke_fill)
                    x += self.font.getlength(run.text)


@dataclass(frozen=True, kw_only=True)
class Overlay:
    image: Image.Image
    x: int
    y: int


# Where the feed's own interface covers the clip (shares of the frame): the tab bar on top, author
# and prompt at the bottom, action buttons on the right. Burned-in text stays out of all three.
FEED_TOP, FEED_BOTTOM, FEED_RIGHT = 0.08, 0.22, 0.16
# Text is centred on the part of the frame the feed leaves visible, which is almost the middle.
TEXT_CENTRE = (1.0 - FEED_RIGHT + 0.08) / 2


def caption_overlay(text: str, *, width: int, height: int) -> Overlay | None:
    """The prompt near the top, just under the feed's tab bar, on a dark gradient band; at most three lines.

    The bottom of the frame is where the feed prints the prompt itself, so the caption would be
    covered there; at the top it is visible in the feed and reads like a title when watched alone.
    """
    if not text.strip():
        return None
    s = width / 720.0
    setter = _Typesetter(max(10, int(31 * s)))
    lines = setter.wrap(text, max_width=width * (1.0 - FEED_RIGHT - 0.1), max_lines=3)
    if not lines:
        return None
    line_h = int(setter.size * 1.3)
    top = int(height * FEED_TOP) + int(10 * s)
    fade = int(60 * s)
    solid_h = top + line_h * len(lines) + int(8 * s)
    band_h = solid_h + fade
    band = Image.new("RGBA", (width, band_h), (0, 0, 0, 0))
    alpha = Image.linear_gradient("L").transpose(Image.Transpose.FLIP_TOP_BOTTOM).resize((1, fade))
    column = Image.new("L", (1, band_h), 255)
    column.paste(alpha, (0, solid_h))
    column = column.point(lambda v: int(v * 0.5))
    shade = Image.new("RGBA", (width, band_h), (8, 8, 14, 255))
    shade.putalpha(column.resize((width, band_h)))
    band.alpha_composite(shade)
    draw = ImageDraw.Draw(band)
    y = top
    for line in lines:
        x = width * TEXT_CENTRE - setter.width(line) / 2
        setter.draw_line(draw, line, x=x + 2 * s, y=y + 2 * s, fill=(0, 0, 0, 140))
        setter.draw_line(draw, line, x=x, y=y, fill=(255, 255, 255, 255))
        y += line_h
    return Overlay(image=band, x=0, y=0)


def subtitle_overlay(text: str, *, width: int, top: int) -> Overlay | None:
    """Spoken dialogue: bold white text with an outline on a rounded translucent box from `top` down."""
    if not text.strip():
        return None
    s = width / 720.0
    setter = _Typesetter(max(10, int(38 * s)))
    lines = setter.wrap(text, max_width=width * (1.0 - FEED_RIGHT - 0.08), max_lines=2)
    if not lines:
        return None
    line_h = int(setter.size * 1.28)
    pad_x, pad_y = int(22 * s), int(14 * s)
    text_w = max(setter.width(line) for line in lines)
    box_w = int(text_w + 2 * pad_x)
    box_h = int(line_h * len(lines) + 2 * pad_y)
    image = Image.new("RGBA", (box_w, box_h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, box_w - 1, box_h - 1), radius=int(18 * s), fill=(10, 10, 16, 150))
    y = pad_y
    for line in lines:
        x = (box_w - setter.width(line)) / 2
        setter.draw_line(
            draw, line, x=x, y=y, fill=(255, 255, 255, 255), stroke=max(1, int(2 * s)), stroke_fill=(0, 0, 0, 255)
        )
        y += line_h
    return Overlay(image=image, x=max(0, round(width * TEXT_CENTRE - box_w / 2)), y=top)


def split_for_subtitles(text: str, *, width: int) -> list[str]:
    """Cut long dialogue into chunks that each fit two subtitle lines."""
    s = width / 720.0
    setter = _Typesetter(max(10, int(38 * s)))
    max_width = width * (1.0 - FEED_RIGHT - 0.08)
    chunks: list[str] = []
    current: list[str] = []
    for word in text.split():
        candidate = " ".join(current + [word])
        if current and len(setter.wrap(candidate, max_width=max_width, max_lines=99)) > 2:
            chunks.append(" ".join(current))
            current = [word]
        else:
            current.append(word)
    if current:
        chunks.append(" ".join(current))
    return chunks

"""`make gallery`: render a fixed set of varied prompts and a contact sheet of their frames.

    python -m figment.generation.backends.procedural.gallery [--out gallery] [--width 720] [--duration 10]

Writes one MP4 (and poster) per prompt and `contact-sheet.png`: one cell per clip with three
frames (early, middle, late) under its prompt, so the engine's range shows at a glance.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from figment.generation.backends.procedural.backend import ProceduralBackend
from figment.generation.backends.procedural.text import text_font
from figment.generation.types import GenerationRequest
from figment.media.encode import encode_clip

PROMPTS: tuple[str, ...] = (
    "a cat dancing on the beach at sunset",
    "un gatto che balla sulla spiaggia al tramonto",
    "a red car driving through a city street at night in the rain",
    "three penguins sliding in the snowfield, snow, slow motion",
    "an astronaut floating in outer space with a rocket, epic",
    "a shark and two fish swimming underwater, bubbles, zoom in",
    "a haunted house in the forest at night with a ghost, spooky, fog",
    "a sailboat on the ocean in a storm, shaky camera",
    "a camel walking in the desert at noon, windy",
    "an eagle flying over the mountains at dawn, tracking shot",
    "a singer on stage at a concert, happy, neon",
    "a chef cooking pizza in the kitchen, cartoon",
    "two kids playing in the park, then they eat ice cream",
    "a cow and a horse in the countryside at sunset, pastel",
    "a detective walking in the rain at night, film noir",
    "a train crossing the countryside, vintage film",
    'a robot in a room says "hello, I am your new friend"',
    "the city skyline at sunset, zoom out, romantic",
    "un cane che corre nel parco poi dorme sotto un albero",
    "a dragon flying over a castle, epic, then it breathes fire",
    "five yellow ducks swimming in a pond at dawn",
    "a couple dancing under the stars at night, romantic",
    "a dog on the beach, then a red car in the city at night, then snow in the mountains",
    "blorptastic zanzibar flux 🐙✨",
)

_THUMB_W = 150
_SHEET_COLUMNS = 4


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.casefold())[:40].strip("-") or "clip"


def _capture(frames: Iterator[np.ndarray], keep: set[int], into: dict[int, np.ndarray]) -> Iterator[np.ndarray]:
    for index, frame in enumerate(frames):
        if index in keep:
            into[index] = frame.copy()
        yield frame


def _cell(prompt: str, thumbs: list[np.ndarray], seconds: float) -> Image.Image:
    th = round(_THUMB_W * 16 / 9)
    font = text_font(15)
    small = text_font(12)
    cell = Image.new("RGB", (_THUMB_W * len(thumbs) + 4 * (len(thumbs) + 1), th + 62), (24, 24, 30))
    draw = ImageDraw.Draw(cell)
    words, lines, line = prompt.split(), [], ""
    for word in words:
        candidate = f"{line} {word}".strip()
        if draw.textlength(candidate, font=font) > cell.width - 10 and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    lines.append(line)
    for k, text in enumerate(lines[:2]):
        draw.text((6, 4 + 18 * k), text, font=font, fill=(240, 240, 245))
    draw.text((6, 42), f"rendered + encoded in {seconds:.1f} s", font=small, fill=(150, 150, 165))
    for k, frame in enumerate(thumbs):
        image = Image.fromarray(frame).resize((_THUMB_W, th), Image.Resampling.LANCZOS)
        cell.paste(image, (4 + k * (_THUMB_W + 4), 60))
    return cell


def render_gallery(*, out: Path, width: int, duration_s: float, prompts: tuple[str, ...] = PROMPTS) -> Path:
    """Render every prompt into `out` and write `out/contact-sheet.png`; returns the sheet's path."""
    out.mkdir(parents=True, exist_ok=True)
    backend = ProceduralBackend()
    cells: list[Image.Image] = []
    for number, prompt in enumerate(prompts, start=1):
        request = GenerationRequest(
            prompt=prompt, seed=number, duration_s=duration_s, width=width, height=width * 16 // 9
        )
        started = time.perf_counter()
        clip = backend.generate(request)
        picks = {round(clip.frame_count * share) for share in (0.15, 0.5, 0.85)}
        picks = {min(clip.frame_count - 1, p) for p in picks}
        captured: dict[int, np.ndarray] = {}
        clip.frames = _capture(clip.frames, picks, captured)
        path = out / f"{number:02d}-{_slug(prompt)}.mp4"
        encode_clip(clip, video_path=path, poster_path=path.with_suffix(".jpg"))
        seconds = time.perf_counter() - started
        print(f"{number:2d}/{len(prompts)} {seconds:5.1f} s  {path.name}", flush=True)
        cells.append(_cell(prompt, [captured[i] for i in sorted(captured)], seconds))
    rows = -(-len(cells) // _SHEET_COLUMNS)
    cw, ch = cells[0].size
    sheet = Image.new("RGB", (cw * _SHEET_COLUMNS + 8 * (_SHEET_COLUMNS + 1), ch * rows + 8 * (rows + 1)), (10, 10, 14))
    for k, cell in enumerate(cells):
        sheet.paste(cell, (8 + (k % _SHEET_COLUMNS) * (cw + 8), 8 + (k // _SHEET_COLUMNS) * (ch + 8)))
    sheet_path = out / "contact-sheet.png"
    sheet.save(sheet_path)
    return sheet_path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("gallery"))
    parser.add_argument("--width", type=int, default=720, help="frame width; height is 16/9 of it")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per clip")
    args = parser.parse_args(argv)
    sheet = render_gallery(out=args.out, width=args.width, duration_s=args.duration)
    print(f"contact sheet: {sheet}")


if __name__ == "__main__":
    main()

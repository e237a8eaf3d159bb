"""Does the CPU engine show what people ask for? Contact sheets and plan checks for issue 17.

`python -m bench.cpu_engine_eval sheets --split heldout --out DIR` renders three frames (at 15 %,
50 % and 85 % of a 10 s 720x1280 clip) of every prompt in bench/data/cpu_engine_prompts.json and
lays them out, twelve prompts to a sheet, for a person to look at and judge. The frames are the
clip's own frames (the backend's shot sequence, subtitles included); only the H.264 encoding is
skipped, which changes nothing that is seen.

`python -m bench.cpu_engine_eval grid --split heldout --count 24 --out FILE.png` writes one contact
sheet (the middle frame of each of the first `count` prompts) for docs/screenshots.

`python -m bench.cpu_engine_eval score JUDGEMENTS.json ...` prints the table of the judgements a
person recorded (per aspect and overall), by split.

`python -m bench.cpu_engine_eval plans --split heldout` prints what the planner understood for each
prompt (subjects, setting, style, camera, not understood) to triage before looking.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw, ImageFont

DATA = Path(__file__).resolve().parent / "data" / "cpu_engine_prompts.json"
ASPECTS = ("subject", "action", "setting", "style_camera", "dialogue")
FRACTIONS = (0.15, 0.5, 0.85)
WIDTH, HEIGHT, FPS, DURATION_S = 720, 1280, 24, 10.0


def load_prompts(split: str) -> list[dict[str, str]]:
    prompts: list[dict[str, str]] = json.loads(DATA.read_text(encoding="utf-8"))["prompts"]
    return [p for p in prompts if split == "all" or p["split"] == split]


def clip_frames(prompt: str, *, seed: int = 1) -> list[Image.Image]:
    """The frames at FRACTIONS of the clip the backend would encode for `prompt`."""
    from figment.generation.backends.procedural.backend import ProceduralBackend
    from figment.generation.types import GenerationRequest

    request = GenerationRequest(prompt=prompt, seed=seed, duration_s=DURATION_S, width=WIDTH, height=HEIGHT, fps=FPS)
    clip = ProceduralBackend().generate(request)
    wanted = {int(clip.frame_count * f) for f in FRACTIONS}
    out: list[Image.Image] = []
    for index, frame in enumerate(clip.frames):
        if index in wanted:
            out.append(Image.fromarray(frame, "RGB"))
        if len(out) == len(wanted):
            break
    return out


def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",):
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default()


def _tile(item: dict[str, str], frames: list[Image.Image], *, fw: int, fh: int) -> Image.Image:
    text_h = 44
    tile = Image.new("RGB", (fw * len(frames) + 8, fh + text_h), (255, 255, 255))
    for k, frame in enumerate(frames):
        tile.paste(frame.resize((fw, fh), Image.Resampling.BILINEAR), (4 + k * fw, text_h))
    draw = ImageDraw.Draw(tile)
    lines = textwrap.wrap(f"{item['id']}: {item['prompt']}", width=int(fw * len(frames) / 7.2))[:2]
    draw.multiline_text((4, 2), "\n".join(lines), fill=(0, 0, 0), font=_font(13), spacing=2)
    return tile


def sheets(split: str, out: Path, *, per_sheet: int = 12, columns: int = 4) -> None:
    out.mkdir(parents=True, exist_ok=True)
    items = load_prompts(split)
    fw, fh = 120, 213
    for start in range(0, len(items), per_sheet):
        chunk = items[start : start + per_sheet]
        tiles = []
        for item in chunk:
            tiles.append(_tile(item, clip_frames(item["prompt"]), fw=fw, fh=fh))
            print(item["id"], file=sys.stderr, flush=True)
        tw, th = tiles[0].size
        rows = (len(tiles) + columns - 1) // columns
        sheet = Image.new("RGB", (tw * columns, th * rows), (200, 200, 200))
        for k, tile in enumerate(tiles):
            sheet.paste(tile, ((k % columns) * tw, (k // columns) * th))
        sheet.save(out / f"{split}-{start // per_sheet + 1:02d}.png")


def grid(split: str, out: Path, *, count: int, columns: int = 6) -> None:
    items = load_prompts(split)[:count]
    fw, fh = 180, 320
    text_h = 48
    rows = (len(items) + columns - 1) // columns
    sheet = Image.new("RGB", (fw * columns, (fh + text_h) * rows), (255, 255, 255))
    draw = ImageDraw.Draw(sheet)
    for k, item in enumerate(items):
        frame = clip_frames(item["prompt"])[1].resize((fw, fh), Image.Resampling.BILINEAR)
        x, y = (k % columns) * fw, (k // columns) * (fh + text_h)
        sheet.paste(frame, (x, y + text_h))
        lines = textwrap.wrap(item["prompt"], width=27)[:3]
        draw.multiline_text((x + 3, y + 1), "\n".join(lines), fill=(0, 0, 0), font=_font(12), spacing=1)
    out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(out, optimize=True)


def plans(split: str) -> None:
    from figment.generation.backends.procedural.plan import plan_scene

    for item in load_prompts(split):
        plan = plan_scene(prompt=item["prompt"], seed=1)
        subjects = ", ".join(f"{s.count}x{s.key}:{s.action}" for s in plan.subjects) or "-"
        print(
            f"{item['id']} | {item['prompt']}\n      -> {subjects} | {plan.setting} {plan.time_of_day} "
            f"{plan.weather} | style={plan.style} camera={plan.camera} | ?={list(plan.unknown_words)}"
        )


def score(paths: list[Path]) -> None:
    prompts = {p["id"]: p for p in load_prompts("all")}
    print(
        "| judgement | split | n | plainly shown | fragment | not shown | " + " | ".join(ASPECTS) + " | empty scene |"
    )
    print("|---|---|---|---|---|---|" + "---|" * len(ASPECTS) + "---|")
    for path in paths:
        judged: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["judgements"]
        for split in ("heldout", "tune"):
            rows = [j for pid, j in judged.items() if prompts[pid]["split"] == split]
            if not rows:
                continue
            shown = sum(1 for j in rows if j["overall"] == "shown")
            fragment = sum(1 for j in rows if j["overall"] == "fragment")
            missed = sum(1 for j in rows if j["overall"] == "not")
            cells = []
            for aspect in ASPECTS:
                applicable = [j for j in rows if j.get(aspect) is not None]
                ok = sum(1 for j in applicable if j[aspect])
                cells.append(f"{ok}/{len(applicable)}" if applicable else "-")
            empty = sum(1 for j in rows if j.get("empty"))
            print(
                f"| {path.stem} | {split} | {len(rows)} | {shown} ({100 * shown / len(rows):.0f} %) | {fragment} | "
                f"{missed} | " + " | ".join(cells) + f" | {empty} |"
            )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cpu_engine_eval")
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("sheets")
    p.add_argument("--split", default="heldout")
    p.add_argument("--out", type=Path, required=True)
    p = sub.add_parser("grid")
    p.add_argument("--split", default="heldout")
    p.add_argument("--count", type=int, default=24)
    p.add_argument("--out", type=Path, required=True)
    p = sub.add_parser("plans")
    p.add_argument("--split", default="heldout")
    p = sub.add_parser("score")
    p.add_argument("paths", type=Path, nargs="+")
    args = parser.parse_args(argv)
    np.seterr(all="ignore")
    if args.cmd == "sheets":
        sheets(args.split, args.out)
    elif args.cmd == "grid":
        grid(args.split, args.out, count=args.count)
    elif args.cmd == "plans":
        plans(args.split)
    else:
        score(args.paths)


if __name__ == "__main__":
    main()

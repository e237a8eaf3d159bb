"""Safety and provenance figures (issue 6): `python -m bench --only provenance` / `--only moderation`.

1. Added generation time on a 10 s 720x1280 clip: both watermarks (timed inside the frame filter),
   the nudity check on the 1 fps samples, C2PA signing of MP4 + poster, prompt moderation.
2. Invisible watermark survival: N clips, each re-encoded with libx264 at 500 kbit/s and scaled
   to 480x854, C2PA stripped by the re-encode; decoded from 48 frames spread over the clip.
3. C2PA signing and verification time per clip.
4. Prompt moderation precision/recall on bench/data/moderation_eval.tsv (tuned on),
   bench/data/moderation_heldout.tsv (held back, then known) and bench/data/moderation_heldout2.tsv
   (written before the classifier), for the rules and for the classifier.
"""

from __future__ import annotations

import csv
import statistics
import tempfile
import time
from collections import Counter
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from bench.__main__ import percentile, table

PROMPTS = [
    "a red car driving through a city at night in the rain",
    "a cat sleeping on a sunny windowsill",
    "sunset over the sea with sailing boats",
    "a robot dancing in a neon club",
    "snow falling on a quiet forest",
    "a busy market in Rome at noon",
    'a dog on the beach says "hello"',
    "a storm over the mountains with lightning",
    "a hot air balloon over green hills",
    "a spaceship flying past a purple planet",
]
EVAL = Path(__file__).resolve().parent / "data" / "moderation_eval.tsv"
# Written before the last change to moderation and never used to tune anything. When a held-back set has
# been run and its misses read, it joins EVAL and a new one is written first (docs/BENCHMARKS.md, issue 15).
HELDOUT = Path(__file__).resolve().parent / "data" / "moderation_heldout.tsv"
# Written before the classifier was trained (issue 15, 2026-12-07); the classifier never trained on it.
HELDOUT2 = Path(__file__).resolve().parent / "data" / "moderation_heldout2.tsv"


def _reencode(src: Path, dst: Path, *, width: int = 480, height: int = 854, bitrate: int = 500_000) -> None:
    with av.open(str(src)) as inp, av.open(str(dst), "w", format="mp4") as out:
        fps = 24
        stream = out.add_stream("libx264", rate=fps)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.codec_context.bit_rate = bitrate
        stream.codec_context.time_base = Fraction(1, fps)
        for index, frame in enumerate(inp.decode(video=0)):
            small = frame.reformat(width=width, height=height, format="yuv420p")
            small.pts = index
            small.time_base = Fraction(1, fps)
            out.mux(stream.encode(small))
        out.mux(stream.encode(None))


def _render(prompt: str, seed: int, folder: Path, *, marks: bool, watermark_id: str) -> dict[str, float]:
    """Render + encode one 10 s 720x1280 clip; returns timings of the provenance/safety steps."""
    from figment.generation.checks import FrameSampler
    from figment.generation.registry import load_backend
    from figment.generation.types import GenerationRequest
    from figment.media.encode import compose, encode_clip
    from figment.media.watermark_invisible import InvisibleWatermark
    from figment.media.watermark_visible import VisibleWatermark

    request = GenerationRequest(prompt=prompt, seed=seed, duration_s=10.0, author_handle="bench")
    clip = load_backend("procedural").generate(request)
    spent = {"filters": 0.0}
    sampler = FrameSampler(fps=request.fps)
    steps = [InvisibleWatermark(watermark_id), VisibleWatermark("bench", fps=request.fps)] if marks else []
    chain = compose(*steps)

    def timed(frame: np.ndarray, index: int) -> np.ndarray:
        start = time.perf_counter()
        frame = chain(frame, index)
        spent["filters"] += time.perf_counter() - start
        return sampler(frame, index)

    start = time.perf_counter()
    encode_clip(clip, video_path=folder / "clip.mp4", poster_path=folder / "poster.jpg", frame_filter=timed)
    spent["total"] = time.perf_counter() - start
    spent["samples"] = float(len(sampler.frames))
    spent["_frames"] = 0.0
    _last_samples[:] = sampler.frames
    return spent


_last_samples: list[np.ndarray] = []


def bench_overhead(runs: int) -> None:
    from figment.embeddings import make_embedder
    from figment.media.watermark_invisible import new_watermark_id
    from figment.provenance.credentials import ContentCredentials, load_keys
    from figment.safety.moderation import Moderator
    from figment.safety.nudity import NudityCheck

    rows: dict[str, list[float]] = {k: [] for k in ("marks", "nudity", "sign", "moderation", "plain", "marked")}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        credentials = ContentCredentials(load_keys(data_dir=folder, cert_path=None, key_path=None, anchors_path=None))
        moderator, nudity = Moderator(embedder=make_embedder("use")), NudityCheck()
        moderator.classify("warm up")
        nudity.hits(np.zeros((1280, 720, 3), np.uint8))
        for run in range(runs):
            prompt = PROMPTS[run % len(PROMPTS)]
            plain = _render(prompt, run, folder, marks=False, watermark_id=new_watermark_id())
            marked = _render(prompt, run, folder, marks=True, watermark_id=new_watermark_id())
            rows["plain"].append(plain["total"])
            rows["marked"].append(marked["total"])
            rows["marks"].append(marked["filters"])
            start = time.perf_counter()
            for frame in _last_samples:
                nudity.hits(frame)
            rows["nudity"].append(time.perf_counter() - start)
            start = time.perf_counter()
            credentials.sign_file(folder / "clip.mp4", video_id="bench", watermark_id="0" * 12)
            credentials.sign_file(folder / "poster.jpg", video_id="bench", watermark_id="0" * 12)
            rows["sign"].append(time.perf_counter() - start)
            start = time.perf_counter()
            moderator.classify(prompt)  # runs twice per clip: at submit and before render
            moderator.classify(prompt)
            rows["moderation"].append(time.perf_counter() - start)
    med = {k: statistics.median(v) for k, v in rows.items()}
    added = med["marks"] + med["nudity"] + med["sign"] + med["moderation"]
    table(
        f"Added generation time, 10 s 720x1280 24 fps clip (median of {runs} clips)",
        [
            ("watermarks, visible + invisible, 240 frames (s)", f"{med['marks']:.2f}"),
            ("nudity check, 10 sampled frames (s)", f"{med['nudity']:.2f}"),
            ("C2PA signing, MP4 + poster (s)", f"{med['sign']:.3f}"),
            ("prompt moderation, twice (s)", f"{med['moderation']:.3f}"),
            ("**added in total (s)**", f"**{added:.2f}**"),
            ("render + encode without marks (s)", f"{med['plain']:.2f}"),
            ("render + encode with marks (s)", f"{med['marked']:.2f}"),
        ],
    )


def bench_survival(clips: int) -> None:
    from figment.media import watermark_invisible as wi
    from figment.media.probe import probe
    from figment.provenance.credentials import ContentCredentials, load_keys
    from figment.provenance.service import sampled_frames

    survived, strengths, rates, detect_s, sign_s, verify_s, plain_ok = 0, [], [], [], [], [], 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        credentials = ContentCredentials(load_keys(data_dir=folder, cert_path=None, key_path=None, anchors_path=None))
        for index in range(clips):
            mark = wi.new_watermark_id()
            _render(PROMPTS[index % len(PROMPTS)], 100 + index, folder, marks=True, watermark_id=mark)
            start = time.perf_counter()
            credentials.sign_file(folder / "clip.mp4", video_id=f"clip{index}", watermark_id=mark)
            sign_s.append(time.perf_counter() - start)
            data = (folder / "clip.mp4").read_bytes()
            start = time.perf_counter()
            report = credentials.read(data, mime="video/mp4")
            verify_s.append(time.perf_counter() - start)
            assert report.trusted, report
            plain_ok += wi.detect(sampled_frames(data)).watermark_id == mark
            _reencode(folder / "clip.mp4", folder / "small.mp4")
            small = (folder / "small.mp4").read_bytes()
            rates.append(len(small) * 8 / probe(folder / "small.mp4").duration_s / 1000)
            start = time.perf_counter()
            found = wi.detect(sampled_frames(small))
            detect_s.append(time.perf_counter() - start)
            strengths.append(found.strength)
            survived += found.watermark_id == mark
            print(f"  clip {index}: survived={found.watermark_id == mark} strength={found.strength:.2f}", flush=True)
    table(
        f"Invisible watermark survival, {clips} clips 10 s 720x1280 -> re-encoded 480x854",
        [
            ("decoded from the original MP4", f"{plain_ok}/{clips}"),
            ("decoded after re-encode + downscale", f"{survived}/{clips} ({100 * survived / clips:.0f} %)"),
            ("re-encoded bitrate, median (kbit/s)", f"{statistics.median(rates):.0f}"),
            ("decode time incl. reading 48 frames, median (s)", f"{statistics.median(detect_s):.2f}"),
            ("strength after re-encode, min / median", f"{min(strengths):.2f} / {statistics.median(strengths):.2f}"),
        ],
    )
    table(
        f"C2PA per clip (10 s MP4, ES256, {clips} clips)",
        [
            (
                "sign, median / p95 (ms)",
                f"{1000 * statistics.median(sign_s):.1f} / {1000 * percentile(sign_s, 95):.1f}",
            ),
            (
                "verify incl. trust, median / p95 (ms)",
                f"{1000 * statistics.median(verify_s):.1f} / {1000 * percentile(verify_s, 95):.1f}",
            ),
        ],
    )


def bench_moderation(path: Path = EVAL, *, classifier: bool | None = None) -> None:
    """`classifier`: True for the trained classifier past the word list, False for the rules and nearest
    examples, None for whatever production uses (moderation.USE_CLASSIFIER)."""
    from figment.embeddings import make_embedder
    from figment.safety.moderation import CATEGORIES, USE_CLASSIFIER, Moderator

    used = USE_CLASSIFIER if classifier is None else classifier
    moderator = Moderator(embedder=make_embedder("use"), classifier=used)
    moderator.classify("warm up")  # loads the model (about 3 s) outside the timing
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    truth = [r["label"] for r in rows]
    start = time.perf_counter()
    guess = [moderator.classify(r["prompt"]).category or "safe" for r in rows]
    per_prompt_ms = (time.perf_counter() - start) / len(rows) * 1000
    lines: list[tuple[str, str]] = []
    for category in CATEGORIES:
        tp = sum(t == category and g == category for t, g in zip(truth, guess, strict=True))
        fp = sum(t != category and g == category for t, g in zip(truth, guess, strict=True))
        fn = sum(t == category and g != category for t, g in zip(truth, guess, strict=True))
        lines.append((f"{category} (n={truth.count(category)}) precision / recall", _pr(tp, fp, fn)))
    tp = sum(t != "safe" and g != "safe" for t, g in zip(truth, guess, strict=True))
    fp = sum(t == "safe" and g != "safe" for t, g in zip(truth, guess, strict=True))
    fn = sum(t != "safe" and g == "safe" for t, g in zip(truth, guess, strict=True))
    lines.append(
        (
            f"any harm, refused or not (n={len(rows) - truth.count('safe')} harmful, {truth.count('safe')} safe)",
            _pr(tp, fp, fn),
        )
    )
    langs = Counter(r["lang"] for r in rows)
    lines.append(("prompts (en / it)", f"{langs['en']} / {langs['it']}"))
    lines.append(("time per prompt, warm (ms)", f"{per_prompt_ms:.1f}"))
    decider = "classifier" if used else "rules + nearest examples"
    table(f"Prompt moderation on bench/data/{path.name} ({decider})", lines)
    misses = [(t, g, r["prompt"]) for t, g, r in zip(truth, guess, rows, strict=True) if t != g]
    for t, g, prompt in misses:
        print(f"  labelled {t}, got {g}: {prompt}")


def _pr(tp: int, fp: int, fn: int) -> str:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return f"{precision:.2f} / {recall:.2f}"


def main(*, quick: bool = False, only: str | None = None) -> None:
    if only in (None, "moderation"):
        for path in (EVAL, HELDOUT, HELDOUT2):
            bench_moderation(path, classifier=False)
            bench_moderation(path, classifier=True)
    if only in (None, "provenance"):
        bench_overhead(2 if quick else 3)
        bench_survival(4 if quick else 20)

"""Likeness verification time (issue 4): `python -m bench --only likeness`.

A 6 s 480x640 30 fps recording (VP8 + Opus WebM without a duration header, as Chrome's MediaRecorder
writes it; and the same as H.264 + AAC MP4) of the astronaut photo answering a three-turn, five-digit
challenge, verified after one warm-up run that loads the models. Median of the runs, per stage from
`Verification.timings`. Speech runs on its own thread while the face stages run, so the stages add up
to more than the total.
"""

from __future__ import annotations

import statistics
import time

from bench.__main__ import table

STAGES = ("decode", "faces", "embed", "speech", "total")


def bench_verify(runs: int) -> None:
    from skimage import data

    from figment.likeness.liveness import Challenge, verify_recording
    from figment.testing.recordings import make_recording

    challenge = Challenge(digits="40729", head_turns=("left", "up", "right"))
    photo = data.astronaut()
    for fmt in ("webm", "mp4"):
        start = time.perf_counter()
        recording = make_recording(challenge, photo, fmt=fmt, seconds=6.0)
        made = time.perf_counter() - start
        warm = verify_recording(recording, challenge)
        assert warm.passed, warm.reasons
        timings: dict[str, list[float]] = {stage: [] for stage in STAGES}
        walls = []
        for _ in range(runs):
            start = time.perf_counter()
            result = verify_recording(recording, challenge)
            walls.append(time.perf_counter() - start)
            assert result.passed, result.reasons
            for stage in STAGES:
                timings[stage].append(result.timings[stage])
        med = {stage: statistics.median(values) for stage, values in timings.items()}
        table(
            f"Likeness verification, 6 s 480x640 30 fps {fmt.upper()} ({len(recording) / 1e6:.1f} MB), "
            f"median of {runs} warm runs",
            [
                ("decode + sample 8 frames/s (s)", f"{med['decode']:.2f}"),
                ("face detection + landmarks, 48 frames (s)", f"{med['faces']:.2f}"),
                ("identity embeddings, 5 frames + crops (s)", f"{med['embed']:.2f}"),
                ("Whisper digits, on its own thread (s)", f"{med['speech']:.2f}"),
                ("**verification wall time (s)**", f"**{med['total']:.2f}**"),
                ("min / max wall time (s)", f"{min(walls):.2f} / {max(walls):.2f}"),
                ("making the recording (s)", f"{made:.2f}"),
            ],
        )


def main(*, quick: bool = False) -> None:
    bench_verify(3 if not quick else 1)

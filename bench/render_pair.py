"""Render time of two source trees taken in turns, for a busy machine: wall and CPU seconds per run.

    python -m bench.render_pair OLD_SRC NEW_SRC [--runs 3]

Each run is a fresh interpreter (`PYTHONPATH=TREE`) that renders and encodes one 10 s 720x1280
clip after a 1 s warm-up, so both trees pay the same imports and caches. Runs alternate between
the trees, so background load hits both alike; CPU seconds (process time) move less with load
than wall seconds and are the figure to compare when the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess  # nosec B404  # runs this same interpreter on a child script, no shell
import sys

PROMPTS = (
    'a red car driving through a city at night in the rain, then a cat says "hello" 0',
    "a girl riding a horse on the beach",
)
_CHILD = """
import sys, tempfile, time
from pathlib import Path
from figment.generation.backends.procedural import render_to_file
with tempfile.TemporaryDirectory() as tmp:
    render_to_file("warm up", out=Path(tmp) / "w.mp4", duration_s=1.0)
    t, c = time.perf_counter(), time.process_time()
    render_to_file(sys.argv[1], out=Path(tmp) / "c.mp4", seed=int(sys.argv[2]), duration_s=10.0)
    print(f"{time.perf_counter() - t:.3f} {time.process_time() - c:.3f}")
"""


def _run(tree: str, prompt: str, seed: int) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": tree}
    out = subprocess.run(  # nosec B603  # fixed argv: this interpreter, a constant script, our prompt
        [sys.executable, "-c", _CHILD, prompt, str(seed)], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    return float(out[0]), float(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    for i in range(args.runs):
        for prompt in PROMPTS:
            for tree in (args.old, args.new):
                results.setdefault((tree, prompt), []).append(_run(tree, prompt, i))
    print(f"| prompt | tree | median wall (s) | median CPU (s) | load now | ({args.runs} runs each)")
    print("|---|---|---|---|---|")
    load = os.getloadavg()[0]
    for (tree, prompt), runs in results.items():
        wall = statistics.median(r[0] for r in runs)
        cpu = statistics.median(r[1] for r in runs)
        print(f"| {prompt[:40]} | {tree} | {wall:.2f} | {cpu:.2f} | {load:.1f} |")


if __name__ == "__main__":
    main()

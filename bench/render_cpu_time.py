"""Render + encode time of the bench prompt, wall and CPU seconds (issue 17's before/after).

`PYTHONPATH=src python -m bench.render_cpu_time N` renders the `make bench` prompt N times (10 s,
720x1280, after a warm-up) and prints the medians. CPU seconds (this process, all threads) are far less
sensitive to other load on a shared machine than wall seconds; run it alternately against two source
trees (PYTHONPATH=<tree>/src) to compare engines under the same load.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path


def main(runs: int) -> None:
    from figment.generation.backends.procedural import render_to_file

    walls: list[float] = []
    cpus: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        render_to_file("warm up", out=Path(tmp) / "warm.mp4", duration_s=1.0)
        for i in range(runs):
            cpu0, wall0 = time.process_time(), time.perf_counter()
            render_to_file(
                f'a red car driving through a city at night in the rain, then a cat says "hello" {i}',
                out=Path(tmp) / f"clip{i}.mp4",
                seed=i,
                duration_s=10.0,
            )
            walls.append(time.perf_counter() - wall0)
            cpus.append(time.process_time() - cpu0)
    print(
        f"wall median {statistics.median(walls):.2f} s, cpu median {statistics.median(cpus):.2f} s, "
        f"walls {[round(w, 2) for w in walls]}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)

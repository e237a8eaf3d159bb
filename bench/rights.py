"""Rights screening speed and accuracy with 10,000 registered works (issue #5).

`python -m bench.rights`: builds an index of the evaluation works plus 10,000 synthetic works (made-up
two-word titles, an alias each, a description vector), then screens every prompt of the labelled
evaluation sets (tuning and held-back), one at a time, as `RightsScreen.check_prompt` does.
Synthetic works get random unit description vectors (embedding 10,000 descriptions would only slow the
set-up; the per-query cost, one 512-d embedding and a 10,000 x 512 product, is the same).
"""

from __future__ import annotations

import dataclasses
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.__main__ import percentile, table  # noqa: E402
from figment.embeddings import make_embedder  # noqa: E402
from figment.rights.evaluate import HELD_OUT, eval_cases, eval_works, evaluate  # noqa: E402
from figment.rights.matching import Alias, RightsIndex, WorkEntry  # noqa: E402

SYLLABLES = "ka zor mi lun tre vax po rin del qua shi bo nex ter fal gru wen ost pim ra lo zu hek dri sol".split()


def synthetic_works(n: int, seed: int = 5) -> list[WorkEntry]:
    rng = random.Random(seed)
    vectors = np.random.default_rng(seed).standard_normal((n, 512)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()

    return [
        WorkEntry(
            id=f"syn{i}",
            title=f"{word()} {word()}",
            aliases=(Alias(word(), "it"),),
            description="",
            holder=f"Holder {i % 300}",
            policy="refuse",
            kind="character",
            vector=vectors[i],
        )
        for i in range(n)
    ]


def main(works: int = 10_000) -> None:
    embedder = make_embedder("use")
    started = time.perf_counter()
    index = RightsIndex.build([*eval_works(), *synthetic_works(works)], embedder=embedder)
    build_s = time.perf_counter() - started
    cases = eval_cases()
    held_out = eval_cases(HELD_OUT)
    prompts = [c.prompt for c in (*cases, *held_out)]
    index.match("warm up the sentence encoder")
    times, cpu = [], []
    # Fresh prompts each round (a suffix defeats the encoder's cache, which only the re-check may use).
    for round_ in range(3):
        for prompt in prompts:
            text = f"{prompt} {round_}"
            start, start_cpu = time.perf_counter(), time.thread_time()
            index.match(text)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
    lexical = []
    for prompt in prompts:
        start = time.perf_counter()
        index.match(prompt, semantic=False)
        lexical.append((time.perf_counter() - start) * 1000)
    changed = dataclasses.replace(index.works[-1], title=index.works[-1].title + " Returns")
    started = time.perf_counter()
    RightsIndex.build([*index.works[:-1], changed], embedder=embedder)
    rebuild_s = time.perf_counter() - started
    report = evaluate(index, cases)
    unseen = evaluate(index, held_out)
    table(
        f"Rights screening, {works + len(eval_works()):,} registered works, {len(times)} prompts one at a time",
        [
            ("index build, first (s)", f"{build_s:.2f}"),
            ("index rebuild after one work changed (s)", f"{rebuild_s:.2f}"),
            ("p50 per prompt, wall (ms)", f"{percentile(times, 50):.2f}"),
            ("p99 per prompt, wall (ms)", f"{percentile(times, 99):.2f}"),
            ("p50 per prompt, CPU time of the thread (ms)", f"{percentile(cpu, 50):.2f}"),
            ("p99 per prompt, CPU time of the thread (ms)", f"{percentile(cpu, 99):.2f}"),
            ("p99 lexical matching alone, wall (ms)", f"{percentile(lexical, 99):.2f}"),
            ("load average during the run (1 min)", f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"),
            ("evaluation set: recall", f"{report.recall:.3f} ({report.tp}/{report.tp + report.fn})"),
            ("evaluation set: precision", f"{report.precision:.3f}"),
            (
                "evaluation set: false refusals",
                f"{report.false_refusal_rate:.3f} ({report.fp}/{report.fp + report.tn})",
            ),
            ("held-back set: recall", f"{unseen.recall:.3f} ({unseen.tp}/{unseen.tp + unseen.fn})"),
            (
                "held-back set: false refusals",
                f"{unseen.false_refusal_rate:.3f} ({unseen.fp}/{unseen.fp + unseen.tn})",
            ),
        ],
    )
    for miss in (*report.misses, *unseen.misses):
        print(f"- {miss}")


if __name__ == "__main__":
    main()

"""`make gpu-check`: the tiny ltx2 and wan pipelines on CUDA in bf16, with peak GPU memory and step time.

For an operator's first minutes on a GPU host, before downloading tens of GB of weights: it proves that
torch sees the GPU, that bf16 kernels run, and that the whole path (text encoder, transformer, VAE,
LTX-2's audio) works there. The figures are those of tiny models: they say the stack works, not how fast
a real model is (docs/MODELS.md has the published figures). Without a CUDA GPU it says so and fails.
"""

from __future__ import annotations

import statistics
import sys
import time

from figment.generation.types import GenerationRequest

STEPS = 4
DURATION_S = 2.0


def main() -> int:
    from figment.generation.backends.diffusion import runtime

    if runtime.missing_packages():
        print(runtime.missing_packages_message("gpu-check"), file=sys.stderr)
        return 2
    import torch

    if not torch.cuda.is_available():
        print(
            f"No CUDA GPU is visible (torch {torch.__version__}, CUDA build: {torch.version.cuda or 'no'}): "
            "gpu-check measured nothing. Run it on a GPU host with a CUDA build of torch.",
            file=sys.stderr,
        )
        return 2
    from figment.generation.backends.diffusion.ltx2 import Ltx2Backend
    from figment.generation.backends.diffusion.wan import WanBackend

    run = runtime.ModelRun.for_tiny(device="cuda", dtype="bfloat16", steps=STEPS)
    print(f"GPU: {torch.cuda.get_device_name(0)}, torch {torch.__version__}, CUDA {torch.version.cuda}, bf16")
    print(f"{'backend':<8} {'frames':>6} {'steps':>5} {'step ms (median)':>17} {'total s':>8} {'peak GPU MiB':>13}")
    for backend in (Ltx2Backend(run), WanBackend(run)):
        backend.pipeline()  # load first: the table measures rendering, not building
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        marks: list[float] = []

        def step(percent: int, marks: list[float] = marks) -> None:
            torch.cuda.synchronize()
            marks.append(time.perf_counter())

        request = GenerationRequest(
            prompt="a red fox running through snow", seed=0, duration_s=DURATION_S, progress=step
        )
        started = time.perf_counter()
        clip = backend.generate(request)
        frames = sum(1 for _ in clip.frames)
        total = time.perf_counter() - started
        gaps = [b - a for a, b in zip(marks, marks[1:], strict=False)]
        peak = torch.cuda.max_memory_allocated() / 2**20
        median = statistics.median(gaps) * 1000 if gaps else float("nan")
        print(f"{backend.name:<8} {frames:>6} {len(gaps):>5} {median:>17.1f} {total:>8.2f} {peak:>13.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

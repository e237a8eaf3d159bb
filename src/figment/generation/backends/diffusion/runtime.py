"""What the diffusers backends share: how a model is loaded and kept warm, how it reports its steps and
is stopped between them, what running out of GPU memory becomes, and how its frames reach Figment's size.

torch and diffusers are imported inside functions only: the app, the registry and `figment backends` load
without them (they come with the optional `models` extra).
"""

from __future__ import annotations

import contextlib
import importlib.util
import math
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from figment.errors import ValidationFailed
from figment.generation.types import BackendCapabilities, GenerationRequest, ModelOutOfMemory, ProgressCallback
from figment.settings import Settings

# The packages a diffusers backend imports; all come with `pip install 'figment[models]'`.
MODEL_PACKAGES = ("torch", "diffusers", "transformers", "accelerate")


@dataclass(frozen=True, kw_only=True)
class ModelRun:
    """How a backend runs its model. `weights` None: a tiny random-weight model of the same architecture
    (`figment render --tiny`, tests, `make gpu-check`), built in memory."""

    weights: Path | None
    device: str = "cpu"
    dtype: str = "float32"
    offload: str = "none"
    vae_tiling: bool = False
    steps: int = 2

    @property
    def tiny(self) -> bool:
        return self.weights is None

    @classmethod
    def for_tiny(cls, *, device: str = "cpu", dtype: str = "float32", steps: int = 2) -> ModelRun:
        return cls(weights=None, device=device, dtype=dtype, steps=steps)

    @classmethod
    def from_settings(cls, settings: Settings, *, weights: Path, steps: int) -> ModelRun:
        return cls(
            weights=weights,
            device=settings.model_device,
            dtype=settings.model_dtype,
            offload=settings.model_offload,
            vae_tiling=settings.model_vae_tiling,
            steps=steps,
        )


def missing_packages() -> list[str]:
    return [name for name in MODEL_PACKAGES if importlib.util.find_spec(name) is None]


def missing_packages_message(name: str) -> str:
    return (
        f"The {name} backend needs the video model packages ({', '.join(missing_packages())} missing): "
        "pip install 'figment[models]'."
    )


def cuda_available() -> bool:
    import torch

    return bool(torch.cuda.is_available())


# ---- one model per process, kept warm -------------------------------------------------------------

_WARM: dict[tuple[object, ...], Any] = {}
_WARM_LOCK = threading.Lock()
# One generation at a time per model: a pipeline keeps per-call state (its scheduler, progress bar).
_RUN_LOCKS: dict[tuple[object, ...], threading.Lock] = {}


def warm_pipeline(key: tuple[object, ...], build: Callable[[], Any]) -> tuple[Any, threading.Lock]:
    """The process's one loaded pipeline for `key`, built on first use. Loading a real model takes
    minutes and tens of GB; every job of this worker process reuses it."""
    with _WARM_LOCK:
        if key not in _WARM:
            _WARM[key] = build()
            _RUN_LOCKS[key] = threading.Lock()
        return _WARM[key], _RUN_LOCKS[key]


def torch_dtype(name: str) -> Any:
    import torch

    return {"bfloat16": torch.bfloat16, "float16": torch.float16, "float32": torch.float32}[name]


def place(pipe: Any, run: ModelRun) -> Any:
    """Put a loaded pipeline where `run` says: on the device, or offloaded to the CPU between uses."""
    if run.offload == "model":
        pipe.enable_model_cpu_offload(device=run.device)
    elif run.offload == "sequential":
        pipe.enable_sequential_cpu_offload(device=run.device)
    else:
        pipe.to(run.device)
    if run.vae_tiling and hasattr(pipe.vae, "enable_tiling"):
        pipe.vae.enable_tiling()
    pipe.set_progress_bar_config(disable=True)
    return pipe


def generator(seed: int, run: ModelRun) -> Any:
    import torch

    # Seeded on the CPU: the same seed gives the same noise whatever the device (diffusers' advice).
    return torch.Generator(device="cpu").manual_seed(seed % (2**63))


# ---- progress and cancellation -------------------------------------------------------------------


class StepReporter:
    """Turns the pipeline's step callbacks (`callback_on_step_end`) into the request's progress, 0..100,
    across every denoising pass of a clip. Whatever the progress callback raises (the job was cancelled)
    leaves the pipeline at once, between two steps."""

    def __init__(self, report: ProgressCallback | None, *, total_steps: int) -> None:
        self.report = report
        self.total = max(1, total_steps)
        self.done = 0

    def __call__(self, pipe: Any, step: int, timestep: Any, tensors: dict[str, Any]) -> dict[str, Any]:
        self.done += 1
        if self.report is not None:
            self.report(min(100, self.done * 100 // self.total))
        return {}

    def started(self) -> None:
        """Report 0 before the first step: a cancelled job stops before the model even starts."""
        if self.report is not None:
            self.report(self.done * 100 // self.total)


def is_out_of_memory(exc: BaseException) -> bool:
    try:
        import torch
    except ImportError:
        return False
    return isinstance(exc, torch.OutOfMemoryError)


@contextlib.contextmanager
def model_errors(name: str) -> Iterator[None]:
    """torch.OutOfMemoryError becomes ModelOutOfMemory, a reason people can read; the GPU's cached
    blocks are released so the next try (the worker retries failed renders) starts clean."""
    try:
        yield
    except Exception as exc:
        if not is_out_of_memory(exc):
            raise
        import torch

        if torch.cuda.is_available():
            torch.cuda.empty_cache()
        raise ModelOutOfMemory(
            f"The {name} video model ran out of GPU memory. The clip will be tried again; if this keeps "
            "happening, the operator can set FIGMENT_MODEL_OFFLOAD=model and FIGMENT_MODEL_VAE_TILING=1, "
            "or use a GPU with more memory."
        ) from exc


# ---- requests and frames -------------------------------------------------------------------------


def refuse_unfit(name: str, capabilities: BackendCapabilities, request: GenerationRequest) -> None:
    """Refuse, naming the value, what this backend cannot make. Any 9:16 size is fine: the model renders
    at its own size and the frames are scaled and cropped to the request's."""
    if request.duration_s > capabilities.max_duration_s:
        raise ValidationFailed(
            f"The {name} video model makes at most {capabilities.max_duration_s:g} s, not {request.duration_s:g} s.",
            field="duration_s",
            value=request.duration_s,
        )
    if request.likeness and not capabilities.supports_likeness:
        raise ValidationFailed(
            f"The {name} video model cannot put a person's likeness in a clip.", field="likeness", value=None
        )


def frame_count_for(needed: int, *, temporal: int) -> int:
    """The smallest count a model takes (temporal*k + 1) that holds `needed` frames."""
    return temporal * max(1, math.ceil((needed - 1) / temporal)) + 1


def to_uint8(video: Any) -> np.ndarray:
    """(frames, h, w, 3) floats in 0..1, numpy or torch, as uint8."""
    array = video.float().cpu().numpy() if hasattr(video, "cpu") else np.asarray(video, np.float32)
    out: np.ndarray = (np.clip(array, 0.0, 1.0) * 255.0 + 0.5).astype(np.uint8)
    return out


def fit(frame: np.ndarray, width: int, height: int) -> np.ndarray:
    """Scale `frame` to cover width x height, then crop the middle: the model's 576x1024 or 704x1280 (both
    near 9:16) becomes the instance's size with nothing stretched."""
    import cv2

    h, w = frame.shape[:2]
    if (w, h) == (width, height):
        return np.ascontiguousarray(frame)
    scale = max(width / w, height / h)
    sw, sh = max(width, round(w * scale)), max(height, round(h * scale))
    resized = cv2.resize(frame, (sw, sh), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
    x0, y0 = (sw - width) // 2, (sh - height) // 2
    return np.ascontiguousarray(resized[y0 : y0 + height, x0 : x0 + width])


def fitted_frames(video: np.ndarray, indices: list[int], width: int, height: int) -> Iterator[np.ndarray]:
    """The clip's frames, each scaled when the encoder asks for it (a 10 s clip at 720x1280 is 660 MB)."""
    for index in indices:
        yield fit(video[index], width, height)


def audio_for(samples: np.ndarray, *, sample_rate: int, duration_s: float) -> np.ndarray:
    """(channels, n) float32 in -1..1, exactly as long as the clip (cut, or padded with silence)."""
    want = round(duration_s * sample_rate)
    audio = np.clip(np.asarray(samples, np.float32), -1.0, 1.0)
    if audio.ndim == 1:
        audio = audio[None, :]
    out = np.zeros((audio.shape[0], want), np.float32)
    n = min(want, audio.shape[1])
    out[:, :n] = audio[:, :n]
    return out

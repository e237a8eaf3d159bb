"""The shape every diffusers backend shares: check the request, take the warm model, render with step
progress and cancellation, then hand Figment the frames at the instance's size, lazily, with sound."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np

from figment.generation.backends.diffusion import runtime, weights
from figment.generation.backends.diffusion.runtime import ModelRun, StepReporter
from figment.generation.backends.diffusion.weights import COMPLETE_MARKER
from figment.generation.registry import BackendAvailability
from figment.generation.types import BackendCapabilities, BackendFailure, GeneratedClip, GenerationRequest
from figment.settings import Settings


@dataclass(kw_only=True)
class NativeClip:
    """What the model made, at its own size and frame rate."""

    video: np.ndarray  # uint8 (frames, h, w, 3)
    fps: float
    audio: np.ndarray  # float32 (channels, samples)
    sample_rate: int
    plan: dict[str, Any] = field(default_factory=dict)


class DiffusionBackend:
    name: str
    capabilities: BackendCapabilities
    # The size the real model renders at (width, height), and the tiny model's.
    render_size: ClassVar[tuple[int, int]]
    tiny_render_size: ClassVar[tuple[int, int]] = (32, 64)

    def __init__(self, run: ModelRun) -> None:
        self.run = run

    @property
    def size(self) -> tuple[int, int]:
        return self.tiny_render_size if self.run.tiny else self.render_size

    def _key(self) -> tuple[object, ...]:
        r = self.run
        return (self.name, str(r.weights), r.device, r.dtype, r.offload, r.vae_tiling)

    def pipeline(self) -> tuple[Any, Any]:
        """The warm pipeline (loaded on first use in this process) and the lock that serialises its use."""
        if self.run.weights is not None and not (self.run.weights / COMPLETE_MARKER).is_file():
            # Final: no retry can help until an operator pulls them (then the author submits again).
            raise BackendFailure(
                f"The {self.name} model's weights are not in {self.run.weights}. "
                f"Run `figment models pull {self.name}` on this host.",
                retryable=False,
            )
        return runtime.warm_pipeline(self._key(), self._load)

    def _load(self) -> Any:
        raise NotImplementedError

    def _render(self, pipe: Any, request: GenerationRequest, steps: StepReporter) -> NativeClip:
        raise NotImplementedError

    def _total_steps(self, request: GenerationRequest) -> int:
        return self.run.steps

    def generate(self, request: GenerationRequest) -> GeneratedClip:
        runtime.refuse_unfit(self.name, self.capabilities, request)
        pipe, lock = self.pipeline()
        steps = StepReporter(request.progress, total_steps=self._total_steps(request))
        steps.started()
        with lock, runtime.model_errors(self.name):
            native = self._render(pipe, request, steps)
        count = request.frame_count
        # The model's frames at its own rate, picked for the clip's: frame i shows the model's frame at i/fps.
        indices = [min(len(native.video) - 1, round(i * native.fps / request.fps)) for i in range(count)]
        plan = {"backend": self.name, "model": self.model_label(), **native.plan}
        if request.likeness:
            plan["likeness"] = [ref.handle for ref in request.likeness]
        return GeneratedClip(
            width=request.width,
            height=request.height,
            fps=request.fps,
            frame_count=count,
            frames=runtime.fitted_frames(native.video, indices, request.width, request.height),
            audio=runtime.audio_for(native.audio, sample_rate=native.sample_rate, duration_s=count / request.fps),
            sample_rate=native.sample_rate,
            plan=plan,
        )

    def model_label(self) -> str:
        if self.run.tiny:
            return "tiny random weights (noise by design)"
        return self.run.weights.name if self.run.weights is not None else ""


def diffusion_availability(name: str, settings: Settings, *, repo: str) -> BackendAvailability:
    if runtime.missing_packages():
        return BackendAvailability(name=name, can_run=False, reason=runtime.missing_packages_message(name))
    if not weights.weights_ready(settings, name):
        return BackendAvailability(name=name, can_run=False, reason=weights.missing_weights_message(settings, name))
    if settings.model_device == "cuda" and not runtime.cuda_available():
        return BackendAvailability(
            name=name,
            can_run=False,
            reason="No CUDA GPU is visible to this process (FIGMENT_MODEL_DEVICE=cuda): run the worker on a GPU "
            "host, or set FIGMENT_MODEL_DEVICE=cpu for a check (minutes per step).",
        )
    where = weights.weights_dir(settings, name)
    return BackendAvailability(
        name=name, can_run=True, reason=f"{repo} in {where}, on {settings.model_device} ({settings.model_dtype})"
    )

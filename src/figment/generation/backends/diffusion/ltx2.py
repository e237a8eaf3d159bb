"""`ltx2`: Lightricks' LTX-2 through diffusers' LTX2Pipeline, picture and synchronised sound in one pass.

The model renders 576x1024 (9:16, both sides multiples of 32 as the pipeline requires), 8k+1 frames at
the clip's frame rate, and its own audio track (24 kHz for LTX-2, 48 kHz for LTX-2.3/2.5, read from the
vocoder's config). Figment scales the frames to the instance's 720x1280 and puts its marks on them.
Licence: LTX-2 Community License (docs/MODELS.md).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from figment.generation.backends.diffusion import runtime, weights
from figment.generation.backends.diffusion.base import DiffusionBackend, NativeClip, diffusion_availability
from figment.generation.backends.diffusion.runtime import ModelRun, StepReporter
from figment.generation.registry import BackendAvailability
from figment.generation.types import MAX_DURATION_S, BackendCapabilities, GenerationRequest
from figment.settings import Settings

NAME = "ltx2"
# Frames are 8k+1 (the VAE compresses time 8x).
TEMPORAL = 8
NEGATIVE_PROMPT = "worst quality, inconsistent motion, blurry, jittery, distorted, watermark, text"


class Ltx2Backend(DiffusionBackend):
    name = NAME
    capabilities = BackendCapabilities(
        max_duration_s=MAX_DURATION_S, sizes=((720, 1280),), supports_likeness=False, needs_gpu=True
    )
    render_size = (576, 1024)

    @classmethod
    def from_settings(cls, settings: Settings) -> Ltx2Backend:
        return cls(
            ModelRun.from_settings(settings, weights=weights.weights_dir(settings, NAME), steps=settings.ltx2_steps)
        )

    def _load(self) -> Any:
        from diffusers import LTX2Pipeline

        if self.run.weights is None:
            from figment.generation.backends.diffusion import tiny

            pipe = LTX2Pipeline(**tiny.ltx2_components())
            if self.run.dtype != "float32":  # built in float32; bf16 for `make gpu-check`
                pipe.to(dtype=runtime.torch_dtype(self.run.dtype))
        else:
            pipe = LTX2Pipeline.from_pretrained(self.run.weights, torch_dtype=runtime.torch_dtype(self.run.dtype))
        return runtime.place(pipe, self.run)

    def _call_options(self) -> dict[str, Any]:
        if not self.run.tiny:
            return {}  # the pipeline's own defaults are the model card's
        # The tiny transformer has 2 blocks: no spatio-temporal guidance block 28, and no guidance at all
        # (one pass per step keeps the check fast; the shapes are the same).
        return dict(
            guidance_scale=1.0, stg_scale=0.0, modality_scale=1.0, guidance_rescale=0.0, audio_guidance_scale=1.0,
            audio_stg_scale=0.0, audio_modality_scale=1.0, audio_guidance_rescale=0.0,
            spatio_temporal_guidance_blocks=None, use_cross_timestep=False, max_sequence_length=16,
        )  # fmt: skip

    def _render(self, pipe: Any, request: GenerationRequest, steps: StepReporter) -> NativeClip:
        width, height = self.size
        frames = runtime.frame_count_for(request.frame_count, temporal=TEMPORAL)
        out = pipe(
            prompt=request.prompt,
            negative_prompt=NEGATIVE_PROMPT,
            width=width,
            height=height,
            num_frames=frames,
            frame_rate=float(request.fps),
            num_inference_steps=self.run.steps,
            generator=runtime.generator(request.seed, self.run),
            output_type="np",
            callback_on_step_end=steps,
            **self._call_options(),
        )
        audio = out.audio[0]
        audio = audio.float().cpu().numpy() if hasattr(audio, "cpu") else np.asarray(audio, np.float32)
        return NativeClip(
            video=runtime.to_uint8(out.frames[0]),
            fps=float(request.fps),
            audio=audio,
            sample_rate=int(pipe.vocoder.config.output_sampling_rate),
            plan={"render_size": f"{width}x{height}", "model_frames": frames, "sound": "model"},
        )


def availability(settings: Settings) -> BackendAvailability:
    return diffusion_availability(NAME, settings, repo=settings.ltx2_repo)

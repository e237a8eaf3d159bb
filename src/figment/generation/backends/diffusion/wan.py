"""`wan`: Wan 2.2 TI2V-5B through diffusers (Apache-2.0), with Figment's sound engine for its audio.

The model renders 704x1280 at 24 fps, at most 121 frames (about 5 s) per pass. A 10 s clip is made of
passes that continue one another: each later pass is image-to-video from the last frame of the one
before (TI2V-5B does both with the same weights), so the picture carries on instead of cutting.
Wan makes no sound; the clip gets the soundtrack the procedural engine would give the prompt
(figment.generation.sound: ambience, mood music, the quoted lines spoken).

Likeness: the consented faces are composed into the first frame and the first pass is image-to-video
from it, so the model animates the cast person instead of inventing a face (no face-identity model,
no InsightFace). The worker's output face check then looks at what the model actually drew.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from figment.generation.backends.diffusion import runtime, weights
from figment.generation.backends.diffusion.base import DiffusionBackend, NativeClip, diffusion_availability
from figment.generation.backends.diffusion.runtime import ModelRun, StepReporter
from figment.generation.registry import BackendAvailability
from figment.generation.sound import soundtrack_for_prompt
from figment.generation.types import MAX_DURATION_S, BackendCapabilities, GenerationRequest, LikenessRef
from figment.settings import Settings

NAME = "wan"
MODEL_FPS = 24
# Frames are 4k+1 (the VAE compresses time 4x); 121 is the model's trained length.
TEMPORAL = 4
SEGMENT_FRAMES = 121
GUIDANCE = 5.0
NEGATIVE_PROMPT = "blurry, low quality, distorted, deformed, static, watermark, text, subtitles, worst quality"


class WanBackend(DiffusionBackend):
    name = NAME
    capabilities = BackendCapabilities(
        max_duration_s=MAX_DURATION_S, sizes=((720, 1280),), supports_likeness=True, needs_gpu=True
    )
    render_size = (704, 1280)

    def __init__(self, run: ModelRun, *, segment_frames: int = SEGMENT_FRAMES) -> None:
        super().__init__(run)
        if segment_frames < TEMPORAL + 1 or (segment_frames - 1) % TEMPORAL:
            raise ValueError(f"segment_frames must be 4k+1 and at least 5 but is {segment_frames}")
        # Frames per pass; tests shorten it to run the continuation on a short clip.
        self.segment_frames = segment_frames

    @classmethod
    def from_settings(cls, settings: Settings) -> WanBackend:
        return cls(
            ModelRun.from_settings(settings, weights=weights.weights_dir(settings, NAME), steps=settings.wan_steps)
        )

    def _load(self) -> Any:
        from diffusers import WanImageToVideoPipeline, WanPipeline

        dtype = runtime.torch_dtype(self.run.dtype)
        if self.run.weights is None:
            from figment.generation.backends.diffusion import tiny

            text = WanPipeline(**tiny.wan_components(), expand_timesteps=True)
            if self.run.dtype != "float32":  # built in float32; bf16 for `make gpu-check`
                text.to(dtype=dtype)
        else:
            text = WanPipeline.from_pretrained(self.run.weights, torch_dtype=dtype)
        # The same modules in the image-to-video pipeline: TI2V-5B conditions on an image by fixing the first
        # latent frame (expand_timesteps), with no image encoder; nothing is loaded twice.
        image = WanImageToVideoPipeline(
            tokenizer=text.tokenizer,
            text_encoder=text.text_encoder,
            vae=text.vae,
            scheduler=text.scheduler,
            transformer=text.transformer,
            expand_timesteps=True,
        )
        runtime.place(text, self.run)
        if self.run.offload == "none":
            image.set_progress_bar_config(disable=True)
        else:
            runtime.place(image, self.run)
        return {"text": text, "image": image}

    def segments(self, request: GenerationRequest) -> list[int]:
        """Frames of each pass at 24 fps: the first pass's count, then each continuation's (whose first frame
        repeats the last one before it and is dropped)."""
        needed = max(2, round(request.frame_count * MODEL_FPS / request.fps))
        passes: list[int] = []
        have = 0
        while have < needed:
            left = needed - have + (1 if passes else 0)
            count = min(self.segment_frames, runtime.frame_count_for(left, temporal=TEMPORAL))
            passes.append(count)
            have += count - (1 if len(passes) > 1 else 0)
        return passes

    def _total_steps(self, request: GenerationRequest) -> int:
        return self.run.steps * len(self.segments(request))

    def _render(self, pipe: Any, request: GenerationRequest, steps: StepReporter) -> NativeClip:
        width, height = self.size
        start = first_frame(request.likeness, width=width, height=height) if request.likeness else None
        common = dict(
            prompt=request.prompt,
            negative_prompt=NEGATIVE_PROMPT,
            width=width,
            height=height,
            num_inference_steps=self.run.steps,
            guidance_scale=GUIDANCE,
            output_type="np",
            callback_on_step_end=steps,
            generator=runtime.generator(request.seed, self.run),
        )
        if self.run.tiny:
            common["max_sequence_length"] = 16
        parts: list[np.ndarray] = []
        for index, count in enumerate(self.segments(request)):
            if start is None:
                out = pipe["text"](num_frames=count, **common)
            else:
                from PIL import Image

                out = pipe["image"](image=Image.fromarray(start), num_frames=count, **common)
            video = runtime.to_uint8(out.frames[0])
            parts.append(video if index == 0 else video[1:])
            start = video[-1]
        sound = soundtrack_for_prompt(
            prompt=request.prompt, seed=request.seed, duration_s=request.frame_count / request.fps
        )
        plan: dict[str, Any] = {
            "render_size": f"{width}x{height}",
            "model_frames": [len(p) for p in parts],
            "sound": "figment",
        }
        if request.likeness:
            plan["conditioning"] = "first_frame"
        return NativeClip(
            video=np.concatenate(parts), fps=MODEL_FPS, audio=sound.samples, sample_rate=sound.sample_rate, plan=plan
        )


def first_frame(likeness: tuple[LikenessRef, ...], *, width: int, height: int) -> np.ndarray:
    """The opening still for image-to-video: the consenting people's faces, side by side in the upper middle
    of a soft neutral backdrop, each about a third of the frame wide. The model takes the people from here."""
    from PIL import Image

    ramp = np.linspace(150, 90, height, dtype=np.float32)[:, None, None]
    backdrop = np.broadcast_to(ramp * np.array([1.0, 0.97, 0.92], np.float32), (height, width, 3))
    canvas = Image.fromarray(backdrop.astype(np.uint8)).convert("RGBA")
    count = len(likeness)
    side = max(8, min(width // max(1, count) - 4, width // 3 if count == 1 else width // count))
    for k, ref in enumerate(likeness):
        face = Image.fromarray(ref.face, "RGBA")
        scale = side / max(face.size)
        size = (max(1, round(face.width * scale)), max(1, round(face.height * scale)))
        face = face.resize(size, Image.Resampling.LANCZOS)
        cx = round(width * (k + 0.5) / count)
        canvas.alpha_composite(face, (cx - face.width // 2, max(0, round(height * 0.3) - face.height // 2)))
    return np.asarray(canvas.convert("RGB"))


def availability(settings: Settings) -> BackendAvailability:
    return diffusion_availability(NAME, settings, repo=settings.wan_repo)

"""ProceduralBackend: the embedded CPU backend that draws a clip from the prompt alone."""

from __future__ import annotations

from figment.generation.backends.procedural.audio import compose_soundtrack
from figment.generation.backends.procedural.plan import plan_scene
from figment.generation.backends.procedural.render import FrameRenderer
from figment.generation.backends.procedural.sprites import EmojiSpriteSource, SpriteSource
from figment.generation.types import (
    MAX_DURATION_S,
    BackendCapabilities,
    GeneratedClip,
    GenerationRequest,
)


class ProceduralBackend:
    """Layered 2.5D scenes from emoji characters and generated scenery, with synthesised sound.

    Any 9:16 even size renders; 720x1280 is the size the product asks for. The sprite source is
    injectable so likeness (a consenting person's face on a character) can plug in later.
    """

    name = "procedural"
    capabilities = BackendCapabilities(
        max_duration_s=MAX_DURATION_S,
        sizes=((720, 1280),),
        supports_likeness=False,
        needs_gpu=False,
    )

    def __init__(self, *, sprite_source: SpriteSource | None = None) -> None:
        self._sprites = sprite_source or EmojiSpriteSource()

    def generate(self, request: GenerationRequest) -> GeneratedClip:
        plan = plan_scene(prompt=request.prompt, seed=request.seed)
        frame_count = request.frame_count
        # Audio is cut to the frames' length, not the requested one, so the two never drift apart.
        duration_s = frame_count / request.fps
        soundtrack = compose_soundtrack(plan=plan, duration_s=duration_s)
        renderer = FrameRenderer(
            plan=plan,
            width=request.width,
            height=request.height,
            fps=request.fps,
            frame_count=frame_count,
            cues=soundtrack.cues,
            sprites=self._sprites,
        )
        return GeneratedClip(
            width=request.width,
            height=request.height,
            fps=request.fps,
            frame_count=frame_count,
            frames=renderer.frames(),
            audio=soundtrack.samples,
            sample_rate=soundtrack.sample_rate,
            plan=plan.to_dict(),
        )

"""ProceduralBackend: the embedded CPU backend that draws a clip from the prompt alone."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import numpy as np

from figment.generation.backends.procedural.lexicon import CHARACTER_SPRITES, NOUNS, STYLES
from figment.generation.backends.procedural.plan import ScenePlan, caption_for, plan_scene
from figment.generation.backends.procedural.render import FrameRenderer
from figment.generation.backends.procedural.sprites import EmojiSpriteSource, SpriteSource
from figment.generation.sound.soundtrack import SpeechCue, compose_soundtrack
from figment.generation.types import (
    MAX_DURATION_S,
    BackendCapabilities,
    CharacterLooks,
    GeneratedClip,
    GenerationRequest,
)

# Cross-fade / wipe between shots, in seconds; short enough to read as a cut with a breath in it.
TRANSITION_S = 0.35
# A shot shorter than this is not worth a cut; very short clips render fewer shots than planned.
MIN_SHOT_S = 0.5


class ProceduralBackend:
    """Layered 2.5D scenes from emoji characters and generated scenery, with synthesised sound.

    Any 9:16 even size renders; 720x1280 is the size the product asks for. The sprite source is
    injectable, and `GenerationRequest.likeness` puts a consenting person's face on a character,
    with head motion and a mouth that moves while the dialogue plays.
    """

    name = "procedural"
    capabilities = BackendCapabilities(
        max_duration_s=MAX_DURATION_S,
        sizes=((720, 1280),),
        supports_likeness=True,
        needs_gpu=False,
        # Any sprite of the lexicon; "natural" is what a look without a style already gets.
        looks=CharacterLooks(
            sprites=tuple(noun.key for noun in NOUNS),
            suggested=CHARACTER_SPRITES,
            styles=tuple(sorted(style for style in STYLES if style != "natural")),
        ),
    )

    def __init__(self, *, sprite_source: SpriteSource | None = None) -> None:
        self._sprites = sprite_source or EmojiSpriteSource()

    def generate(self, request: GenerationRequest) -> GeneratedClip:
        plan = plan_scene(prompt=request.prompt, seed=request.seed)
        if request.caption is not None:
            plan = dataclasses.replace(plan, caption=caption_for(request.caption))
        frame_count = request.frame_count
        # Audio is cut to the frames' length, not the requested one, so the two never drift apart.
        duration_s = frame_count / request.fps
        soundtrack = compose_soundtrack(plan=plan, duration_s=duration_s)
        mouth = mouth_levels(soundtrack.speech, sample_rate=soundtrack.sample_rate, fps=request.fps, frames=frame_count)
        shots = _ShotSequence(
            plan=plan,
            request=request,
            cues=soundtrack.cues,
            sprites=self._sprites,
            mouth=mouth,
        )
        plan_dict = plan.to_dict()
        if request.likeness:
            plan_dict["likeness"] = [ref.handle for ref in request.likeness]
        return GeneratedClip(
            width=request.width,
            height=request.height,
            fps=request.fps,
            frame_count=frame_count,
            frames=shots.frames(),
            audio=soundtrack.samples,
            sample_rate=soundtrack.sample_rate,
            plan=plan_dict,
        )


def mouth_levels(speech: np.ndarray, *, sample_rate: int, fps: int, frames: int) -> np.ndarray:
    """How open a speaking mouth is in each frame, 0..1, from the loudness of the dialogue track."""
    out = np.zeros(frames, np.float32)
    if not len(speech):
        return out
    hop = sample_rate / fps
    for i in range(frames):
        chunk = speech[int(i * hop) : int((i + 1) * hop)]
        if len(chunk):
            out[i] = float(np.sqrt(np.mean(chunk.astype(np.float32) ** 2)))
    peak = float(np.percentile(out[out > 0], 90)) if np.any(out > 0) else 0.0
    if peak <= 1e-6:
        return np.zeros(frames, np.float32)
    envelope: np.ndarray = np.clip(out / peak, 0.0, 1.0).astype(np.float32)
    return envelope


class _ShotSequence:
    """Frames of a multi-shot clip: one renderer per shot, built when its shot is reached."""

    def __init__(
        self,
        *,
        plan: ScenePlan,
        request: GenerationRequest,
        cues: tuple[SpeechCue, ...],
        sprites: SpriteSource,
        mouth: np.ndarray,
    ) -> None:
        self.plan, self.request, self.cues, self.sprites, self.mouth = plan, request, cues, sprites, mouth
        total = request.frame_count
        wanted = max(1, len(plan.shots))
        n = max(1, min(wanted, int(total / (MIN_SHOT_S * request.fps))))
        self.bounds = [round(total * k / n) for k in range(n + 1)]
        self.overlap = min(round(TRANSITION_S * request.fps), max(0, total // n // 3)) if n > 1 else 0
        self._renderers: dict[int, FrameRenderer] = {}

    def _renderer(self, k: int) -> FrameRenderer:
        if k not in self._renderers:
            start, end = self.bounds[k], self.bounds[k + 1]
            count = end - start + (self.overlap if k < len(self.bounds) - 2 else 0)
            offset = start / self.request.fps
            cues = tuple(
                SpeechCue(start_s=c.start_s - offset, end_s=c.end_s - offset, text=c.text)
                for c in self.cues
                if c.end_s > offset
            )
            self._renderers[k] = FrameRenderer(
                plan=self.plan.for_shot(k),
                width=self.request.width,
                height=self.request.height,
                fps=self.request.fps,
                frame_count=count,
                cues=cues,
                sprites=self.sprites,
                likeness=tuple(ref.face for ref in self.request.likeness),
                mouth=self.mouth[start : start + count],
            )
            # A finished shot's renderer holds megabytes of scenery; drop it once the next one takes over.
            for old in [j for j in self._renderers if j < k - 1]:
                del self._renderers[old]
        return self._renderers[k]

    def frames(self) -> Iterator[np.ndarray]:
        shots = len(self.bounds) - 1
        for k in range(shots):
            start, end = self.bounds[k], self.bounds[k + 1]
            renderer = self._renderer(k)
            for f in range(start, end):
                frame = renderer.render(f - start)
                if k and f - start < self.overlap:
                    previous = self._renderer(k - 1)
                    outgoing = previous.render(f - self.bounds[k - 1])
                    frame = _transition(outgoing, frame, (f - start + 1) / (self.overlap + 1), kind=k % 2)
                yield frame


def _transition(outgoing: np.ndarray, incoming: np.ndarray, w: float, *, kind: int) -> np.ndarray:
    """Cross-fade (kind 1) or a soft-edged wipe from the left (kind 0) between two shots."""
    weight: np.ndarray | float = w
    if kind != 1:
        width = incoming.shape[1]
        edge = w * width * 1.2 - width * 0.1
        weight = np.clip((edge - np.arange(width, dtype=np.float32)) / (width * 0.1) + 0.5, 0, 1)[None, :, None]
    mixed = outgoing.astype(np.float32) * (1.0 - weight) + incoming.astype(np.float32) * weight
    blended: np.ndarray = (mixed + 0.5).astype(np.uint8)
    return blended

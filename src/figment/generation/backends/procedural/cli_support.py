"""One call from prompt to MP4, for the `figment render` command and for benchmarks."""

from __future__ import annotations

from pathlib import Path

from figment.generation.backends.procedural.backend import ProceduralBackend
from figment.generation.types import GenerationRequest
from figment.media.encode import EncodedMedia, encode_clip


def render_to_file(
    prompt: str,
    *,
    out: Path,
    seed: int = 0,
    width: int = 720,
    height: int = 1280,
    duration_s: float = 10.0,
) -> EncodedMedia:
    """Render `prompt` to `out` (MP4) with a poster JPEG beside it (`out` with suffix .jpg)."""
    request = GenerationRequest(prompt=prompt, seed=seed, duration_s=duration_s, width=width, height=height)
    clip = ProceduralBackend().generate(request)
    return encode_clip(clip, video_path=out, poster_path=out.with_suffix(".jpg"))

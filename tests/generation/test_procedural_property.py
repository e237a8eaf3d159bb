"""No prompt crashes the engine: random unicode, rendered at a tiny size, gives a clip or a clear error."""

from __future__ import annotations

import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from figment.generation.backends.procedural import ProceduralBackend
from figment.generation.types import GenerationRequest

_BACKEND = ProceduralBackend()
# Words the engine knows, mixed into the random text so the planner's paths get exercised too.
_KNOWN = st.sampled_from(
    "cat dog red three then poi night snow beach neon noir cartoon zoom tracking slow motion dances "
    'gatto spiaggia tramonto "hi" «ciao» 🐈 🚀 ,'.split()
)
_PROMPTS = st.lists(st.one_of(st.text(max_size=30), _KNOWN), max_size=12).map(" ".join)


@settings(max_examples=100, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    prompt=_PROMPTS,
    seed=st.integers(min_value=0, max_value=2**31),
    width=st.sampled_from([18, 36, 72, 90, 35, 0]),
    duration_s=st.sampled_from([0.2, 0.5, 1.0, 0.0, 11.0]),
)
def test_any_prompt_gives_a_valid_clip_or_a_clear_error(prompt: str, seed: int, width: int, duration_s: float) -> None:
    height = width * 16 // 9
    try:
        request = GenerationRequest(prompt=prompt, seed=seed, width=width, height=height, duration_s=duration_s)
    except ValueError as error:
        # Only a bad size or duration is refused, and the message names the bad value.
        message = str(error)
        assert f"{width}x{height}" in message or f"{width} and {height}" in message or str(duration_s) in message
        assert width % 2 or width * 16 % 9 or width <= 0 or not 0 < duration_s <= 10
        return
    clip = _BACKEND.generate(request)
    frames = list(clip.frames)
    assert len(frames) == clip.frame_count == request.frame_count
    assert all(f.shape == (height, width, 3) and f.dtype == np.uint8 for f in frames)
    assert clip.audio.shape == (2, round(clip.frame_count / clip.fps * clip.sample_rate))
    assert np.isfinite(clip.audio).all() and float(np.abs(clip.audio).max()) <= 1.0
    plan = json.loads(json.dumps(clip.plan))
    assert 1 <= len(plan["shots"]) <= 3

"""The procedural backend: Figment's built-in, CPU-only clip generator."""

from figment.generation.backends.procedural.backend import ProceduralBackend
from figment.generation.backends.procedural.cli_support import render_to_file
from figment.generation.backends.procedural.plan import ScenePlan, SubjectPlan, plan_scene
from figment.generation.backends.procedural.sprites import EmojiSpriteSource, SpriteSource

__all__ = [
    "EmojiSpriteSource",
    "ProceduralBackend",
    "ScenePlan",
    "SpriteSource",
    "SubjectPlan",
    "plan_scene",
    "render_to_file",
]

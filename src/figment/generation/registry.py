"""Which backends exist, whether each can run here, and loading one.

Heavy backends are imported only when asked for, so the app starts without them: `availability`
asks a backend module what it lacks (an extra, weights, a GPU, a key) without building the model.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from figment.generation.types import Backend

if TYPE_CHECKING:
    from figment.settings import Settings

# Every backend `figment backends` names, in the order it lists them. Settings validates FIGMENT_BACKEND
# and FIGMENT_BACKENDS against this tuple.
KNOWN_BACKENDS = ("procedural", "ltx2", "wan", "openai-videos", "veo")
# Backends that send the prompt to someone else's servers (docs/MODELS.md, "Privacy").
HOSTED_BACKENDS = frozenset({"openai-videos", "veo"})


@dataclass(frozen=True, kw_only=True)
class BackendAvailability:
    """Whether a backend can run on this install, and if not, why, in words an operator acts on."""

    name: str
    can_run: bool
    reason: str


def _procedural(settings: Settings) -> BackendAvailability:
    return BackendAvailability(name="procedural", can_run=True, reason="")


def _openai_videos(settings: Settings) -> BackendAvailability:
    from figment.generation.backends.hosted import openai_videos

    return openai_videos.availability(settings)


def _veo(settings: Settings) -> BackendAvailability:
    from figment.generation.backends.hosted import veo

    return veo.availability(settings)


def _not_in_this_build(name: str) -> Callable[[Settings], BackendAvailability]:
    # The GPU backends' modules (ltx2, wan) plug in here: replace the entry with their `availability`.
    return lambda settings: BackendAvailability(name=name, can_run=False, reason="not installed in this build")


_AVAILABILITY: dict[str, Callable[[Settings], BackendAvailability]] = {
    "procedural": _procedural,
    "ltx2": _not_in_this_build("ltx2"),
    "wan": _not_in_this_build("wan"),
    "openai-videos": _openai_videos,
    "veo": _veo,
}


def backend_availability(name: str, settings: Settings) -> BackendAvailability:
    check = _AVAILABILITY.get(name)
    if check is None:
        raise ValueError(f"unknown generation backend {name!r}; known: {', '.join(KNOWN_BACKENDS)}")
    return check(settings)


def load_backend(name: str, settings: Settings | None = None) -> Backend:
    """Build a backend. Hosted backends read their provider's settings; a missing key does not stop the
    load (the app starts, `figment backends` says why) but each render then refuses, naming the setting."""
    if name == "procedural":
        # On demand, like every backend: a GPU backend's stack (torch, diffusers) must not load with the
        # registry, and the procedural one keeps the same shape.
        from figment.generation.backends.procedural import ProceduralBackend

        return ProceduralBackend()
    if name in HOSTED_BACKENDS:
        if settings is None:
            raise ValueError(f"the {name} backend reads its provider's settings: pass settings")
        if name == "openai-videos":
            from figment.generation.backends.hosted.openai_videos import OpenAIVideosBackend

            return OpenAIVideosBackend.from_settings(settings)
        from figment.generation.backends.hosted.veo import VeoBackend

        return VeoBackend.from_settings(settings)
    if name in KNOWN_BACKENDS:
        raise ValueError(f"the {name} generation backend is not installed in this build")
    raise ValueError(f"unknown generation backend {name!r}; known: {', '.join(KNOWN_BACKENDS)}")

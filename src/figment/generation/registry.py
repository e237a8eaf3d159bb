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


def _ltx2(settings: Settings) -> BackendAvailability:
    from figment.generation.backends.diffusion import ltx2

    return ltx2.availability(settings)


def _wan(settings: Settings) -> BackendAvailability:
    from figment.generation.backends.diffusion import wan

    return wan.availability(settings)


_AVAILABILITY: dict[str, Callable[[Settings], BackendAvailability]] = {
    "procedural": _procedural,
    "ltx2": _ltx2,
    "wan": _wan,
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
    load (the app starts, `figment backends` says why) but each render then refuses, naming the setting.
    Model backends read their weights folder and run settings (the defaults when None); they load their
    model on first use, not here."""
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
    if name in ("ltx2", "wan"):
        from figment.settings import Settings

        resolved = settings if settings is not None else Settings()
        if name == "ltx2":
            from figment.generation.backends.diffusion.ltx2 import Ltx2Backend

            return Ltx2Backend.from_settings(resolved)
        from figment.generation.backends.diffusion.wan import WanBackend

        return WanBackend.from_settings(resolved)
    raise ValueError(f"unknown generation backend {name!r}; known: {', '.join(KNOWN_BACKENDS)}")

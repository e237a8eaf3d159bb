"""Which backends exist. Heavy backends are imported only when asked for, so the app starts without them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from figment.generation.types import Backend

if TYPE_CHECKING:
    from figment.settings import Settings

KNOWN_BACKENDS = ("procedural", "ltx2", "wan")


@dataclass(frozen=True, kw_only=True)
class BackendAvailability:
    """Whether a backend can run on this host with these settings, and why not (what to install, pull or
    set), in words for an operator. Each backend module answers with `availability(settings)`."""

    name: str
    can_run: bool
    reason: str


def availability(name: str, settings: Settings) -> BackendAvailability:
    """`name`'s state here; cheap enough for `figment backends` (it may import torch to look for a GPU)."""
    if name == "procedural":
        return BackendAvailability(name=name, can_run=True, reason="built in (CPU)")
    if name == "ltx2":
        from figment.generation.backends.diffusion import ltx2

        return ltx2.availability(settings)
    if name == "wan":
        from figment.generation.backends.diffusion import wan

        return wan.availability(settings)
    raise ValueError(f"unknown generation backend {name!r}; known: {', '.join(KNOWN_BACKENDS)}")


def load_backend(name: str, settings: Settings | None = None) -> Backend:
    """The backend called `name`. Model backends read their weights folder and run settings from `settings`
    (the defaults when None); they load their model on first use, not here."""
    if name == "procedural":
        # On demand, like every backend: a GPU backend's stack (torch, diffusers) must not load with the
        # registry, and the procedural one keeps the same shape.
        from figment.generation.backends.procedural import ProceduralBackend

        return ProceduralBackend()
    if name in ("ltx2", "wan"):
        from figment.settings import Settings

        resolved = settings if settings is not None else Settings()
        if name == "ltx2":
            from figment.generation.backends.diffusion.ltx2 import Ltx2Backend

            return Ltx2Backend.from_settings(resolved)
        from figment.generation.backends.diffusion.wan import WanBackend

        return WanBackend.from_settings(resolved)
    raise ValueError(f"unknown generation backend {name!r}; known: {', '.join(KNOWN_BACKENDS)}")

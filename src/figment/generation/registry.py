"""Which backends exist. Heavy backends are imported only when asked for, so the app starts without them."""

from __future__ import annotations

from figment.generation.types import Backend

KNOWN_BACKENDS = ("procedural",)


def load_backend(name: str) -> Backend:
    if name == "procedural":
        # On demand, like every backend: a GPU backend's stack (torch, diffusers) must not load with the
        # registry, and the procedural one keeps the same shape.
        from figment.generation.backends.procedural import ProceduralBackend

        return ProceduralBackend()
    raise ValueError(f"unknown generation backend {name!r}; known: {', '.join(KNOWN_BACKENDS)}")

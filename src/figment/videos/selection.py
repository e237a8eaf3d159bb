"""Which video model renders a clip: the server's enabled backends (FIGMENT_BACKENDS, the default
FIGMENT_BACKEND first) as the create page offers them, and as the API document states them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from figment.generation.registry import HOSTED_BACKENDS, backend_availability

if TYPE_CHECKING:
    from figment.services import Services


def choices(services: Services) -> list[dict[str, Any]]:
    """Each enabled backend with its limits, the default first."""
    settings = services.settings
    out = []
    for name, backend in services.backends.items():
        caps = backend.capabilities
        out.append(
            {
                "name": name,
                "default": name == settings.backend,
                "available": backend_availability(name, settings).can_run,
                "hosted": name in HOSTED_BACKENDS,
                "max_duration_s": caps.max_duration_s,
                "sizes": [f"{width}x{height}" for width, height in caps.sizes],
                "supports_likeness": caps.supports_likeness,
            }
        )
    return out


def state_backends(document: dict[str, Any], names: list[str]) -> None:
    """The create body's `backend` takes only this server's enabled names: say so in its schema."""
    body = document.get("components", {}).get("schemas", {}).get("SubmitIn", {})
    field = body.get("properties", {}).get("backend")
    if field is None:
        return
    options = field.get("anyOf", [])
    for option in options:
        if option.get("type") == "string":
            option["enum"] = names

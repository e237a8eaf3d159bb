"""Shapes shared by every feature (shared/API.md): strict request bodies and a reference to a user.

A feature's own response shapes live in its package (videos.schemas for clips); request bodies live
beside their routes.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Request bodies: unknown fields are an error, so typos do not silently do nothing."""

    model_config = ConfigDict(extra="forbid")


class UserRef(BaseModel):
    handle: str


def __getattr__(name: str) -> Any:
    # likeness/routes.py still imports the clip shapes from here while its owner rewrites it; they live
    # in videos.schemas. Resolved on first use, not imported above: videos.schemas builds on UserRef,
    # so a top-level import would be a real cycle. Delete this once that import moves.
    if name in ("VideoOut", "videos_out"):
        from figment.videos import schemas as video_schemas

        return getattr(video_schemas, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

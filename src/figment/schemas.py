"""Shapes shared by every feature (shared/API.md): strict request bodies and a reference to a user.

A feature's own response shapes live in its package (videos.schemas for clips); request bodies live
beside their routes.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Strict(BaseModel):
    """Request bodies: unknown fields are an error, so typos do not silently do nothing."""

    model_config = ConfigDict(extra="forbid")


class UserRef(BaseModel):
    handle: str

"""Shapes shared by every feature (shared/API.md): strict request bodies, a reference to a user, and the
error body every failure answers with.

A feature's own response shapes live in its package (videos.schemas for clips); request bodies live
beside their routes.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Rules a service checks itself, in its own words (a message naming the limit, the field): the document
# states them (json_schema_extra) and pydantic does not check them a second time with other words.
HANDLE_RULES: dict[str, Any] = {
    "pattern": r"^@?[A-Za-z0-9_]{3,30}$",
    "description": "3 to 30 of a-z, 0-9 and _ (case and a leading @ are ignored).",
}
# Text that must say something: at least one character that is neither a space nor a control character.
NOT_BLANK = r"[^\s\x00-\x1f\x7f-\x9f]"


def text_rules(max_length: int, *, required: bool = True) -> dict[str, Any]:
    """A service's text rule (trimmed, then bounded; not blank when required) for the document."""
    rules: dict[str, Any] = {"maxLength": max_length}
    if required:
        rules |= {"minLength": 1, "pattern": NOT_BLANK}
    return rules


class Strict(BaseModel):
    """Request bodies: unknown fields are an error, so typos do not silently do nothing."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        # PostgreSQL text cannot hold U+0000: stored, it failed as a 500 (found by the API fuzzer).
        if has_nul(value):
            raise ValueError("Text must not contain the NUL character (U+0000).")
        return value


def has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(has_nul(v) for v in value)
    return False


class UserRef(BaseModel):
    handle: str


class ErrorInfo(BaseModel):
    code: str = Field(description="Stable machine code: validation_error, unauthenticated, not_found, ...")
    message: str = Field(description="A sentence a person can act on.")
    details: dict[str, Any] = Field(description="What the code needs to say more: `field`, `retry_after_s`, ...")


class ErrorOut(BaseModel):
    """Every error answer (app.error_body): `{"error": {"code", "message", "details"}}`."""

    model_config = ConfigDict(extra="forbid")
    error: ErrorInfo


ERROR_DESCRIPTIONS = {
    401: "Not logged in, or the bearer token is not valid (`unauthenticated`).",
    403: "Logged in but not allowed: someone else's, an operator's, a banned account, or a cookie write "
    "without its CSRF header (`forbidden`, `cameo_permission_denied`).",
    404: "Nothing with that id or handle that this caller may see (`not_found`).",
    409: "The request clashes with the current state: taken, already done, not yet ready (`conflict`).",
    413: "The request body is over the size limit (`payload_too_large`).",
    422: "The request is not valid; `details.field` names what (`validation_error` and the content rules' codes).",
    429: "Too many requests or over a quota; `Retry-After` says when to try again (`rate_limited`, `quota_exceeded`).",
    503: "The database or media storage is unavailable; `Retry-After` says when to try again (`unavailable`).",
}
_RETRY_AFTER = {"Retry-After": {"description": "Seconds to wait before trying again.", "schema": {"type": "string"}}}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route: each status with the shared error body and what it means."""
    out: dict[int | str, dict[str, Any]] = {}
    for status in statuses:
        entry: dict[str, Any] = {"model": ErrorOut, "description": ERROR_DESCRIPTIONS[status]}
        if status in (429, 503):
            entry["headers"] = _RETRY_AFTER
        out[status] = entry
    return out

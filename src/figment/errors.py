"""Domain errors. Services raise these; one handler in app.py maps them to HTTP.

Each carries a stable machine code (part of the public API, see shared/API.md) and a sentence a
person can act on.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "error"
    status = 400

    def __init__(
        self, message: str, *, details: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}
        self.headers = headers or {}


class ValidationFailed(DomainError):
    code = "validation_error"
    status = 422

    def __init__(self, message: str, *, field: str | None = None, **details: Any) -> None:
        merged = dict(details)
        if field is not None:
            merged["field"] = field
        super().__init__(message, details=merged)


class Unauthenticated(DomainError):
    code = "unauthenticated"
    status = 401


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class NotFound(DomainError):
    code = "not_found"
    status = 404


class Conflict(DomainError):
    code = "conflict"
    status = 409


class PayloadTooLarge(DomainError):
    code = "payload_too_large"
    status = 413


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429


class RightsBlocked(DomainError):
    """A registered work's holder does not allow it. Details name the work, the holder, its policy,
    the matcher that fired (`rule`) and how to contest (`contest`)."""

    code = "rights_blocked"
    status = 422


class ModerationBlocked(DomainError):
    """A prompt asks for content Figment never makes; `details.category` names which."""

    code = "moderation_blocked"
    status = 422


class PublicFigureBlocked(DomainError):
    code = "public_figure_blocked"
    status = 422


class OutputBlocked(DomainError):
    """The rendered frames failed the nudity check; only operators can see why."""

    code = "output_blocked"
    status = 422


class QuotaExceeded(DomainError):
    code = "quota_exceeded"
    status = 429


class CameoPermissionDenied(DomainError):
    """A likeness in the prompt may not be used by this author. Details name the `handle` and the `rule`
    (not_verified, only_me, not_approved, not_mutuals, blocked, revoked)."""

    code = "cameo_permission_denied"
    status = 403


class CameoRestricted(DomainError):
    """The owner allows the author but forbids this content. Details name the `handle`, the owner's
    `restriction` and the `matcher` that found it."""

    code = "cameo_restricted"
    status = 422

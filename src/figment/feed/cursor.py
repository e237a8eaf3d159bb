"""Opaque page cursors: signed so a client cannot forge or edit them, and rejected clearly when bad."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any

from figment.errors import ValidationFailed


def encode(payload: dict[str, Any], *, secret: str) -> str:
    body = base64.urlsafe_b64encode(json.dumps(payload, separators=(",", ":")).encode()).rstrip(b"=")
    sig = hmac.new(secret.encode(), body, hashlib.sha256).digest()[:12]
    return body.decode() + "." + base64.urlsafe_b64encode(sig).rstrip(b"=").decode()


def decode(cursor: str, *, secret: str) -> dict[str, Any]:
    try:
        body, sig = cursor.split(".", 1)
        expected = hmac.new(secret.encode(), body.encode(), hashlib.sha256).digest()[:12]
        given = base64.urlsafe_b64decode(sig + "=" * (-len(sig) % 4))
        if not hmac.compare_digest(expected, given):
            raise ValueError("signature")
        payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
        if not isinstance(payload, dict):
            raise ValueError("shape")
        return payload
    except (ValueError, UnicodeError, json.JSONDecodeError) as exc:
        raise ValidationFailed("The cursor is not valid: start again from the first page.", field="cursor") from exc

"""The BlobStore seam: where finished media lives. Local folder by default; S3-compatible at scale."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol, runtime_checkable

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9/_.-]{0,199}$")


def check_key(key: str) -> str:
    if not KEY_RE.match(key) or ".." in key or "//" in key:
        raise ValueError(f"invalid blob key {key!r}")
    return key


@runtime_checkable
class BlobStore(Protocol):
    def put_file(self, key: str, source: Path, *, content_type: str) -> None:
        """Store `source` under `key` atomically: readers see the old blob or the new one, never half."""

    def put_bytes(self, key: str, data: bytes, *, content_type: str) -> None:
        """Store `data` under `key`, atomically like `put_file` (small blobs made in memory)."""

    def local_path(self, key: str) -> Path | None:
        """A filesystem path for serving with range requests, or None when the store is remote."""

    def exists(self, key: str) -> bool: ...

    def read_bytes(self, key: str) -> bytes:
        """The whole blob (small private blobs such as face crops); FileNotFoundError when missing."""

    def delete(self, key: str) -> None:
        """Delete the blob; deleting a missing blob is not an error (effects are idempotent)."""

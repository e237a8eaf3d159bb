"""MemoryBlobStore: the whole BlobStore protocol in a dict, for tests that need no disk.

`local_path` returns None for every key, as a remote (S3) store's does: a memory store has no file
a web server could send, so whoever serves its blobs must use `read_range`. That keeps tests that use
it honest about the remote case instead of pretending a file exists.
"""

from __future__ import annotations

import threading
from pathlib import Path

from figment.storage.base import check_key, check_range


class MemoryBlobStore:
    def __init__(self) -> None:
        self._blobs: dict[str, tuple[bytes, str]] = {}
        self._lock = threading.Lock()

    def put_file(self, key: str, source: Path, *, content_type: str) -> None:
        check_key(key)
        # Read fully first: a source that fails half-way leaves the old blob untouched.
        self._store(key, Path(source).read_bytes(), content_type)

    def put_bytes(self, key: str, data: bytes, *, content_type: str) -> None:
        check_key(key)
        self._store(key, bytes(data), content_type)  # a copy: a caller's bytearray may change later

    def _store(self, key: str, data: bytes, content_type: str) -> None:
        with self._lock:
            self._blobs[key] = (data, content_type)

    def local_path(self, key: str) -> Path | None:
        check_key(key)
        return None

    def exists(self, key: str) -> bool:
        check_key(key)
        with self._lock:
            return key in self._blobs

    def read_bytes(self, key: str) -> bytes:
        return self._get(key)[0]

    def read_range(self, key: str, *, start: int, end: int) -> bytes:
        check_range(start, end)
        return self._get(key)[0][start:end]

    def url(self, key: str, *, expires_s: int, cache_control: str, download_as: str | None = None) -> str | None:
        check_key(key)
        return None

    def delete(self, key: str) -> None:
        check_key(key)
        with self._lock:
            self._blobs.pop(key, None)

    def content_type(self, key: str) -> str:
        """What the blob was stored as (not part of the protocol; for tests that check it)."""
        return self._get(key)[1]

    def keys(self) -> list[str]:
        """Every stored key, sorted (not part of the protocol; for tests that check what was left)."""
        with self._lock:
            return sorted(self._blobs)

    def _get(self, key: str) -> tuple[bytes, str]:
        check_key(key)
        with self._lock:
            entry = self._blobs.get(key)
        if entry is None:
            raise FileNotFoundError(f"no blob {key!r}")
        return entry

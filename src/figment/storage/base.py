"""The BlobStore seam: where finished media lives. Local folder by default; S3-compatible at scale.

Every implementation passes `tests/contracts/test_blob_store.py`. Keys are built by the code (never
typed by a person), so a bad key is a programming error: `InvalidBlobKey`, a `ValueError`.
"""

from __future__ import annotations

import errno
import re
from pathlib import Path
from typing import Protocol, runtime_checkable

MAX_KEY_LENGTH = 200
# One segment: starts with a letter or digit, so no segment is ".", ".." or a hidden name (which a
# store may use for its own temp files); lower case only, so keys mean the same on case-insensitive disks.
_SEGMENT_RE = re.compile(r"^[a-z0-9][a-z0-9_.-]*$")


class InvalidBlobKey(ValueError):
    """A key no store accepts; the message names the key and what is wrong with it."""

    def __init__(self, key: str, reason: str) -> None:
        shown = repr(key) if len(key) <= 80 else f"{key[:60]!r}... ({len(key)} characters)"
        super().__init__(f"invalid blob key {shown}: {reason}")
        self.key = key
        self.reason = reason


def check_key(key: str) -> str:
    """Return `key` if every store accepts it: `segment/segment/...`, each segment `[a-z0-9][a-z0-9_.-]*`,
    at most MAX_KEY_LENGTH characters, no `..` anywhere. Raise InvalidBlobKey naming the problem."""
    if not isinstance(key, str) or not key:
        raise InvalidBlobKey(str(key), "it is empty")
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidBlobKey(key, f"it is longer than {MAX_KEY_LENGTH} characters")
    if key.startswith("/"):
        raise InvalidBlobKey(key, "it is an absolute path")
    if ".." in key:
        raise InvalidBlobKey(key, "it contains '..'")
    for segment in key.split("/"):
        if not segment:
            raise InvalidBlobKey(key, "it has an empty segment (a trailing or doubled '/')")
        if not _SEGMENT_RE.match(segment):
            bad = next((c for c in segment if not re.match(r"[a-z0-9_.-]", c)), None)
            if bad is not None:
                raise InvalidBlobKey(key, f"it contains {bad!r}; keys use a-z, 0-9, '_', '.', '-' and '/'")
            raise InvalidBlobKey(key, f"segment {segment!r} does not start with a letter or digit")
    return key


class StorageUnavailable(Exception):
    """The store cannot be reached or answers with a server error right now: worth a retry, not a bug.

    The message is for people (a clip's error, a log line): it names the store, never a request URL.
    The app answers it with a 503; the worker queues the job again (generation.worker `_fail`).
    """


# ENOSPC: the filesystem is full; EDQUOT: this user's quota on it is.
_DISK_FULL = (errno.ENOSPC, errno.EDQUOT)


def is_disk_full(exc: BaseException | None) -> bool:
    """True when `exc` (or an error it was raised from) is a write that found no space left: fixed by an
    operator freeing space, not by the request. Encoders and stores raise plain OSErrors for it."""
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, OSError) and exc.errno in _DISK_FULL:
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


@runtime_checkable
class BlobStore(Protocol):
    """Every method refuses a bad key with InvalidBlobKey before touching anything, and raises
    StorageUnavailable (never a client library's own error) when the store cannot be reached."""

    def put_file(self, key: str, source: Path, *, content_type: str) -> None:
        """Store `source` under `key` atomically: readers see the old blob or the new one, never half.
        A put that fails part-way (the source cannot be read, the disk fills) leaves the old blob as it was."""

    def put_bytes(self, key: str, data: bytes, *, content_type: str) -> None:
        """Store `data` under `key`, atomically like `put_file` (small blobs made in memory)."""

    def local_path(self, key: str) -> Path | None:
        """A filesystem path for serving with range requests, or None when the store is remote
        (or keeps blobs in memory) or there is no such blob: then serve with `read_range`."""

    def exists(self, key: str) -> bool:
        """True when a blob is stored under exactly this key (a prefix of other keys is not a blob)."""

    def read_bytes(self, key: str) -> bytes:
        """The whole blob (small private blobs such as face crops); FileNotFoundError when missing."""

    def read_range(self, key: str, *, start: int, end: int) -> bytes:
        """Bytes `start` (inclusive) to `end` (exclusive) of the blob, like `data[start:end]`.

        `end` past the blob's end is cut to its size and `start` at or past it gives b"", so an HTTP
        `Range: bytes=a-b` is `read_range(key, start=a, end=b + 1)`. ValueError when `start` < 0 or
        `end` < `start`; FileNotFoundError when the blob is missing.
        """

    def delete(self, key: str) -> None:
        """Delete the blob; deleting a missing blob is not an error (effects are idempotent)."""

    def url(self, key: str, *, expires_s: int, cache_control: str, download_as: str | None = None) -> str | None:
        """A short-lived URL where a client GETs the blob directly (Range requests included), sent with
        `cache_control`; None when the app serves the blob itself (a local folder, memory). Only for
        media someone was just allowed to see: private blobs (face crops) never get one. With
        `download_as`, the response says `Content-Disposition: attachment` with that file name."""


def attachment(filename: str) -> str:
    """A Content-Disposition that saves the response as `filename` (ASCII letters, digits, - _ . only)."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in filename)
    return f'attachment; filename="{safe}"'


def check_range(start: int, end: int) -> None:
    """The argument check every `read_range` makes first."""
    if start < 0 or end < start:
        raise ValueError(f"a blob range needs 0 <= start <= end but is start={start}, end={end}")

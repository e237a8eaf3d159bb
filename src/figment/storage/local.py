from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from figment.storage.base import check_key, check_range

COPY_CHUNK = 1 << 20


def _copy(source: BinaryIO, target: BinaryIO) -> None:
    # One place where blob bytes reach the disk (the contract test makes it fail half-way).
    shutil.copyfileobj(source, target, COPY_CHUNK)


class LocalBlobStore:
    """Blobs as files under one folder; the app serves them itself (with HTTP range requests)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        return self.root / check_key(key)

    def _file(self, key: str) -> Path:
        """The blob's file, or FileNotFoundError: a folder (a prefix of other keys) is not a blob."""
        path = self._path(key)
        if not path.is_file():
            raise FileNotFoundError(f"no blob {key!r}")
        return path

    def put_file(self, key: str, source: Path, *, content_type: str) -> None:
        check_key(key)
        with open(source, "rb") as src:
            self._write(key, lambda out: _copy(src, out))

    def put_bytes(self, key: str, data: bytes, *, content_type: str) -> None:
        check_key(key)
        self._write(key, lambda out: _copy(io.BytesIO(data), out))

    def _write(self, key: str, fill: Callable[[BinaryIO], object]) -> None:
        # A temp file beside the target, then rename: readers see the old blob or the new one, never half.
        # fsync before the rename, or a crash soon after could leave an empty file under the key.
        target = self._path(key)
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with open(fd, "wb") as out:
                fill(out)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def local_path(self, key: str) -> Path | None:
        path = self._path(key)
        return path if path.is_file() else None

    def read_bytes(self, key: str) -> bytes:
        return self._file(key).read_bytes()

    def read_range(self, key: str, *, start: int, end: int) -> bytes:
        check_range(start, end)
        with open(self._file(key), "rb") as f:
            end = min(end, os.fstat(f.fileno()).st_size)  # read() would allocate the whole request first
            if start >= end:
                return b""
            f.seek(start)
            return f.read(end - start)

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def url(self, key: str, *, expires_s: int, cache_control: str, download_as: str | None = None) -> str | None:
        check_key(key)
        return None  # the app serves local files itself, with range requests

    def delete(self, key: str) -> None:
        path = self._path(key)
        if path.is_file():
            path.unlink(missing_ok=True)

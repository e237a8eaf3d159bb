"""The BlobStore contract (storage.base): atomic puts, round trips, ranges, idempotent deletes, key rules."""

from __future__ import annotations

import abc
import errno
import os
import threading
import time
from pathlib import Path
from typing import BinaryIO
from urllib.parse import parse_qs, urlsplit

import httpx2 as httpx
import pytest

from figment.storage import local
from figment.storage.base import MAX_KEY_LENGTH, BlobStore, InvalidBlobKey
from figment.storage.local import LocalBlobStore
from figment.storage.s3 import S3BlobStore, make_client
from figment.testing.blobs import MemoryBlobStore

KEY = "videos/0a1b2c/clip.mp4"
DATA = bytes(range(256)) * 64  # every byte value, 16 KiB

GOOD_KEYS = ["a", "videos/0a1b2c/clip.mp4", "likeness/x_y-z/crop-ab12.png", "a.b/c-d_e", "x" * MAX_KEY_LENGTH]
BAD_KEYS = {
    "empty": "",
    "absolute": "/etc/passwd",
    "parent": "../x",
    "parent inside": "videos/../../x",
    "dot segment": "a/./b",
    "hidden segment": "a/.tmp-123",
    "backslash": "videos\\x",
    "NUL": "a\x00b",
    "newline": "a\nb",
    "tab": "a\tb",
    "DEL": "a\x7fb",
    "space": "a b",
    "upper case": "Videos/a",
    "non-ASCII": "vidéos/a",
    "doubled slash": "a//b",
    "trailing slash": "a/",
    "overlong": "x" * (MAX_KEY_LENGTH + 1),
}


class BlobStoreContract(abc.ABC):
    """The rules every BlobStore keeps. Subclasses build a fresh, empty store per test (`make_store`).

    Hook: `leftovers` lists what a failed write might leave behind (temp files). A store whose medium
    can fail half-way through a write (a disk, a network) joins `InterruptibleBlobStoreContract` instead.
    """

    @abc.abstractmethod
    def make_store(self, tmp_path: Path) -> BlobStore: ...

    def leftovers(self, store: BlobStore) -> list[str]:
        """Anything a failed or refused write left behind (temp files, stray objects)."""
        return []

    @pytest.fixture
    def store(self, tmp_path: Path) -> BlobStore:
        return self.make_store(tmp_path)

    # Shape

    def test_is_a_blob_store(self, store: BlobStore) -> None:
        assert isinstance(store, BlobStore)

    # Round trips

    def test_put_bytes_round_trips(self, store: BlobStore) -> None:
        store.put_bytes(KEY, DATA, content_type="video/mp4")
        assert store.exists(KEY)
        assert store.read_bytes(KEY) == DATA
        assert store.read_range(KEY, start=0, end=len(DATA)) == DATA
        self._local_path_holds(store, KEY, DATA)

    def test_put_file_round_trips(self, store: BlobStore, tmp_path: Path) -> None:
        big = os.urandom(2**21 + 123)  # larger than one read or copy chunk of any store we have
        source = tmp_path / "source.bin"
        source.write_bytes(big)
        store.put_file(KEY, source, content_type="video/mp4")
        assert store.exists(KEY) and store.read_bytes(KEY) == big
        assert source.read_bytes() == big  # the source is copied, not moved
        self._local_path_holds(store, KEY, big)

    def test_an_empty_blob_is_a_blob(self, store: BlobStore) -> None:
        store.put_bytes(KEY, b"", content_type="application/octet-stream")
        assert store.exists(KEY) and store.read_bytes(KEY) == b""
        assert store.read_range(KEY, start=0, end=10) == b""

    def test_a_put_replaces_the_old_blob(self, store: BlobStore, tmp_path: Path) -> None:
        store.put_bytes(KEY, b"old and longer than the new one", content_type="video/mp4")
        store.put_bytes(KEY, b"new", content_type="video/mp4")
        assert store.read_bytes(KEY) == b"new"
        source = tmp_path / "s"
        source.write_bytes(b"newer")
        store.put_file(KEY, source, content_type="video/mp4")
        assert store.read_bytes(KEY) == b"newer"

    def test_a_blob_is_a_snapshot_of_what_was_put(self, store: BlobStore, tmp_path: Path) -> None:
        data = bytearray(b"original")
        store.put_bytes(KEY, data, content_type="image/png")
        data[:] = b"changed!"
        source = tmp_path / "s"
        source.write_bytes(b"from file")
        store.put_file("other", source, content_type="image/png")
        source.write_bytes(b"rewritten")
        assert store.read_bytes(KEY) == b"original" and store.read_bytes("other") == b"from file"

    def test_keys_are_independent(self, store: BlobStore) -> None:
        store.put_bytes("a/1", b"one", content_type="text/plain")
        store.put_bytes("a/2", b"two", content_type="text/plain")
        store.delete("a/1")
        assert not store.exists("a/1") and store.read_bytes("a/2") == b"two"

    def _local_path_holds(self, store: BlobStore, key: str, data: bytes) -> None:
        path = store.local_path(key)
        assert path is None or path.read_bytes() == data

    # Missing blobs

    def test_a_missing_blob(self, store: BlobStore) -> None:
        assert not store.exists(KEY)
        assert store.local_path(KEY) is None
        with pytest.raises(FileNotFoundError):
            store.read_bytes(KEY)
        with pytest.raises(FileNotFoundError):
            store.read_range(KEY, start=0, end=1)

    def test_a_prefix_of_keys_is_not_a_blob(self, store: BlobStore) -> None:
        store.put_bytes("videos/abc/clip.mp4", b"x", content_type="video/mp4")
        for prefix in ("videos", "videos/abc"):
            assert not store.exists(prefix)
            assert store.local_path(prefix) is None
            with pytest.raises(FileNotFoundError):
                store.read_bytes(prefix)
            with pytest.raises(FileNotFoundError):
                store.read_range(prefix, start=0, end=1)
            store.delete(prefix)
        assert store.read_bytes("videos/abc/clip.mp4") == b"x"

    def test_a_key_below_a_blob_is_missing(self, store: BlobStore) -> None:
        store.put_bytes("videos/abc", b"x", content_type="video/mp4")
        assert not store.exists("videos/abc/clip.mp4")
        with pytest.raises(FileNotFoundError):
            store.read_bytes("videos/abc/clip.mp4")
        store.delete("videos/abc/clip.mp4")
        assert store.read_bytes("videos/abc") == b"x"

    # Ranges: [start, end), like a slice

    @pytest.mark.parametrize(
        ("start", "end"),
        [(0, 1), (0, 10), (3, 7), (5, 5), (9, 10), (8, 100), (10, 10), (10, 20), (50, 60), (0, 2**62)],
    )
    def test_read_range_is_a_slice(self, store: BlobStore, start: int, end: int) -> None:
        data = b"0123456789"
        store.put_bytes(KEY, data, content_type="video/mp4")
        assert store.read_range(KEY, start=start, end=end) == data[start:end]

    def test_an_http_range_maps_to_end_plus_one(self, store: BlobStore) -> None:
        store.put_bytes(KEY, DATA, content_type="video/mp4")
        first, last = 100, 1099  # Range: bytes=100-1099 is 1000 bytes
        assert store.read_range(KEY, start=first, end=last + 1) == DATA[first : last + 1]

    @pytest.mark.parametrize(("start", "end"), [(-1, 5), (5, 4), (0, -1)])
    def test_a_backwards_or_negative_range_is_refused(self, store: BlobStore, start: int, end: int) -> None:
        store.put_bytes(KEY, b"0123456789", content_type="video/mp4")
        with pytest.raises(ValueError, match=f"start={start}, end={end}"):
            store.read_range(KEY, start=start, end=end)

    # Deletes are idempotent

    def test_delete_is_idempotent(self, store: BlobStore) -> None:
        store.delete(KEY)  # never stored
        store.put_bytes(KEY, DATA, content_type="video/mp4")
        store.delete(KEY)
        store.delete(KEY)
        assert not store.exists(KEY) and store.local_path(KEY) is None
        with pytest.raises(FileNotFoundError):
            store.read_bytes(KEY)
        store.put_bytes(KEY, b"again", content_type="video/mp4")  # a deleted key can be used again
        assert store.read_bytes(KEY) == b"again"

    # Keys

    @pytest.mark.parametrize("key", GOOD_KEYS)
    def test_good_keys_are_accepted(self, store: BlobStore, key: str) -> None:
        store.put_bytes(key, b"x", content_type="text/plain")
        assert store.exists(key) and store.read_bytes(key) == b"x"
        store.delete(key)

    @pytest.mark.parametrize("key", list(BAD_KEYS.values()), ids=list(BAD_KEYS))
    def test_bad_keys_are_refused_by_every_method_naming_the_key(
        self, store: BlobStore, key: str, tmp_path: Path
    ) -> None:
        source = tmp_path / "source.bin"
        source.write_bytes(b"x")
        calls = {
            "put_bytes": lambda: store.put_bytes(key, b"x", content_type="text/plain"),
            "put_file": lambda: store.put_file(key, source, content_type="text/plain"),
            "exists": lambda: store.exists(key),
            "local_path": lambda: store.local_path(key),
            "read_bytes": lambda: store.read_bytes(key),
            "read_range": lambda: store.read_range(key, start=0, end=1),
            "delete": lambda: store.delete(key),
            "url": lambda: store.url(key, expires_s=60, cache_control="no-store"),
        }
        for method, call in calls.items():
            with pytest.raises(InvalidBlobKey) as refused:
                call()
            assert isinstance(refused.value, ValueError), method
            assert refused.value.key == key, method
            message = str(refused.value)
            assert message.startswith("invalid blob key ") and repr(key)[:40] in message, (method, message)
            assert refused.value.reason in message, method
        assert self.leftovers(store) == []
        assert not (tmp_path / "x").exists()  # "../x" must not have escaped the store

    # Atomic puts

    def test_a_put_whose_source_cannot_be_read_changes_nothing(self, store: BlobStore, tmp_path: Path) -> None:
        store.put_bytes(KEY, DATA, content_type="video/mp4")
        for source in (tmp_path / "missing.mp4", tmp_path):  # a missing file; a folder
            for key in (KEY, "videos/new/clip.mp4"):
                with pytest.raises(OSError):
                    store.put_file(key, source, content_type="video/mp4")
        assert store.read_bytes(KEY) == DATA
        assert not store.exists("videos/new/clip.mp4")
        assert self.leftovers(store) == []

    def test_readers_see_the_old_blob_or_the_new_one_never_half(self, store: BlobStore) -> None:
        old, new = b"o" * 300_000, b"n" * 500_000
        store.put_bytes(KEY, old, content_type="video/mp4")
        seen: list[bytes] = []
        done = threading.Event()

        def write() -> None:
            try:
                for i in range(30):
                    store.put_bytes(KEY, new if i % 2 == 0 else old, content_type="video/mp4")
            finally:
                done.set()

        writer = threading.Thread(target=write)
        writer.start()
        deadline = time.monotonic() + 10
        while not done.is_set() and time.monotonic() < deadline:
            data = store.read_bytes(KEY)
            if data not in (old, new):
                seen.append(data[:20] + b"...%d bytes" % len(data))
        writer.join()
        assert seen == [], "a reader saw a half-written blob"
        assert store.read_bytes(KEY) == old  # the last of the 30 puts


class InterruptibleBlobStoreContract(BlobStoreContract):
    """For stores whose medium can fail half-way through a write: a full disk, a dropped connection."""

    @abc.abstractmethod
    def break_writes(self, monkeypatch: pytest.MonkeyPatch) -> None:
        """Make every later write fail after part of the data went out."""

    def test_a_write_that_fails_half_way_leaves_the_old_blob(
        self, store: BlobStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        store.put_bytes(KEY, DATA, content_type="video/mp4")
        self.break_writes(monkeypatch)
        source = tmp_path / "source.bin"
        source.write_bytes(b"n" * len(DATA) * 2)
        for key in (KEY, "videos/new/clip.mp4"):
            with pytest.raises(OSError):
                store.put_file(key, source, content_type="video/mp4")
            with pytest.raises(OSError):
                store.put_bytes(key, b"n" * len(DATA) * 2, content_type="video/mp4")
        assert store.read_bytes(KEY) == DATA
        self._local_path_holds(store, KEY, DATA)
        assert not store.exists("videos/new/clip.mp4") and store.local_path("videos/new/clip.mp4") is None
        assert self.leftovers(store) == []


class TestLocalBlobStore(InterruptibleBlobStoreContract):
    def make_store(self, tmp_path: Path) -> BlobStore:
        return LocalBlobStore(tmp_path / "media")

    def break_writes(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def half_then_full_disk(source: BinaryIO, target: BinaryIO) -> None:
            data = source.read()
            target.write(data[: len(data) // 2])
            target.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(local, "_copy", half_then_full_disk)

    def leftovers(self, store: BlobStore) -> list[str]:
        assert isinstance(store, LocalBlobStore)
        return [str(p) for p in store.root.rglob(".*")]


class TestMemoryBlobStore(BlobStoreContract):
    def make_store(self, tmp_path: Path) -> BlobStore:
        return MemoryBlobStore()

    def test_local_path_is_none_as_for_a_remote_store(self, store: BlobStore) -> None:
        store.put_bytes(KEY, DATA, content_type="video/mp4")
        assert store.local_path(KEY) is None
        assert isinstance(store, MemoryBlobStore) and store.content_type(KEY) == "video/mp4"


class TestS3BlobStore(BlobStoreContract):
    """On the S3 test server, a bucket of its own per test, keys under a prefix as a deployment may set."""

    @pytest.fixture(autouse=True)
    def _bucket(self, s3_endpoint: str, s3_bucket: str) -> None:
        self.endpoint, self.bucket = s3_endpoint, s3_bucket

    def make_store(self, tmp_path: Path) -> BlobStore:
        return S3BlobStore(
            bucket=self.bucket, endpoint=self.endpoint, access_key="test", secret_key="test", prefix="deploy-a"
        )

    def test_objects_live_under_the_prefix(self, store: BlobStore) -> None:
        store.put_bytes(KEY, DATA, content_type="video/mp4")
        client = make_client(endpoint=self.endpoint, region="us-east-1", access_key="test", secret_key="test")
        listed = client.list_objects_v2(Bucket=self.bucket)["Contents"]
        assert [item["Key"] for item in listed] == [f"deploy-a/{KEY}"]
        head = client.head_object(Bucket=self.bucket, Key=f"deploy-a/{KEY}")
        assert head["ContentType"] == "video/mp4" and head["ContentLength"] == len(DATA)

    def test_a_presigned_url_serves_ranges_with_the_cache_header_asked_for(self, store: BlobStore) -> None:
        store.put_bytes(KEY, DATA, content_type="video/mp4")
        url = store.url(KEY, expires_s=600, cache_control="private, no-store")
        assert url is not None
        # The test server checks no signature, so the URL's own parameters are checked here.
        query = parse_qs(urlsplit(url).query)
        assert query["X-Amz-Expires"] == ["600"] and query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
        assert query["X-Amz-Credential"][0].startswith("test/") and query["X-Amz-Credential"][0].endswith(
            "/us-east-1/s3/aws4_request"
        )
        assert query["X-Amz-Signature"][0] and query["response-cache-control"] == ["private, no-store"]
        response = httpx.get(url, headers={"Range": "bytes=100-199"})
        assert response.status_code == 206 and response.content == DATA[100:200]
        assert response.headers["cache-control"] == "private, no-store"

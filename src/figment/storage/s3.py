"""Blobs in an S3-compatible bucket (`FIGMENT_STORAGE=s3`): media for several hosts, no shared disk.

An object appears whole when its upload completes (S3 has no partial objects), so a put is atomic
without a temp name. Clips and posters are served by a 307 to a short-lived presigned GET, which the
store answers with Range support itself; face crops and other private blobs are only ever read here,
never given a URL.

When the server cannot be reached, or answers with a server error, every method raises
`StorageUnavailable` with a sentence naming the server and the bucket (the app answers 503, the
worker queues the clip again), and a dead endpoint fails within seconds: the client's timeouts and
retries are bounded (`make_client`).

boto3 is imported here only, so the app starts without it when media stays on the local disk.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from figment.storage.base import StorageUnavailable, attachment, check_key, check_range

# A dead endpoint costs at most ATTEMPTS x CONNECT_TIMEOUT_S plus backoff (about 20 s), not
# botocore's default of minutes. READ_TIMEOUT_S is the wait for the server's next bytes, not for a
# whole upload, so large clips are not cut short by it.
CONNECT_TIMEOUT_S = 5
READ_TIMEOUT_S = 30
ATTEMPTS = 3  # in all, the first one included


class S3BlobStore:
    def __init__(
        self,
        *,
        bucket: str,
        endpoint: str | None = None,
        region: str = "us-east-1",
        access_key: str | None = None,
        secret_key: str | None = None,
        prefix: str = "",
        client: Any = None,
    ) -> None:
        if not bucket:
            raise ValueError("An S3 store needs a bucket (FIGMENT_S3_BUCKET).")
        if prefix and not prefix.endswith("/"):
            prefix += "/"
        if prefix:
            check_key(prefix.rstrip("/"))
        self.bucket = bucket
        self.prefix = prefix
        self.endpoint = endpoint or "AWS"
        self._client = client or make_client(
            endpoint=endpoint, region=region, access_key=access_key, secret_key=secret_key
        )

    def check_bucket(self) -> None:
        """Fail at start, naming the bucket and the server, rather than at the first finished clip."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            self._client.head_bucket(Bucket=self.bucket)
        except (ClientError, BotoCoreError) as error:
            raise RuntimeError(
                f"Cannot use S3 bucket {self.bucket!r} at {self.endpoint}: {error}. Create the bucket, or check "
                "FIGMENT_S3_ENDPOINT, FIGMENT_S3_BUCKET and the access keys."
            ) from error

    def _name(self, key: str) -> str:
        return self.prefix + check_key(key)

    def put_file(self, key: str, source: Path, *, content_type: str) -> None:
        name = self._name(key)
        if not source.is_file():
            # Checked first: boto3 would report a folder or a missing file less plainly.
            raise FileNotFoundError(f"Cannot store {source}: it is not a file.")
        # upload_file switches to a multipart upload for large files; the object appears only when it completes.
        with self._reaching():
            self._client.upload_file(str(source), self.bucket, name, ExtraArgs={"ContentType": content_type})

    def put_bytes(self, key: str, data: bytes, *, content_type: str) -> None:
        name = self._name(key)
        with self._reaching():
            self._client.put_object(Bucket=self.bucket, Key=name, Body=data, ContentType=content_type)

    def local_path(self, key: str) -> Path | None:
        check_key(key)
        return None

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        name = self._name(key)
        try:
            with self._reaching():
                self._client.head_object(Bucket=self.bucket, Key=name)
        except ClientError as error:
            if _missing(error):
                return False
            raise
        return True

    def read_bytes(self, key: str) -> bytes:
        return self._get(key)

    def read_range(self, key: str, *, start: int, end: int) -> bytes:
        name = self._name(key)
        check_range(start, end)
        if end == start:
            if not self.exists(key):
                raise FileNotFoundError(f"No blob {name!r} in bucket {self.bucket!r}.")
            return b""
        return self._get(key, byte_range=f"bytes={start}-{end - 1}")

    def delete(self, key: str) -> None:
        # S3's DELETE answers 204 for a missing key too: idempotent as the protocol asks.
        name = self._name(key)
        with self._reaching():
            self._client.delete_object(Bucket=self.bucket, Key=name)

    def url(self, key: str, *, expires_s: int, cache_control: str, download_as: str | None = None) -> str | None:
        params = {"Bucket": self.bucket, "Key": self._name(key), "ResponseCacheControl": cache_control}
        if download_as is not None:
            params["ResponseContentDisposition"] = attachment(download_as)
        url: str = self._client.generate_presigned_url("get_object", Params=params, ExpiresIn=expires_s)
        return url

    def _get(self, key: str, *, byte_range: str | None = None) -> bytes:
        from botocore.exceptions import ClientError

        name = self._name(key)
        params: dict[str, str] = {"Bucket": self.bucket, "Key": name}
        if byte_range is not None:
            params["Range"] = byte_range
        try:
            with self._reaching():
                response = self._client.get_object(**params)
                body: bytes = response["Body"].read()
        except ClientError as error:
            if _missing(error):
                raise FileNotFoundError(f"No blob {name!r} in bucket {self.bucket!r}.") from None
            if error.response.get("Error", {}).get("Code") == "InvalidRange":
                return b""  # a start at or past the end: nothing there, as with data[start:end]
            raise
        return body

    @contextmanager
    def _reaching(self) -> Iterator[None]:
        """Turn "the server is not there or failing" into StorageUnavailable; other errors (a missing
        key, a refused signature) pass through, since retrying them would not help."""
        from boto3.exceptions import S3UploadFailedError
        from botocore import exceptions as boto

        where = f"S3 at {self.endpoint} (bucket {self.bucket!r})"
        try:
            yield
        except (boto.ConnectionError, boto.HTTPClientError) as error:
            what = "did not answer in time" if "timeout" in type(error).__name__.lower() else "cannot be reached"
            raise StorageUnavailable(f"Media storage is unreachable: {where} {what}.") from error
        except (boto.ClientError, S3UploadFailedError) as error:
            # upload_file wraps a ClientError in S3UploadFailedError; the status is on the original.
            cause = error if isinstance(error, boto.ClientError) else error.__context__
            if isinstance(cause, boto.ClientError) and (status := _status(cause)) >= 500:
                code = cause.response.get("Error", {}).get("Code", "")
                raise StorageUnavailable(f"Media storage is failing: {where} answered {status} {code}.") from error
            raise


def make_client(*, endpoint: str | None, region: str, access_key: str | None, secret_key: str | None) -> Any:
    """A boto3 S3 client that also talks to non-AWS servers."""
    import boto3
    from botocore.config import Config

    config = Config(
        signature_version="s3v4",
        s3={"addressing_style": "path"},
        # boto3 >= 1.36 sends CRC checksums by default, which many S3-compatible servers refuse.
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        retries={"mode": "standard", "total_max_attempts": ATTEMPTS},
        connect_timeout=CONNECT_TIMEOUT_S,
        read_timeout=READ_TIMEOUT_S,
    )
    return boto3.client(
        "s3",
        endpoint_url=endpoint or None,
        region_name=region,
        aws_access_key_id=access_key or None,
        aws_secret_access_key=secret_key or None,
        config=config,
    )


def _status(error: Any) -> int:
    return int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)


def _missing(error: Any) -> bool:
    code = str(error.response.get("Error", {}).get("Code", ""))
    return code in ("404", "NoSuchKey", "NotFound")

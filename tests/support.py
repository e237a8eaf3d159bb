"""Helpers shared by tests and benchmarks (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import subprocess  # nosec B404  # mount and umount, with fixed arguments
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx2 as httpx
from fastapi.testclient import TestClient

from figment.app import create_app
from figment.embeddings import Embedder, make_embedder
from figment.settings import Settings

if TYPE_CHECKING:
    from figment.services import Services

# Signup needs a date of birth (safety.teens); test accounts are adults unless a test says otherwise.
ADULT_BIRTHDATE = "1990-01-01"
REDIS_URL = os.environ.get("FIGMENT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@cache
def shared_embedder(name: str = "use") -> Embedder:
    """One embedder per setting for the whole test run, as an app process has one (services.build_services).

    A run builds hundreds of apps; loading the multilingual weights for each would cost ~1 s and ~100 MB.
    conftest hands it to every build_services; tests that use a matcher on its own take it from here.
    """
    return make_embedder(name)


def make_settings(data_dir: Path, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = dict(
        env="test",
        data_dir=data_dir,
        database_url=database_url,
        demo=False,
        workers=1,
        video_width=144,
        video_height=256,
        job_poll_s=0.05,
        job_lease_s=30.0,
        # Retries at once: tests drive them by hand; tests/jobs/test_retry_backoff.py checks the waits.
        job_retry_base_s=0.0,
        secret_key="test-secret",
        max_body_bytes=2 * 1024 * 1024,
        # Tests sign up and submit far more than a person would; the limits have their own tests.
        daily_quota=0,
        signup_per_hour=0,
        login_per_minute=0,
        # The real detector on 144x256 test frames (upscaled to its 320 px input) is noise: it flagged
        # a cartoon cat once in ~300 renders. Its own tests use it; 720x1280 production frames are fine.
        nudity_check=False,
    )
    values.update(overrides)
    return Settings(**values)


def s3_settings(data_dir: Path, database_url: str, endpoint: str, bucket: str, **overrides: Any) -> Settings:
    """Test settings with media in a bucket of the S3 test server, under a `figment` prefix."""
    return make_settings(
        data_dir,
        database_url,
        storage="s3",
        s3_endpoint=endpoint,
        s3_bucket=bucket,
        s3_access_key="test",
        s3_secret_key="test",
        s3_prefix="figment",
        **overrides,
    )


class Api:
    """Small helpers to talk to the API as named users with bearer tokens."""

    def __init__(self, client: TestClient) -> None:
        self.client = client
        self.tokens: dict[str, str] = {}

    def signup(self, handle: str, **extra: Any) -> dict[str, str]:
        body = {
            "handle": handle,
            "email": f"{handle}@example.com",
            "password": "correct horse battery",
            "birthdate": ADULT_BIRTHDATE,
            **extra,
        }
        response = self.client.post("/api/auth/signup", json=body)
        assert response.status_code == 201, response.text
        self.tokens[handle] = response.json()["token"]
        # Cookies from signup would otherwise follow every later request from this client.
        self.client.cookies.clear()
        return self.auth(handle)

    def auth(self, handle: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[handle]}"}

    def submit(self, handle: str, prompt: str = "a red car in the city at night", **extra: Any) -> dict[str, Any]:
        response = self.client.post(
            "/api/videos", json={"prompt": prompt, "duration_s": 1, **extra}, headers=self.auth(handle)
        )
        assert response.status_code == 202, response.text
        return dict(response.json())

    def wait(self, handle: str, video_id: str, *, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            body = self.client.get(f"/api/videos/{video_id}", headers=self.auth(handle)).json()
            if body.get("status") in ("ready", "failed", "blocked") or time.monotonic() > deadline:
                return dict(body)
            time.sleep(0.05)

    def settle(self, *, timeout: float = 30.0) -> None:
        """Wait until the app's workers have finished every queued job (purges, checks, renders)."""
        settle(self.client.app.state.services, timeout=timeout)  # type: ignore[attr-defined]

    def ready_clip(
        self, handle: str, prompt: str = "a red car in the city at night", *, publish: bool = False
    ) -> dict[str, Any]:
        video = self.wait(handle, self.submit(handle, prompt)["id"])
        assert video["status"] == "ready", video
        if publish:
            response = self.client.post(f"/api/videos/{video['id']}/publish", headers=self.auth(handle))
            assert response.status_code == 200, response.text
            video = response.json()
        return video


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == code, body
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    return dict(body["error"])


class LiveServer:
    def __init__(self, url: str, settings: Settings) -> None:
        self.url = url
        self.settings = settings


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def run_live_server(settings: Settings) -> Iterator[LiveServer]:
    """The real app under uvicorn in a thread, for SSE, HTTP range requests and the browser."""

    import uvicorn

    port = free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("live server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(f"http://127.0.0.1:{port}", settings)
    finally:
        server.should_exit = True
        thread.join(timeout=30)


@contextmanager
def api_over(services: Services) -> Iterator[Api]:
    """An Api on an app built around services the test configured itself (checks, limits, sizes)."""
    with TestClient(create_app(services=services), raise_server_exceptions=False) as client:
        yield Api(client)


def signup_over_http(http: httpx.Client, handle: str, password: str = "longenough") -> dict[str, str]:
    """Sign up through a live server's API; the bearer header for that account."""
    response = http.post(
        "/api/auth/signup",
        json={"handle": handle, "email": f"{handle}@example.com", "password": password, "birthdate": "1990-01-01"},
    )
    assert response.status_code == 201, response.text
    http.cookies.clear()
    return {"Authorization": f"Bearer {response.json()['token']}"}


def publish_over_http(
    http: httpx.Client, headers: dict[str, str], prompts: list[str], *, duration_s: int = 3
) -> list[str]:
    """Submit clips through a live server, wait until each is rendered, publish them; their ids."""
    ids = [
        http.post("/api/videos", json={"prompt": p, "duration_s": duration_s}, headers=headers).json()["id"]
        for p in prompts
    ]
    deadline = time.monotonic() + 120
    for video_id in ids:
        while (video := http.get(f"/api/videos/{video_id}", headers=headers).json())["status"] != "ready":
            assert video["status"] in ("queued", "rendering") and time.monotonic() < deadline, video
            time.sleep(0.1)
        assert http.post(f"/api/videos/{video_id}/publish", headers=headers).status_code == 200
    return ids


def settle(services: Services, *, timeout: float = 30.0) -> None:
    """Wait until no job is queued or running (the workers are threads of `services`)."""
    from sqlalchemy import func, select

    from figment.jobs.models import Job, JobState

    deadline = time.monotonic() + timeout
    while True:
        with services.session_factory() as session:
            waiting = session.scalar(
                select(func.count()).select_from(Job).where(Job.state.in_([JobState.queued, JobState.running]))
            )
        if not waiting:
            return
        assert time.monotonic() < deadline, f"{waiting} job(s) still waiting after {timeout} s"
        time.sleep(0.05)


@contextmanager
def capped_filesystem(path: Path, size_bytes: int) -> Iterator[Path]:
    """A tmpfs of `size_bytes` mounted at `path` for the block: a real disk that fills (ENOSPC from the
    kernel, not a mock). Skips where mounting is not allowed (needs root or CAP_SYS_ADMIN)."""
    import pytest

    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(  # nosec B603 B607  # fixed command, our own paths
        ["mount", "-t", "tmpfs", "-o", f"size={size_bytes},mode=0755", "tmpfs", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a size-capped tmpfs here (needs root): {mounted.stderr.strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)  # nosec B603 B607


def fill_disk(folder: Path, *, leave_bytes: int) -> Path:
    """Fill the filesystem under `folder` until about `leave_bytes` are free; delete the file returned to
    free the space again."""
    stats = os.statvfs(folder)
    filler = folder / "filler"
    filler.write_bytes(b"\0" * max(0, stats.f_bavail * stats.f_frsize - leave_bytes))
    return filler


def files_under(folder: Path) -> list[str]:
    """Every file below `folder` (relative), for "nothing partial was left" assertions."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())

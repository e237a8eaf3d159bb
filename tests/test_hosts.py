"""The product as separate hosts run it: two web processes and two `figment worker`s, each with its own
empty data folder, sharing PostgreSQL (Procrastinate carries the jobs), Redis and an S3 bucket. A clip
submitted to one web process is rendered by a worker, served through the other, lives only in the
bucket, and the author's live stream on the other web process hears that it is ready without waiting
for its poll."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import httpx2 as httpx
import pytest

from figment.storage.s3 import make_client
from support import REDIS_URL, free_port, signup_over_http

pytestmark = pytest.mark.postgres


def _start(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        # The installed `figment` command, as an operator runs it on each host.
        command = str(Path(sys.executable).parent / "figment")
        return subprocess.Popen([command, *args], env=env, stdout=out, stderr=out)


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            if httpx.get(url + "/api/feed?tab=for_you", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not start: {log.read_text()[-3000:]}")


@pytest.fixture
def hosts(
    tmp_path: Path, postgres_url: str, redis_prefix: str, s3_endpoint: str, s3_bucket: str
) -> Iterator[tuple[str, str, str]]:
    shared = {
        **os.environ,
        "FIGMENT_ENV": "test",
        "FIGMENT_SECRET_KEY": "test-secret",
        "FIGMENT_DATABASE_URL": postgres_url,
        "FIGMENT_DEMO": "false",
        "FIGMENT_VIDEO_WIDTH": "144",
        "FIGMENT_VIDEO_HEIGHT": "256",
        "FIGMENT_DAILY_QUOTA": "0",
        "FIGMENT_SIGNUP_PER_HOUR": "0",
        "FIGMENT_LOGIN_PER_MINUTE": "0",
        "FIGMENT_NUDITY_CHECK": "false",
        "FIGMENT_JOB_POLL_S": "0.1",
        "FIGMENT_EMBEDDER": "hash",  # four processes: spare each the model's load
        "FIGMENT_JOBS": "procrastinate",
        "FIGMENT_STORAGE": "s3",
        "FIGMENT_S3_ENDPOINT": s3_endpoint,
        "FIGMENT_S3_BUCKET": s3_bucket,
        "FIGMENT_S3_ACCESS_KEY": "test",
        "FIGMENT_S3_SECRET_KEY": "test",
        "FIGMENT_REDIS_URL": REDIS_URL,
        "FIGMENT_FEED_CACHE": "redis",
        "FIGMENT_FEED_CACHE_PREFIX": redis_prefix + "feed:",
        "FIGMENT_SHARED_STATE": "redis",
        "FIGMENT_SHARED_STATE_PREFIX": redis_prefix,
    }
    processes: list[tuple[subprocess.Popen[bytes], Path]] = []
    urls = []
    try:
        for name in ("web-a", "web-b"):
            port = free_port()
            env = {
                **shared,
                "FIGMENT_DATA_DIR": str(tmp_path / name),
                "FIGMENT_PORT": str(port),
                "FIGMENT_WORKERS": "0",
            }
            log = tmp_path / f"{name}.log"
            processes.append((_start(["run"], env, log), log))
            urls.append(f"http://127.0.0.1:{port}")
        for name in ("worker-a", "worker-b"):
            worker_log = tmp_path / f"{name}.log"
            worker_env = {**shared, "FIGMENT_DATA_DIR": str(tmp_path / name)}
            processes.append((_start(["worker", "--queue", "cpu"], worker_env, worker_log), worker_log))
        for url, (process, log) in zip(urls, processes, strict=False):
            _wait_until_up(url, process, log)
        yield urls[0], urls[1], str(tmp_path)
    finally:
        for process, _log in processes:
            process.terminate()
        for process, _log in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_a_clip_crosses_hosts_and_lives_only_in_the_bucket(
    hosts: tuple[str, str, str], s3_endpoint: str, s3_bucket: str
) -> None:
    web_a, web_b, root = hosts
    with httpx.Client(base_url=web_a, timeout=30) as a, httpx.Client(base_url=web_b, timeout=30) as b:
        alice = signup_over_http(a, "alice")
        heard: list[dict[str, object]] = []
        opened = threading.Event()

        def stream_on_b() -> None:
            with b.stream("GET", "/api/notifications/stream", headers=alice, timeout=60) as response:
                event = None
                for line in response.iter_lines():
                    if line.startswith("event:"):
                        event = line.split(":", 1)[1].strip()
                        opened.set() if event == "ready" else None
                    elif line.startswith("data:") and event == "notification":
                        heard.append({**json.loads(line.split(":", 1)[1]), "heard_at": time.time()})
                        return

        listener = threading.Thread(target=stream_on_b, daemon=True)
        listener.start()
        assert opened.wait(15)
        video_id = a.post(
            "/api/videos", json={"prompt": "a red fox in the snow", "duration_s": 1}, headers=alice
        ).json()["id"]
        listener.join(timeout=60)
        assert heard and heard[0]["kind"] == "video_ready", heard
        # Woken through Redis at once, not by the stream's 10 s poll (which would land seconds later).
        stored_at = datetime.fromisoformat(str(heard[0]["created_at"]).replace("Z", "+00:00")).timestamp()
        assert float(str(heard[0]["heard_at"])) - stored_at < 4, heard

        # Served through the other web process, by redirect to the bucket.
        redirect = b.get(f"/api/videos/{video_id}/clip.mp4", headers=alice, follow_redirects=False)
        assert redirect.status_code == 307, redirect.text
        clip = httpx.get(redirect.headers["location"], headers={"Range": "bytes=0-63"})
        assert clip.status_code == 206 and clip.content[4:8] == b"ftyp"

    client = make_client(endpoint=s3_endpoint, region="us-east-1", access_key="test", secret_key="test")
    stored = sorted(o["Key"] for o in client.list_objects_v2(Bucket=s3_bucket).get("Contents", []))
    assert stored == [f"videos/{video_id}/clip.mp4", f"videos/{video_id}/poster.jpg"]
    on_disk = [p for p in Path(root).rglob("*.mp4")] + [p for p in Path(root).rglob("*.jpg")]
    assert on_disk == [], on_disk

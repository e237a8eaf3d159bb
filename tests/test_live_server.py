"""Over a real socket: Server-Sent Events and HTTP range requests."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from figment.media.probe import probe
from support import LiveServer, make_settings, run_live_server


def _signup(http: httpx.Client, handle: str) -> dict[str, str]:
    response = http.post(
        "/api/auth/signup",
        json={"handle": handle, "email": f"{handle}@example.com", "password": "longenough", "birthdate": "1990-01-01"},
    )
    assert response.status_code == 201, response.text
    http.cookies.clear()
    return {"Authorization": f"Bearer {response.json()['token']}"}


def _ready(http: httpx.Client, headers: dict[str, str], prompt: str, duration_s: float = 2) -> dict[str, object]:
    video = http.post("/api/videos", json={"prompt": prompt, "duration_s": duration_s}, headers=headers).json()
    deadline = time.monotonic() + 60
    while video["status"] not in ("ready", "failed") and time.monotonic() < deadline:
        time.sleep(0.1)
        video = http.get(f"/api/videos/{video['id']}", headers=headers).json()
    assert video["status"] == "ready", video
    return dict(video)


def test_notifications_arrive_live_over_sse(live_server: LiveServer) -> None:
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        alice = _signup(http, "alice")
        bob = _signup(http, "bob")
        received: list[dict[str, object]] = []
        opened = threading.Event()

        def listen() -> None:
            with (
                httpx.Client(base_url=live_server.url, timeout=30) as sse,
                sse.stream("GET", "/api/notifications/stream", headers=alice) as response,
            ):
                assert response.headers["content-type"].startswith("text/event-stream")
                event = None
                for line in response.iter_lines():
                    if line.startswith("event:"):
                        event = line.split(":", 1)[1].strip()
                        if event == "ready":
                            opened.set()
                    elif line.startswith("data:") and event == "notification":
                        received.append(json.loads(line.split(":", 1)[1]))
                        if len(received) >= 1:
                            return

        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        assert opened.wait(10)
        started = time.monotonic()
        assert http.post("/api/users/alice/follow", headers=bob).status_code == 204
        listener.join(timeout=8)
        assert received and received[0]["kind"] == "follow", received
        # Woken by the hub, not by the 10 s fallback poll.
        assert time.monotonic() - started < 5


@pytest.fixture
def full_size_server(tmp_path: Path, sqlite_url: str) -> Iterator[LiveServer]:
    yield from run_live_server(make_settings(tmp_path / "data", sqlite_url, video_width=720, video_height=1280))


def test_full_size_clip_is_h264_aac_and_plays_from_byte_ranges(full_size_server: LiveServer, tmp_path: Path) -> None:
    with httpx.Client(base_url=full_size_server.url, timeout=30) as http:
        alice = _signup(http, "alice")
        started = time.monotonic()
        video = _ready(http, alice, "a dog running in the park", duration_s=10)
        assert time.monotonic() - started < 30
        url = str(video["urls"]["video"])  # type: ignore[index]
        full = http.get(url, headers=alice)
        assert full.status_code == 200 and full.headers["content-type"] == "video/mp4"
        assert full.headers.get("accept-ranges") == "bytes"
        part = http.get(url, headers={**alice, "Range": "bytes=100-199"})
        assert part.status_code == 206
        assert part.headers["content-range"] == f"bytes 100-199/{len(full.content)}"
        assert part.content == full.content[100:200]
        tail = http.get(url, headers={**alice, "Range": "bytes=-50"})
        assert tail.status_code == 206 and tail.content == full.content[-50:]
        assert "no-store" in full.headers["cache-control"]  # a draft never sits in a shared cache

    clip = tmp_path / "clip.mp4"
    clip.write_bytes(full.content)
    info = probe(clip)
    assert (info.video_codec, info.audio_codec) == ("h264", "aac")
    assert (info.width, info.height) == (720, 1280)
    assert 9.9 <= info.duration_s <= 10.0
    assert info.faststart

"""Over a real socket: Server-Sent Events and HTTP range requests."""

from __future__ import annotations

import json
import threading
import time

import httpx2 as httpx

from support import LiveServer


def _signup(http: httpx.Client, handle: str) -> dict[str, str]:
    response = http.post(
        "/api/auth/signup", json={"handle": handle, "email": f"{handle}@example.com", "password": "longenough"}
    )
    assert response.status_code == 201, response.text
    http.cookies.clear()
    return {"Authorization": f"Bearer {response.json()['token']}"}


def _ready(http: httpx.Client, headers: dict[str, str], prompt: str) -> dict[str, object]:
    video = http.post("/api/videos", json={"prompt": prompt, "duration_s": 2}, headers=headers).json()
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


def test_clip_plays_from_byte_ranges(live_server: LiveServer) -> None:
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        alice = _signup(http, "alice")
        video = _ready(http, alice, "a dog running in the park")
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

"""Local stand-ins for hosted video providers, on loopback, following their documented shapes (tests of the
hosted backends; nothing in the app uses them).

`OpenAIVideosServer` serves the OpenAI Videos API (`POST /v1/videos` multipart, `GET /v1/videos/{id}`,
`GET /v1/videos/{id}/content`, `DELETE /v1/videos/{id}`; errors as `{"error": {message, type, param,
code}}`). `VeoServer` serves what google-genai sends on Vertex AI in express mode (`POST
/v1beta1/publishers/google/models/{model}:predictLongRunning` and `:fetchPredictOperation`; errors as
`{"error": {code, message, status}}`). Each records what it was sent, and `scenario` picks what it does:

- `ok`: the job is queued, then in progress, then done, and the content is a real MP4 (H.264 + AAC) at
  `render_size` (smaller than asked, to keep tests fast: the backend scales whatever it gets);
- `refuse_create`: the create call answers a content-policy refusal;
- `refuse_job`: the job fails (OpenAI) or finishes with its video filtered (Veo) for content policy;
- `fail`: the job fails for a reason that is not the content;
- `slow`: the job never finishes;
- `no_audio`: like ok, without a sound track.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import io
import itertools
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import av
import numpy as np

KEY = "sk-test-figment"
RENDER_SIZE = (90, 160)


@lru_cache(maxsize=16)
def make_mp4(width: int, height: int, seconds: float, fps: int = 24, audio: bool = True) -> bytes:
    """A real provider-like MP4: a colour that changes every frame (so frame timing is checkable: the
    red channel is the frame index times 4) and a 440 Hz tone."""
    out = io.BytesIO()
    with av.open(out, mode="w", format="mp4") as container:
        video = container.add_stream("libx264", rate=fps)
        video.width, video.height, video.pix_fmt = width, height, "yuv420p"
        video.options = {"crf": "10", "preset": "ultrafast"}
        sound = container.add_stream("aac", rate=48_000, layout="stereo") if audio else None
        frames = round(seconds * fps)
        for index in range(frames):
            picture = np.zeros((height, width, 3), np.uint8)
            picture[..., 0] = (index * 4) % 256
            picture[..., 1] = 128
            picture[: height // 2, :, 2] = 255
            for packet in video.encode(av.VideoFrame.from_ndarray(picture, format="rgb24")):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        if sound is not None:
            rate, chunk = 48_000, 1024
            t = np.arange(round(seconds * rate)) / rate
            tone = (0.3 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
            stereo = np.stack([tone, tone])
            for start in range(0, stereo.shape[1], chunk):
                frame = av.AudioFrame.from_ndarray(
                    np.ascontiguousarray(stereo[:, start : start + chunk]), format="fltp", layout="stereo"
                )
                frame.sample_rate, frame.pts = rate, start
                for packet in sound.encode(frame):
                    container.mux(packet)
            for packet in sound.encode():
                container.mux(packet)
    return out.getvalue()


@dataclass
class ProviderServer:
    """Shared bookkeeping: the scenario, what was asked, and the jobs."""

    scenario: str = "ok"
    key: str = KEY
    render_size: tuple[int, int] = RENDER_SIZE
    # Status answers before a job is done (each poll moves it one step).
    polls_to_finish: int = 2
    requests: list[dict[str, Any]] = field(default_factory=list)
    jobs: dict[str, dict[str, Any]] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    port: int = 0

    def base_url(self) -> str:
        raise NotImplementedError

    def handle(self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: bytes) -> Answer:
        raise NotImplementedError


@dataclass
class Answer:
    status: int
    body: bytes | dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


class OpenAIVideosServer(ProviderServer):
    sizes = ("720x1280", "1280x720", "1024x1792", "1792x1024")
    seconds = ("4", "8", "12")

    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def handle(self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: bytes) -> Answer:
        if headers.get("Authorization") != f"Bearer {self.key}":
            return _openai_error(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key")
        if method == "POST" and path == "/v1/videos":
            return self._create(headers, body)
        parts = path.removeprefix("/v1/videos/").split("/")
        job = self.jobs.get(parts[0])
        if not path.startswith("/v1/videos/") or job is None:
            return _openai_error(404, f"No video found with id '{parts[0]}'.", "invalid_request_error", "not_found")
        if method == "DELETE" and len(parts) == 1:
            self.deleted.append(job["id"])
            return Answer(200, {"id": job["id"], "object": "video.deleted", "deleted": True})
        if method == "GET" and len(parts) == 1:
            self._advance(job)
            return Answer(200, _public(job), {"openai-poll-after-ms": "10"})
        if method == "GET" and parts[1:] == ["content"] and query.get("variant", ["video"]) == ["video"]:
            if job["status"] != "completed":
                return _openai_error(404, "Video is not ready yet.", "invalid_request_error", "video_not_ready")
            width, height = self.render_size
            data = make_mp4(width, height, float(job["seconds"]), audio=self.scenario != "no_audio")
            return Answer(200, data, {"Content-Type": "video/mp4"})
        return _openai_error(404, "Not found.", "invalid_request_error", None)

    def _create(self, headers: Any, body: bytes) -> Answer:
        form = _multipart(headers.get("Content-Type", ""), body)
        self.requests.append(form)
        for name in ("prompt", "model"):
            if not form.get(name):
                return _openai_error(400, f"Missing required parameter: '{name}'.", "invalid_request_error", None)
        if form.get("seconds", "4") not in self.seconds:
            return _openai_error(400, "Invalid value for 'seconds'.", "invalid_request_error", "invalid_value")
        if form.get("size", "720x1280") not in self.sizes:
            return _openai_error(400, "Invalid value for 'size'.", "invalid_request_error", "invalid_value")
        if self.scenario == "refuse_create":
            return _openai_error(
                400, "Your request was blocked by our moderation system.", "invalid_request_error", "moderation_blocked"
            )
        video_id = f"video_{next(self._ids):04d}"
        job = {
            "id": video_id,
            "object": "video",
            "status": "queued",
            "progress": 0,
            "model": form["model"],
            "seconds": form.get("seconds", "4"),
            "size": form.get("size", "720x1280"),
            "prompt": form["prompt"],
            "created_at": 1_765_000_000,
            "completed_at": None,
            "expires_at": None,
            "remixed_from_video_id": None,
            "error": None,
            "_polls": 0,
        }
        self.jobs[video_id] = job
        return Answer(200, _public(job))

    def _advance(self, job: dict[str, Any]) -> None:
        job["_polls"] += 1
        if job["status"] in ("completed", "failed"):
            return
        if self.scenario == "slow":
            job.update(status="in_progress", progress=40)
        elif job["_polls"] < self.polls_to_finish:
            job.update(status="in_progress", progress=50)
        elif self.scenario == "refuse_job":
            job.update(
                status="failed",
                error={"code": "moderation_blocked", "message": "The generated video was blocked by moderation."},
            )
        elif self.scenario == "fail":
            job.update(status="failed", error={"code": "internal_error", "message": "The render node crashed."})
        else:
            job.update(status="completed", progress=100, completed_at=1_765_000_100)


class VeoServer(ProviderServer):
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def handle(self, method: str, path: str, query: dict[str, list[str]], headers: Any, body: bytes) -> Answer:
        if headers.get("x-goog-api-key") != self.key:
            return _google_error(401, "API key not valid. Please pass a valid API key.", "UNAUTHENTICATED")
        prefix = "/v1beta1/publishers/google/models/"
        if method != "POST" or not path.startswith(prefix) or ":" not in path:
            return _google_error(404, f"Method not found: {path}", "NOT_FOUND")
        model, _, verb = path.removeprefix(prefix).partition(":")
        payload = json.loads(body or b"{}")
        if verb == "predictLongRunning":
            return self._start(model, payload)
        if verb == "fetchPredictOperation":
            return self._fetch(payload)
        return _google_error(404, f"Method not found: {verb}", "NOT_FOUND")

    def _start(self, model: str, payload: dict[str, Any]) -> Answer:
        self.requests.append({"model": model, **payload})
        parameters = payload.get("parameters", {})
        if parameters.get("durationSeconds") not in (4, 5, 6, 8):
            return _google_error(400, "durationSeconds must be one of 4, 5, 6, 8.", "INVALID_ARGUMENT")
        if self.scenario == "refuse_create":
            return _google_error(
                400,
                "The prompt could not be submitted. This prompt contains sensitive words that violate Google's "
                "Responsible AI practices.",
                "INVALID_ARGUMENT",
            )
        name = f"publishers/google/models/{model}/operations/op-{next(self._ids):04d}"
        self.jobs[name] = {"name": name, "seconds": parameters["durationSeconds"], "_polls": 0}
        return Answer(200, {"name": name})

    def _fetch(self, payload: dict[str, Any]) -> Answer:
        job = self.jobs.get(payload.get("operationName", ""))
        if job is None:
            return _google_error(404, "Operation not found.", "NOT_FOUND")
        job["_polls"] += 1
        if self.scenario == "slow" or job["_polls"] < self.polls_to_finish:
            return Answer(200, {"name": job["name"], "done": False})
        done: dict[str, Any] = {"name": job["name"], "done": True}
        kind = "type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse"
        if self.scenario == "refuse_job":
            done["response"] = {
                "@type": kind,
                "raiMediaFilteredCount": 1,
                "raiMediaFilteredReasons": ["The video could not be generated: it may violate the usage guidelines."],
            }
        elif self.scenario == "fail":
            done["error"] = {"code": 13, "message": "Internal error encountered."}
        else:
            width, height = self.render_size
            data = make_mp4(width, height, float(job["seconds"]), audio=self.scenario != "no_audio")
            done["response"] = {
                "@type": kind,
                "videos": [{"bytesBase64Encoded": base64.b64encode(data).decode(), "mimeType": "video/mp4"}],
            }
        return Answer(200, done)


def _public(job: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in job.items() if not key.startswith("_")}


def _openai_error(status: int, message: str, kind: str, code: str | None) -> Answer:
    return Answer(status, {"error": {"message": message, "type": kind, "param": None, "code": code}})


def _google_error(status: int, message: str, state: str) -> Answer:
    return Answer(status, {"error": {"code": status, "message": message, "status": state}})


def _multipart(content_type: str, body: bytes) -> dict[str, str]:
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + body
    )
    if not message.is_multipart():
        return {}
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes):
            fields[name] = payload.decode()
    return fields


@contextmanager
def serve(provider: ProviderServer) -> Iterator[ProviderServer]:
    """Run `provider` on a free loopback port for the duration of the block."""

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            url = urlparse(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            answer = provider.handle(self.command, url.path, parse_qs(url.query), self.headers, body)
            data = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
            self.send_response(answer.status)
            headers = {"Content-Type": "application/json", **answer.headers}
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _any

        def log_message(self, format: str, *args: Any) -> None:  # quiet: tests read provider.requests
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    provider.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, name="provider-server", daemon=True)
    thread.start()
    try:
        yield provider
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)

"""Model weights: `figment models pull` against a local server that answers like the model hub (its
listing and file routes), and from a folder; what a backend and `figment backends` say without them."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from figment.cli import main
from figment.generation.backends.diffusion import weights
from figment.generation.backends.diffusion.weights import COMPLETE_MARKER, PullFailed, pull
from figment.generation.registry import KNOWN_BACKENDS, backend_availability
from figment.settings import Settings

REPO = "Wan-AI/Wan2.2-TI2V-5B-Diffusers"
FILES = {
    "model_index.json": b'{"_class_name": "WanPipeline"}',
    "transformer/config.json": b'{"num_layers": 30}',
    "transformer/diffusion_pytorch_model-00001-of-00002.safetensors": b"\x01" * 3000,
    "vae/diffusion_pytorch_model.safetensors": b"\x02" * 2000,
    "tokenizer/tokenizer.json": b"{}",
    # Not part of the diffusers layout: a root-level single-file checkpoint for other tools.
    "wan2.2_ti2v_5B_fp16.safetensors": b"\x03" * 5000,
    "README.md": b"# Wan",
}


class HubHandler(BaseHTTPRequestHandler):
    files: dict[str, bytes] = FILES
    # Paths served with other bytes than published (a corrupt mirror).
    corrupt: set[str] = set()
    requests: list[str] = []

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        path = unquote(urlsplit(self.path).path)
        self.requests.append(path)
        listing = f"/api/models/{REPO}/revision/main"
        prefix = f"/{REPO}/resolve/abc123/"
        if path == listing:
            siblings = []
            for name, body in self.files.items():
                entry: dict[str, Any] = {"rfilename": name, "size": len(body)}
                if name.endswith(".safetensors"):
                    entry["lfs"] = {"sha256": hashlib.sha256(body).hexdigest(), "size": len(body)}
                siblings.append(entry)
            self._send(200, json.dumps({"id": REPO, "sha": "abc123", "siblings": siblings}).encode())
        elif path.startswith(prefix) and path[len(prefix) :] in self.files:
            name = path[len(prefix) :]
            body = self.files[name]
            self._send(200, body[:-1] + b"\xff" if name in self.corrupt else body)
        else:
            self._send(404, b'{"error": "Repository not found"}')

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def hub() -> Iterator[str]:
    HubHandler.corrupt = set()
    HubHandler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), HubHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _settings(tmp_path: Path, hub: str = "http://127.0.0.1:9") -> Settings:
    return Settings(env="test", data_dir=tmp_path / "data", models_dir=tmp_path / "models", models_hub_url=hub)


def test_pull_downloads_the_diffusers_layout_verified_and_marks_it_complete(tmp_path: Path, hub: str) -> None:
    settings = _settings(tmp_path, hub)
    assert not weights.weights_ready(settings, "wan")
    result = pull(settings, "wan")
    target = tmp_path / "models" / "wan"
    assert result.directory == target and result.fetched == result.files == 5
    got = {
        p.relative_to(target).as_posix(): p.read_bytes()
        for p in target.rglob("*")
        if p.is_file() and p.name != COMPLETE_MARKER
    }
    assert got == {k: v for k, v in FILES.items() if "/" in k or k == "model_index.json"}
    marker = json.loads((target / COMPLETE_MARKER).read_text())
    assert (marker["repo"], marker["revision"]) == (REPO, "abc123")
    assert weights.weights_ready(settings, "wan")

    # Again: every file is complete, nothing is transferred (a pull cut short resumes the same way).
    HubHandler.requests.clear()
    again = pull(settings, "wan")
    assert again.fetched == 0 and HubHandler.requests == [f"/api/models/{REPO}/revision/main"]


def test_a_corrupt_file_is_not_kept_and_the_set_is_not_marked_complete(tmp_path: Path, hub: str) -> None:
    settings = _settings(tmp_path, hub)
    HubHandler.corrupt = {"vae/diffusion_pytorch_model.safetensors"}
    with pytest.raises(PullFailed, match="does not match its published SHA-256"):
        pull(settings, "wan")
    target = tmp_path / "models" / "wan"
    assert not (target / "vae" / "diffusion_pytorch_model.safetensors").exists()
    assert not list(target.rglob("*.part"))
    assert not weights.weights_ready(settings, "wan")
    HubHandler.corrupt = set()
    assert pull(settings, "wan").fetched == 1  # the rest was kept


def test_an_unknown_repository_or_no_hub_says_so(tmp_path: Path, hub: str) -> None:
    settings = _settings(tmp_path, hub).model_copy(update={"wan_repo": "nobody/nothing"})
    with pytest.raises(PullFailed, match="answered 404"):
        pull(settings, "wan")
    with pytest.raises(PullFailed, match="Could not reach the model hub"):
        pull(_settings(tmp_path), "wan")
    with pytest.raises(PullFailed, match="no model called"):
        pull(settings, "sora")


def test_pull_copies_from_a_folder(tmp_path: Path) -> None:
    folder = tmp_path / "carried"
    for name, body in FILES.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(body)
    settings = _settings(tmp_path)
    runner = CliRunner()
    env = {"FIGMENT_DATA_DIR": str(tmp_path / "data"), "FIGMENT_MODELS_DIR": str(tmp_path / "models")}
    result = runner.invoke(main, ["models", "pull", "wan", "--from", str(folder)], env=env)
    assert result.exit_code == 0, result.output
    assert "wan is ready" in result.output and weights.weights_ready(settings, "wan")
    assert not (tmp_path / "models" / "wan" / "wan2.2_ti2v_5B_fp16.safetensors").exists()
    bad = runner.invoke(main, ["models", "pull", "ltx2", "--from", str(folder / "vae")], env=env)
    assert bad.exit_code == 1 and "not a diffusers model folder" in bad.output


def test_without_weights_a_backend_refuses_naming_the_command(tmp_path: Path) -> None:
    pytest.importorskip("diffusers")
    from figment.generation.registry import load_backend
    from figment.generation.types import BackendFailure, GenerationRequest

    settings = _settings(tmp_path)
    backend = load_backend("ltx2", settings)
    with pytest.raises(BackendFailure) as failed:
        backend.generate(GenerationRequest(prompt="a fox", seed=1, duration_s=1))
    assert failed.value.retryable is False  # final: no try can succeed before an operator pulls them
    assert "figment models pull ltx2" in str(failed.value) and str(tmp_path / "models" / "ltx2") in str(failed.value)
    state = backend_availability("wan", settings)
    assert not state.can_run and "figment models pull wan" in state.reason


def test_with_weights_but_no_gpu_the_backend_says_so(tmp_path: Path) -> None:
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("this host has a GPU")
    settings = _settings(tmp_path)
    (tmp_path / "models" / "wan").mkdir(parents=True)
    (tmp_path / "models" / "wan" / COMPLETE_MARKER).write_text("{}")
    state = backend_availability("wan", settings)
    assert not state.can_run and "No CUDA GPU" in state.reason and "FIGMENT_MODEL_DEVICE" in state.reason


def test_every_known_backend_answers_whether_it_can_run(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    states = {name: backend_availability(name, settings) for name in KNOWN_BACKENDS}
    assert states["procedural"].can_run
    for name in ("ltx2", "wan"):
        assert states[name].name == name and not states[name].can_run
        assert f"figment models pull {name}" in states[name].reason or "figment[models]" in states[name].reason
    with pytest.raises(ValueError, match="unknown generation backend"):
        backend_availability("sora", settings)

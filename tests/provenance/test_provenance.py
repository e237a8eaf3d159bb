"""Provenance: every clip carries credentials and a watermark; the check reads both."""

from __future__ import annotations

from collections.abc import Iterator
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from figment.generation.registry import load_backend
from figment.generation.types import GenerationRequest
from figment.media import watermark_invisible as wi
from figment.media.encode import encode_clip
from figment.media.watermark_visible import VisibleWatermark
from figment.services import Services, build_services
from support import Api, api_over, assert_error, make_settings


@pytest.fixture
def services(tmp_path: Path, sqlite_url: str) -> Iterator[Services]:
    # 288x512: the watermark has 4 px sub-cells at 144x256, too few for a one-second clip to decode reliably.
    built = build_services(make_settings(tmp_path / "data", sqlite_url, video_width=288, video_height=512))
    yield built
    built.close()


@pytest.fixture
def api(services: Services) -> Iterator[Api]:
    with api_over(services) as api:
        yield api


def _media(api: Api, services: Services, video_id: str) -> tuple[bytes, bytes]:
    video_key, poster_key = f"videos/{video_id}/clip.mp4", f"videos/{video_id}/poster.jpg"
    return services.storage.local_path(video_key).read_bytes(), services.storage.local_path(poster_key).read_bytes()


def _check(api: Api, data: bytes, name: str = "clip.mp4") -> dict[str, object]:
    response = api.client.post("/api/provenance/check", files={"file": (name, data, "application/octet-stream")})
    assert response.status_code == 200, response.text
    return dict(response.json())


def _remux(data: bytes, tmp: Path) -> bytes:
    """Copy the packets into a new MP4: what any re-upload does, and it drops the C2PA box."""
    src, dst = tmp / "in.mp4", tmp / "stripped.mp4"
    src.write_bytes(data)
    with av.open(str(src)) as inp, av.open(str(dst), "w", format="mp4") as out:
        stream = out.add_stream_from_template(inp.streams.video[0])
        for packet in inp.demux(inp.streams.video[0]):
            if packet.dts is None:
                continue
            packet.stream = stream
            out.mux(packet)
    return dst.read_bytes()


def test_a_published_clip_is_recognised_by_credentials_and_watermark(api: Api, services: Services) -> None:
    api.signup("alice")
    video = api.ready_clip("alice", publish=True)
    clip, poster = _media(api, services, video["id"])
    body = _check(api, clip)
    assert body["made_here"] is True and body["video_id"] == video["id"]
    assert body["c2pa"] == {
        "present": True,
        "valid": True,
        "trusted": True,
        "state": "Trusted",
        "claims": body["c2pa"]["claims"],  # type: ignore[index]
    }
    claims = body["c2pa"]["claims"]  # type: ignore[index]
    assert claims["video_id"] == video["id"]
    assert claims["actions"][0]["digitalSourceType"].endswith("trainedAlgorithmicMedia")
    assert claims["generator"][0]["name"] == "Figment"
    assert body["watermark"]["found"] is True  # type: ignore[index]
    poster_body = _check(api, poster, "poster.jpg")
    assert poster_body["c2pa"]["valid"] is True and poster_body["made_here"] is True  # type: ignore[index]


def test_a_stripped_file_is_still_recognised_by_its_watermark(api: Api, services: Services, tmp_path: Path) -> None:
    api.signup("alice")
    video = api.ready_clip("alice", publish=True)
    stripped = _remux(_media(api, services, video["id"])[0], tmp_path)
    body = _check(api, stripped)
    assert body["c2pa"]["present"] is False  # type: ignore[index]
    assert body["watermark"]["found"] is True  # type: ignore[index]
    assert body["made_here"] is True and body["video_id"] == video["id"]


def test_a_tampered_file_reports_invalid_credentials(api: Api, services: Services) -> None:
    api.signup("alice")
    video = api.ready_clip("alice")
    data = bytearray(_media(api, services, video["id"])[0])
    data[len(data) // 2] ^= 0xFF  # one byte of picture data
    body = _check(api, bytes(data))
    assert body["c2pa"]["present"] is True  # type: ignore[index]
    assert body["c2pa"]["valid"] is False and body["c2pa"]["trusted"] is False  # type: ignore[index]
    # A draft is still Figment's, but its id is not handed to strangers.
    assert body["made_here"] is True and "video_id" not in body


def test_a_file_not_made_by_figment_reports_made_here_false(api: Api, tmp_path: Path) -> None:
    clip = load_backend("procedural").generate(
        GenerationRequest(prompt="a red car", seed=3, duration_s=1, width=144, height=256)
    )
    encode_clip(clip, video_path=tmp_path / "x.mp4", poster_path=tmp_path / "x.jpg")
    body = _check(api, (tmp_path / "x.mp4").read_bytes())
    assert body == {
        "made_here": False,
        "state": "not_made_here",
        "made_at": None,
        "removed_at": None,
        "c2pa": {"present": False, "valid": False, "trusted": False, "state": None, "claims": {}},
        "watermark": {"found": False, "id": None},
    }
    assert _check(api, (tmp_path / "x.jpg").read_bytes(), "x.jpg")["made_here"] is False


def test_a_file_that_is_not_media_is_refused_naming_the_field(api: Api) -> None:
    response = api.client.post("/api/provenance/check", files={"file": ("a.txt", b"hello", "text/plain")})
    assert assert_error(response, 422, "validation_error")["details"]["field"] == "file"


def test_watermark_survives_downscale_and_reencode(tmp_path: Path) -> None:
    mark = "0123456789ab"  # fixed, with a fixed seed: the same pictures every run
    clip = load_backend("procedural").generate(
        GenerationRequest(prompt="sunset over the sea", seed=5, duration_s=2, width=288, height=512)
    )
    marks = [wi.InvisibleWatermark(mark), VisibleWatermark("alice", fps=clip.fps)]

    def both(frame: np.ndarray, index: int) -> np.ndarray:
        for step in marks:
            frame = step(frame, index)
        return frame

    encode_clip(clip, video_path=tmp_path / "w.mp4", poster_path=tmp_path / "w.jpg", frame_filter=both)
    with av.open(str(tmp_path / "w.mp4")) as inp, av.open(str(tmp_path / "small.mp4"), "w", format="mp4") as out:
        stream = out.add_stream("libx264", rate=clip.fps)
        stream.width, stream.height, stream.pix_fmt = 180, 320, "yuv420p"
        stream.codec_context.bit_rate = 150_000
        stream.codec_context.time_base = Fraction(1, clip.fps)
        for index, frame in enumerate(inp.decode(video=0)):
            small = frame.reformat(width=180, height=320, format="yuv420p")
            small.pts = index
            small.time_base = Fraction(1, clip.fps)
            out.mux(stream.encode(small))
        out.mux(stream.encode(None))
    with av.open(str(tmp_path / "small.mp4")) as small_file:
        frames = [f.to_ndarray(format="rgb24") for f in small_file.decode(video=0)]
    assert wi.detect(frames).watermark_id == mark


def test_watermark_id_round_trips_and_noise_has_none() -> None:
    mark = wi.new_watermark_id()
    flat = np.full((256, 144, 3), 120, np.uint8)
    assert wi.detect([wi.InvisibleWatermark(mark)(flat, 0)]).watermark_id == mark
    rng = np.random.default_rng(1)
    assert not wi.detect([rng.integers(0, 255, (256, 144, 3), dtype=np.uint8) for _ in range(8)]).found
    with pytest.raises(ValueError, match="12 hex digits"):
        wi.InvisibleWatermark("abc")


def test_the_public_provenance_page_is_served_to_anyone(api: Api) -> None:
    response = api.client.get("/provenance")
    assert response.status_code == 200 and "text/html" in response.headers["content-type"]
    script = api.client.get("/static/provenance.js")
    assert script.status_code == 200 and "/api/provenance/check" in script.text

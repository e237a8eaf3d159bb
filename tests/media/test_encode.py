"""Encoding any backend's clip to MP4 + poster, and probing the result."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

from figment.generation.backends.procedural import ProceduralBackend
from figment.generation.types import GeneratedClip, GenerationRequest
from figment.media.encode import encode_clip
from figment.media.probe import probe, read_audio, read_frames, top_level_boxes

W, H, FPS = 144, 256, 24


def _frames(count: int, *, fail_at: int | None = None, shape: tuple[int, ...] = (H, W, 3)) -> Iterator[np.ndarray]:
    """A red square sliding right over a dark blue background; frame index i is at x = 2i."""
    for i in range(count):
        if i == fail_at:
            raise RuntimeError(f"renderer crashed at frame {i}")
        frame = np.zeros(shape, np.uint8)
        frame[..., :3] = (20, 40, 90)
        frame[100:140, 2 * i : 2 * i + 40, :3] = (240, 30, 30)
        yield frame


def _clip(
    *,
    frames: Iterator[np.ndarray] | None = None,
    count: int = 48,
    audio_s: float = 2.0,
    rate: int = 44100,
    channels: int = 2,
) -> GeneratedClip:
    t = np.arange(int(audio_s * rate)) / rate
    tone = (0.5 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    return GeneratedClip(
        width=W,
        height=H,
        fps=FPS,
        frame_count=count,
        frames=frames if frames is not None else _frames(count),
        audio=np.stack([tone] * channels),
        sample_rate=rate,
    )


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_encodes_h264_aac_faststart_mp4_and_poster(tmp_path: Path) -> None:
    media = encode_clip(_clip(), video_path=tmp_path / "v.mp4", poster_path=tmp_path / "v.jpg")

    info = probe(media.video_path)
    assert (info.video_codec, info.audio_codec, info.width, info.height, info.fps) == ("h264", "aac", W, H, 24.0)
    assert info.has_audio and info.faststart
    assert info.duration_s == pytest.approx(2.0, abs=1e-3) and info.duration_s <= 2.0
    assert top_level_boxes(media.video_path)[:2] == ["ftyp", "moov"]
    assert (media.duration_s, media.width, media.height) == (2.0, W, H)
    assert media.size_bytes == media.video_path.stat().st_size > 0
    assert _leftovers(tmp_path) == ["v.jpg", "v.mp4"]

    with av.open(str(media.video_path)) as container:
        ctx = container.streams.video[0].codec_context
        assert ctx.pix_fmt == "yuv420p" and ctx.profile == "High"
        assert container.streams.audio[0].codec_context.sample_rate == 44100
        assert container.streams.audio[0].codec_context.channels == 2


def test_decoded_pictures_and_sound_match_the_clip(tmp_path: Path) -> None:
    media = encode_clip(_clip(), video_path=tmp_path / "v.mp4", poster_path=tmp_path / "v.jpg")

    frames = read_frames(media.video_path)
    assert len(frames) == 48
    for index in (0, 20, 47):
        red = (frames[index][..., 0] > 180) & (frames[index][..., 1] < 90)
        xs = np.argwhere(red)[:, 1]
        assert abs(xs.mean() - (2 * index + 19.5)) < 2, index
    assert len(read_frames(media.video_path, every_n=4)) == 12

    audio, rate = read_audio(media.video_path)
    assert rate == 44100 and len(audio) == 88200
    assert float(np.sqrt(np.mean(audio[2000:-2000] ** 2))) == pytest.approx(0.5 / np.sqrt(2), rel=0.1)


def test_poster_is_a_frame_a_third_of_the_way_in(tmp_path: Path) -> None:
    media = encode_clip(_clip(), video_path=tmp_path / "v.mp4", poster_path=tmp_path / "v.jpg")

    poster = np.asarray(Image.open(media.poster_path).convert("RGB"))
    assert Image.open(media.poster_path).format == "JPEG" and poster.shape == (H, W, 3)
    red = np.argwhere((poster[..., 0] > 180) & (poster[..., 1] < 90))[:, 1]
    assert abs(red.mean() - (2 * 16 + 19.5)) < 2  # frame 48 // 3 = 16


def test_progress_is_monotonic_bounded_and_ends_at_100(tmp_path: Path) -> None:
    seen: list[int] = []
    encode_clip(_clip(count=48), video_path=tmp_path / "v.mp4", poster_path=tmp_path / "v.jpg", progress=seen.append)

    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    assert 5 <= len(seen) <= 21
    assert seen[-1] == 100 and all(0 <= p < 100 for p in seen[:-1])


def test_frame_filter_changes_what_is_encoded(tmp_path: Path) -> None:
    calls: list[int] = []

    def watermark(frame: np.ndarray, index: int) -> np.ndarray:
        calls.append(index)
        out = frame.copy()
        out[-30:, -50:] = 255
        return out

    media = encode_clip(_clip(), video_path=tmp_path / "v.mp4", poster_path=tmp_path / "v.jpg", frame_filter=watermark)

    assert calls == list(range(48))
    assert read_frames(media.video_path)[10][-20:, -40:].mean() > 240
    assert np.asarray(Image.open(media.poster_path))[-20:, -40:].mean() > 230


def test_failure_midway_leaves_no_file_at_the_final_paths(tmp_path: Path) -> None:
    video, poster = tmp_path / "v.mp4", tmp_path / "v.jpg"
    with pytest.raises(RuntimeError, match="frame 30"):
        encode_clip(_clip(frames=_frames(48, fail_at=30)), video_path=video, poster_path=poster)

    assert _leftovers(tmp_path) == []


def test_failure_keeps_the_previous_files_intact(tmp_path: Path) -> None:
    video, poster = tmp_path / "v.mp4", tmp_path / "v.jpg"
    encode_clip(_clip(), video_path=video, poster_path=poster)
    before = (video.read_bytes(), poster.read_bytes())

    with pytest.raises(RuntimeError):
        encode_clip(_clip(frames=_frames(48, fail_at=5)), video_path=video, poster_path=poster)

    assert (video.read_bytes(), poster.read_bytes()) == before
    assert _leftovers(tmp_path) == ["v.jpg", "v.mp4"]


def test_bad_frames_are_named_in_the_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"frame 0 must be uint8 of shape \(256, 144, 3\)"):
        encode_clip(
            _clip(frames=_frames(48, shape=(H, W, 4))), video_path=tmp_path / "v.mp4", poster_path=tmp_path / "v.jpg"
        )
    with pytest.raises(ValueError, match="promised 48 frames but produced 10"):
        encode_clip(_clip(frames=_frames(10)), video_path=tmp_path / "v.mp4", poster_path=tmp_path / "v.jpg")
    assert _leftovers(tmp_path) == []


def test_audio_is_padded_or_cut_to_the_picture(tmp_path: Path) -> None:
    short = encode_clip(_clip(audio_s=0.5), video_path=tmp_path / "short.mp4", poster_path=tmp_path / "short.jpg")
    long = encode_clip(_clip(audio_s=5.0), video_path=tmp_path / "long.mp4", poster_path=tmp_path / "long.jpg")
    mono = encode_clip(
        _clip(rate=22050, channels=1), video_path=tmp_path / "mono.mp4", poster_path=tmp_path / "mono.jpg"
    )

    for media in (short, long, mono):
        assert probe(media.video_path).duration_s <= 2.0
        audio, rate = read_audio(media.video_path)
        assert rate == 44100 and len(audio) == 88200
    quiet_tail, _ = read_audio(short.video_path)
    assert float(np.abs(quiet_tail[30000:]).max()) < 0.01
    resampled, _ = read_audio(mono.video_path)
    assert float(np.sqrt(np.mean(resampled[2000:-2000] ** 2))) == pytest.approx(0.5 / np.sqrt(2), rel=0.1)


def test_probe_sees_a_file_without_faststart(tmp_path: Path) -> None:
    path = tmp_path / "plain.mp4"
    with av.open(str(path), mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=FPS)
        stream.width, stream.height, stream.pix_fmt = W, H, "yuv420p"
        for i, frame in enumerate(_frames(12)):
            vf = av.VideoFrame.from_ndarray(frame, format="rgb24")
            vf.pts = i
            container.mux(stream.encode(vf))
        container.mux(stream.encode(None))

    info = probe(path)
    assert not info.faststart and not info.has_audio and info.audio_codec is None


def test_procedural_clip_round_trip(tmp_path: Path) -> None:
    request = GenerationRequest(prompt="a dog running on the beach", seed=2, duration_s=2.0, width=W, height=H)
    media = encode_clip(
        ProceduralBackend().generate(request), video_path=tmp_path / "v.mp4", poster_path=tmp_path / "v.jpg"
    )

    info = probe(media.video_path)
    assert (info.width, info.height, info.faststart) == (W, H, True) and info.duration_s <= 2.0
    audio, _ = read_audio(media.video_path)
    assert float(np.sqrt(np.mean(audio**2))) > 0.03
    frames = read_frames(media.video_path, every_n=12)
    assert np.abs(frames[0].astype(np.int16) - frames[-1]).mean() > 1

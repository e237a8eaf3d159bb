"""The procedural backend's pictures and sound, checked for content at small sizes."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from figment.generation.backends.procedural import ProceduralBackend, SubjectPlan, render_to_file
from figment.generation.backends.procedural.sprites import tint
from figment.generation.types import Backend, GeneratedClip, GenerationRequest
from figment.media.probe import probe, read_audio

W, H = 144, 256


def _clip(
    prompt: str, *, seed: int = 0, duration_s: float = 2.0, width: int = W, backend: Backend | None = None
) -> GeneratedClip:
    request = GenerationRequest(prompt=prompt, seed=seed, duration_s=duration_s, width=width, height=width * 16 // 9)
    return (backend or ProceduralBackend()).generate(request)


def _frames(prompt: str, **kw: object) -> list[np.ndarray]:
    return list(_clip(prompt, **kw).frames)  # type: ignore[arg-type]


def _top_brightness(frame: np.ndarray) -> float:
    # The sky between the burned-in caption (top) and the horizon.
    h = frame.shape[0]
    return float(frame[int(h * 0.2) : int(h * 0.35)].mean())


def test_backend_matches_the_seam() -> None:
    backend = ProceduralBackend()
    assert isinstance(backend, Backend)
    assert backend.name == "procedural"
    caps = backend.capabilities
    assert (caps.max_duration_s, caps.sizes, caps.supports_likeness, caps.needs_gpu) == (
        10.0,
        ((720, 1280),),
        True,
        False,
    )


def test_clip_shape_frames_are_lazy_and_audio_is_exact() -> None:
    clip = _clip("a dog running in the park", duration_s=1.5)

    assert isinstance(clip.frames, Iterator)
    assert (clip.width, clip.height, clip.fps, clip.frame_count) == (W, H, 24, 36)
    frames = list(clip.frames)
    assert len(frames) == 36
    assert all(f.shape == (H, W, 3) and f.dtype == np.uint8 for f in frames)
    assert clip.audio.dtype == np.float32 and clip.audio.shape == (2, int(1.5 * 44100))
    assert clip.sample_rate == 44100
    assert clip.plan["setting"] == "park" and clip.plan["subjects"][0]["key"] == "dog"


def test_night_sky_is_dark_and_day_sky_is_bright() -> None:
    night = _frames("a cat in the park at night", duration_s=1.0)
    day = _frames("a cat in the park during the day", duration_s=1.0)

    night_top = np.mean([_top_brightness(f) for f in night])
    day_top = np.mean([_top_brightness(f) for f in day])
    assert night_top < 50, night_top
    assert day_top > 120, day_top
    assert day_top - night_top > 80


def test_consecutive_frames_differ() -> None:
    for prompt in ("a cat sleeping in the bedroom", "a lonely mountain", "a dog", "il mare di notte"):
        frames = _frames(prompt, duration_s=1.0)
        diffs = [np.abs(a.astype(np.int16) - b).mean() for a, b in zip(frames, frames[1:], strict=False)]
        assert min(diffs) > 0, (prompt, diffs)  # never a frozen frame
        assert np.mean(diffs) > 0.05, (prompt, diffs)  # and visible motion overall


def _brightening(a: np.ndarray, b: np.ndarray, rows: int) -> int:
    """Top-of-frame pixels that turned near-white from a to b: white things arriving, like flakes."""
    delta = b[:rows].astype(np.int16).sum(axis=2) - a[:rows].astype(np.int16).sum(axis=2)
    return int(((delta > 45) & (b[:rows].min(axis=2) > 215)).sum())


def test_snow_has_moving_bright_particles() -> None:
    # Flake count follows the frame's area, so use a size with enough of them to count.
    snow = _frames("a snowy day in the park", duration_s=1.0, width=288)
    clear = _frames("a clear day in the park", duration_s=1.0, width=288)

    rows = int(512 * 0.45)
    snow_moves = [_brightening(a, b, rows) for a, b in zip(snow[::3], snow[1::3], strict=False)]
    clear_moves = [_brightening(a, b, rows) for a, b in zip(clear[::3], clear[1::3], strict=False)]
    assert min(snow_moves) > 40, snow_moves
    assert np.mean(snow_moves) > 5 * (np.mean(clear_moves) + 1), (snow_moves, clear_moves)


def _colour_mask(frame: np.ndarray, channel: int) -> np.ndarray:
    f = frame.astype(np.int16)
    others = [c for c in range(3) if c != channel]
    return (f[..., channel] > 140) & (f[..., others[0]] < 100) & (f[..., others[1]] < 100)


@pytest.mark.parametrize(
    ("prompt", "channel"),
    [("a red car driving in the city street during the day", 0), ("a blue car on the road during the day", 2)],
)
def test_coloured_car_is_a_moving_region_of_that_colour(prompt: str, channel: int) -> None:
    frames = _frames(prompt, duration_s=2.0)

    centroids = []
    for frame in (frames[6], frames[30]):
        mask = _colour_mask(frame, channel)
        assert mask.mean() > 0.01, mask.mean()
        centroids.append(np.argwhere(mask)[:, 1].mean())
    assert abs(centroids[1] - centroids[0]) > 3, centroids


def test_tint_recolours_the_body_of_a_sprite() -> None:
    # A yellow "body" with a black outline: the body takes the new colour, the outline stays black.
    img = np.zeros((20, 20, 4), np.uint8)
    img[..., 3] = 255
    img[2:18, 2:18, :3] = (250, 210, 30)
    out = np.asarray(tint(Image.fromarray(img, "RGBA"), (40, 96, 230)))
    assert out[10, 10, 2] > 150 and out[10, 10, 0] < 120
    assert tuple(out[0, 0, :3]) == (0, 0, 0)


def test_audio_is_well_above_silence() -> None:
    for prompt in ("a quiet room", "a cat on the beach", "rain in the city"):
        audio = _clip(prompt, duration_s=2.0).audio
        rms = float(np.sqrt(np.mean(audio**2)))
        assert 0.05 < rms < 0.5, (prompt, rms)
        assert float(np.abs(audio).max()) <= 1.0


def test_dialogue_is_spoken_and_subtitled() -> None:
    quiet = _clip("a robot in the kitchen", duration_s=3.0)
    talking = _clip('a robot in the kitchen says "hello there my friend"', duration_s=3.0)
    assert talking.plan["dialogue"] == ["hello there my friend"]

    # Speech sits in the voice band; the same scene without dialogue has far less energy there.
    def voice_energy(audio: np.ndarray) -> float:
        spectrum = np.abs(np.fft.rfft(audio[0, int(0.6 * 44100) : int(1.6 * 44100)]))
        freqs = np.fft.rfftfreq(44100, 1 / 44100)
        return float(spectrum[(freqs > 150) & (freqs < 3000)].sum())

    assert voice_energy(talking.audio) > 1.3 * voice_energy(quiet.audio)

    frames = list(talking.frames)
    before, during = frames[2], frames[30]  # speech starts at 0.5 s
    band = slice(int(H * 0.1), int(H * 0.4))

    def white(f: np.ndarray) -> int:
        return int((f[band].min(axis=2) > 235).sum())

    assert white(during) > white(before) + 20


def test_same_prompt_and_seed_render_identical_frames() -> None:
    a = _clip("two dogs running on the beach with wind", seed=5, duration_s=1.0)
    b = _clip("two dogs running on the beach with wind", seed=5, duration_s=1.0)

    assert a.plan == b.plan
    for fa, fb in zip(a.frames, b.frames, strict=True):
        assert np.array_equal(fa, fb)


def test_different_prompts_or_seeds_render_different_frames() -> None:
    base = _frames("a cat in the forest", duration_s=0.5)
    other_prompt = _frames("a dog in the desert", duration_s=0.5)
    other_seed = _frames("a cat in the forest", seed=1, duration_s=0.5)

    assert np.abs(base[5].astype(np.int16) - other_prompt[5]).mean() > 10
    assert not np.array_equal(base[5], other_seed[5])


@pytest.mark.parametrize(
    "prompt",
    [
        "a dog on the beach",
        "a boat on the ocean in a storm",
        "a fish underwater",
        "a car in the street at night",
        "the city skyline at sunset, zoom out",
        "a deer in the forest at dawn, fog",
        "an eagle over the mountains",
        "a camel in the desert, windy",
        "a penguin in the snowfield, snow",
        "an astronaut in space",
        "a cat in the bedroom at night",
        "a chef in the kitchen, shaky camera",
        "a singer on stage",
        "a kid in the park, zoom in",
        "a cow in the countryside",
    ],
)
def test_every_setting_renders(prompt: str) -> None:
    frames = _frames(prompt, duration_s=0.5)
    assert len(frames) == 12
    assert frames[-1].std() > 10  # a picture, not a flat fill


def test_strange_prompts_render() -> None:
    rng = np.random.default_rng(0)
    random_unicode = "".join(chr(int(c)) for c in rng.integers(0x20, 0x2FFFF, 200) if not 0xD800 <= c < 0xE000)
    for prompt in (
        random_unicode,
        "🐈🚀🌈✨👩‍🚀 🤖🤖 你好世界",
        "x" * 1000,
        ("a cat and a dog " * 70)[:1000],
        "",
        '"""',
    ):
        frames = _frames(prompt, duration_s=0.5)
        assert len(frames) == 12


def test_sprite_source_is_the_likeness_hook() -> None:
    class Magenta:
        """Stands in for a later face-compositing source: every character is a magenta block."""

        def sprite(self, *, subject: SubjectPlan, height_px: int) -> Image.Image:
            return Image.new("RGBA", (height_px, height_px), (255, 0, 255, 255))

    frames = _frames("a dog in the park", duration_s=0.5, backend=ProceduralBackend(sprite_source=Magenta()))
    f = frames[6].astype(np.int16)
    magenta = (f[..., 0] > 200) & (f[..., 1] < 60) & (f[..., 2] > 200)
    assert magenta.mean() > 0.02


@pytest.mark.slow
def test_full_size_clip_renders_and_encodes(tmp_path: Path) -> None:
    started = time.perf_counter()
    media = render_to_file("a cat dancing on the beach at sunset", out=tmp_path / "clip.mp4", seed=1)
    elapsed = time.perf_counter() - started

    info = probe(media.video_path)
    assert (info.video_codec, info.audio_codec, info.width, info.height) == ("h264", "aac", 720, 1280)
    assert info.faststart and info.fps == 24.0
    assert 9.9 <= info.duration_s <= 10.0
    audio, rate = read_audio(media.video_path)
    assert rate == 44100 and float(np.sqrt(np.mean(audio**2))) > 0.03
    assert media.poster_path.exists() and Image.open(media.poster_path).size == (720, 1280)
    # About 3 s on two cores; the bound only catches gross regressions on slower machines.
    assert elapsed < 30, elapsed

"""The Backend contract (generation.types): frames, sound, determinism and honest capabilities."""

from __future__ import annotations

import abc
import dataclasses
import tracemalloc
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
import pytest

from figment.errors import ValidationFailed
from figment.generation.backends.procedural import ProceduralBackend
from figment.generation.types import (
    ASPECT_H,
    ASPECT_W,
    MAX_DURATION_S,
    Backend,
    BackendCapabilities,
    GeneratedClip,
    GenerationRequest,
    LikenessRef,
)
from figment.testing.backends import FakeBackend

# Portrait 9:16 even sizes, smallest first: where a test needs a size the backend does not list.
CANDIDATE_SIZES = [(ASPECT_W * 2 * k, ASPECT_H * 2 * k) for k in range(5, 41)]


class BackendContract(abc.ABC):
    """The rules every generation backend keeps. A subclass builds the backend (`make_backend`) and
    declares what it honestly is:

    - `size`: a cheap size for most tests; one the backend lists, unless `accepts_unlisted_sizes`.
    - `fps`: the frame rate the tests ask for (low keeps them fast).
    - `seeded`: the seed picks the output, so a different seed must change it.
    - `accepts_unlisted_sizes`: the backend renders any 9:16 even size, so an unlisted size must
      render instead of being refused.
    """

    size: tuple[int, int] = (144, 256)
    fps: int = 12
    seeded: bool = True
    accepts_unlisted_sizes: bool = False
    prompt = 'a red fox runs through snowy woods at dawn and says "good morning"'

    @classmethod
    @abc.abstractmethod
    def make_backend(cls) -> Backend: ...

    @pytest.fixture(scope="class")
    @classmethod
    def backend(cls) -> Backend:
        return cls.make_backend()

    def request(self, **overrides: Any) -> GenerationRequest:
        width, height = overrides.pop("size", self.size)
        values: dict[str, Any] = dict(
            prompt=self.prompt, seed=7, duration_s=0.75, width=width, height=height, fps=self.fps
        )
        return GenerationRequest(**(values | overrides))

    # What it is

    def test_is_a_backend_with_sane_capabilities(self, backend: Backend) -> None:
        assert isinstance(backend, Backend)
        assert isinstance(backend.name, str) and backend.name
        caps = backend.capabilities
        assert isinstance(caps, BackendCapabilities)
        assert 0 < caps.max_duration_s <= MAX_DURATION_S
        assert caps.sizes, "a backend lists at least one size"
        for width, height in caps.sizes:
            assert width * ASPECT_H == height * ASPECT_W and height > width, f"{width}x{height} is not 9:16 portrait"
            assert width % 2 == 0 and height % 2 == 0, f"{width}x{height} is not even (H.264)"
        assert self.accepts_unlisted_sizes or self.size in caps.sizes, "the contract's test size must be listed"

    # Frames

    def test_frames_are_rgb_uint8_of_the_requested_size_and_count(self, backend: Backend) -> None:
        request = self.request(duration_s=0.75)  # 9 frames at 12 fps
        clip = backend.generate(request)
        assert isinstance(clip, GeneratedClip)
        assert (clip.width, clip.height, clip.fps) == (request.width, request.height, request.fps)
        assert clip.frame_count == request.frame_count == max(1, round(request.duration_s * request.fps))
        count = 0
        for frame in clip.frames:
            assert isinstance(frame, np.ndarray) and frame.dtype == np.uint8
            assert frame.shape == (request.height, request.width, 3), frame.shape
            count += 1
        assert count == clip.frame_count

    def test_frames_are_lazy(self, backend: Backend) -> None:
        clip = backend.generate(self.request())
        assert isinstance(clip.frames, Iterator) and not isinstance(clip.frames, Sequence)
        assert iter(clip.frames) is clip.frames, "frames are a one-pass iterator, not a container"
        first = next(clip.frames)
        assert first.shape == (self.size[1], self.size[0], 3)
        assert sum(1 for _ in clip.frames) == clip.frame_count - 1

    def test_generate_does_not_render_every_frame_up_front(self, backend: Backend) -> None:
        # The longest clip at the largest size: materialising its frames would dwarf everything else.
        width, height = max(backend.capabilities.sizes)
        request = self.request(size=(width, height), duration_s=backend.capabilities.max_duration_s)
        all_frames = request.frame_count * width * height * 3
        tracemalloc.start()
        try:
            clip = backend.generate(request)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert clip.frame_count == request.frame_count
        assert peak < all_frames / 4, f"generate() allocated {peak / 1e6:.0f} MB of {all_frames / 1e6:.0f} MB frames"

    # Sound

    def test_audio_is_float_in_range_and_as_long_as_the_clip(self, backend: Backend) -> None:
        clip = backend.generate(self.request(duration_s=0.75))
        audio = clip.audio
        assert isinstance(audio, np.ndarray) and audio.dtype == np.float32
        assert audio.ndim == 2 and audio.shape[0] in (1, 2), f"audio is (channels, samples), not {audio.shape}"
        assert isinstance(clip.sample_rate, int) and 8000 <= clip.sample_rate <= 192_000
        if audio.shape[1] == 0:
            return  # a silent backend may hand back no samples
        assert np.isfinite(audio).all() and float(np.abs(audio).max()) <= 1.0
        expected = clip.duration_s * clip.sample_rate
        one_frame = clip.sample_rate / clip.fps
        assert abs(audio.shape[1] - expected) <= one_frame, f"{audio.shape[1]} samples for {expected:.0f}"

    # Seeds

    def test_the_same_request_gives_the_same_clip(self, backend: Backend) -> None:
        request = self.request(duration_s=0.5)
        first, second = backend.generate(request), backend.generate(request)
        again = self.make_backend().generate(request)  # another process, e.g. a retried job
        frames = list(first.frames)
        for other in (second, again):
            assert other.frame_count == first.frame_count
            assert all(np.array_equal(a, b) for a, b in zip(frames, other.frames, strict=True))
            assert np.array_equal(first.audio, other.audio) and first.sample_rate == other.sample_rate
            assert other.plan == first.plan

    def test_a_different_seed_changes_the_clip(self, backend: Backend) -> None:
        if not self.seeded:
            pytest.skip(f"{backend.name} declares that its output does not depend on the seed")
        one = backend.generate(self.request(seed=1, duration_s=0.5))
        two = backend.generate(self.request(seed=2, duration_s=0.5))
        same_frames = all(np.array_equal(a, b) for a, b in zip(one.frames, two.frames, strict=True))
        same_audio = one.audio.shape == two.audio.shape and np.array_equal(one.audio, two.audio)
        assert not (same_frames and same_audio), "seeds 1 and 2 made the same clip"

    # Honest capabilities

    def test_every_listed_size_renders(self, backend: Backend) -> None:
        for width, height in backend.capabilities.sizes:
            clip = backend.generate(self.request(size=(width, height), duration_s=2 / self.fps))
            frame = next(clip.frames)
            assert frame.shape == (height, width, 3) and frame.dtype == np.uint8, (width, height)

    def test_the_longest_listed_duration_renders(self, backend: Backend) -> None:
        longest = backend.capabilities.max_duration_s
        clip = backend.generate(self.request(duration_s=longest))
        assert clip.frame_count == max(1, round(longest * self.fps))
        assert sum(1 for _ in clip.frames) == clip.frame_count
        assert abs(clip.audio.shape[1] - clip.duration_s * clip.sample_rate) <= clip.sample_rate / clip.fps

    def test_a_longer_clip_is_refused_naming_the_duration(self, backend: Backend) -> None:
        too_long = backend.capabilities.max_duration_s + 0.5
        if too_long > MAX_DURATION_S:
            # Beyond the product's limit no request can even be made: the seam refuses it for every backend.
            with pytest.raises(ValueError, match=f"{too_long}"):
                self.request(duration_s=too_long)
            return
        with pytest.raises(ValidationFailed) as refused:
            backend.generate(self.request(duration_s=too_long))
        assert f"{too_long:g}" in refused.value.message and refused.value.details.get("field") == "duration_s"

    def test_an_unlisted_size_is_refused_naming_the_size(self, backend: Backend) -> None:
        width, height = next(s for s in CANDIDATE_SIZES if s not in backend.capabilities.sizes)
        if self.accepts_unlisted_sizes:
            frame = next(backend.generate(self.request(size=(width, height))).frames)
            assert frame.shape == (height, width, 3)
            return
        with pytest.raises(ValidationFailed) as refused:
            backend.generate(self.request(size=(width, height)))
        assert f"{width}x{height}" in refused.value.message and refused.value.details.get("field") == "size"

    def test_likeness_is_drawn_only_by_a_backend_that_says_so(self, backend: Backend) -> None:
        face = np.zeros((32, 32, 4), np.uint8)
        face[8:24, 8:24] = (230, 190, 160, 255)
        request = self.request(likeness=(LikenessRef(handle="olga", face=face),))
        if backend.capabilities.supports_likeness:
            # The plan is shown to the author: it names who was cast, in order.
            assert backend.generate(request).plan.get("likeness") == ["olga"]
            return
        try:
            clip = backend.generate(request)
        except ValidationFailed as refused:
            assert refused.details.get("field") == "likeness"
            return
        assert not clip.plan.get("likeness"), "a backend without supports_likeness claims to have drawn a face"


class TestProceduralBackend(BackendContract):
    # The procedural renderer lists only the product's size (720x1280) but draws any 9:16 even size,
    # and the whole test suite renders at 144x256. BackendCapabilities has no way to say "any size"
    # yet, so the contract checks the claim the renderer makes instead (it renders unlisted sizes).
    accepts_unlisted_sizes = True

    @classmethod
    def make_backend(cls) -> Backend:
        return ProceduralBackend()


class TestFakeBackend(BackendContract):
    @classmethod
    def make_backend(cls) -> Backend:
        return FakeBackend()

    def test_a_faceless_backend_refuses_a_likeness(self, backend: Backend) -> None:
        face = np.zeros((16, 16, 4), np.uint8)
        request = self.request(likeness=(LikenessRef(handle="olga", face=face),))
        with pytest.raises(ValidationFailed, match="likeness"):
            backend.generate(request)


def test_a_backend_that_draws_faces_it_does_not_support_breaks_the_contract() -> None:
    """The contract itself catches a dishonest backend (a check on the checks)."""

    class Boastful(FakeBackend):
        def generate(self, request: GenerationRequest) -> GeneratedClip:
            clip = super().generate(dataclasses.replace(request, likeness=()))
            clip.plan["likeness"] = [ref.handle for ref in request.likeness]
            return clip

    class Contract(BackendContract):
        @classmethod
        def make_backend(cls) -> Backend:
            return Boastful()

    with pytest.raises(AssertionError, match="claims to have drawn a face"):
        Contract().test_likeness_is_drawn_only_by_a_backend_that_says_so(Boastful())

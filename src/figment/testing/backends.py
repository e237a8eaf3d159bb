"""Tiny backends for tests: a seeded fake that renders in microseconds, one that fails half-way and one
that hangs.

`FakeBackend` behaves like a model backend with fixed abilities: it lists two sizes and a 4 s limit
and refuses anything else (and any likeness) with a `ValidationFailed` naming the value, so tests of
the worker and the backend contract can exercise refusals without a GPU. Its pictures are a
seed-coloured gradient with a bar sweeping down it; its sound is a seed-pitched sine tone, mono at
22.05 kHz (so the encoder's upmix and resampling paths run too).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import numpy as np

from figment.errors import ValidationFailed
from figment.generation.types import BackendCapabilities, GeneratedClip, GenerationRequest


class FakeBackend:
    name = "fake"
    capabilities = BackendCapabilities(
        max_duration_s=4.0, sizes=((144, 256), (288, 512)), supports_likeness=False, needs_gpu=False
    )
    sample_rate = 22050

    def __init__(self) -> None:
        self.calls = 0

    def generate(self, request: GenerationRequest) -> GeneratedClip:
        self.calls += 1
        check_request(self.name, self.capabilities, request)
        rng = np.random.default_rng(request.seed)
        colour = rng.integers(40, 216, size=3).astype(np.float32)
        tone_hz = float(rng.uniform(220.0, 880.0))
        samples = round(request.frame_count / request.fps * self.sample_rate)
        t = np.arange(samples, dtype=np.float64) / self.sample_rate
        audio = (0.25 * np.sin(2 * np.pi * tone_hz * t)).astype(np.float32)[None, :]
        return GeneratedClip(
            width=request.width,
            height=request.height,
            fps=request.fps,
            frame_count=request.frame_count,
            frames=self._frames(request, colour),
            audio=audio,
            sample_rate=self.sample_rate,
            plan={"backend": self.name, "colour": [int(c) for c in colour], "tone_hz": round(tone_hz, 2)},
        )

    def _frames(self, request: GenerationRequest, colour: np.ndarray) -> Iterator[np.ndarray]:
        h, w = request.height, request.width
        shade = np.linspace(0.5, 1.0, h, dtype=np.float32)[:, None, None]
        base = np.broadcast_to(shade * colour, (h, w, 3)).astype(np.uint8)
        bar = max(2, h // 16)
        for index in range(request.frame_count):
            frame = base.copy()  # a fresh array per frame: consumers may keep frames (the frame sampler does)
            top = (index * h // max(1, request.frame_count)) % h
            frame[top : top + bar] = 255 - frame[top : top + bar]
            yield frame


def check_request(name: str, capabilities: BackendCapabilities, request: GenerationRequest) -> None:
    """Refuse what `capabilities` does not list, naming the value, as a backend with fixed abilities must."""
    size = (request.width, request.height)
    if size not in capabilities.sizes:
        listed = ", ".join(f"{w}x{h}" for w, h in capabilities.sizes)
        raise ValidationFailed(
            f"The {name} video model renders {listed}, not {size[0]}x{size[1]}.",
            field="size",
            value=f"{size[0]}x{size[1]}",
        )
    if request.duration_s > capabilities.max_duration_s:
        raise ValidationFailed(
            f"The {name} video model renders at most {capabilities.max_duration_s:g} s, not {request.duration_s:g} s.",
            field="duration_s",
            value=request.duration_s,
        )
    if request.likeness and not capabilities.supports_likeness:
        raise ValidationFailed(f"The {name} video model cannot put a person's likeness in a clip.", field="likeness")


class ExplodingBackend(FakeBackend):
    """A backend whose frames fail half-way, as a crashing model would (after planning went fine)."""

    name = "exploding"

    def _frames(self, request: GenerationRequest, colour: np.ndarray) -> Iterator[np.ndarray]:
        for index, frame in enumerate(super()._frames(request, colour)):
            if index == request.frame_count // 2:
                raise RuntimeError("the model ran out of memory")
            yield frame


class HangingBackend(FakeBackend):
    """A backend that stops making progress, as a model stuck in a driver call would: in `generate`
    (`hang_in="generate"`) or after `frames_before_hang` frames (`hang_in="frames"`). It blocks until
    `release()` (tests call it when done, so no thread outlives its test for long)."""

    name = "hanging"

    def __init__(self, *, hang_in: str = "frames", frames_before_hang: int = 3) -> None:
        super().__init__()
        if hang_in not in ("generate", "frames"):
            raise ValueError(f"hang_in must be 'generate' or 'frames', not {hang_in!r}")
        self.hang_in = hang_in
        self.frames_before_hang = frames_before_hang
        self.released = threading.Event()
        self.hanging = threading.Event()  # set while a call is stuck

    def release(self) -> None:
        self.released.set()

    def _hang(self) -> None:
        self.hanging.set()
        self.released.wait()
        raise RuntimeError("the hanging backend was released")

    def generate(self, request: GenerationRequest) -> GeneratedClip:
        if self.hang_in == "generate":
            self.calls += 1
            self._hang()
        return super().generate(request)

    def _frames(self, request: GenerationRequest, colour: np.ndarray) -> Iterator[np.ndarray]:
        for index, frame in enumerate(super()._frames(request, colour)):
            if index == self.frames_before_hang:
                self._hang()
            yield frame

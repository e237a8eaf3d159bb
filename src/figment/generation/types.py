"""The generation seam: what a backend is asked for and what it hands back.

A backend only *makes* pictures and sound. Everything that turns them into a published file
(watermarks, H.264/AAC encoding, poster, content credentials) lives in `figment.media`, so every
backend gets the same treatment and none can skip it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np

MAX_DURATION_S = 10.0
DEFAULT_DURATION_S = 10.0
# The product is vertical 9:16; every backend renders exactly this aspect ratio.
ASPECT_W, ASPECT_H = 9, 16

ProgressCallback = Callable[[int], None]


class BackendFailure(Exception):
    """A backend could not make the clip; the message is for people (the author reads it on the draft).

    `retryable=False` says another try cannot help (a missing API key, a request the provider rejects as
    malformed): the worker then fails the job at once instead of spending its tries and backoff on it.
    A content refusal is not a failure: it is a DomainError (the worker blocks the clip, final).
    """

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


class ModelOutOfMemory(BackendFailure):
    """The video model ran out of accelerator memory (torch.OutOfMemoryError)."""


@dataclass(frozen=True, kw_only=True, eq=False)
class LikenessRef:
    """A consenting person's face to put on a character: who it is and an RGBA cutout of the face.

    The cutout is upright and frontal, its alpha marking the face; the mouth is assumed to sit at
    the usual place (lower middle), so a backend can animate it while that character speaks.
    """

    handle: str
    face: np.ndarray  # uint8 (h, w, 4)

    def __post_init__(self) -> None:
        f = self.face
        if f.dtype != np.uint8 or f.ndim != 3 or f.shape[2] != 4 or min(f.shape[:2]) < 8:
            raise ValueError(
                f"likeness face must be a uint8 RGBA array of at least 8x8 but is {f.dtype} {tuple(f.shape)}"
            )


@dataclass(frozen=True, kw_only=True)
class GenerationRequest:
    prompt: str
    seed: int
    duration_s: float = DEFAULT_DURATION_S
    width: int = 720
    height: int = 1280
    fps: int = 24
    author_handle: str = ""
    language: str = "en"
    # Faces of consenting people, in the order of the characters they play. Optional: most clips have none.
    likeness: tuple[LikenessRef, ...] = ()
    # The words a backend may print on the clip, when they differ from `prompt` (the author's prompt
    # with @tags, while `prompt` says "a person" for the renderer to cast). None: the prompt.
    caption: str | None = None
    # Called with the model's own progress (0..100) while `generate` works, e.g. after each denoising
    # step. It may raise (the job was cancelled: consent withdrawn, draft deleted, taken down); the
    # backend lets that propagate at once and hands back nothing. None: nobody is listening.
    progress: ProgressCallback | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not 0 < self.duration_s <= MAX_DURATION_S:
            raise ValueError(f"duration_s must be in (0, {MAX_DURATION_S}] but is {self.duration_s}")
        if self.width <= 0 or self.height <= 0:
            raise ValueError(f"width and height must be positive but are {self.width} and {self.height}")
        if self.width * ASPECT_H != self.height * ASPECT_W:
            raise ValueError(f"size must be 9:16 but is {self.width}x{self.height}")
        if self.width % 2 or self.height % 2:
            raise ValueError(f"width and height must be even for H.264 but are {self.width} and {self.height}")

    @property
    def frame_count(self) -> int:
        return max(1, round(self.duration_s * self.fps))


@dataclass(frozen=True, kw_only=True)
class ProviderUsage:
    """One paid generation at a hosted provider: who made it and the seconds of video it billed."""

    backend: str
    model: str
    provider_job_id: str
    billed_seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "model": self.model,
            "provider_job_id": self.provider_job_id,
            "billed_seconds": self.billed_seconds,
        }


@dataclass(kw_only=True)
class GeneratedClip:
    """Frames are produced lazily so the encoder can consume them while the backend renders."""

    width: int
    height: int
    fps: int
    frame_count: int
    # Each frame: uint8 array of shape (height, width, 3), RGB.
    frames: Iterator[np.ndarray]
    # float32 array of shape (channels, samples) in [-1, 1].
    audio: np.ndarray
    sample_rate: int
    # What the backend understood of the prompt; shown to the author under the draft.
    plan: dict[str, Any] = field(default_factory=dict)
    # What a hosted provider billed for this clip (None: made here, nothing billed). The worker records it
    # on the job as soon as the clip exists, so a clip that Figment's own checks then refuse is counted too.
    usage: ProviderUsage | None = None

    @property
    def duration_s(self) -> float:
        return self.frame_count / self.fps


@dataclass(frozen=True, kw_only=True)
class CharacterLooks:
    """The looks a backend can give a tagged character: a sprite key ("dog"), optionally with one of
    its drawn styles ("dog/neon"). The default, nothing, says the backend draws no characters from a
    look: a character is then only its description, in words.

    Likeness validates a character's look against these, and the web client offers them, so neither
    needs to import the backend (or keep a copy of its vocabulary).
    """

    # Every sprite the backend accepts as a look, including props (a taxi, a pizza).
    sprites: tuple[str, ...] = ()
    # The sprites a picker offers, in its order: those that read as a recurring character.
    suggested: tuple[str, ...] = ()
    # Styles a look may add after '/', besides the backend's default.
    styles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        stray = sorted(set(self.suggested) - set(self.sprites))
        if stray:
            raise ValueError(f"suggested looks must be sprites the backend accepts but {stray} are not")


@dataclass(frozen=True, kw_only=True)
class BackendCapabilities:
    max_duration_s: float
    sizes: tuple[tuple[int, int], ...]
    supports_likeness: bool
    needs_gpu: bool
    looks: CharacterLooks = field(default_factory=CharacterLooks)


@runtime_checkable
class Backend(Protocol):
    name: str
    capabilities: BackendCapabilities

    def generate(self, request: GenerationRequest) -> GeneratedClip: ...

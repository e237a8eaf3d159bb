"""Description matching with the multilingual sentence embeddings shared with the feed (figment.embeddings).

The model loads once per process on first use (about a second); `embed` is thread-safe.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from figment.embeddings import load_embedder

DIM = 512


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
    return load_embedder("use").embed(list(texts))


def description_vector(text: str) -> bytes | None:
    """What a work stores: its description's embedding as float32 bytes (None when too short to mean much)."""
    if len(text.split()) < 4:
        return None
    return embed([text])[0].astype(np.float32).tobytes()

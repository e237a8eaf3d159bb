"""Nearest-neighbour search over published clips' prompt embeddings, with faiss.

Inner product on unit vectors (cosine). Up to EXACT_UP_TO clips the index is exact (IndexFlatIP);
beyond, an inverted-file index (IVF, √n lists up to 1024, NPROBE of them searched per query) whose
vectors are stored as 8-bit scalar codes (SQ8), trained on a sample: the configuration bench/serving.py
and bench/search.py measure at 1M clips. SQ8 keeps a 512-d prompt embedding in 512 bytes instead of
2 KB (1M clips: 0.5 GB rather than 2 GB in each web process), and moves cosines by about 0.01.

Loading: the first search reads every published clip's embedding. After that, every `max_age_s`
only the clips published since are read and added (other processes publish too; clips published in
this process are added at once), and every `rebuild_s` the index is built again from the table,
which drops removed clips (until then the feed's visibility filter drops them) and retrains IVF.
A clip whose publish time is older than the newest already read (its transaction committed late)
waits for that rebuild.
"""

from __future__ import annotations

import math
import threading
import time
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from figment.embeddings import Vector, from_bytes
from figment.feed.models import VideoEmbedding
from figment.videos.models import Video, Visibility

EXACT_UP_TO = 50_000
NPROBE = 8
TRAIN_SAMPLE = 60_000


def _faiss() -> Any:
    # Imported with the first index, not with the module: processes that never rank (`figment worker`,
    # the CLI) do not load faiss and its OpenMP runtime.
    import faiss

    # One request is one thread: OpenMP workers spinning on 2 cores only slow the app's other threads.
    faiss.omp_set_num_threads(1)
    return faiss


def build_index(matrix: Vector, *, seed: int = 0) -> Any:
    """A faiss index over the rows of `matrix` (float32, unit length), exact or IVF by size."""
    faiss = _faiss()
    n, dim = matrix.shape
    matrix = np.ascontiguousarray(matrix, dtype=np.float32)
    if n <= EXACT_UP_TO:
        index = faiss.IndexFlatIP(dim)
    else:
        lists = max(64, min(1024, int(math.sqrt(n))))
        index = faiss.IndexIVFScalarQuantizer(
            faiss.IndexFlatIP(dim), dim, lists, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        sample = np.random.default_rng(seed).choice(n, min(n, TRAIN_SAMPLE), replace=False)
        index.train(matrix[np.sort(sample)])
        index.nprobe = NPROBE
    index.add(matrix)
    return index


class IdArray:
    """Clip ids by index position, in one growing numpy byte array rather than a list of strings.

    At a million clips a list (and a set) of id strings costs the garbage collector ~70 ms on every
    full collection, and that pause lands on whichever feed request triggered it (p99 of a cold page
    at 1M clips: 103 ms with them, 16 ms without). Ids are ASCII (uuid hex)."""

    def __init__(self, ids: list[str] | None = None) -> None:
        self._data = np.array(ids or [], dtype=np.bytes_)
        self._size = len(self._data)

    def __len__(self) -> int:
        return self._size

    def __getitem__(self, position: int) -> str:
        if not 0 <= position < self._size:
            raise IndexError(position)
        return bytes(self._data[position]).decode("ascii")

    def extend(self, ids: list[str]) -> None:
        new = np.array(ids, dtype=np.bytes_)
        width = max(self._data.dtype.itemsize, new.dtype.itemsize)
        needed = self._size + len(new)
        if needed > len(self._data) or width > self._data.dtype.itemsize:
            grown = np.zeros(max(needed, int(len(self._data) * 1.5), 16), dtype=f"S{width}")
            grown[: self._size] = self._data[: self._size]
            self._data = grown
        self._data[self._size : needed] = new
        self._size = needed


class VectorIndex:
    def __init__(self, *, max_age_s: float = 180.0, rebuild_s: float = 3600.0) -> None:
        self.max_age_s = max_age_s
        self.rebuild_s = rebuild_s
        self._ids = IdArray()
        # Ids added since the last full build (and those at its newest publish time): what an
        # incremental read may bring again. Small, unlike the index; emptied at every rebuild.
        self._recent: set[str] = set()
        self._index: Any = None
        self._loaded_at = -1e18
        self._built_at = -1e18
        self._newest: datetime | None = None  # latest published_at read from the table
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._ids)

    def set(self, ids: list[str], matrix: Vector, *, boundary: list[str] | None = None) -> None:
        """Replace the index; `boundary` = ids published at the newest instant read (see _recent)."""
        index = build_index(matrix) if len(ids) else None
        with self._lock:
            self._ids, self._recent, self._index = IdArray(ids), set(boundary or []), index
            self._loaded_at = self._built_at = time.monotonic()

    def add_many(self, ids: list[str], matrix: Vector) -> None:
        with self._lock:
            if self._index is None or matrix.shape[0] == 0 or self._index.d != matrix.shape[1]:
                return  # not loaded yet (or another model): the next load reads them from the table
            keep = [i for i, vid in enumerate(ids) if vid not in self._recent]
            if not keep:
                return
            self._index.add(np.ascontiguousarray(matrix[keep], dtype=np.float32))
            self._ids.extend([ids[i] for i in keep])
            self._recent.update(ids[i] for i in keep)

    def refresh_soon(self) -> None:
        """Read the clips published since the last read at the next `ensure_loaded` (an indexed query)."""
        with self._lock:
            self._loaded_at = -1e18

    def ensure_loaded(self, session: Session) -> None:
        now = time.monotonic()
        if self._index is not None and now - self._loaded_at < self.max_age_s:
            return
        full = self._index is None or now - self._built_at >= self.rebuild_s or self._newest is None
        query = (
            select(VideoEmbedding.video_id, VideoEmbedding.vector, Video.published_at)
            .join(Video, Video.id == VideoEmbedding.video_id)
            .where(Video.visibility == Visibility.published)
        )
        if not full:
            # >= rather than >: clips published in the same instant as the newest seen are not lost
            # (those already present are in _recent and skipped by add_many).
            query = query.where(Video.published_at >= self._newest)
        rows = session.execute(query).all()
        matrix = np.stack([from_bytes(r.vector) for r in rows]) if rows else np.zeros((0, 0), dtype=np.float32)
        times = [r.published_at for r in rows if r.published_at is not None]
        if times:
            self._newest = max(times) if self._newest is None or full else max(self._newest, max(times))
        if full:
            self.set(
                [r.video_id for r in rows],
                matrix,
                boundary=[r.video_id for r in rows if r.published_at is not None and r.published_at == self._newest],
            )
        else:
            self.add_many([r.video_id for r in rows], matrix)
            self._loaded_at = now

    def search(self, queries: Vector, k: int) -> list[tuple[str, float, int]]:
        """(video id, similarity, index of the query that found it), best first, one row per clip."""
        with self._lock:
            ids, index = self._ids, self._index
            if index is None or len(queries) == 0 or index.d != queries.shape[1]:
                return []
            # Searched under the lock: `add` may grow the index meanwhile, and faiss is not thread-safe
            # for a search during an add.
            sims, found = index.search(np.ascontiguousarray(queries, dtype=np.float32), min(k, len(ids)))
        best: dict[str, tuple[float, int]] = {}
        for q in range(len(queries)):
            for value, i in zip(sims[q], found[q], strict=True):
                if i < 0:
                    continue  # IVF: fewer than k neighbours in the probed lists
                vid = ids[int(i)]
                if vid not in best or float(value) > best[vid][0]:
                    best[vid] = (float(value), q)
        return sorted(((vid, s, q) for vid, (s, q) in best.items()), key=lambda r: -r[1])

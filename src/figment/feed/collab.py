"""Collaborative item-item model: EASE (Steck 2019), a closed-form linear item-to-item regression.

Why EASE: it is one matrix inverse (no training loop, no seed sensitivity), it beats ItemKNN and ALS
on MovieLens-100K in `make eval`, and every score is a sum of "item j you engaged with -> this item"
weights, so the feed can say "because you liked <j>" by naming the largest term.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

Matrix = npt.NDArray[np.float32]


@dataclass(frozen=True)
class ItemItem:
    """weights[i, j]: how much engaging with item i predicts item j (zero diagonal)."""

    weights: Matrix

    def scores(self, history: sparse.csr_matrix) -> Matrix:
        """Scores of every item for each user row of `history` (users x items, engagement strength)."""
        return np.asarray(history @ self.weights, dtype=np.float32)

    def explain(self, history_items: list[int], history_strength: list[float], item: int) -> int | None:
        """The history item that contributed most to `item`'s score, or None."""
        if not history_items:
            return None
        contrib = self.weights[history_items, item] * np.asarray(history_strength, dtype=np.float32)
        best = int(np.argmax(contrib))
        return history_items[best] if contrib[best] > 0 else None


def fit_ease(interactions: sparse.spmatrix, *, l2: float = 250.0) -> ItemItem:
    """Closed form: B = I - P / diag(P) with P = (X^T X + l2 I)^-1, diagonal forced to zero."""
    x = sparse.csr_matrix(interactions, dtype=np.float64)
    gram = (x.T @ x).toarray()
    gram[np.diag_indices_from(gram)] += l2
    p = np.linalg.inv(gram)
    b = p / (-np.diag(p))
    b[np.diag_indices_from(b)] = 0.0
    return ItemItem(weights=b.astype(np.float32))


def fit_item_knn(interactions: sparse.spmatrix, *, k: int = 100, shrink: float = 10.0) -> ItemItem:
    """Cosine item-item similarity keeping each item's k nearest neighbours (the classic baseline)."""
    x = sparse.csc_matrix(interactions, dtype=np.float64)
    norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=0)).ravel())
    sim = (x.T @ x).toarray()
    sim /= np.outer(norms, norms) + shrink + 1e-9
    sim[np.diag_indices_from(sim)] = 0.0
    if k < sim.shape[0]:
        cut = np.argpartition(-sim, k, axis=0)[k:]
        np.put_along_axis(sim, cut, 0.0, axis=0)
    return ItemItem(weights=sim.astype(np.float32))

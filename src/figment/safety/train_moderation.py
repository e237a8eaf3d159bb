"""Train the moderation classifier (issue 15): `python -m figment.safety.train_moderation` from the repository.

Trains on bench/data/moderation_eval.tsv and bench/data/moderation_heldout.tsv (both known by now), never
on moderation_heldout2.tsv. The L2 strength and the refusal threshold are chosen by stratified 5-fold
cross-validation on the training prompts: the threshold is the lowest at which the cross-validated false
refusals (word list included) stay at or under TARGET_FALSE_REFUSALS. Writes
src/figment/safety/data/moderation_classifier.json and prints the cross-validated figures. Deterministic:
the folds come from a fixed seed and L-BFGS starts from zeros.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np
import numpy.typing as npt

from figment.embeddings import make_embedder
from figment.safety.classifier import Matrix, fit
from figment.safety.moderation import CATEGORIES, CLASSIFIER_FILE, FEATURES, Moderator, _lexicon, normalise

TRAINING = ("bench/data/moderation_eval.tsv", "bench/data/moderation_heldout.tsv")
CLASSES = ("safe", *CATEGORIES)
L2_GRID = (1.0, 3.0, 10.0, 30.0, 100.0)
TARGET_FALSE_REFUSALS = 0.015  # under the 0.02 goal, leaving room for a new set's noise
FOLDS = 5
SEED = 15


def load(paths: list[Path]) -> tuple[list[str], npt.NDArray[np.int64]]:
    prompts: list[str] = []
    labels: list[int] = []
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                prompts.append(row["prompt"])
                labels.append(CLASSES.index(row["label"]))
    return prompts, np.asarray(labels, dtype=np.int64)


def folds(y: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Stratified fold number per row, from a fixed seed."""
    rng = np.random.default_rng(SEED)
    fold = np.zeros(len(y), dtype=np.int64)
    for label in np.unique(y):
        rows = rng.permutation(np.flatnonzero(y == label))
        fold[rows] = np.arange(len(rows)) % FOLDS
    return fold


def out_of_fold(x: Matrix, y: npt.NDArray[np.int64], fold: npt.NDArray[np.int64], l2: float) -> Matrix:
    """P(harm) for each row from the model that did not see its fold."""
    harm = np.zeros(len(y))
    for k in range(FOLDS):
        model = fit(x[fold != k], y[fold != k], classes=CLASSES, features=FEATURES, embedder="", l2=l2)
        harm[fold == k] = model.harm(x[fold == k])
    return harm


def calibrate(harm: Matrix, floor: npt.NDArray[np.bool_], safe: npt.NDArray[np.bool_]) -> float:
    """The lowest threshold whose false refusals (floor or harm >= threshold) stay within the target."""
    allowed = int(np.floor(TARGET_FALSE_REFUSALS * safe.sum())) - int((floor & safe).sum())
    scores = np.sort(harm[safe & ~floor])[::-1]
    if allowed < 0:
        return 1.0
    if allowed >= len(scores):
        return 0.0
    # Halfway between the last safe score refused and the first one let through.
    upper = scores[allowed - 1] if allowed > 0 else 1.0
    return float((upper + scores[allowed]) / 2)


def rates(refused: npt.NDArray[np.bool_], safe: npt.NDArray[np.bool_]) -> tuple[float, float]:
    return float(refused[~safe].mean()), float(refused[safe].mean())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path.cwd(), help="repository root")
    args = parser.parse_args()
    prompts, y = load([args.root / path for path in TRAINING])
    embedder = make_embedder("use")
    moderator = Moderator(embedder=embedder, classifier=False)
    x = moderator.features(prompts)
    safe = y == 0
    floor = np.array([_lexicon(normalise(prompt)) is not None for prompt in prompts])
    rules = np.array([moderator.classify(prompt).blocked for prompt in prompts])
    fold = folds(y)
    print(f"{len(prompts)} prompts ({int((~safe).sum())} harmful, {int(safe.sum())} safe), {x.shape[1]} features")
    print(
        f"rules + nearest examples (tuned on these prompts): recall {rates(rules, safe)[0]:.3f}, "
        f"false refusals {rates(rules, safe)[1]:.3f}"
    )
    best: tuple[float, float, float, float] | None = None  # recall, -l2, threshold, false refusals
    for l2 in L2_GRID:
        harm = out_of_fold(x, y, fold, l2)
        threshold = calibrate(harm, floor, safe)
        recall, false_refusals = rates(floor | (harm >= threshold), safe)
        # A threshold calibrated on the other folds only, per fold: the less optimistic figure.
        nested = np.zeros(len(y), dtype=bool)
        for k in range(FOLDS):
            t = calibrate(harm[fold != k], floor[fold != k], safe[fold != k])
            nested[fold == k] = floor[fold == k] | (harm[fold == k] >= t)
        n_recall, n_false = rates(nested, safe)
        print(
            f"l2 {l2:6.1f}: threshold {threshold:.3f}, CV recall {recall:.3f}, false refusals "
            f"{false_refusals:.3f}; threshold per fold: recall {n_recall:.3f}, false refusals {n_false:.3f}"
        )
        if best is None or (n_recall, -l2) > (best[0], -best[1]):
            best = (n_recall, l2, threshold, n_false)
    assert best is not None
    cv_recall, l2, threshold, cv_false = best
    model = fit(x, y, classes=CLASSES, features=FEATURES, embedder=embedder.name, l2=l2)
    model = type(model)(
        **{
            **model.__dict__,
            "threshold": threshold,
            "meta": {
                "trained_on": list(TRAINING),
                "l2": l2,
                "cv_recall": round(cv_recall, 4),
                "cv_false_refusals": round(cv_false, 4),
                "target_false_refusals": TARGET_FALSE_REFUSALS,
            },
        }
    )
    out = args.root / "src/figment/safety" / CLASSIFIER_FILE
    out.write_text(model.to_json() + "\n", encoding="utf-8")
    train_refused = floor | (model.harm(x) >= threshold)
    print(
        f"chosen l2 {l2}, threshold {threshold:.3f}; on the training prompts themselves: recall "
        f"{rates(train_refused, safe)[0]:.3f}, false refusals {rates(train_refused, safe)[1]:.3f}; wrote {out}"
    )


if __name__ == "__main__":
    main()

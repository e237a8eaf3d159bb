"""How often the embedding fallback's nearest concept is right, at several thresholds (issue 17).

`python -m bench.concept_fallback` reads bench/data/concept_fallback_labels.json (words the vocabulary
does not list, each with the concept a person would draw, or null for "draw nothing") and prints, per
threshold: how many words with a concept got the right one, how many got a wrong one, and how many
null words were wrongly given one. The engine's THRESHOLD (concepts.py) is the one that keeps wrong
guesses rare: a wrong subject on screen is worse than a word listed under "not understood".
"""

from __future__ import annotations

import json
from pathlib import Path

from figment.generation.backends.procedural import concepts, lexicon
from figment.generation.backends.procedural.plan import _index

DATA = Path(__file__).resolve().parent / "data" / "concept_fallback_labels.json"


def main() -> None:
    labels: dict[str, str | None] = json.loads(DATA.read_text(encoding="utf-8"))["labels"]
    words = [w.replace("_", " ") for w in labels]
    known = [w for w in words if tuple(w.split())[0] in _index().phrases]
    if known:
        print("listed in the vocabulary (not a fallback case):", known)
    finder = concepts.finder()
    if finder is None:
        raise SystemExit("the USE model is not installed")
    kinds = {n.key: n.kind for n in lexicon.NOUNS}
    matches = finder.nearest(words)
    positives = sum(1 for v in labels.values() if v)
    print(f"{len(labels)} words, {positives} with a concept, {len(labels) - positives} without")
    print(
        "| threshold | margin | right | same kind (a falcon drawn as an eagle) | wrong | "
        "given one but should have none | acceptable when it answers | words found |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for margin in (0.0, concepts.MARGIN):
        for threshold in (0.5, 0.55, 0.6, 0.65, 0.7):
            right = same_kind = wrong = false_pos = 0
            for (word, expected), match in zip(labels.items(), matches, strict=True):
                if match.similarity < threshold or match.margin < margin or not concepts.guessable(word):
                    continue
                got = match.concept.value
                if expected is None:
                    false_pos += 1
                elif got == expected:
                    right += 1
                elif kinds.get(got, "place") == kinds.get(expected, "place"):
                    same_kind += 1
                else:
                    wrong += 1
            taken = right + same_kind + wrong + false_pos
            good = right + same_kind
            marker = " (engine)" if (threshold, margin) == (concepts.THRESHOLD, concepts.MARGIN) else ""
            print(
                f"| {threshold:.2f}{marker} | {margin:.2f} | {right}/{positives} | {same_kind} | {wrong} | "
                f"{false_pos} | "
                f"{100 * good / taken if taken else 0:.0f} % | {100 * good / positives:.0f} % |"
            )
    print("\nper word at the engine's threshold:")
    for (word, expected), match in zip(labels.items(), matches, strict=True):
        taken = match.similarity >= concepts.THRESHOLD and match.margin >= concepts.MARGIN and concepts.guessable(word)
        got = match.concept.value if taken else None
        flag = "ok" if got == expected else "XX"
        print(f"  {flag} {word:14s} expected={expected!s:12s} nearest={match.concept.value} {match.similarity:.2f}")


if __name__ == "__main__":
    main()

"""The nearest known concept for a word the vocabulary does not list, by sentence embeddings.

A prompt's word that no table matches ("schnauzer", "gabbiano", "lamborghini") is compared with the
names of everything the engine can draw (subjects and places) in the multilingual embedding space
the app already ships (figment/embeddings.py, USE-m3). The closest name is taken only when it is
close enough (THRESHOLD) and clearly closer than the runner-up (MARGIN); words shaped like adjectives
or verbs are not guessed at all. The model compares single words mostly by their look, so the
threshold is high: it finds a thing for about a quarter of unlisted nouns and is wrong about a
third of the time it answers (see the measurement); a wrong subject on screen is worse than a word
listed under "not understood".

The threshold was chosen on a labelled list (bench/data/concept_fallback_labels.json, measured by
`python -m bench.concept_fallback`; the figures are in docs/BENCHMARKS.md).
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from figment.generation.backends.procedural import lexicon

# Chosen on bench/data/concept_fallback_labels.json: see bench/concept_fallback.py.
THRESHOLD = 0.65
MARGIN = 0.03
# Word shapes that are almost never a thing to draw (adjectives, adverbs, gerunds): never guessed.
_NOT_A_THING = ("ing", "ly", "ous", "ful", "ive", "ed", "y", "mente", "evole", "ante", "ente")


class _Embedder(Protocol):
    def embed(self, texts: list[str]) -> np.ndarray: ...


@dataclass(frozen=True)
class Concept:
    table: str  # "noun" or "setting"
    value: str  # a noun key or a setting name
    label: str  # the English words it is compared by


@dataclass(frozen=True)
class Match:
    concept: Concept
    similarity: float
    margin: float


def _label(key: str) -> str:
    # The bare English name: single words compare best with single words in this model (measured: a
    # list of synonyms as the label, or "a photo of a ...", matched fewer words right).
    return key.replace("_", " ")


def guessable(word: str) -> bool:
    """Worth a guess: a word of four letters or more that is not shaped like an adjective or a verb."""
    return len(word) >= 4 and word.isalpha() and not word.endswith(_NOT_A_THING)


@functools.cache
def concepts() -> tuple[Concept, ...]:
    out = [Concept("noun", n.key, _label(n.key)) for n in lexicon.NOUNS]
    out += [Concept("setting", kw.value, _label(kw.value)) for kw in lexicon.SETTING_WORDS]
    return tuple(out)


class ConceptFinder:
    """Embeds the concept names once, then answers nearest-concept queries for words."""

    def __init__(self, embedder: _Embedder) -> None:
        self._embedder = embedder
        self._matrix: np.ndarray | None = None
        self._lock = threading.Lock()

    def _concept_matrix(self) -> np.ndarray:
        with self._lock:
            if self._matrix is None:
                self._matrix = np.asarray(self._embedder.embed([c.label for c in concepts()]), np.float32)
            return self._matrix

    def nearest(self, words: list[str]) -> list[Match]:
        if not words:
            return []
        matrix = self._concept_matrix()
        vectors = np.asarray(self._embedder.embed(words), np.float32)
        sims = vectors @ matrix.T
        out: list[Match] = []
        all_concepts = concepts()
        for row in sims:
            order = np.argsort(row)[::-1]
            best, second = float(row[order[0]]), float(row[order[1]])
            out.append(Match(all_concepts[int(order[0])], best, best - second))
        return out

    def resolve(self, word: str, *, threshold: float = THRESHOLD, margin: float = MARGIN) -> Match | None:
        match = self.nearest([word])[0]
        return match if match.similarity >= threshold and match.margin >= margin else None


_finder: ConceptFinder | None = None
_finder_lock = threading.Lock()
_disabled = False


def finder() -> ConceptFinder | None:
    """The process's finder on the shipped USE model, or None where the model cannot be loaded."""
    global _finder, _disabled
    with _finder_lock:
        if _finder is None and not _disabled:
            try:
                from figment.embeddings import UseEmbedder

                embedder = UseEmbedder()
                embedder.embed(["probe"])
                _finder = ConceptFinder(embedder)
            except Exception:  # the model or its package is missing: plans go on without the fallback
                _disabled = True
        return _finder


def use_finder(value: ConceptFinder | None, *, disabled: bool = False) -> None:
    """Replace the process's finder (tests; a worker that already holds an embedder)."""
    global _finder, _disabled
    with _finder_lock:
        _finder, _disabled = value, disabled

"""Free-text restrictions on a likeness ("no political content", "mai in costume da bagno", "banned: beer")
matched against prompts in English and Italian.

Three matchers, any of which refuses:
- words: the restriction's own content words (and anything quoted) found at word starts in the prompt;
- themes: a restriction worded like a known theme (data/restriction_topics.json: politics, swimwear...)
  also matches that theme's vocabulary in both languages, because sentence embeddings are weak on
  abstract themes (measured: "political content" vs "a speech at an election rally" scores 0.43,
  no better than unrelated short phrases);
- meaning: the multilingual sentence embedding of the restriction's topic against every 1-3 word
  span of the prompt's content words, which catches concrete paraphrases and translations
  ("swimwear" vs "costume da bagno" 0.69, "kissing" vs "bacia un ragazzo" 0.80).
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np

from figment.embeddings import Embedder
from figment.errors import ValidationFailed

# Measured on USE-m3 with stopwords removed: related spans 0.62-0.92, unrelated 0.20-0.48.
SPAN_THRESHOLD = 0.58
# A restriction this close to a theme's label takes on the theme's vocabulary.
THEME_THRESHOLD = 0.6
MAX_RESTRICTIONS = 20
VECTOR_CACHE = 20_000
MAX_RESTRICTION_CHARS = 200

NEGATIONS = re.compile(
    r"^(?:please,?\s+)?(?:no|never|not|don'?t|do not|without|nothing|avoid|banned(?: words?)?:?|forbidden:?|"
    r"niente|mai|non|senza|vietat[oaie]|evitare|per favore)\b\s*",
)
STOPWORDS = frozenset(
    """a an the of in on at to for with and or my me i is are be any anything content contents scene scenes
    clip clips video videos me used use using wearing wear shown show about from by as it this that
    il lo la le gli i un una uno di da del della dei delle degli in con su per tra fra e o mio mia miei
    mie me è sono nessun nessuna alcun alcuna contenuti contenuto scena scene video indossare indossando
    che come""".split()
)
WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?|\d+")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def content_words(text: str) -> list[str]:
    return [w for w in WORD.findall(fold(re.sub(r"@\w+", " ", text))) if w not in STOPWORDS and len(w) > 1]


def topic_of(restriction: str) -> str:
    """The thing forbidden: "No political content!" -> "political"."""
    text = fold(restriction).strip().strip(".!")
    for _ in range(3):  # "please, never ..." / "no, mai ..."
        text = NEGATIONS.sub("", text.lstrip(",;: ")).strip()
    return " ".join(content_words(text))


def _stem(word: str) -> str:
    # Word starts rather than a stemmer: "politic" matches politics/political/politica, in both languages.
    return word if len(word) <= 4 else word[: max(5, len(word) - 2)]


def _found(folded: str, term: str) -> bool:
    """`term` (folded words) in `folded` (" w1 w2 ... "): short words whole (or plural), longer ones as
    word starts, so "war" does not match "warm" but "politic" matches "political"."""
    if len(term) < 5:
        return f" {term} " in folded or f" {term}s " in folded
    return f" {term}" in folded


@dataclass(frozen=True)
class Theme:
    name: str
    labels: tuple[str, ...]
    words: tuple[str, ...]


@cache
def themes() -> tuple[Theme, ...]:
    raw = json.loads(resources.files("figment.likeness").joinpath("data/restriction_topics.json").read_text("utf-8"))
    return tuple(
        Theme(name=name, labels=tuple(t["labels"]), words=tuple(fold(w) for w in t["words"]))
        for name, t in raw["topics"].items()
    )


@dataclass(frozen=True)
class Hit:
    restriction: str
    matcher: str  # "words" | "theme:<name>" | "meaning"
    evidence: str  # the part of the prompt that matched


def clean_restrictions(raw: object) -> list[str]:
    """Validate what an owner typed: a list of short non-empty texts (duplicates dropped, order kept)."""
    if not isinstance(raw, list) or not all(isinstance(r, str) for r in raw):
        raise ValidationFailed("Restrictions must be a list of texts.", field="restrictions")
    out: list[str] = []
    for item in raw:
        text = " ".join(item.split())
        if not text or text in out:
            continue
        if len(text) > MAX_RESTRICTION_CHARS:
            raise ValidationFailed(
                f"A restriction must be at most {MAX_RESTRICTION_CHARS} characters but one has {len(text)}.",
                field="restrictions",
            )
        if not topic_of(text):
            raise ValidationFailed(
                f"'{text}' does not say what to avoid; write it like 'no political content' or 'never in swimwear'.",
                field="restrictions",
            )
        out.append(text)
    if len(out) > MAX_RESTRICTIONS:
        raise ValidationFailed(f"At most {MAX_RESTRICTIONS} restrictions, not {len(out)}.", field="restrictions")
    return out


class RestrictionMatcher:
    def __init__(self, embedder: Embedder | None) -> None:
        # None: words and themes only (tests that must not load the model; the app always passes one).
        self.embedder = embedder
        self._theme_bank: tuple[np.ndarray, list[Theme]] | None = None
        # Restriction topics repeat on every check and a prompt's spans repeat for each of its tags:
        # embeddings are cached per text (bounded; a dict keeps insertion order for eviction).
        self._vectors: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def _embed(self, texts: list[str]) -> np.ndarray:
        assert self.embedder is not None
        with self._lock:
            known = {t: self._vectors[t] for t in texts if t in self._vectors}
        missing = [t for t in dict.fromkeys(texts) if t not in known]
        if missing:
            fresh = self.embedder.embed(missing)
            known.update(zip(missing, fresh, strict=True))
            with self._lock:
                self._vectors.update(zip(missing, fresh, strict=True))
                while len(self._vectors) > VECTOR_CACHE:
                    del self._vectors[next(iter(self._vectors))]
        return np.stack([known[t] for t in texts])

    def _themes_for(self, topic: str, topic_vec: np.ndarray | None) -> list[Theme]:
        words = set(topic.split())
        chosen = [t for t in themes() if any(set(content_words(label)) & words for label in t.labels)]
        if topic_vec is not None:
            if self._theme_bank is None:
                assert self.embedder is not None
                owners = [t for t in themes() for _ in t.labels]
                self._theme_bank = (self.embedder.embed([label for t in themes() for label in t.labels]), owners)
            bank, owners = self._theme_bank
            for score, theme in zip(bank @ topic_vec, owners, strict=True):
                if score >= THEME_THRESHOLD and theme not in chosen:
                    chosen.append(theme)
        return chosen

    def first_hit(self, prompt: str, restrictions: list[str]) -> Hit | None:
        if not restrictions:
            return None
        words = content_words(prompt)
        folded = " " + " ".join(words) + " "
        topics = [topic_of(r) for r in restrictions]
        vectors = self._embed(topics) if self.embedder is not None else None
        spans: list[str] = []
        span_vecs: np.ndarray | None = None
        for index, (restriction, topic) in enumerate(zip(restrictions, topics, strict=True)):
            quoted = re.findall(r"[\"“«']([^\"”»']+)[\"”»']", restriction)
            for term in [fold(q) for q in quoted] + topic.split():
                needle = " ".join(_stem(w) for w in content_words(term))
                if needle and _found(folded, needle):
                    return Hit(restriction, "words", term)
            topic_vec = vectors[index] if vectors is not None else None
            for theme in self._themes_for(topic, topic_vec):
                for word in theme.words:
                    if _found(folded, word):
                        return Hit(restriction, f"theme:{theme.name}", word)
            if topic_vec is not None and words:
                if span_vecs is None:
                    spans = [" ".join(words[i : i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)]
                    span_vecs = self._embed(spans)
                scores = span_vecs @ topic_vec
                best = int(np.argmax(scores))
                if scores[best] >= SPAN_THRESHOLD:
                    return Hit(restriction, "meaning", spans[best])
        return None

"""Prompt screening against registered works: text normalisation, an exact + fuzzy index, embeddings.

The index is pure data built from a snapshot of the works (`WorkEntry`); `RightsIndex.match(prompt)`
does no database work, so screening stays within a few milliseconds with 10,000 works.

What people do to get past a filter, and what undoes it here:
- case, accents, confusable letters (Cyrillic 'а', fullwidth 'Ａ'), zero-width characters: `skeleton()`
- leetspeak (`b4tm4n`, `$uperman`, `M1ckey`) and doubled letters (`Baaatman`): `skeleton()`
- spacing, punctuation, letters spread out (`B.a.t-m a n`): spans of consecutive tokens joined
- plural and possessive forms: `'s` dropped, a trailing `s`/`es` tried off, and every title indexed with
  its English and Italian plurals (irregular ones too), on the last word, the first or both, so
  "spider-men", "spidermen", "spider men", "Mickey Mice", "gli Uomini Ragno", "i Cavalieri Oscuri" match,
  and a title of several words that is plural with its singulars ("a star war", "una guerra stellare")
- connective words translated: "Elsa di Arendelle" is "Elsa of Arendelle"
- style words built on a title ("Batman-style", "batmanesque", "in stile Batman") are references to the
  work; colour names built on one ("a pikachu-yellow field", "rosso Coca-Cola") are not: `_colour_use()`
- small misspellings: edit distance 1 (2 for long titles) through a deletion index (SymSpell)
- titles in another language: every alias is indexed the same way as the title
- a description of the work instead of its name: sentence embeddings (`semantic.py`) with the app's embedder;
  a description in another language than the holder's, which the sentence embedding scores lower, by
  its words: enough of the prompt's words each close (same embedder, any language) to a word of the
  description ("idraulico" ~ "plumber", "baffuto" ~ "mustached")
A title that is an ordinary word ("Frozen", "Cars") only matches with another clue from the same work
in the prompt (a character name, a distinctive word of its description), so "a frozen lake" passes.
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

import numpy as np
from confusable_homoglyphs import confusables

from figment.embeddings import Embedder
from figment.rights.semantic import has_meaning

MAX_SPAN_TOKENS = 24
ARTICLES = frozenset({"the", "a", "an", "il", "lo", "la", "i", "gli", "le", "l", "un", "uno", "una"})
# Irregular plurals, as word endings (English, Italian): "batman" -> "batmen", "uomo ragno" -> "uomini ragno".
IRREGULAR_PLURALS = {
    "man": "men", "woman": "women", "mouse": "mice", "louse": "lice", "goose": "geese", "foot": "feet",
    "tooth": "teeth", "child": "children", "person": "people", "ox": "oxen", "uomo": "uomini", "bue": "buoi",
    "dio": "dei",
}  # fmt: skip
# Connectives a title may be written with in either language ("Elsa di Arendelle").
CONNECTIVES = (
    frozenset({"of", "di", "de", "del", "della", "dello", "dei", "degli", "delle", "d"}),
    frozenset({"and", "e", "ed", "&"}),
)
# A title joined to one of these ("Batman-style", "Frozen-themed", "batmanesque") or after "in the style of",
# "in stile": a reference to the work (as any use of the title), and for a title that is an ordinary
# word the clue it needs ("a Frozen-themed party"). "-like" and "-ish" are references too when the title
# is a name ("a Pikachu-like toy"), but not clues: "a frozen-like stillness" is ordinary English.
STYLE_WORDS = frozenset("style styled themed inspired esque stile ispirato ispirata ispirati ispirate tema".split())
STYLE_SUFFIXES = ("esque", "style", "styled", "themed", "inspired")
LIKENESS_SUFFIXES = ("like", "ish")
# Colour words: a title joined to one names a colour ("pikachu-yellow", "giallo Pikachu"), not the work.
COLOURS_EN = frozenset(
    """yellow red blue green black white pink purple orange brown grey gray gold golden silver violet teal
    turquoise cyan magenta beige crimson scarlet navy maroon ochre amber ivory lime coral indigo lilac
    lavender colour color coloured colored hued tinted""".split()
)
COLOURS_IT = frozenset(
    """giallo gialla gialli gialle rosso rossa rossi rosse blu azzurro azzurra azzurri azzurre verde verdi
    nero nera neri nere bianco bianca bianchi bianche rosa viola arancione arancioni arancio marrone
    marroni grigio grigia grigi grigie oro dorato dorata argento celeste turchese porpora fucsia ocra
    avorio lilla indaco color colore colori""".split()
)
# Before "<title> <colour>" these make it a colour name in English ("painted in pikachu yellow").
COLOUR_LEADS = frozenset({"in", "painted", "dyed", "tinted", "shade", "shades", "tone", "colour", "color"})
# Words that, next to a title that is an ordinary word, say the work is meant ("singing Volare", "Frozen movie").
KIND_CLUES = {
    "song": "sing singing sings sung song songs karaoke choir chorus music cover canta cantare cantata cantano "
    "canzone coro musica",
    "brand": "logo bottle bottles can cans drink drinks advert ad commercial bottiglia lattina bibita pubblicita",
    "character": "movie film cartoon cartoons character scene comic comics cartone cartoni personaggio scena fumetto",
    "franchise": "movie film cartoon cartoons character scene game cartone cartoni personaggio scena gioco",
    "person": "portrait interview foto ritratto intervista",
    "estate": "portrait painting ritratto dipinto",
}
# Words too common to count as a clue that an ambiguous title is meant.
STOPWORDS = frozenset(
    """a an and are as at be but by for from has have in into is it its of on or over the their this to
    under was while who with his her he she they them character franchise brand song person estate
    il lo la i gli le un uno una di da del della dei delle con per su tra fra che chi e ed o nel nella
    sono suo sua suoi sue loro questo questa famous famoso famosa cartoon film movie series""".split()
)
_LEET_DIGITS = str.maketrans({"0": "o", "1": "i", "2": "z", "3": "e", "4": "a", "5": "s", "6": "g", "7": "t", "8": "b",
                              "9": "g", "l": "i"})  # fmt: skip
_LEET_SYMBOLS = {"@": "a", "$": "s", "!": "i", "|": "i", "€": "e", "£": "l", "+": "t"}
_SYMBOL_RE = re.compile(r"[@$!|€£+](?=[^\W_])")
_POSSESSIVE_RE = re.compile(r"(?<=[^\W_])['’`´]s\b")
_TOKEN_RE = re.compile(r"[^\W_]+")
# Function words of English and Italian: not content when descriptions are compared word by word.
FUNCTION_WORDS = STOPWORDS | frozenset(
    """the a an of with in on at and to from by for is are who his her its their into over while which
    dei degli nei sul sulla sui alla al allo ai dal dalla dai come si non mentre molto very""".split()
)
# Description matching by words: a prompt word "corresponds" to a description word at this cosine.
WORD_MATCH = 0.6
# At least this many corresponding words, and at least half the prompt's content words ...
WORD_MIN = 5
# ... and the whole prompt at least this close to the description (far below the sentence threshold).
WORD_FLOOR = 0.35
_WORD_VECTORS: dict[tuple[str, int, str], np.ndarray] = {}  # (embedder, dim, word) -> vector, for all indexes
_WORD_CACHE_SIZE = 200_000
_REPEAT_RE = re.compile(r"(.)\1+")


@cache
def _latin(ch: str) -> str:
    """One character as the Latin letters it reads as (accents dropped, confusables mapped)."""
    base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    if base.isascii():
        return base
    found = confusables.is_confusable(ch, preferred_aliases=["latin"], greedy=True) or []
    latin = [h["c"] for item in found for h in item["homoglyphs"] if h["c"].isascii() and h["c"].isalnum()]
    return latin[0].lower() if latin else ch


def fold(text: str) -> str:
    """Case, width, accents, look-alike letters and invisible characters folded away (readable)."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    return "".join(ch if ch.isascii() else _latin(ch) for ch in text)


def skeleton_token(token: str) -> str:
    """Digits read as letters, l read as i, repeated letters collapsed: both sides of a comparison use it."""
    return _REPEAT_RE.sub(r"\1", token.translate(_LEET_DIGITS))


def _prepared(text: str) -> str:
    folded = _POSSESSIVE_RE.sub("", fold(text))
    return _SYMBOL_RE.sub(lambda m: _LEET_SYMBOLS[m.group(0)], folded)


def words(text: str) -> list[str]:
    """Folded words (leet symbols read as letters, possessive 's dropped), before the skeleton."""
    return _TOKEN_RE.findall(_prepared(text))


def words_and_joints(text: str) -> tuple[list[str], list[str]]:
    """words() and, for each, the text between it and the word before ("-" in "pikachu-yellow")."""
    prepared = _prepared(text)
    found, joints, end = [], [], 0
    for m in _TOKEN_RE.finditer(prepared):
        joints.append(prepared[end : m.start()])
        found.append(m.group())
        end = m.end()
    return found, joints


_HYPHENS = frozenset("-\u2010\u2011\u2012\u2013\u2014")


def _hyphen(joint: str) -> bool:
    return joint.strip() != "" and all(ch in _HYPHENS or ch.isspace() for ch in joint)


def _colour_use(plain: list[str], joints: list[str], i: int, j: int) -> bool:
    """Is the title at words i..j part of a colour name? English puts the colour after, hyphenated
    ("pikachu-yellow", "coca-cola-red", "batman-coloured") or after "in"/"painted" ("walls in pikachu
    yellow"); Italian puts it before ("giallo Pikachu", "rosso Coca-Cola", "color Hogwarts")."""
    before = _before(plain, i)  # an article between is skipped: "giallo Il Re Leone"
    if j + 1 < len(plain) and plain[j + 1] in COLOURS_EN:
        if _hyphen(joints[j + 1]):
            return True
        if not joints[j + 1].strip() and before is not None and plain[before] in COLOUR_LEADS:
            return True
    return (
        before is not None
        and plain[before] in COLOURS_IT
        and all(not joints[k].strip() or _hyphen(joints[k]) for k in range(before + 1, i + 1))
    )


def _before(plain: list[str], i: int) -> int | None:
    """The word before words i.., passing over an article ("in stile *il* Re Leone")."""
    k = i - 1
    if k >= 1 and plain[k] in ARTICLES:
        k -= 1
    return k if k >= 0 else None


def _style_use(plain: list[str], joints: list[str], i: int, j: int) -> str | None:
    """The style word that makes the title at words i..j an imitation of the work, if any
    ("Frozen-themed", "in the style of Cars", "in stile Cars")."""
    if j + 1 < len(plain) and plain[j + 1] in STYLE_WORDS and _hyphen(joints[j + 1]):
        return plain[j + 1]
    before = _before(plain, i)
    if before is not None and before > 0 and plain[before] == "of" and plain[before - 1] == "style":
        return "style of"
    if before is not None and plain[before] in {"stile", "tema"}:
        return plain[before]
    return None


def tokens(text: str) -> list[str]:
    return [skeleton_token(t) for t in words(text)]


def join(parts: Iterable[str]) -> str:
    """Tokens run together; a spread-out letter doubled across the joint collapses as inside a token
    ("H a r r y" reads as "hary", like "harry"), but "dark knight" does not become "dark night"."""
    out = ""
    for part in parts:
        out += "" if len(part) == 1 and out.endswith(part) else part
    return out


@cache
def common_words() -> frozenset[str]:
    """Ordinary English and Italian words: the lowercase entries of Debian wamerican + witalian (names excluded)."""
    data = resources.files("figment.rights").joinpath("data/common_words.txt.gz").read_bytes()
    return frozenset(gzip.decompress(data).decode("utf-8").split())


def is_common(word: str) -> bool:
    return word in common_words()


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def edit_distance(a: str, b: str, limit: int) -> int:
    """Optimal string alignment distance (a transposition counts as one edit); stops early past limit."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return prev[-1]


def allowed_edits(length: int) -> int:
    return 0 if length < 5 else 1 if length < 10 else 2


@dataclass(frozen=True)
class Alias:
    text: str  # as the holder wrote it
    lang: str | None  # "it", "en", ... when the holder said; None for the title


@dataclass(frozen=True)
class WorkEntry:
    """What the index needs to know about one work (a snapshot, so the index never touches the database)."""

    id: str
    title: str
    aliases: tuple[Alias, ...]
    description: str
    holder: str
    policy: str  # effective: "refuse" or "licensed"
    kind: str = "character"
    vector: np.ndarray | None = field(default=None, compare=False)  # stored description embedding


@dataclass(frozen=True)
class Hit:
    work: WorkEntry
    rule: str
    score: float = 1.0


@dataclass
class _Key:
    work: int
    alias: Alias
    is_title: bool
    ntokens: int
    ambiguous: bool
    number: str = ""  # "plural" or "singular" when the indexed form is one of the alias


LANGS = {"it": "Italian", "en": "English", "fr": "French", "de": "German", "es": "Spanish", "pt": "Portuguese"}


def _alias_label(key: _Key) -> str:
    if key.is_title:
        return f"title '{key.alias.text}'"
    lang = LANGS.get(key.alias.lang or "", key.alias.lang or "")
    return f"alias '{key.alias.text}'" + (f" ({lang})" if lang else "")


def _technique(raw: str, span_tokens: list[str], key: _Key, edits: int, form: str) -> str:
    """Name what the prompt did to the title, so the refusal reads as a reason, not a mystery."""
    tricks = []
    if edits:
        tricks.append("misspelling")
    if any(ch.isdigit() for ch in raw) or any(ch in _LEET_SYMBOLS for ch in raw):
        tricks.append("leetspeak")
    if any(not ch.isascii() for ch in raw) and fold(raw) != raw.casefold():
        tricks.append("look-alike or accented letters")
    if len(span_tokens) >= 3 and all(len(t) == 1 for t in span_tokens):
        tricks.append("letters spread out")
    elif len(span_tokens) != key.ntokens:
        tricks.append("spacing or separators")
    if form:
        tricks.append(form)
    label = _alias_label(key)
    return f"{' and '.join(tricks)} of {label}" if tricks else label


@dataclass
class RightsIndex:
    """Exact and fuzzy lookup of every alias of every screened work, plus description embeddings."""

    works: list[WorkEntry]
    exact: dict[str, list[_Key]] = field(default_factory=dict)
    fuzzy: dict[str, list[tuple[str, _Key]]] = field(default_factory=dict)
    context: list[frozenset[str]] = field(default_factory=list)
    max_len: int = 0
    vectors: np.ndarray | None = None  # (works, dim) unit vectors of descriptions; rows without one are zero
    embedder: Embedder | None = None  # None: names only, no description matching
    semantic_threshold: float = 0.62
    description_words: dict[int, np.ndarray] = field(default_factory=dict)  # work -> word vectors, lazily

    @classmethod
    def build(cls, works: Iterable[WorkEntry], *, embedder: Embedder | None = None) -> RightsIndex:
        index = cls(works=list(works), embedder=embedder)
        for n, work in enumerate(index.works):
            compiled = _compile(work)
            for form in compiled.forms:
                key = _Key(n, form.alias, form.is_title, form.ntokens, form.ambiguous, form.number)
                index.exact.setdefault(form.joined, []).append(key)
                index.max_len = max(index.max_len, len(form.joined))
                for deleted in form.deletes:
                    index.fuzzy.setdefault(deleted, []).append((form.joined, key))
            index.context.append(compiled.clues)
        if embedder is not None:
            index.vectors = _description_vectors(index.works, embedder)
        return index

    def match(self, prompt: str, *, semantic: bool = True) -> list[Hit]:
        """Every work the prompt names or describes (first the lexical hits; embeddings only if none)."""
        raw_words = _TOKEN_RE.findall(_POSSESSIVE_RE.sub("", unicodedata.normalize("NFKC", prompt)))
        plain, joints = words_and_joints(prompt)
        toks = [skeleton_token(t) for t in plain]
        # Raw text per token names the technique; the raw split and words() agree except around leet symbols.
        raw_for = raw_words if len(raw_words) == len(toks) else plain
        prompt_set = set(toks)
        found: list[tuple[int, int, Hit]] = []
        colour_names: list[tuple[int, int]] = []  # words that name a colour after a title ("pikachu-yellow")
        for i, j, span in self._spans(toks):
            # A misspelling is a word that is not a word: "a dark night" is not a misspelt "Dark Knight".
            fuzzy = not all(is_common(w) for w in plain[i : j + 1])
            candidates = _variants(span)
            if len(candidates) == 1 and not (fuzzy or span in self.exact):
                continue
            span_tokens = toks[i : j + 1]
            raw = " ".join(raw_for[i : j + 1])
            hits: dict[str, Hit] = {}
            style: str | None = None
            if any(key.ambiguous for variant, _ in candidates for key in self.exact.get(variant, ())):
                style = _style_use(plain, joints, i, j)  # only an ordinary-word title needs it
            for variant, form in candidates:
                if form == "style suffix":
                    style = style or "style"
                for key in self.exact.get(variant, ()):
                    if form and key.number:  # a plural of a plural ("cookies" -> "coki" -> "coke") is not one
                        continue
                    note = form or key.number
                    self._accept(hits, key, raw, span_tokens, 0, note, prompt_set, style)
                if not fuzzy or not allowed_edits(len(variant) + 1):
                    continue
                for candidate in {variant, *_deletes(variant)}:
                    for target, key in self.fuzzy.get(candidate, ()):
                        # Within one word, within a title's own words, or in spread letters; never across
                        # arbitrary word boundaries ("a cat man" is not a misspelt "Batman").
                        if target == variant or len(span_tokens) not in (1, key.ntokens) and not _spread(span_tokens):
                            continue
                        edits = edit_distance(variant, target, allowed_edits(len(target)))
                        if edits <= allowed_edits(len(target)):
                            self._accept(hits, key, raw, span_tokens, edits, form, prompt_set, style)
            if hits and _colour_use(plain, joints, i, j):
                colour_names.append((i, j))
            else:
                found += [(i, j, hit) for hit in hits.values()]
        best: dict[str, Hit] = {}
        for i, j, hit in found:
            # A colour named after a title is a colour ("a pikachu-yellow field"), and so is any part of
            # that title ("Totti" in "giallo Francesco Totti"): not a use of the work.
            if any(a <= i and j <= b for a, b in colour_names):
                continue
            if hit.work.id not in best or hit.score > best[hit.work.id].score:
                best[hit.work.id] = hit
        if not best and semantic and self.vectors is not None and len(self.works):
            best.update(self._semantic(prompt))
        return list(best.values())

    def _spans(self, toks: list[str]) -> Iterator[tuple[int, int, str]]:
        limit = self.max_len + 2
        for i in range(len(toks)):
            span = ""
            for j in range(i, min(len(toks), i + MAX_SPAN_TOKENS)):
                span = join((span, toks[j]))
                if len(span) > limit:
                    break
                yield i, j, span

    def _accept(
        self,
        hits: dict[str, Hit],
        key: _Key,
        raw: str,
        span_tokens: list[str],
        edits: int,
        form: str,
        prompt_set: set[str],
        style: str | None = None,
    ) -> None:
        work = self.works[key.work]
        if work.id in hits and hits[work.id].score >= 1.0 - edits * 0.1:
            return
        rule = _technique(raw, span_tokens, key, edits, form)
        if key.ambiguous:
            # An ordinary word as a title: only with another clue of the same work in the prompt, or a
            # style word built on it ("Frozen-themed").
            clue = sorted((self.context[key.work] - set(span_tokens)) & prompt_set)
            if not clue and style is None:
                return
            rule += f" with '{clue[0] if clue else style}'"
        hits[work.id] = Hit(work=work, rule=rule, score=1.0 - edits * 0.1)

    def _semantic(self, prompt: str) -> dict[str, Hit]:
        assert self.vectors is not None and self.embedder is not None
        query = self.embedder.embed([prompt])[0]
        scores = self.vectors @ query
        best = int(np.argmax(scores))
        score = float(scores[best])
        if score >= self.semantic_threshold:
            work = self.works[best]
            return {work.id: Hit(work=work, rule=f"description close to '{work.title}' ({score:.2f})", score=score)}
        return self._by_words(prompt, scores)

    def _by_words(self, prompt: str, scores: np.ndarray) -> dict[str, Hit]:
        """A description in other words or another language: count the prompt's content words that
        each correspond to a word of the work's description. Only for long prompts already somewhat
        close (WORD_FLOOR) to a description, so most prompts never get here."""
        content = content_words(prompt)
        if len(content) < WORD_MIN:
            return {}
        top = np.argsort(-scores)[:3]
        candidates = [int(n) for n in top if scores[n] >= WORD_FLOOR]
        if not candidates:
            return {}
        assert self.embedder is not None
        query = word_vectors(self.embedder, content)
        for n in candidates:
            if n not in self.description_words:
                self.description_words[n] = word_vectors(self.embedder, content_words(self.works[n].description))
            described = self.description_words[n]
            if not len(described):
                continue
            close = int(((query @ described.T).max(axis=1) >= WORD_MATCH).sum())
            if close >= WORD_MIN and 2 * close >= len(content):
                work, score = self.works[n], float(scores[n])
                rule = f"description close to '{work.title}' ({close} of {len(content)} words, {score:.2f})"
                return {work.id: Hit(work=work, rule=rule, score=score)}
        return {}


def content_words(text: str) -> list[str]:
    """The words of a text that carry meaning (no function words, no numbers), once each, in order."""
    seen: dict[str, None] = {}
    for word in words(text):
        if len(word) >= 3 and word not in FUNCTION_WORDS and not word.isdigit():
            seen.setdefault(word, None)
    return list(seen)


def word_vectors(embedder: Embedder, found: list[str]) -> np.ndarray:
    """One embedding per word, remembered across prompts and index rebuilds (words recur)."""
    missing = [w for w in found if (embedder.name, embedder.dim, w) not in _WORD_VECTORS]
    if missing:
        if len(_WORD_VECTORS) > _WORD_CACHE_SIZE:
            _WORD_VECTORS.clear()
        for word, vector in zip(missing, embedder.embed(missing), strict=True):
            _WORD_VECTORS[(embedder.name, embedder.dim, word)] = vector
    if not found:
        return np.zeros((0, embedder.dim), dtype=np.float32)
    return np.stack([_WORD_VECTORS[(embedder.name, embedder.dim, w)] for w in found])


@dataclass(frozen=True)
class _Form:
    joined: str
    alias: Alias
    is_title: bool
    ntokens: int
    ambiguous: bool
    deletes: tuple[str, ...]  # the fuzzy index entries: the form itself and its one-letter deletions
    number: str = ""


@dataclass(frozen=True)
class _Compiled:
    forms: tuple[_Form, ...]
    clues: frozenset[str]


@lru_cache(maxsize=100_000)
def _compile(work: WorkEntry) -> _Compiled:
    """The per-work part of the index, cached, so a change to one work rebuilds the index of 10,000
    works by merging instead of re-tokenising everything."""
    forms: list[_Form] = []
    clues: set[str] = set()
    for alias in (Alias(work.title, None), *work.aliases):
        plain = words(alias.text)
        if not plain:
            continue
        toks = [skeleton_token(t) for t in plain]
        clues.update(t for t in toks if len(t) >= 4 and t not in STOPWORDS)
        variants = [plain]
        if len(plain) >= 2 and plain[0] in ARTICLES:
            variants.append(plain[1:])
        variants += [v for base in list(variants) for v in _translated(base)]
        is_title = alias.lang is None and alias.text == work.title
        seen: set[str] = set()
        for form_plain in variants:
            singular = join(skeleton_token(t) for t in form_plain)
            # A generated plural of a name that is ordinary words is as ambiguous as they are.
            ordinary = len(singular) <= 3 or (len(form_plain) == 1 and is_common(form_plain[0]))
            # An ordinary word gets no generated plurals: they collide with other words (the Italian article
            # "dello" would read "dei"); its English plural is still found by the trailing-s rule.
            numbers = [("", form_plain)]
            if not ordinary:
                numbers += [("plural", p) for p in _plurals(form_plain, alias.lang)]
                numbers += [("singular", p) for p in _singulars(form_plain, alias.lang)]
            for number, words_ in numbers:
                joined = join(skeleton_token(t) for t in words_)
                if joined in seen or (number and joined == singular):
                    continue
                seen.add(joined)
                ambiguous = ordinary or len(joined) <= 3 or (len(words_) == 1 and is_common(words_[0]))
                # Generated plurals are looked up exactly (the index stays small); misspelt plurals are
                # still found by the trailing-s rule at lookup.
                fuzzy = not number and not ambiguous and allowed_edits(len(joined)) > 0
                forms.append(
                    _Form(
                        joined,
                        alias,
                        is_title,
                        len(words_),
                        ambiguous,
                        (joined, *_deletes(joined)) if fuzzy else (),
                        number,
                    )
                )
    clues.update(
        skeleton_token(t) for t in words(work.description) if len(t) >= 4 and t not in STOPWORDS and not is_common(t)
    )
    clues.update(skeleton_token(t) for t in KIND_CLUES.get(work.kind, "").split())
    return _Compiled(tuple(forms), frozenset(clues))


def _spread(span_tokens: list[str]) -> bool:
    return len(span_tokens) >= 3 and all(len(t) <= 1 for t in span_tokens)


def _variants(span: str) -> list[tuple[str, str]]:
    """The span as written, without a plural ending, without a style suffix ("batmanesque")."""
    out = [(span, "")]
    if len(span) > 4 and span.endswith("s"):
        out.append((span[:-1], "plural or possessive"))
        if span.endswith("es"):
            out.append((span[:-2], "plural or possessive"))
    if span.endswith(_SUFFIX_ENDS):
        for suffix, note in _SUFFIXES:
            if span.endswith(suffix) and len(span) - len(suffix) >= 4:
                out.append((span[: -len(suffix)], note))
    return out


# Spans are skeletons, so the suffixes are too ("like" reads "ike"); computed once, checked on every span.
_SUFFIXES = tuple(
    (skeleton_token(suffix), note)
    for suffixes, note in ((STYLE_SUFFIXES, "style suffix"), (LIKENESS_SUFFIXES, "likeness suffix"))
    for suffix in suffixes
)
_SUFFIX_ENDS = tuple(suffix for suffix, _ in _SUFFIXES)


def _plural_word(word: str, lang: str | None) -> set[str]:
    """English and Italian plurals of one word (folded, before the skeleton); an alias the holder
    marked as English or Italian gets that language's plurals only, a title both."""
    out = set()
    for singular, plural in IRREGULAR_PLURALS.items():
        if word.endswith(singular):
            out.add(word[: len(word) - len(singular)] + plural)
    if len(word) < 3 or not word.isalpha():
        return out
    if lang in (None, "en"):
        if word.endswith(("s", "x", "z", "ch", "sh")):
            out.add(word + "es")
        elif word.endswith("y") and word[-2] not in "aeiou":
            out.add(word[:-1] + "ies")
        else:
            out.add(word + "s")
    if lang not in (None, "it"):
        return out
    if word.endswith(("co", "go")):
        out.update({word[:-1] + "hi", word[:-1] + "i"})
    elif word.endswith(("ca", "ga")):
        out.add(word[:-1] + "he")
    elif word.endswith(("cia", "gia")):
        out.add(word[:-2] + "e")
    elif word.endswith("io"):
        out.add(word[:-1])
    elif word.endswith(("o", "e")):
        out.add(word[:-1] + "i")
    elif word.endswith("a"):
        out.update({word[:-1] + "e", word[:-1] + "i"})
    return out


def _plurals(plain: list[str], lang: str | None) -> list[list[str]]:
    """Plural forms of a title's words: the last word (English, "spider-men"), the first (Italian,
    "uomini ragno") or both (Italian agreement, "cavalieri oscuri"). Articles and connectives stay."""
    if not plain or plain[0] in ARTICLES:
        return []
    last = len(plain) - 1
    heads = [last] if last == 0 else [last, 0]
    out = []
    for position in heads:
        for plural in _plural_word(plain[position], lang):
            out.append([*plain[:position], plural, *plain[position + 1 :]])
    if last > 0:
        for first in _plural_word(plain[0], lang):
            for plural in _plural_word(plain[last], lang):
                out.append([first, *plain[1:last], plural])
    return out


def _singular_word(word: str, lang: str | None) -> set[str]:
    """English and Italian singulars of a word that looks plural ("wars" -> "war", "guerre" -> "guerra")."""
    out = {singular for singular, plural in IRREGULAR_PLURALS.items() if word == plural}
    if len(word) < 4 or not word.isalpha():
        return out
    if lang in (None, "en") and word.endswith("s") and not word.endswith("ss"):
        out.add(word[:-1])
        if word.endswith("ies"):
            out.add(word[:-3] + "y")
        elif word.endswith("es"):
            out.add(word[:-2])
    if lang in (None, "it"):
        if word.endswith(("chi", "ghi")):
            out.add(word[:-2] + "o")
        elif word.endswith(("che", "ghe")):
            out.add(word[:-2] + "a")
        elif word.endswith("i"):
            out.update({word[:-1] + "o", word[:-1] + "e"})
        elif word.endswith("e"):
            out.add(word[:-1] + "a")
    # Only a word's real singular: "guerre" -> "guerra", not "leone" -> "leona".
    return {singular for singular in out if is_common(singular)}


def _singulars(plain: list[str], lang: str | None) -> list[list[str]]:
    """Singulars of a title of several words that is plural ("Star Wars" -> "star war", "Pocket Monsters"
    -> "pocket monster", "Guerre Stellari" -> "guerra stellare"), the same positions as `_plurals`.
    Not for one-word titles: their singular is usually another word ("Totti" -> "totto")."""
    if len(plain) < 2 or plain[0] in ARTICLES:
        return []
    last = len(plain) - 1
    out = []
    for position in (last, 0):
        for singular in _singular_word(plain[position], lang):
            out.append([*plain[:position], singular, *plain[position + 1 :]])
    for first in _singular_word(plain[0], lang):
        for singular in _singular_word(plain[last], lang):
            out.append([first, *plain[1:last], singular])
    return out


def _translated(plain: list[str]) -> list[list[str]]:
    """The title with its connectives in the other language ("Elsa of Arendelle" -> "Elsa di Arendelle")."""
    out = []
    for n, word in enumerate(plain[1:-1], start=1):
        for group in CONNECTIVES:
            if word in group:
                out += [[*plain[:n], other, *plain[n + 1 :]] for other in sorted(group - {word})]
    return out


def _description_vectors(works: list[WorkEntry], embedder: Embedder) -> np.ndarray:
    vectors = np.zeros((len(works), embedder.dim), dtype=np.float32)
    missing = []
    for n, work in enumerate(works):
        # A stored vector of another size was made by another embedder (the hash stand-in): made again.
        if work.vector is not None and work.vector.shape == (embedder.dim,):
            vectors[n] = work.vector
        elif has_meaning(work.description):
            missing.append(n)
    if missing:
        vectors[missing] = embedder.embed([works[n].description for n in missing])
    return vectors

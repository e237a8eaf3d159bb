"""Prompt -> ScenePlan: what the procedural backend understood and what it will draw.

Reading is forgiving by design: any prompt yields a plan. Words it cannot place go to
`unknown_words` so the author sees what was ignored instead of getting an error.
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
from dataclasses import asdict, dataclass
from typing import Any

from figment.generation.backends.procedural import lexicon
from figment.generation.backends.procedural.lexicon import Keyword, Noun

MAX_SUBJECTS = 4
MAX_COUNT = 6
MAX_INSTANCES = 10
MAX_CAPTION_CHARS = 140
MAX_DIALOGUE_CHARS = 400
MAX_UNKNOWN_WORDS = 40

# Straight, curly, guillemet and low-high quotes; people type all of them.
_DIALOGUE_RE = re.compile(r'"([^"]*)"|“([^”]*)”|«([^»]*)»|„([^“”]*)[“”]')

DEFAULT_ACTIONS: dict[str, str] = {
    "animal": "walk",
    "bird": "fly",
    "insect": "fly",
    "aquatic": "swim",
    "person": "walk",
    "vehicle": "drive",
    "aircraft": "fly",
    "boat": "sail",
    "food": "float",
    "object": "float",
    "plant": "sway",
    "spirit": "float",
    "celestial": "float",
}

# A car asked to "walk" still drives; the plan records the motion that will actually be drawn.
_KIND_ACTION_FIXES: dict[str, dict[str, str]] = {
    "vehicle": {"walk": "drive", "run": "drive", "swim": "drive", "sail": "drive"},
    "aquatic": {"walk": "swim", "run": "swim", "drive": "swim", "fly": "swim"},
    "boat": {"walk": "sail", "run": "sail", "drive": "sail", "swim": "sail", "fly": "sail"},
    "aircraft": {"walk": "fly", "run": "fly", "drive": "fly", "swim": "fly"},
    "plant": {"walk": "sway", "run": "sway", "drive": "sway"},
}

# Settings without sky or ground where "weather" cannot happen; the plan reports what is drawn.
_NO_WEATHER_SETTINGS = frozenset({"underwater", "space", "room", "kitchen", "stage"})

# The sky already shows the sun and the moon, so naming them sets the time instead of adding a sprite.
_SKY_NOUNS = frozenset({"sun", "moon"})

NOTE_NAMES = ("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
# Mood -> (tempo, tonic, scale) of the generated score.
_MOOD_MUSIC: dict[str, tuple[int, str, str]] = {
    "happy": (118, "C", "major"),
    "calm": (76, "F", "major"),
    "spooky": (66, "A", "minor"),
    "epic": (96, "D", "minor"),
    "romantic": (84, "Eb", "major"),
    "sad": (70, "E", "minor"),
}

_EN_MARKERS = frozenset(lexicon.fold(w) for w in "the an on with and of is are at while under".split())


@dataclass(frozen=True, kw_only=True)
class SubjectPlan:
    key: str
    word: str
    emoji: str
    kind: str
    faces: str
    count: int
    color: str | None
    color_rgb: tuple[int, int, int] | None
    action: str


@dataclass(frozen=True, kw_only=True)
class ScenePlan:
    prompt: str
    seed: int
    language: str
    setting: str
    time_of_day: str
    weather: str
    subjects: tuple[SubjectPlan, ...]
    camera: str
    mood: str
    dialogue: tuple[str, ...]
    caption: str
    # The generated score: mood picks key and tempo; dancers move on this beat.
    music_key: str
    tempo_bpm: int
    unknown_words: tuple[str, ...]
    # Field names the prompt did not state and the planner chose; the UI can mark them as guesses.
    inferred: tuple[str, ...]
    # Drives the seed-dependent variations (palette jitter, sprite paths) so they stay reproducible.
    variant_seed: int

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["subjects"] = [
            {**s, "color_rgb": list(s["color_rgb"]) if s["color_rgb"] else None} for s in data["subjects"]
        ]
        for key in ("dialogue", "unknown_words", "inferred"):
            data[key] = list(data[key])
        return data

    @property
    def instance_count(self) -> int:
        return sum(s.count for s in self.subjects)


@dataclass(frozen=True)
class _Token:
    text: str
    folded: str
    is_emoji: bool


@dataclass(frozen=True)
class _Hit:
    table: str
    value: str
    pos: int
    word: str


class _Index:
    """Phrase tables flattened into one lookup from first word to (phrase, table, value)."""

    def __init__(self) -> None:
        self.phrases: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        self.nouns: dict[str, Noun] = {}
        self.emoji: dict[str, Noun] = {}
        tables: list[tuple[str, tuple[Keyword, ...]]] = [
            ("setting", lexicon.SETTING_WORDS),
            ("time", lexicon.TIME_WORDS),
            ("weather", lexicon.WEATHER_WORDS),
            ("camera", lexicon.CAMERA_WORDS),
            ("mood", lexicon.MOOD_WORDS),
            ("action", lexicon.ACTION_WORDS),
        ]
        for table, keywords in tables:
            for kw in keywords:
                for phrase in kw.words:
                    self._add(tuple(phrase.split()), table, kw.value)
        for noun in lexicon.NOUNS:
            self.emoji[_strip_vs(noun.emoji)] = noun
            for phrase in noun.words:
                self.nouns[phrase] = noun
                self._add(tuple(phrase.split()), "noun", noun.key)
        for word, (name, _rgb) in lexicon.COLORS.items():
            self._add((word,), "color", name)
        for word, n in lexicon.NUMBERS.items():
            self._add((word,), "number", str(n))
        for entries in self.phrases.values():
            entries.sort(key=lambda e: -len(e[0]))
        self.emoji_re = re.compile(
            "|".join(re.escape(e) for e in sorted(self.emoji, key=len, reverse=True)) + r"|[^\W_]+"
        )
        self.nouns_by_key = {n.key: n for n in lexicon.NOUNS}

    def _add(self, phrase: tuple[str, ...], table: str, value: str) -> None:
        self.phrases.setdefault(phrase[0], []).append((phrase, table, value))


def _strip_vs(text: str) -> str:
    # Variation selectors are optional in typed emoji; match with or without them.
    return text.replace("\ufe0f", "")


@functools.cache
def _index() -> _Index:
    return _Index()


def _inflections(word: str) -> list[str]:
    """Base forms to try for an unmatched word: English plurals/-ing/-ed and Italian plurals."""
    out: list[str] = []
    if len(word) > 4 and word.endswith("ies"):
        out.append(word[:-3] + "y")
    if len(word) > 3 and word.endswith("es"):
        out.append(word[:-2])
    if len(word) > 3 and word.endswith("s"):
        out.append(word[:-1])
    if len(word) > 5 and word.endswith("ing"):
        stem = word[:-3]
        out += [stem, stem + "e", stem[:-1]]
    if len(word) > 4 and word.endswith("ed"):
        out += [word[:-2], word[:-1]]
    if len(word) > 3 and word[-1] in "ie":
        stem = word[:-1]
        out += [stem + "o", stem + "a", stem + "e"]
        if stem.endswith(("ch", "gh")):
            out += [stem[:-1] + "o", stem[:-1] + "a"]
    if len(word) > 5 and word.endswith(("ino", "ina", "etto", "etta")):
        stem = word[:-3] if word.endswith(("ino", "ina")) else word[:-4]
        out += [stem + "o", stem + "a", stem + "e"]
    return out


def _tokenize(text: str) -> list[_Token]:
    index = _index()
    tokens: list[_Token] = []
    for m in index.emoji_re.finditer(_strip_vs(text.casefold())):
        raw = m.group(0)
        is_emoji = raw in index.emoji
        tokens.append(_Token(raw, raw if is_emoji else lexicon.fold(raw), is_emoji))
    return tokens


def _scan(tokens: list[_Token]) -> tuple[list[_Hit], list[str]]:
    """Longest-phrase-first matching. A single word may mean several things ("party": mood and dance)."""
    index = _index()
    hits: list[_Hit] = []
    unknown: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.is_emoji:
            hits.append(_Hit("noun", index.emoji[tok.folded].key, i, tok.text))
            i += 1
            continue
        best_len = 0
        found: list[tuple[str, str]] = []
        for phrase, table, value in index.phrases.get(tok.folded, []):
            n = len(phrase)
            if n < best_len:
                break
            if tuple(t.folded for t in tokens[i : i + n]) == phrase:
                best_len = n
                found.append((table, value))
        if not found:
            for base in _inflections(tok.folded):
                for phrase, table, value in index.phrases.get(base, []):
                    if len(phrase) == 1 and table in ("noun", "action", "setting", "weather", "mood"):
                        found.append((table, value))
                if found:
                    best_len = 1
                    break
        if found:
            word = " ".join(t.text for t in tokens[i : i + best_len])
            hits.extend(_Hit(table, value, i, word) for table, value in found)
            i += best_len
            continue
        if tok.folded not in lexicon.STOPWORDS and not tok.folded.isdigit():
            unknown.append(tok.text)
        elif tok.folded.isdigit():
            hits.append(_Hit("number", tok.folded, i, tok.text))
        i += 1
    return hits, unknown


def _extract_dialogue(prompt: str) -> tuple[list[str], str]:
    lines: list[str] = []

    def keep(m: re.Match[str]) -> str:
        line = next(g for g in m.groups() if g is not None).strip()
        if line:
            lines.append(" ".join(line.split()))
        return " "

    rest = _DIALOGUE_RE.sub(keep, prompt)
    total = 0
    bounded: list[str] = []
    for line in lines:
        if total + len(line) > MAX_DIALOGUE_CHARS:
            line = line[: max(0, MAX_DIALOGUE_CHARS - total)].rstrip()
            if line:
                bounded.append(line + "…")
            break
        bounded.append(line)
        total += len(line)
    return bounded, rest


def _caption(text: str) -> str:
    caption = " ".join(text.split()).strip(" ,;:-—–")
    if len(caption) > MAX_CAPTION_CHARS:
        caption = caption[: MAX_CAPTION_CHARS - 1].rstrip() + "…"
    return caption


def _first(hits: list[_Hit], table: str) -> str | None:
    return next((h.value for h in hits if h.table == table), None)


def variant_seed(*, prompt: str, seed: int) -> int:
    """A stable 63-bit number from prompt and seed (Python's hash() is salted per process)."""
    digest = hashlib.sha256(f"{seed}\x00{prompt}".encode()).digest()
    return int.from_bytes(digest[:8], "big") >> 1


def _subjects(hits: list[_Hit], *, setting: str | None) -> list[SubjectPlan]:
    index = _index()
    noun_hits = [h for h in hits if h.table == "noun" and h.value not in _SKY_NOUNS]
    action_hits = [h for h in hits if h.table == "action"]

    # Actions attach to the nearest subject before them ("un gatto che balla"), else the next one
    # ("a dancing cat"); subjects left without one share the prompt's first action.
    action_for: dict[int, str] = {}
    for act in action_hits:
        before = [n for n in noun_hits if n.pos < act.pos and n.pos not in action_for]
        after = [n for n in noun_hits if n.pos > act.pos and n.pos not in action_for]
        if before:
            action_for[before[-1].pos] = act.value
        elif after:
            action_for[after[0].pos] = act.value
    first_action = action_hits[0].value if action_hits else None

    # English puts colour and count before the noun ("two red cars"), Italian puts the colour after it
    # ("due macchine rosse"): look ahead first, then just behind.
    color_for: dict[int, tuple[str, tuple[int, int, int]]] = {}
    count_for: dict[int, int] = {}
    for h in hits:
        if h.table not in ("color", "number"):
            continue
        ahead = next((n for n in noun_hits if h.pos < n.pos <= h.pos + 3), None)
        behind = next((n for n in reversed(noun_hits) if h.pos - 2 <= n.pos < h.pos), None)
        if h.table == "number" and ahead is not None:
            count_for[ahead.pos] = int(h.value)
        elif h.table == "color" and (target := ahead or behind) is not None:
            color_for.setdefault(target.pos, lexicon.COLORS[lexicon.fold(h.word.split()[-1])])

    subjects: dict[str, SubjectPlan] = {}
    for noun_hit in noun_hits:
        noun = index.nouns_by_key[noun_hit.value]
        count = count_for.get(noun_hit.pos) or (_plural_count(noun) if _is_plural(noun, noun_hit.word) else 1)
        color = color_for.get(noun_hit.pos)
        action = action_for.get(noun_hit.pos) or first_action or noun.action or DEFAULT_ACTIONS[noun.kind]
        if setting == "space" and noun_hit.pos not in action_for and not first_action:
            action = "float"
        action = _KIND_ACTION_FIXES.get(noun.kind, {}).get(action, action)
        emoji, faces = _pose(noun, action)
        if noun.key in subjects:
            prev = subjects[noun.key]
            count = max(count, prev.count)
            subjects[noun.key] = SubjectPlan(**{**asdict(prev), "count": count})
            continue
        if len(subjects) >= MAX_SUBJECTS:
            continue
        subjects[noun.key] = SubjectPlan(
            key=noun.key,
            word=noun_hit.word,
            emoji=emoji,
            kind=noun.kind,
            faces=faces,
            count=max(1, min(MAX_COUNT, count)),
            color=color[0] if color else None,
            color_rgb=color[1] if color else None,
            action=action,
        )
    out = list(subjects.values())
    # Keep the frame readable: shrink counts of later subjects until the total fits.
    while sum(s.count for s in out) > MAX_INSTANCES:
        biggest = max(range(len(out)), key=lambda i: out[i].count)
        out[biggest] = SubjectPlan(**{**asdict(out[biggest]), "count": out[biggest].count - 1})
    return out


_IRREGULAR_PLURALS = frozenset(
    "people men women children mice wolves geese sheep fishes leaves elves fairies puppies kitties".split()
)


def _is_plural(noun: Noun, word: str) -> bool:
    """True for "cats", "gatti", "macchine": the word is another form of a listed singular."""
    folded = lexicon.fold(word)
    if " " in folded or folded in _IRREGULAR_PLURALS:
        return folded in _IRREGULAR_PLURALS
    words = set(noun.words)
    english = [folded[:-3] + "y"] if folded.endswith("ies") else []
    english += [folded[:-2], folded[:-1]] if folded.endswith("s") else []
    italian: list[str] = []
    if folded[-1:] in ("i", "e") and len(folded) > 3:
        stem = folded[:-1]
        italian = [stem + "o", stem + "a", stem + "e"]
        if stem.endswith(("ch", "gh")):
            italian += [stem[:-1] + "o", stem[:-1] + "a"]
    return any(base != folded and base in words for base in english + italian)


def _plural_count(noun: Noun) -> int:
    # Big things crowd a vertical frame quickly; small ones read as a group only from three up.
    return 2 if noun.kind in ("person", "vehicle", "boat", "aircraft") else 3


def _pose(noun: Noun, action: str) -> tuple[str, str]:
    if noun.key in ("person", "man", "woman", "girl", "boy", "kid") and action in lexicon.PERSON_POSES:
        base = lexicon.PERSON_POSES[action]
        if action == "dance" and noun.key in ("man", "boy"):
            return "🕺", "none"
        if action in ("run", "walk", "swim", "sail", "jump", "wave", "idle", "spin"):
            base += lexicon.PERSON_GENDER.get(noun.key, "")
        return base, lexicon.POSE_FACES.get(action, "none")
    return noun.emoji, noun.faces


def plan_scene(*, prompt: str, seed: int) -> ScenePlan:
    """Read a prompt into a ScenePlan. Never fails: anything not understood lands in unknown_words."""
    dialogue, rest = _extract_dialogue(prompt)
    tokens = _tokenize(rest)
    hits, unknown = _scan(tokens)
    # "a couple of cats" is a number, "a couple dancing" is two people.
    hits = [
        h
        for h in hits
        if not (
            h.table == "noun"
            and h.value == "couple"
            and h.pos + 1 < len(tokens)
            and tokens[h.pos + 1].folded in ("of", "di")
        )
    ]
    index = _index()
    rng = random.Random(variant_seed(prompt=prompt, seed=seed))
    inferred: list[str] = []

    noun_objs = [index.nouns_by_key[h.value] for h in hits if h.table == "noun"]

    setting = _first(hits, "setting")
    weather = _first(hits, "weather")
    if setting is None:
        setting = next((n.setting for n in noun_objs if n.setting), None)
        if setting is None and weather == "snow":
            setting = "snowfield"
        if setting is None:
            setting = rng.choice(("park", "countryside"))
        inferred.append("setting")
    if weather is None:
        weather = "clear"
        inferred.append("weather")
    if setting in _NO_WEATHER_SETTINGS:
        weather = "clear"

    mood = _first(hits, "mood") or next((n.mood for n in noun_objs if n.mood), None)
    time = _first(hits, "time") or next((n.time for n in noun_objs if n.time), None)
    if time is None:
        time = "night" if mood == "spooky" else "day"
        inferred.append("time_of_day")
    if mood is None:
        mood = {"night": "calm", "sunset": "romantic", "dawn": "calm"}.get(time, "happy")
        if weather == "storm":
            mood = "epic"
        elif setting == "stage":
            mood = "happy"
        inferred.append("mood")

    camera = _first(hits, "camera")
    if camera is None:
        camera = rng.choice(("pan_left", "pan_right"))
        inferred.append("camera")

    bpm, tonic, scale = _MOOD_MUSIC[mood]
    tonic = NOTE_NAMES[(NOTE_NAMES.index(tonic) + rng.choice((-2, 0, 0, 2))) % 12]
    bpm += rng.randint(-4, 4)

    subjects = _subjects(hits, setting=setting)
    if not subjects:
        inferred.append("subjects")

    folded = [t.folded for t in tokens]
    it_score = sum(1 for w in folded if w in lexicon.ITALIAN_MARKERS)
    en_score = sum(1 for w in folded if w in _EN_MARKERS)
    language = "it" if it_score > en_score else "en"

    unknown_unique = list(dict.fromkeys(unknown))[:MAX_UNKNOWN_WORDS]

    return ScenePlan(
        prompt=prompt,
        seed=seed,
        language=language,
        setting=setting,
        time_of_day=time,
        weather=weather,
        subjects=tuple(subjects),
        camera=camera,
        mood=mood,
        dialogue=tuple(dialogue),
        caption=_caption(prompt),
        music_key=f"{tonic} {scale}",
        tempo_bpm=bpm,
        unknown_words=tuple(unknown_unique),
        inferred=tuple(inferred),
        variant_seed=variant_seed(prompt=prompt, seed=seed),
    )

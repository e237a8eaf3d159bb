"""Prompt -> ScenePlan: what the procedural backend understood and what it will draw.

Reading is forgiving by design: any prompt yields a plan. Words it cannot place go to
`unknown_words` so the author sees what was ignored instead of getting an error.
"""

from __future__ import annotations

import functools
import hashlib
import random
import re
from dataclasses import asdict, dataclass, replace
from typing import Any

from figment.generation.backends.procedural import interactions, lexicon
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
    "plant": {"walk": "sway", "run": "sway", "drive": "sway", "eat": "sway"},
    # "a dog eating pizza": the pizza does not eat itself.
    "food": {"eat": "float"},
    "object": {"eat": "float"},
}

# Settings without sky or ground where "weather" cannot happen; the plan reports what is drawn.
_NO_WEATHER_SETTINGS = frozenset({"underwater", "space", "room", "kitchen", "stage"})

# The sky already shows the sun, the moon and the stars, so naming them sets the time instead of
# adding sprites that would crowd the characters ("dancing under the stars").
_SKY_NOUNS = frozenset({"sun", "moon", "star"})

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

MAX_SHOTS = 3
# "then" / "poi" start a new shot. Bare "dopo" is left alone: "dopo la pioggia" is a time, not a cut.
_SHOT_SPLIT_RE = re.compile(
    r"\b(?:and\s+then|then|after\s+that|afterwards|finally|e\s+poi|poi|e\s+dopo|dopodiché|dopodiche|infine)\b",
    re.IGNORECASE,
)
_PROP_KINDS = frozenset({"object", "food", "plant", "celestial"})
_PRONOUNS = frozenset("it they he she them its lui lei loro esso essa essi".split())
# Cameras a later shot picks when its text names none, so a cut looks like a cut.
_SHOT_CAMERAS = ("zoom_in", "pan_left", "pan_right", "zoom_out")

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
class ShotPlan:
    """One shot of a clip; "then"/"poi" in the prompt cut the clip into up to three of these."""

    text: str
    setting: str
    time_of_day: str
    weather: str
    subjects: tuple[SubjectPlan, ...]
    camera: str
    # Bodies' poses, faces' emotions and who rides/holds/plays/eats/chases whom (interactions.py).
    staging: interactions.Staging = interactions.NO_STAGING


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
    # The look: "natural" unless the prompt asks for cartoon, neon, noir, vintage film or pastel.
    style: str
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
    # The setting, time, weather, subjects and camera above are the first shot's.
    shots: tuple[ShotPlan, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)

        def subjects(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{**s, "color_rgb": list(s["color_rgb"]) if s["color_rgb"] else None} for s in items]

        data["subjects"] = subjects(data["subjects"])
        data["shots"] = [{**shot, "subjects": subjects(shot["subjects"])} for shot in data["shots"]]
        for key in ("dialogue", "unknown_words", "inferred"):
            data[key] = list(data[key])
        return data

    def for_shot(self, index: int) -> ScenePlan:
        """This plan as a one-shot plan of shot `index`, with its own variation seed."""
        if not self.shots:
            return self
        shot = self.shots[index]
        return replace(
            self,
            setting=shot.setting,
            time_of_day=shot.time_of_day,
            weather=shot.weather,
            subjects=shot.subjects,
            camera=shot.camera,
            shots=(shot,),
            variant_seed=self.variant_seed if index == 0 else variant_seed(prompt=shot.text, seed=self.seed + index),
        )

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
            ("style", lexicon.STYLE_WORDS),
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


def caption_for(text: str) -> str:
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
        # The prompt's first verb is shared by characters left without one, not by props ("a dragon flying
        # over a castle": the castle stays put).
        shared = first_action if noun.kind not in _PROP_KINDS else None
        action = action_for.get(noun_hit.pos) or shared or noun.action or DEFAULT_ACTIONS[noun.kind]
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
    return _fit(list(subjects.values()))


def _fit(out: list[SubjectPlan]) -> list[SubjectPlan]:
    """Keep the frame readable: shrink the biggest groups until the total fits."""
    out = out[:MAX_SUBJECTS]
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


def _split_shots(text: str) -> list[str]:
    parts = [p.strip(" ,;:.-—–") for p in _SHOT_SPLIT_RE.split(text)]
    parts = [p for p in parts if p.strip()] or [text]
    if len(parts) > MAX_SHOTS:
        parts = parts[: MAX_SHOTS - 1] + [" ".join(parts[MAX_SHOTS - 1 :])]
    return parts


def _read(text: str) -> tuple[list[_Token], list[_Hit], list[str]]:
    tokens = _tokenize(text)
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
    return tokens, hits, unknown


def _later_shot(
    text: str, tokens: list[_Token], hits: list[_Hit], prev: ShotPlan, *, rng: random.Random, index: int
) -> ShotPlan:
    """A shot after a cut: whatever its words do not say carries over from the shot before."""
    # Only a named place moves the story; an ice cream does not take the children to the beach.
    setting = _first(hits, "setting") or prev.setting
    weather = _first(hits, "weather") or prev.weather
    if setting in _NO_WEATHER_SETTINGS:
        weather = "clear"
    time = _first(hits, "time") or prev.time_of_day
    camera = _first(hits, "camera") or _SHOT_CAMERAS[(index + rng.randrange(len(_SHOT_CAMERAS))) % len(_SHOT_CAMERAS)]
    nouns = [h for h in hits if h.table == "noun" and h.value not in _SKY_NOUNS]
    actions = [h for h in hits if h.table == "action"]
    # "then it jumps", "then they eat ice cream", "poi dorme sotto un albero": no new subject comes
    # before the verb (or a pronoun stands in for it), so the same characters carry on, doing the new
    # thing, and any nouns after the verb join them as props.
    carried = bool(prev.subjects) and (
        (tokens and tokens[0].folded in _PRONOUNS) or not nouns or (actions and actions[0].pos < nouns[0].pos)
    )
    if carried:
        action = actions[0].value if actions else None
        props = _subjects([h for h in hits if h.table != "action"], setting=setting)
        keep = [_with_action(s, action) if action else s for s in prev.subjects]
        keys = {s.key for s in keep}
        subjects = _fit(keep + [p for p in props if p.key not in keys])
    else:
        subjects = _subjects(hits, setting=setting)
    return ShotPlan(
        text=text, setting=setting, time_of_day=time, weather=weather, subjects=tuple(subjects), camera=camera
    )


def _with_action(subject: SubjectPlan, action: str) -> SubjectPlan:
    noun = _index().nouns_by_key[subject.key]
    action = _KIND_ACTION_FIXES.get(noun.kind, {}).get(action, action)
    emoji, faces = _pose(noun, action)
    return SubjectPlan(**{**asdict(subject), "action": action, "emoji": emoji, "faces": faces})


def plan_scene(*, prompt: str, seed: int) -> ScenePlan:
    """Read a prompt into a ScenePlan. Never fails: anything not understood lands in unknown_words."""
    dialogue, rest = _extract_dialogue(prompt)
    segments = _split_shots(rest)
    readings = [_read(segment) for segment in segments]
    hits = readings[0][1]
    all_tokens = [t for r in readings for t in r[0]]
    all_hits = [h for r in readings for h in r[1]]
    unknown = [w for r in readings for w in r[2]]
    index = _index()
    rng = random.Random(variant_seed(prompt=prompt, seed=seed))  # nosec B311  # a reproducible look, not a secret
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

    all_nouns = [index.nouns_by_key[h.value] for h in all_hits if h.table == "noun"]
    mood = _first(all_hits, "mood") or next((n.mood for n in all_nouns if n.mood), None)
    style = _first(all_hits, "style")
    if style is None:
        style = "natural"
        inferred.append("style")
    time = _first(hits, "time") or next((n.time for n in noun_objs if n.time), None)
    if time is None:
        # Neon signs need the dark; so do ghosts.
        time = "night" if mood == "spooky" or style == "neon" else "day"
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

    shots = [
        ShotPlan(
            text=segments[0],
            setting=setting,
            time_of_day=time,
            weather=weather,
            subjects=tuple(subjects),
            camera=camera,
        )
    ]
    for k, (segment, (seg_tokens, seg_hits, _unknown)) in enumerate(zip(segments, readings, strict=True)):
        if k:
            shots.append(_later_shot(segment, seg_tokens, seg_hits, shots[-1], rng=rng, index=k))
    felt = "" if "mood" in inferred else mood  # a guessed mood does not put a grin on every face
    shots = [replace(s, staging=interactions.stage(text=s.text, subjects=s.subjects, mood=felt)) for s in shots]

    folded = [t.folded for t in all_tokens]
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
        style=style,
        dialogue=tuple(dialogue),
        caption=caption_for(prompt),
        music_key=f"{tonic} {scale}",
        tempo_bpm=bpm,
        unknown_words=tuple(unknown_unique),
        inferred=tuple(inferred),
        variant_seed=variant_seed(prompt=prompt, seed=seed),
        shots=tuple(shots),
    )

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

from figment.generation.backends.procedural import concepts, interactions, lexicon
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
    # Things rest on the ground unless the prompt moves them ("props floating in the sky" looked wrong).
    "food": "idle",
    "object": "idle",
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
    "food": {"eat": "idle"},
    "object": {"eat": "idle"},
}
# A car "drifting" skids along the road, a boat "drifting" sails: it does not float up into the sky.
_KIND_ACTION_FIXES["vehicle"]["float"] = "drive"
_KIND_ACTION_FIXES["boat"]["float"] = "sail"
_KIND_ACTION_FIXES["vehicle"]["fly"] = "drive"
_KIND_ACTION_FIXES["vehicle"]["sleep"] = "idle"
# "a bicycle riding through a park with birds": the birds fly alongside, they do not ride.
_KIND_ACTION_FIXES["bird"] = {"drive": "fly", "sail": "fly", "swim": "fly", "run": "fly"}
_KIND_ACTION_FIXES["insect"] = {"drive": "fly", "sail": "fly", "swim": "fly", "run": "fly"}

# Settings without sky or ground where "weather" cannot happen; the plan reports what is drawn.
_NO_WEATHER_SETTINGS = frozenset({"underwater", "space", "moon", "mars"} | lexicon.INDOOR_SETTINGS)
_WATERS = lexicon.WATER_SETTINGS | {"underwater"}
# What a person can do at open sea without ground under their feet.
_AT_SEA = frozenset({"swim", "sail", "fly", "float", "drive"})
# Where a boat goes when the prompt names a place without water ("a boat in the countryside").
_WATER_NEAR: dict[str, str] = {"city_street": "city_skyline", "mountains": "lake", "forest": "river", "desert": "river"}

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
    # What the character feels, from the prompt's emotion words ("a sad clown"); None: not said.
    emotion: str | None = None
    # The noun key of the prop a role carries ("fisherman": "fishing_rod"); it is also a subject.
    holds: str | None = None
    # "baby elephant", "cucciolo di leone": a young one, drawn smaller.
    young: bool = False


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
    # Words no table lists that were read as the nearest known concept, as "word→concept".
    guessed: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)

        def subjects(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [{**s, "color_rgb": list(s["color_rgb"]) if s["color_rgb"] else None} for s in items]

        data["subjects"] = subjects(data["subjects"])
        data["shots"] = [{**shot, "subjects": subjects(shot["subjects"])} for shot in data["shots"]]
        for key in ("dialogue", "unknown_words", "inferred", "guessed"):
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
    # A role's prop ("fisherman": the rod): a subject that takes no verb of the prompt.
    prop: bool = False
    young: bool = False


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
            ("emotion", lexicon.EMOTION_WORDS),
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
        for phrase_text, n in lexicon.QUANTITY_PHRASES.items():
            self._add(tuple(phrase_text.split()), "number", str(n))
        for phrase_text, (person, prop) in lexicon.ROLES.items():
            self._add(tuple(phrase_text.split()), "role", f"{person}+{prop}")
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


def _scan(tokens: list[_Token]) -> tuple[list[_Hit], list[tuple[int, str]]]:
    """Longest-phrase-first matching. A single word may mean several things ("party": mood and dance)."""
    index = _index()
    hits: list[_Hit] = []
    unknown: list[tuple[int, str]] = []
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
                    if len(phrase) == 1 and table in (
                        "noun",
                        "action",
                        "setting",
                        "weather",
                        "mood",
                        "emotion",
                        "role",
                    ):
                        found.append((table, value))
                if found:
                    best_len = 1
                    break
        if found:
            word = " ".join(t.text for t in tokens[i : i + best_len])
            for table, value in found:
                if table == "role":
                    person, prop = value.split("+")
                    hits.append(_Hit("noun", person, i, word))
                    hits.append(_Hit("noun", prop, i, word, prop=True))
                else:
                    hits.append(_Hit(table, value, i, word))
            i += best_len
            continue
        young_of = next((h for h in reversed(hits) if h.table == "noun" and not h.prop), None)
        if tok.folded in lexicon.YOUNG_WORDS and young_of is not None and _is_animal(young_of.value):
            # "a polar bear and her cub": one more of the animal just named, a young one.
            hits.append(_Hit("noun", young_of.value, i, tok.text, young=True))
        elif tok.folded not in lexicon.STOPWORDS and not tok.folded.isdigit():
            unknown.append((i, tok.text))
        elif tok.folded.isdigit():
            hits.append(_Hit("number", tok.folded, i, tok.text))
        i += 1
    return hits, unknown


_ANIMAL_KINDS = frozenset({"animal", "bird", "insect", "aquatic"})


def _is_animal(key: str) -> bool:
    return _index().nouns_by_key[key].kind in _ANIMAL_KINDS


def _merge_young(tokens: list[_Token], hits: list[_Hit]) -> list[_Hit]:
    """ "baby elephant", "cucciolo di leone": the young-word is the animal's age, not another subject."""
    nouns = [h for h in hits if h.table == "noun"]
    drop: set[int] = set()
    young: set[int] = set()
    for h in nouns:
        if lexicon.fold(h.word) not in lexicon.YOUNG_WORDS:
            continue
        # "baby elephant" (the animal follows) or "golden retriever puppy" (the breed comes just before).
        animal = next(
            (n for n in nouns if h.pos < n.pos <= h.pos + 2 and n.value != h.value and _is_animal(n.value)), None
        ) or next(
            (n for n in nouns if n.pos + len(n.word.split()) == h.pos and n.value != h.value and _is_animal(n.value)),
            None,
        )
        if animal is not None:
            drop.add(id(h))
            young.add(id(animal))
    if not drop:
        return hits
    return [replace(h, young=True) if id(h) in young else h for h in hits if id(h) not in drop]


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
    emotion_for: dict[int, str] = {}
    characters = [n for n in noun_hits if not n.prop]
    for h in hits:
        if h.table == "emotion" and characters:
            # "a sad clown" (before the noun), "un pagliaccio triste" (after it); else the lead feels it.
            near = next((n for n in characters if h.pos < n.pos <= h.pos + 3), None) or next(
                (n for n in reversed(characters) if h.pos - 3 <= n.pos < h.pos), None
            )
            emotion_for.setdefault((near or characters[0]).pos, h.value)
            continue
        if h.table not in ("color", "number"):
            continue
        ahead = next((n for n in noun_hits if h.pos < n.pos <= h.pos + 3), None)
        behind = next((n for n in reversed(noun_hits) if h.pos - 2 <= n.pos < h.pos), None)
        if h.table == "number" and ahead is not None:
            count_for[ahead.pos] = int(h.value)
        elif h.table == "color" and (target := ahead or behind) is not None:
            color_for.setdefault(target.pos, lexicon.COLORS[lexicon.fold(h.word.split()[-1])])

    props_of = {h.pos: h.value for h in noun_hits if h.prop}
    subjects: dict[str, SubjectPlan] = {}
    for noun_hit in noun_hits:
        noun = index.nouns_by_key[noun_hit.value]
        count = count_for.get(noun_hit.pos) or (_plural_count(noun) if _is_plural(noun, noun_hit.word) else 1)
        color = color_for.get(noun_hit.pos)
        # The prompt's first verb is shared by characters left without one, not by props ("a dragon flying
        # over a castle": the castle stays put), nor by the prop a role carries.
        shared = first_action if noun.kind not in _PROP_KINDS and not noun_hit.prop else None
        own = None if noun_hit.prop else action_for.get(noun_hit.pos)
        action = own or shared or noun.action or DEFAULT_ACTIONS[noun.kind]
        if noun_hit.prop and noun.kind not in ("vehicle", "boat", "aircraft"):
            action = "idle" if noun.kind in _PROP_KINDS else action
        if setting == "space" and noun_hit.pos not in action_for and not first_action:
            action = "float"
        action = _KIND_ACTION_FIXES.get(noun.kind, {}).get(action, action)
        emoji, faces = _pose(noun, action)
        if noun.key in subjects:
            prev = subjects[noun.key]
            # "a polar bear and her cub": the young one is one more; a repeated name is the same one.
            count = prev.count + 1 if noun_hit.young and not prev.young else max(count, prev.count)
            subjects[noun.key] = SubjectPlan(**{**asdict(prev), "count": min(MAX_COUNT, count)})
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
            emotion=None if noun_hit.prop else emotion_for.get(noun_hit.pos),
            holds=None if noun_hit.prop else props_of.get(noun_hit.pos),
            young=noun_hit.young,
        )
    return _fit(_things_fly_not_people(list(subjects.values())))


# People who fly on their own; anyone else "flying" a kite, a plane or a drone stays on the ground.
_FLYING_PEOPLE = frozenset({"superhero", "astronaut", "alien", "fairy", "ghost", "wizard", "mage_old", "genie"})


def _things_fly_not_people(subjects: list[SubjectPlan]) -> list[SubjectPlan]:
    """ "a kid flying a kite": the kite flies and the kid runs below it."""
    if not any(s.kind == "aircraft" for s in subjects):
        return subjects
    return [
        _with_action(s, "run") if s.kind == "person" and s.action == "fly" and s.key not in _FLYING_PEOPLE else s
        for s in subjects
    ]


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


_ROLE_SUFFIXES = ("er", "ers", "ist", "ists", "ista", "iste", "isti", "iere", "iera", "ieri", "tore", "tori", "trice")


# A job-shaped word ("lifeguarder", "giardiniera") is a person when its nearest concept is a person at
# least this close: a looser bar than THRESHOLD, because the word's shape already points that way.
_ROLE_LEAN = 0.45


def _looks_like_role(word: str) -> bool:
    return len(word) > 5 and word.endswith(_ROLE_SUFFIXES)


def _guess(unknown: list[tuple[int, str]]) -> tuple[list[_Hit], list[tuple[int, str]], list[str]]:
    """Words no table lists: a role word is a person; otherwise the nearest known concept, if near enough."""
    candidates = [(pos, word) for pos, word in unknown if concepts.guessable(lexicon.fold(word))]
    if not candidates:
        return [], unknown, []
    finder = concepts.finder()
    matches = finder.nearest([w for _, w in candidates]) if finder is not None else []
    hits: list[_Hit] = []
    guessed: list[str] = []
    resolved: set[int] = set()
    index = _index()
    for k, (pos, word) in enumerate(candidates):
        match = matches[k] if matches else None
        good = match is not None and match.similarity >= concepts.THRESHOLD and match.margin >= concepts.MARGIN
        leans_person = (
            match is not None
            and match.similarity >= _ROLE_LEAN
            and match.concept.table == "noun"
            and index.nouns_by_key[match.concept.value].kind == "person"
        )
        if _looks_like_role(lexicon.fold(word)) and leans_person:
            # "a lifeguard", "un giardiniere": a person, whatever the job; the job's word is used.
            hits.append(_Hit("noun", "person", pos, word))
            guessed.append(f"{word}→person")
        elif good and match is not None:
            hits.append(_Hit(match.concept.table, match.concept.value, pos, word))
            guessed.append(f"{word}→{match.concept.value}")
        else:
            continue
        resolved.add(pos)
    return hits, [(p, w) for p, w in unknown if p not in resolved], guessed


def _read(text: str) -> tuple[list[_Token], list[_Hit], list[str], list[str]]:
    tokens = _tokenize(text)
    hits, unknown_at = _scan(tokens)
    guessed_hits, unknown_at, guessed = _guess(unknown_at)
    hits = sorted(hits + guessed_hits, key=lambda h: h.pos)
    unknown = [w for _, w in unknown_at]
    hits = _merge_young(tokens, hits)
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
    return tokens, hits, unknown, guessed


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


_HANDLE_RE = re.compile(r"@[\w.]+")


def plan_scene(*, prompt: str, seed: int) -> ScenePlan:
    """Read a prompt into a ScenePlan. Never fails: anything not understood lands in unknown_words."""
    dialogue, rest = _extract_dialogue(prompt)
    # "@biscuit chasing a ball": a tagged character is someone, not a biscuit.
    rest = _HANDLE_RE.sub(" someone ", rest)
    segments = _split_shots(rest)
    readings = [_read(segment) for segment in segments]
    hits = readings[0][1]
    all_tokens = [t for r in readings for t in r[0]]
    all_hits = [h for r in readings for h in r[1]]
    unknown = [w for r in readings for w in r[2]]
    guessed = [g for r in readings for g in r[3]]
    index = _index()
    rng = random.Random(variant_seed(prompt=prompt, seed=seed))  # nosec B311  # a reproducible look, not a secret
    inferred: list[str] = []

    noun_objs = [index.nouns_by_key[h.value] for h in hits if h.table == "noun"]

    setting = _first([h for h in hits if lexicon.fold(h.word) not in lexicon.WEAK_PLACE_WORDS], "setting")
    if setting is None and _first(hits, "setting"):
        # "jumping out of the water": the animal's own water if it has one, else a lake.
        own = next((n.setting for n in noun_objs if n.setting in _WATERS), None)
        setting = own or _first(hits, "setting")
    weather = _first(hits, "weather")
    if setting is None:
        # Characters' places first, then plants', then props': "a girl reading a book under a tree" is
        # outdoors by the tree, not in the book's room.
        ranked = sorted(
            noun_objs, key=lambda n: 2 if n.kind in _PROP_KINDS - {"plant"} else 1 if n.kind == "plant" else 0
        )
        setting = next((n.setting for n in ranked if n.setting), None)
        if setting is None and weather == "snow":
            setting = "snowfield"
        if setting is None:
            setting = rng.choice(("park", "countryside"))
        inferred.append("setting")
    setting = _water_for_boats(hits, setting, inferred="setting" in inferred)
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
    if (
        setting == "ocean"
        and "setting" in inferred
        and any(s.kind == "person" and s.action not in _AT_SEA for s in subjects)
    ):
        # "un pescatore sulla barca": open sea has nowhere to stand, so the boat is seen from the shore.
        setting = "beach"
    if "setting" in inferred and subjects and subjects[0].action == "swim" and setting not in _WATERS:
        # "a man swimming": swimmers need water more than they need a park.
        setting = "ocean"
    # A prompt that names only a place, a time or a look ("drone shot of a forest") shows the place;
    # one with a verb or words not understood had a subject the engine missed.
    missed_subject = bool(readings[0][2]) or _first(hits, "action") is not None
    if not subjects and not missed_subject:
        inferred.append("subjects")
    elif not subjects:
        # Never an empty scene: a prompt whose subject was not understood still gets someone on screen,
        # doing the prompt's action, and the plan says the subject was a guess.
        action = _first(hits, "action") or "idle"
        subjects = _subjects([_Hit("noun", "person", -1, "person"), *hits], setting=setting) or _subjects(
            [_Hit("noun", "person", -1, "person"), _Hit("action", action, -1, action)], setting=setting
        )
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
    for k, (segment, (seg_tokens, seg_hits, _unknown, _guessed)) in enumerate(zip(segments, readings, strict=True)):
        if k:
            shots.append(_later_shot(segment, seg_tokens, seg_hits, shots[-1], rng=rng, index=k))
    folded = [t.folded for t in all_tokens]
    it_score = sum(1 for w in folded if w in lexicon.ITALIAN_MARKERS)
    en_score = sum(1 for w in folded if w in _EN_MARKERS)
    language = "it" if it_score > en_score else "en"

    felt = "" if "mood" in inferred else mood  # a guessed mood does not put a grin on every face
    shots = [
        replace(s, staging=interactions.stage(text=s.text, subjects=s.subjects, mood=felt, language=language))
        for s in shots
    ]

    unknown += _unused_words(readings, shots, style=style, mood=mood)
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
        guessed=tuple(dict.fromkeys(guessed)),
    )


def _water_for_boats(hits: list[_Hit], setting: str, *, inferred: bool) -> str:
    """No boat on grass: a boat-led scene goes to water, the boat's own or the water nearest the named place."""
    index = _index()
    nouns = [index.nouns_by_key[h.value] for h in hits if h.table == "noun" and not h.prop]
    if setting in lexicon.WATER_SETTINGS or not nouns or setting in lexicon.INDOOR_SETTINGS:
        return setting
    if not any(n.kind == "boat" for n in nouns):
        return setting
    if inferred:
        return next((n.setting for n in nouns if n.kind == "boat" and n.setting), "lake")
    return _WATER_NEAR.get(setting, "lake")


def _unused_words(
    readings: list[tuple[list[_Token], list[_Hit], list[str], list[str]]],
    shots: list[ShotPlan],
    *,
    style: str,
    mood: str,
) -> list[str]:
    """Words that were read but that the clip does not show: they go to "not understood", not nowhere.

    A second place in one shot ("a street in a forest"), rain in a room, a fifth subject, a second look.
    """
    out: list[str] = []
    for (_tokens, hits, _unknown, _guessed), shot in zip(readings, shots, strict=False):
        keys = {s.key for s in shot.subjects} | {s.holds for s in shot.subjects if s.holds}
        shown = {
            "setting": {shot.setting},
            "weather": {shot.weather},
            "time": {shot.time_of_day},
            "camera": {shot.camera},
            "style": {style},
        }
        for h in hits:
            if h.table in shown and h.value not in shown[h.table]:
                # Two words for one place ("city street") or a boat's water move the place, not drop it.
                if h.table == "setting" and (shot.setting in lexicon.WATER_SETTINGS or h.value == shot.setting):
                    continue
                out.append(h.word)
            elif h.table == "noun" and h.value not in keys and h.value not in _SKY_NOUNS:
                out.append(h.word)
    return out

"""Who says each quoted line, in which voice and language, and in which shot.

The plan keeps the quoted lines in order; this module finds where each one sat in the prompt,
so a line written after "then" is spoken in the second shot rather than at the start of the clip,
and gives it the voice of the character that says it (a woman, a child, an old man...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from figment.generation.backends.procedural import lexicon
from figment.generation.backends.procedural.plan import ScenePlan, SubjectPlan

# Same quote forms as the planner reads, and the same words that cut a clip into shots.
_QUOTE_RE = re.compile(r'"([^"]*)"|“([^”]*)”|«([^»]*)»|„([^“”]*)[“”]')
_CUT_RE = re.compile(
    r"\b(?:and\s+then|then|after\s+that|afterwards|finally|e\s+poi|poi|e\s+dopo|dopodiché|dopodiche|infine)\b",
    re.IGNORECASE,
)
_EN = frozenset("the an is are you i it to and of in on my your what this hello hi yes no please thank".split())
# Everyday Italian words in speech that the planner's markers (scene words) do not cover.
_IT = frozenset(
    "ciao che di il lo gli una sono non per con mi ti ci si grazie buongiorno buonasera andiamo vieni "
    "casa mamma papa come stai bene tutto questo quello dove quando perche anche ancora sempre molto "
    "ho hai ha abbiamo siamo sei io tu noi voi amico amica bello bella guarda aspetta".split()
)


@dataclass(frozen=True, kw_only=True)
class VoiceStyle:
    """How one Piper voice is bent into a character's: pitch and speed factors (1.0 = the model's own)."""

    name: str
    pitch: float
    speed: float


VOICES: dict[str, VoiceStyle] = {
    "man": VoiceStyle(name="man", pitch=1.0, speed=1.0),
    "woman": VoiceStyle(name="woman", pitch=1.32, speed=1.03),
    "child": VoiceStyle(name="child", pitch=1.5, speed=1.08),
    "old": VoiceStyle(name="old", pitch=0.9, speed=0.88),
    "creature": VoiceStyle(name="creature", pitch=1.4, speed=1.12),
    "giant": VoiceStyle(name="giant", pitch=0.8, speed=0.92),
}
_WOMEN = frozenset({"woman", "princess", "bride", "dancer", "witch", "queen", "mother", "grandmother"})
_CHILDREN = frozenset({"girl", "boy", "kid", "baby", "child", "toddler", "elf"})
_OLD = frozenset({"grandparent", "wizard", "santa", "grandfather", "king"})
_GIANTS = frozenset({"dinosaur", "dragon", "bear", "gorilla", "elephant", "lion", "whale", "monster"})


def voice_for(*, key: str, kind: str) -> VoiceStyle:
    """The voice a character speaks with, from what it is."""
    if key in _WOMEN:
        return VOICES["woman"]
    if key in _CHILDREN:
        return VOICES["child"]
    if key in _OLD:
        return VOICES["old"]
    if key in _GIANTS:
        return VOICES["giant"]
    if kind == "person":
        return VOICES["man"]
    return VOICES["creature"]


def language_of(line: str, *, default: str) -> str:
    """ "it" or "en" for one line: its own words decide, the prompt's language breaks ties."""
    words = [lexicon.fold(w) for w in re.findall(r"[^\W\d_]+", line)]
    it = sum(1 for w in words if w in lexicon.ITALIAN_MARKERS or w in _IT)
    en = sum(1 for w in words if w in _EN)
    if it > en:
        return "it"
    if en > it:
        return "en"
    return default


@dataclass(frozen=True, kw_only=True)
class Line:
    text: str
    shot: int
    voice: VoiceStyle
    language: str


def _last_at(text: str, word: str) -> int:
    """Where `word` last occurs in `text` as a whole word ("man" is not in "woman"); -1 if nowhere."""
    hits = [m.start() for m in re.finditer(rf"\b{re.escape(word)}\b", text)]
    return hits[-1] if hits else -1


def cast_lines(plan: ScenePlan) -> tuple[Line, ...]:
    """Each of `plan.dialogue` with the shot it belongs to, its speaker's voice and its language.

    The speaker is the subject of that shot named last before the quote ('a man and a woman, the
    woman says "hi"'), else the shot's first person, else its first subject.
    """
    shots = max(1, len(plan.shots))
    found: list[tuple[int, str]] = []
    for m in _QUOTE_RE.finditer(plan.prompt):
        if next(g for g in m.groups() if g is not None).strip():
            before = _QUOTE_RE.sub(" ", plan.prompt[: m.start()])
            found.append((min(shots - 1, len(_CUT_RE.findall(before))), lexicon.fold(before)))
    out: list[Line] = []
    for k, text in enumerate(plan.dialogue):
        shot, before = found[k] if k < len(found) else (0, "")
        subjects = plan.shots[shot].subjects if plan.shots else plan.subjects
        named = [(_last_at(before, lexicon.fold(s.word)), i) for i, s in enumerate(subjects) if s.word]
        last = max((pos, i) for pos, i in named if pos >= 0) if any(pos >= 0 for pos, _ in named) else None
        speaker: SubjectPlan | None
        if last is not None:
            speaker = subjects[last[1]]
        else:
            speaker = next((s for s in subjects if s.kind == "person"), subjects[0] if subjects else None)
        voice = voice_for(key=speaker.key, kind=speaker.kind) if speaker else VOICES["man"]
        out.append(Line(text=text, shot=shot, voice=voice, language=language_of(text, default=plan.language)))
    return tuple(out)

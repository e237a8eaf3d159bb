"""Who does what to whom, and how they feel: the part of a shot's text that bodies need.

The planner finds the subjects; this module reads the same text again for what links them
("a girl riding a horse": the girl rides, the horse carries her), the pose each body takes
(sit, cook, surf, play, dance...) and the emotion on each face ("a sad clown" does not grin).
It knows its own small vocabulary of linking verbs and prepositions, in English and Italian, so it
works whatever verbs the main lexicon has, and it never adds or drops a subject: it only stages the
ones the plan already has. Emotions are not read here: the planner reads them once (SubjectPlan.emotion)
and this module only turns them into faces, and a role's tool (SubjectPlan.holds) into a held prop.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Protocol

# The interaction templates, each "agent VERB patient".
LINKS = ("ride", "hold", "play", "eat", "chase")


class _Subject(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def word(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def emotion(self) -> str | None: ...
    @property
    def holds(self) -> str | None: ...


@dataclass(frozen=True, kw_only=True)
class Link:
    verb: str  # one of LINKS
    agent: int  # index into the shot's subjects
    patient: int


@dataclass(frozen=True, kw_only=True)
class Staging:
    """Per subject (same order as the shot's subjects): body pose and emotion; plus the links."""

    poses: tuple[str, ...] = ()
    emotions: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()

    def link_for(self, index: int) -> Link | None:
        """The link where subject `index` is the agent or the patient (the first one found)."""
        return next((link for link in self.links if index in (link.agent, link.patient)), None)


NO_STAGING = Staging()


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _set(text: str) -> frozenset[str]:
    return frozenset(_fold(w) for w in text.split())


# Verb families. Italian verbs are listed in the forms people type: present, gerund, infinitive,
# participle; English ones with their -s/-ing/-ed forms.
_VERBS: dict[str, frozenset[str]] = {
    "ride": _set(
        "ride rides riding rode ridden rider riders horseback cavalca cavalcano cavalcando cavalcare cavalcata "
        "sella pedala pedalano pedalando pedalare"
    ),
    "hold": _set(
        "hold holds holding held carry carries carrying carried hug hugs hugging cuddling tiene tengono tenendo "
        "tenere regge reggendo porta portano portando abbraccia abbracciando stringe"
    ),
    "play": _set(
        "play plays playing played strum strums strumming suona suonano suonando suonare gioca giocano giocando giocare"
    ),
    "eat": _set(
        "eat eats eating ate eaten munch munches munching bite bites biting lick licks licking drink drinks "
        "drinking sip sipping mangia mangiano mangiando mangiare beve bevono bevendo bere lecca leccando "
        "assaggia gusta"
    ),
    "chase": _set(
        "chase chases chasing chased pursue pursues pursuing follows following insegue inseguono inseguendo "
        "inseguire rincorre rincorrono rincorrendo"
    ),
    "sit": _set("sit sits sitting sat seated seduto seduta seduti sedute siede siedono sedendo sedersi sedere"),
    "cook": _set(
        "cook cooks cooking cooked bake bakes baking fry fries frying stir stirring cucina cucinano cucinando "
        "cucinare prepara preparando frigge impasta"
    ),
    "surf": _set("surf surfs surfing surfer surfers surfista surfisti surfa surfando"),
    "dance": _set("dance dances dancing danced balla ballano ballando ballare danza danzando"),
    "wave": _set("waves waving waved saluta salutano salutando"),
    "kick": _set("kick kicks kicking kicked calcia calciando palleggia"),
}
# "a girl on a horse", "un bambino in bici": a person put on something that carries riders.
_ON = _set("on onto astride atop su sul sulla sullo in")
# "un bambino a cavallo": "a" puts a rider on its mount only in Italian; in English it is an article
# ("a girl and a horse" is two subjects side by side, not a rider).
_ON_IT = _set("a")
_MOUNTS = frozenset(
    "horse unicorn camel elephant donkey pony zebra bicycle motorcycle kick_scooter skateboard dragon dinosaur "
    "cow pig sheep goat dog lion tiger bear deer llama ostrich dolphin whale turtle".split()
)
_RIDEABLE_KINDS = frozenset({"animal", "vehicle", "bird", "aquatic", "boat"})
# "a kid with a balloon": with + a small thing means it is held.
_WITH = _set("with con holding")
_WAVES = _set("wave waves onda onde surfboard tavola")
# Sitting on a seat gets a bench drawn under the body; sitting on the ground does not.
_SEATS = _set("bench chair sofa couch stool throne seat panchina panca sedia divano sgabello trono")
_GROUND = _set("ground grass sand floor lawn under beneath terra prato sabbia pavimento sotto erba")
SEAT_KEYS = frozenset({"bench", "chair", "sofa", "couch", "stool", "throne"})
_HOLDABLE_KINDS = frozenset({"object", "food", "plant"})
_INSTRUMENTS = frozenset("guitar piano drum trumpet violin microphone ball basketball".split())
_BALLS = frozenset({"ball", "basketball"})
# A role's tool that no one carries about ("a camper" has a tent, "a pianist" a piano): it stands beside them.
_TOO_BIG_TO_HOLD = frozenset({"tent", "piano"})
# Held up high rather than in front: a balloon floats above the hand that holds its string.
HELD_UP = frozenset({"balloon", "kite", "umbrella", "lantern", "torch", "trophy", "flag"})

# Characters whose emoji already had a fixed expression keep it when the prompt says nothing.
_DEFAULT_EMOTION = {"clown": "happy", "santa": "happy", "zombie": "angry", "vampire": "angry"}
# Planner emotions that a drawn face shows as another one ("in love" smiles).
_FACE_FOR = {"love": "happy"}
# The plan's action, when no interaction verb says otherwise, gives the body's pose.
_ACTION_POSE = {
    "walk": "walk", "run": "run", "dance": "dance", "sing": "hold", "wave": "wave", "jump": "jump",
    "eat": "eat", "sleep": "sleep", "idle": "idle", "spin": "dance", "sway": "idle",
    "sit": "sit", "ride": "ride", "cook": "cook", "surf": "surf", "play": "play", "hold": "hold", "chase": "run",
    "sit_ground": "sit_ground", "hold_up": "hold_up", "kick": "kick",
}  # fmt: skip


def pose_for_action(action: str) -> str:
    """The body pose that shows a plan action when no interaction verb says otherwise."""
    return _ACTION_POSE.get(action, "idle")


_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)


def _positions(tokens: list[str], subjects: tuple[_Subject, ...]) -> list[int]:
    """Where each subject is named in the text (its first word); -1 when the text never names it."""
    out: list[int] = []
    for subject in subjects:
        first = _fold(subject.word).split()[0] if subject.word else ""
        out.append(next((i for i, t in enumerate(tokens) if t == first and i not in out), -1))
    return out


def _nearest(
    candidates: list[int], positions: list[int], *, before: int | None = None, after: int | None = None
) -> int | None:
    best: int | None = None
    for index in candidates:
        pos = positions[index]
        if pos < 0:
            continue
        if before is not None and pos < before and (best is None or pos > positions[best]):
            best = index
        if after is not None and pos > after and (best is None or pos < positions[best]):
            best = index
    return best


def stage(*, text: str, subjects: tuple[_Subject, ...], mood: str = "", language: str = "en") -> Staging:
    """Read links, body poses and emotions for `subjects` out of one shot's `text`."""
    if not subjects:
        return NO_STAGING
    on_words = _ON | _ON_IT if language == "it" else _ON
    tokens = [_fold(m.group(0)) for m in _WORD_RE.finditer(text)]
    positions = _positions(tokens, subjects)
    n = len(subjects)
    actors = [i for i in range(n) if subjects[i].kind in ("person", "animal")]
    people = [i for i in range(n) if subjects[i].kind == "person"]
    lead = people[0] if people else (actors[0] if actors else 0)
    poses: list[str | None] = [None] * n
    links: list[Link] = []
    linked: set[tuple[int, int]] = set()

    def agent_before(pos: int) -> int:
        found = _nearest(actors, positions, before=pos)
        return found if found is not None else lead

    for pos, token in enumerate(tokens):
        verb = next((v for v, words in _VERBS.items() if token in words), None)
        if verb is None:
            continue
        agent = agent_before(pos)
        if verb in LINKS:
            others = [i for i in range(n) if i != agent]
            patient = _nearest(others, positions, after=pos)
            if verb == "ride" and patient is not None and subjects[patient].kind not in _RIDEABLE_KINDS:
                patient = None
            if patient is not None and (agent, patient) not in linked:
                links.append(Link(verb=verb, agent=agent, patient=patient))
                linked.add((agent, patient))
            elif verb == "ride" and _WAVES & set(tokens):
                # "riding a wave": nothing to sit on, a board under the feet.
                verb = "surf"
        if poses[agent] is None:
            poses[agent] = {"chase": "run", "play": "play"}.get(verb, verb)
    # "a girl on a horse", "a kid with a balloon": the preposition does the verb's work.
    for pos, token in enumerate(tokens):
        if token in on_words or token in _WITH:
            holder = _nearest(people, positions, before=pos)
            if holder is None:
                continue
            agent = holder
            patient = _nearest([i for i in range(n) if i != agent], positions, after=pos)
            if patient is None or positions[patient] > pos + 3:
                continue
            # A rider may still hold something, but nothing is linked twice.
            if any(patient in (k.agent, k.patient) for k in links):
                continue
            if token in on_words and subjects[patient].key in _MOUNTS:
                links.append(Link(verb="ride", agent=agent, patient=patient))
                poses[agent] = poses[agent] or "ride"
            elif token in _WITH and (subjects[patient].kind in _HOLDABLE_KINDS or subjects[patient].key in HELD_UP):
                verb = "play" if subjects[patient].key in _INSTRUMENTS else "hold"
                links.append(Link(verb=verb, agent=agent, patient=patient))
                poses[agent] = poses[agent] or verb
    # A role's tool goes in its hand ("a fisherman": a man holding a rod), or under it when it carries
    # riders ("a skateboarder"); the planner already put both in the shot (SubjectPlan.holds).
    for i, subject in enumerate(subjects):
        tool = next((j for j in range(n) if j != i and subjects[j].key == subject.holds), None)
        if tool is None or any(tool in (k.agent, k.patient) for k in links):
            continue
        if subjects[tool].key in _MOUNTS and not any(k.verb == "ride" and k.agent == i for k in links):
            links.append(Link(verb="ride", agent=i, patient=tool))
        elif subjects[tool].kind in _HOLDABLE_KINDS and subjects[tool].key not in _TOO_BIG_TO_HOLD:
            verb = "play" if subjects[tool].key in _INSTRUMENTS else "hold"
            links.append(Link(verb=verb, agent=i, patient=tool))
            poses[i] = poses[i] or verb
    # A ball is played with the feet, an instrument with the hands; a cook holds the food in the pan.
    for i, pose in enumerate(poses):
        if pose == "sit" and not (_SEATS & set(tokens)) and _GROUND & set(tokens):
            poses[i] = "sit_ground"
        if pose == "cook" and not any(link.agent == i for link in links):
            food = next((j for j in range(n) if subjects[j].kind == "food" and positions[j] > positions[i]), None)
            if food is not None:
                links.append(Link(verb="hold", agent=i, patient=food))
    for link in links:
        if link.verb == "hold" and subjects[link.patient].key in HELD_UP and poses[link.agent] == "hold":
            poses[link.agent] = "hold_up"
        if link.verb == "play" and subjects[link.patient].key in _BALLS and poses[link.agent] == "play":
            poses[link.agent] = "kick"
        if link.verb == "ride" and subjects[link.agent].kind == "person":
            poses[link.agent] = "ride"
    final = tuple(poses[i] or pose_for_action(subjects[i].action) for i in range(n))
    return Staging(poses=final, emotions=_emotions(subjects, final, mood=mood), links=tuple(links))


def _emotions(subjects: tuple[_Subject, ...], poses: tuple[str, ...], *, mood: str) -> tuple[str, ...]:
    """The face each body wears. The planner reads the emotion words (lexicon.EMOTION_WORDS, one
    vocabulary for the whole engine) and gives each to the character it describes (SubjectPlan.emotion);
    a sleeper's eyes close, a character without one keeps its emoji's own expression, else the clip's
    said mood shows."""
    mood_emotion = {"sad": "sad", "spooky": "scared", "happy": "happy", "romantic": "happy"}.get(mood)
    out: list[str] = []
    for subject, pose in zip(subjects, poses, strict=True):
        said = _FACE_FOR.get(subject.emotion or "", subject.emotion)
        asleep = "sleepy" if pose == "sleep" else None
        out.append(said or asleep or _DEFAULT_EMOTION.get(subject.key) or mood_emotion or "neutral")
    return tuple(out)

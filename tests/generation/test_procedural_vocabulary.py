"""Issue 17: the CPU engine understands what people type, and its plans say what they will show.

Plan-level tests (cheap); a few small renders check that places, looks and camera words are visible.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from figment.demo import DEMO_CLIPS
from figment.generation.backends.procedural import concepts, lexicon
from figment.generation.backends.procedural.backend import ProceduralBackend
from figment.generation.backends.procedural.plan import ScenePlan, _read, plan_scene
from figment.generation.backends.procedural.style import Look
from figment.generation.types import GenerationRequest

ROOT = Path(__file__).resolve().parents[2]


def _plan(prompt: str) -> ScenePlan:
    return plan_scene(prompt=prompt, seed=1)


def _keys(plan: ScenePlan) -> dict[str, int]:
    return {s.key: s.count for s in plan.subjects}


# ---- compound nouns and ordinary words -------------------------------------------------------


def test_a_baby_animal_is_one_young_animal_not_a_baby_and_an_animal() -> None:
    for prompt in ("a baby elephant playing in the river", "un cucciolo di leone nella savana"):
        plan = _plan(prompt)
        assert "baby" not in _keys(plan) and "dog" not in _keys(plan), prompt
        assert len(plan.subjects) == 1 and plan.subjects[0].young, prompt
    assert _keys(_plan("a polar bear and her cub walking on ice")) == {"polar_bear": 2}
    # A breed then "puppy" is one young dog of that breed.
    assert _keys(_plan("a golden retriever puppy chasing a red ball")) == {"guide_dog": 1, "ball": 1}


def test_props_rest_rather_than_float() -> None:
    for prompt in ("a teddy bear having a picnic", "a dog eating pizza", "a girl reading a book"):
        for subject in _plan(prompt).subjects:
            if subject.kind in ("object", "food"):
                assert subject.action == "idle", (prompt, subject)


def test_compound_names_are_one_thing() -> None:
    assert _keys(_plan("un pesce pagliaccio che nuota tra i coralli")).keys() >= {"tropical_fish"}
    assert "clown" not in _keys(_plan("un pesce pagliaccio che nuota"))
    assert _keys(_plan("a t-rex in the jungle")) == {"dinosaur": 1}
    assert _keys(_plan("a pirate ship at sunset")) == {"ship": 1}


def test_a_field_of_flowers_is_many_flowers() -> None:
    plan = _plan("a teddy bear having a picnic in a field of flowers")
    assert _keys(plan)["flower"] >= 3 and plan.setting == "countryside"


@pytest.mark.parametrize(
    ("prompt", "key", "action"),
    [
        ("a red sports car drifting on a mountain road", "sports_car", "drive"),
        ("a puppy falls asleep on the sofa", "dog", "sleep"),
        ("un gatto che si addormenta sul divano", "cat", "sleep"),
        ("an owl stares at the full moon", "owl", "idle"),
        ("una farfalla che vola via da un fiore", "butterfly", "fly"),
        ("a paper boat drifting down a stream", "sailboat", "sail"),
    ],
)
def test_ordinary_words_mean_what_people_mean(prompt: str, key: str, action: str) -> None:
    plan = _plan(prompt)
    subject = next(s for s in plan.subjects if s.key == key)
    assert subject.action == action
    assert "star" not in _keys(plan)
    assert plan.setting != "city_street", "'via' in 'vola via' is not a street"


def test_rain_at_night_in_italian() -> None:
    plan = _plan("una ragazza che balla sotto la pioggia, di notte")
    assert (plan.weather, plan.time_of_day) == ("rain", "night")
    assert plan.setting not in lexicon.INDOOR_SETTINGS


@pytest.mark.parametrize(
    ("prompt", "key"),
    [
        ("a golden retriever puppy", "guide_dog"),
        ("a corgi on the beach", "dog"),
        ("a triceratops in the jungle", "dinosaur"),
        ("a brontosaurus", "sauropod"),
        ("a snowboarder on the slopes", "snowboarder"),
        ("a toddler laughing", "toddler"),
        ("a hot air balloon over the hills", "balloon"),
        ("a jeep in the desert", "suv"),
        ("pancakes for breakfast", "pancake"),
        ("un bambino che mangia un panino", "sandwich"),
        ("a koala in a tree", "koala"),
        ("una giraffa", "giraffe"),
    ],
)
def test_a_wider_vocabulary(prompt: str, key: str) -> None:
    assert key in _keys(_plan(prompt))


def test_a_role_is_a_person_with_the_roles_prop() -> None:
    plan = _plan("an old fisherman in a small boat on a misty lake at dawn")
    man = next(s for s in plan.subjects if s.kind == "person")
    assert man.holds == "fishing_rod" and "fishing_rod" in _keys(plan)
    assert plan.setting == "lake" and plan.weather == "fog" and plan.time_of_day == "dawn"
    assert "sword" in _keys(_plan("un cavaliere che combatte un drago"))


def test_emotion_words_reach_the_character() -> None:
    assert _plan("a sad clown sitting alone in the rain").subjects[0].emotion == "sad"
    assert _plan("un cane arrabbiato").subjects[0].emotion == "angry"
    assert _plan("a clown juggling").subjects[0].emotion is None


# ---- places ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "setting"),
    [
        ("a wizard casting a spell in a dark cave", "cave"),
        ("un mago in una grotta buia", "cave"),
        ("an astronaut riding a horse on the moon", "moon"),
        ("un astronauta che balla sulla luna", "moon"),
        ("a spaceship landing on Mars", "mars"),
        ("a busy market", "market"),
        ("un mercato di frutta", "market"),
        ("a duck on the pond", "lake"),
        ("un cigno sul lago", "lake"),
        ("a bear catching fish in a river", "river"),
        ("a waterfall in the jungle", "river"),
        ("a lion in the savanna", "savanna"),
        ("a teacher in a classroom", "classroom"),
        ("two friends having coffee in a cozy cafe", "cafe"),
        ("a girl reading in the library", "library"),
        ("a man at his desk in the office", "office"),
        ("a robot dancing on stage under spotlights", "stage"),
        ("rainy street in tokyo at night", "city_street"),
        ("il colosseo al tramonto", "city_skyline"),
    ],
)
def test_places_people_name(prompt: str, setting: str) -> None:
    assert _plan(prompt).setting == setting


def test_an_explicit_place_beats_the_animals_habitat() -> None:
    assert _plan("a penguin in the desert").setting == "desert"
    assert _plan("a shark in a lake").setting == "lake"
    assert _plan("un orso polare in città").setting == "city_skyline"


def test_no_boat_on_grass() -> None:
    for prompt in ("a boat in a meadow", "an old sailboat", "a canoe in the countryside", "una barca nel parco"):
        assert _plan(prompt).setting in lexicon.WATER_SETTINGS, prompt
    assert _plan("a dolphin jumping out of the water").setting == "ocean"


def test_weather_indoors_is_reported_not_silently_dropped() -> None:
    plan = _plan("a chef in the kitchen in the rain")
    assert plan.setting == "kitchen" and plan.weather == "clear"
    assert "rain" in plan.unknown_words


# ---- styles and camera -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "style", "camera"),
    [
        ("a corgi running on the beach, anime style", "anime", None),
        ("a grandma baking cookies, claymation", "claymation", None),
        ("kids building a snowman, pixel art", "pixel_art", None),
        ("una volpe nella neve, stile acquerello", "watercolour", None),
        ("oil painting of a sailboat on a stormy sea", "oil_painting", None),
        ("sketch of a cat sleeping by the window", "sketch", None),
        ("a unicorn running through a rainbow, vaporwave", "vaporwave", None),
        ("drone shot of a city skyline at night", None, "drone"),
        ("una sirena che nuota, ripresa con drone", None, "drone"),
        ("pov you are walking through a forest", None, "pov"),
        ("a panda eating bamboo, close-up", None, "close_up"),
        ("time-lapse of flowers blooming in a garden", None, "time_lapse"),
        ("a couple on the beach, wide shot", None, "zoom_out"),
        ("a surfer riding a huge wave, slow motion", None, "slow_motion"),
    ],
)
def test_style_and_camera_words(prompt: str, style: str | None, camera: str | None) -> None:
    plan = _plan(prompt)
    if style:
        assert plan.style == style
    if camera:
        assert plan.camera == camera


@pytest.mark.parametrize(
    "style", ["anime", "claymation", "pixel_art", "watercolour", "oil_painting", "sketch", "vaporwave"]
)
def test_every_look_visibly_changes_the_picture(style: str) -> None:
    rng = np.random.default_rng(0)
    # Flat areas with hard edges, like a drawn scene.
    picture = np.zeros((128, 72, 3), np.uint8)
    picture[:64] = (90, 160, 230)
    picture[64:] = (90, 180, 70)
    picture[40:90, 20:50] = (230, 120, 40)
    picture += rng.integers(0, 6, picture.shape, dtype=np.uint8)
    image = Image.fromarray(picture, "RGB")
    styled = np.asarray(Look(style, width=72, height=128, seed=1).apply(image), np.float32)
    assert styled.shape == picture.shape
    assert np.abs(styled - picture.astype(np.float32)).mean() > 8, style


def _middle_frame(prompt: str) -> np.ndarray:
    request = GenerationRequest(prompt=prompt, seed=3, duration_s=1.0, width=144, height=256, fps=12)
    frames = list(ProceduralBackend().generate(request).frames)
    return frames[len(frames) // 2].astype(np.float32)


def test_camera_words_visibly_change_the_clip() -> None:
    plain = _middle_frame("a fox in a snowy forest, static")
    for camera in ("close-up", "drone shot", "pov"):
        framed = _middle_frame(f"a fox in a snowy forest, {camera}")
        assert np.abs(framed - plain).mean() > 6, camera


def test_new_places_render_their_own_look() -> None:
    moon = _middle_frame("a rock on the moon, static")
    mars = _middle_frame("a rock on mars, static")
    cave = _middle_frame("a rock in a cave, static")
    # The Moon's sky is black, Mars' is butterscotch, a cave is dark rock: three different pictures.
    assert moon[40:90].mean() < 40
    assert mars[40:90, :, 0].mean() > mars[40:90, :, 2].mean() + 30
    assert np.abs(cave - moon).mean() > 15 and np.abs(cave - mars).mean() > 15


# ---- honest plans ----------------------------------------------------------------------------


def _covered(prompt: str) -> tuple[set[int], list[str], list[str]]:
    tokens, hits, unknown, _guessed = _read(prompt)
    covered = {h.pos + k for h in hits for k in range(len(h.word.split()))}
    content = [
        t.text
        for i, t in enumerate(tokens)
        if i not in covered and t.folded not in lexicon.STOPWORDS and not t.folded.isdigit()
    ]
    return covered, content, unknown


@pytest.mark.parametrize(
    "prompt",
    [
        "a quokka doing backflips on a trampoline",
        "un ornitorinco che balla il valzer in salotto",
        "cinematic 4k shot of a schnauzer in the fog",
    ],
)
def test_every_content_word_is_used_or_listed(prompt: str) -> None:
    _covered_positions, uncovered, unknown = _covered(prompt)
    plan = _plan(prompt)
    guessed = {g.split("→")[0] for g in plan.guessed}
    assert set(uncovered) <= set(plan.unknown_words) | guessed
    assert set(unknown) <= set(plan.unknown_words)


def test_words_read_but_not_shown_are_listed() -> None:
    # Two places in one shot: one is shown, the other is listed.
    plan = _plan("a street in a forest")
    assert {"street", "forest"} & set(plan.unknown_words)
    # A fifth subject does not fit the frame; its word says so.
    crowded = _plan("a cat, a dog, a cow, a pig and a goat")
    assert len(crowded.subjects) == 4 and "goat" in crowded.unknown_words


@pytest.mark.parametrize("prompt", ["a quokka dancing", "un ornitorinco che dorme", "asdfgh qwerty running"])
def test_never_an_empty_scene(prompt: str) -> None:
    assert _plan(prompt).subjects


def test_a_place_alone_is_shown_without_inventing_a_character() -> None:
    plan = _plan("drone shot of a forest at sunset")
    assert plan.subjects == () and plan.setting == "forest"


# What each of the app's own suggested prompts and demo clips must show.
EXPECTED: dict[str, tuple[set[str], str | None]] = {
    "a red car driving through a city at night in the rain": ({"car"}, None),
    "un gatto che balla sulla spiaggia al tramonto": ({"cat"}, "beach"),
    "a paper boat drifting down a mossy stream, macro shot": ({"sailboat"}, "river"),
    "una lanterna che galleggia su un lago al crepuscolo": ({"lantern"}, "lake"),
    "a cat dancing on the beach at sunset": ({"cat"}, "beach"),
    "a cat dancing on the beach under the moon": ({"cat"}, "beach"),
    "una macchina rossa che corre in città di notte sotto la pioggia": ({"car"}, None),
    "an astronaut floating in outer space among the stars": ({"astronaut"}, "space"),
    'a fox in a snowy forest says "hello winter"': ({"fox"}, "forest"),
    "three dolphins jumping in the ocean on a sunny day": ({"dolphin"}, "ocean"),
    "un cane che corre nel parco di mattina": ({"dog"}, "park"),
    "a rocket flying over the mountains at dawn, epic": ({"rocket"}, "mountains"),
    "a spooky ghost floating in a dark forest at night with fog": ({"ghost"}, "forest"),
    "a yellow taxi driving down a city street in the rain": ({"taxi"}, "city_street"),
    "un pesce che nuota sott'acqua tra le bolle": ({"fish", "bubbles"}, "underwater"),
    'a robot on a stage singing "la la la" under neon lights': ({"robot"}, "stage"),
    "a horse running through the countryside on a windy day": ({"horse"}, "countryside"),
    "a camel walking in the desert under a hot sun": ({"camel"}, "desert"),
    "una torta di compleanno con le candeline in cucina": ({"cake", "candle"}, "kitchen"),
    "a penguin sliding on a snowfield, happy": ({"penguin"}, "snowfield"),
    "fireworks over the city skyline at night, romantic": ({"firework"}, "city_skyline"),
    "un orso che dorme nella foresta sotto la neve": ({"bear"}, "forest"),
    "a bicycle riding through a park in spring with birds": ({"bicycle", "bird"}, "park"),
    'a parrot on a pirate ship says "ahoy!" at sunset': ({"parrot", "ship"}, "ocean"),
    "@biscuit chasing a red ball in the park": ({"person", "ball"}, "park"),
}


def _suggested_prompts() -> list[str]:
    source = (ROOT / "src/figment/web/static/create.js").read_text(encoding="utf-8")
    block = re.search(r"const EXAMPLES = \[(.*?)\];", source, re.S)
    assert block, "create.js no longer has its EXAMPLES list"
    return re.findall(r"'([^']*)'", block.group(1))


def test_suggested_prompts_and_demo_clips_show_what_they_say() -> None:
    prompts = _suggested_prompts() + [clip.prompt for clip in DEMO_CLIPS]
    assert len(prompts) >= 20
    for prompt in prompts:
        assert prompt in EXPECTED, f"add what {prompt!r} must show to EXPECTED"
        subjects, setting = EXPECTED[prompt]
        plan = _plan(prompt)
        assert subjects <= set(_keys(plan)), (prompt, _keys(plan))
        if setting:
            assert plan.setting == setting, (prompt, plan.setting)
        # The weather, the time and the look a prompt names are what the plan draws.
        assert not plan.unknown_words or set(plan.unknown_words) <= {"mossy", "paper"}, (prompt, plan.unknown_words)


# ---- the embedding fallback ------------------------------------------------------------------


class _Vectors:
    """A stand-in embedder: words it knows point along fixed directions, others are noise."""

    def __init__(self, known: dict[str, str]) -> None:
        self.known = known
        self.names = sorted({c.label for c in concepts.concepts()})

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), len(self.names) + 1), np.float32)
        for row, text in enumerate(texts):
            label = self.known.get(text, text)
            if label in self.names:
                out[row, self.names.index(label)] = 1.0
            else:
                out[row, -1] = 1.0
        return out


def test_the_fallback_takes_the_nearest_concept_only_when_near_enough() -> None:
    finder = concepts.ConceptFinder(_Vectors({"schnauzer": "dog", "gabbiano": "bird"}))
    concepts.use_finder(finder)
    try:
        match = finder.resolve("schnauzer")
        assert match is not None and match.concept.value == "dog"
        assert finder.resolve("zorblax") is None
        plan = _plan("a schnauzer and a gabbiano on the beach")
        assert {"dog", "bird"} <= set(_keys(plan))
        assert set(plan.guessed) == {"schnauzer→dog", "gabbiano→bird"}
        assert not {"schnauzer", "gabbiano"} & set(plan.unknown_words)
        # Adjective- and verb-shaped words are never guessed.
        assert "fluffy" in _plan("a fluffy zorblax").unknown_words
    finally:
        concepts.use_finder(None)


def test_without_the_model_plans_still_work() -> None:
    concepts.use_finder(None, disabled=True)
    try:
        plan = _plan("a schnauzer running on the beach")
        assert "schnauzer" in plan.unknown_words and plan.subjects
    finally:
        concepts.use_finder(None)


def test_a_thing_flies_and_the_person_holding_it_stays_down() -> None:
    plan = _plan("a kid flying a kite on a windy hill")
    actions = {s.key: s.action for s in plan.subjects}
    assert actions["kite"] == "fly" and actions["kid"] != "fly"
    assert {s.key: s.action for s in _plan("a superhero flying over the city").subjects}["superhero"] == "fly"


def test_a_characters_place_beats_a_props_place() -> None:
    # The book would take the scene indoors; the tree says outdoors.
    assert _plan("a girl reading a book under a tree").setting not in lexicon.INDOOR_SETTINGS


def test_people_need_ground_and_swimmers_need_water() -> None:
    # A fisherman on a boat with no place named: seen from the shore, not walking on the sea.
    assert _plan("un pescatore sulla barca all'alba").setting == "beach"
    assert _plan("a surfer riding a huge wave").setting == "ocean"
    assert _plan("a man swimming").setting in lexicon.WATER_SETTINGS

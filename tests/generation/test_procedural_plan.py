"""Reading prompts into scene plans: English, Italian, and anything else people type."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from figment.generation.backends.procedural.lexicon import ACTIONS, CAMERAS, MOODS, SETTINGS, STYLES, TIMES, WEATHERS
from figment.generation.backends.procedural.plan import MAX_CAPTION_CHARS, ScenePlan, plan_scene


def _subject(plan: ScenePlan, key: str) -> dict[str, object]:
    for subject in plan.to_dict()["subjects"]:
        if subject["key"] == key:
            return subject
    raise AssertionError(f"{key!r} not in {[s.key for s in plan.subjects]}")


def test_english_prompt_is_understood() -> None:
    plan = plan_scene(prompt="a cat dancing on the beach at sunset", seed=0)

    assert (plan.setting, plan.time_of_day, plan.language) == ("beach", "sunset", "en")
    assert _subject(plan, "cat")["action"] == "dance"
    assert plan.unknown_words == ()
    assert plan.caption == "a cat dancing on the beach at sunset"


def test_italian_prompt_is_understood() -> None:
    plan = plan_scene(prompt="un gatto che balla sulla spiaggia al tramonto", seed=0)

    assert (plan.setting, plan.time_of_day, plan.language) == ("beach", "sunset", "it")
    assert _subject(plan, "cat")["action"] == "dance"
    assert plan.unknown_words == ()


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("una macchina rossa in città di notte", {"setting": "city_skyline", "time_of_day": "night"}),
        ("due cani corrono nella foresta con la pioggia", {"setting": "forest", "weather": "rain"}),
        ("il cane nero dorme in montagna sotto la neve", {"setting": "mountains", "weather": "snow"}),
        ("un uccello vola nel deserto all'alba", {"setting": "desert", "time_of_day": "dawn"}),
        ("pesci che nuotano sott'acqua", {"setting": "underwater"}),
        ("un robot balla sul palco, nebbia", {"setting": "stage", "weather": "clear"}),
    ],
)
def test_italian_vocabulary(prompt: str, expected: dict[str, str]) -> None:
    plan = plan_scene(prompt=prompt, seed=0)

    for field, value in expected.items():
        assert getattr(plan, field) == value, (prompt, field)
    assert plan.language == "it"


def test_italian_colour_follows_its_noun_and_counts_come_first() -> None:
    car = _subject(plan_scene(prompt="una macchina rossa", seed=0), "car")
    dogs = _subject(plan_scene(prompt="due cani corrono", seed=0), "dog")
    sleeping = _subject(plan_scene(prompt="il cane nero dorme", seed=0), "dog")

    assert car["color"] == "red"
    assert (dogs["count"], dogs["action"]) == (2, "run")
    assert (sleeping["color"], sleeping["action"]) == ("black", "sleep")


def test_colours_counts_and_plurals() -> None:
    plan = plan_scene(prompt="three red cars and a blue bird, some dogs", seed=0)

    cars, bird, dogs = _subject(plan, "car"), _subject(plan, "bird"), _subject(plan, "dog")
    assert (cars["count"], cars["color"], cars["color_rgb"]) == (3, "red", [226, 38, 38])
    assert (bird["count"], bird["color"]) == (1, "blue")
    assert dogs["count"] == 3
    assert _subject(plan_scene(prompt="gatti e cani", seed=0), "cat")["count"] == 3


def test_actions_attach_to_the_nearest_subject() -> None:
    plan = plan_scene(prompt="a dog running and a cat sleeping", seed=0)
    assert _subject(plan, "dog")["action"] == "run"
    assert _subject(plan, "cat")["action"] == "sleep"
    # Vehicles cannot walk; the plan records the motion that will be drawn.
    assert _subject(plan_scene(prompt="a car walking", seed=0), "car")["action"] == "drive"


@pytest.mark.parametrize(
    ("prompt", "setting"),
    [
        ("a dog on the beach", "beach"),
        ("a whale in the ocean", "ocean"),
        ("a turtle under the sea", "underwater"),
        ("a man in the street", "city_street"),
        ("a man on a city street", "city_street"),
        ("the city skyline", "city_skyline"),
        ("a fox in the woods", "forest"),
        ("a goat in the mountains", "mountains"),
        ("a camel in the desert", "desert"),
        ("a penguin in the arctic", "snowfield"),
        ("a rocket in outer space", "space"),
        ("a cat in the living room", "room"),
        ("a chef in the kitchen", "kitchen"),
        ("a singer on stage", "stage"),
        ("a kid in the park", "park"),
        ("a cow on the farm", "countryside"),
    ],
)
def test_every_setting_has_words(prompt: str, setting: str) -> None:
    assert plan_scene(prompt=prompt, seed=0).setting == setting


def test_time_weather_camera_and_mood_words() -> None:
    plan = plan_scene(prompt="a spooky foggy night, zoom in", seed=0)
    assert (plan.time_of_day, plan.weather, plan.camera, plan.mood) == ("night", "fog", "zoom_in", "spooky")
    plan = plan_scene(prompt="epic storm at dawn with a shaky camera", seed=0)
    assert (plan.time_of_day, plan.weather, plan.camera, plan.mood) == ("dawn", "storm", "shake", "epic")
    plan = plan_scene(prompt="a romantic snowy day, static shot, windy", seed=0)
    assert (plan.time_of_day, plan.weather, plan.camera, plan.mood) == ("day", "snow", "static", "romantic")


def test_subjects_hint_the_setting_when_none_is_named() -> None:
    assert plan_scene(prompt="a shark", seed=0).setting == "underwater"
    assert plan_scene(prompt="an astronaut", seed=0).setting == "space"
    assert "setting" in plan_scene(prompt="an astronaut", seed=0).inferred


@pytest.mark.parametrize(
    ("prompt", "line"),
    [
        ('a robot says "hello there" in the kitchen', "hello there"),
        ("a cat says “ciao a tutti”", "ciao a tutti"),
        ("il cane dice «buongiorno»", "buongiorno"),
    ],
)
def test_quoted_dialogue(prompt: str, line: str) -> None:
    plan = plan_scene(prompt=prompt, seed=0)
    assert plan.dialogue == (line,)
    # Words inside the quotes are speech, not scene directions.
    assert all(w not in plan.unknown_words for w in line.split())


def test_unknown_words_are_reported_not_fatal() -> None:
    plan = plan_scene(prompt="zorblax flibbers the quux", seed=0)

    # Each word is either listed as not understood or read as a guessed concept; none vanishes.
    guessed = {g.split("→")[0] for g in plan.guessed}
    assert set(plan.unknown_words) | guessed == {"zorblax", "flibbers", "quux"}
    assert not set(plan.unknown_words) & guessed
    # Never an empty scene: a subject was asked for, so someone is on screen.
    assert plan.subjects
    assert {"setting", "time_of_day", "weather", "mood", "camera"} <= set(plan.inferred)
    assert plan.setting in SETTINGS and plan.time_of_day == "day"


def test_same_prompt_and_seed_give_the_same_plan() -> None:
    prompt = "two dogs running in the park"
    assert plan_scene(prompt=prompt, seed=7) == plan_scene(prompt=prompt, seed=7)
    assert plan_scene(prompt=prompt, seed=7).to_dict() == plan_scene(prompt=prompt, seed=7).to_dict()
    assert plan_scene(prompt=prompt, seed=7).variant_seed != plan_scene(prompt=prompt, seed=8).variant_seed


def test_plan_dict_is_json() -> None:
    plan = plan_scene(prompt='a red car in the city "beep beep" at night', seed=3)
    data = json.loads(json.dumps(plan.to_dict()))

    assert data["subjects"][0]["color_rgb"] == [226, 38, 38]
    assert data["dialogue"] == ["beep beep"]
    assert data["music_key"].split()[1] in ("major", "minor") and 50 <= data["tempo_bpm"] <= 130


def test_long_and_strange_prompts() -> None:
    long_prompt = ("a cat " * 200)[:1000]
    plan = plan_scene(prompt=long_prompt, seed=0)
    assert len(plan.caption) <= MAX_CAPTION_CHARS
    assert plan.subjects[0].key == "cat"

    emoji = plan_scene(prompt="🐈 and 🚀 ✨ 你好 ÆØÅ ∑∫ \u200b\x00", seed=0)
    assert [s.key for s in emoji.subjects] == ["cat", "rocket"]


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300), st.integers(min_value=0, max_value=2**31))
def test_any_text_gives_a_valid_plan(prompt: str, seed: int) -> None:
    plan = plan_scene(prompt=prompt, seed=seed)

    json.dumps(plan.to_dict())
    assert plan.setting in SETTINGS and plan.time_of_day in TIMES and plan.weather in WEATHERS
    assert plan.camera in CAMERAS and plan.mood in MOODS
    assert all(s.action in ACTIONS and 1 <= s.count for s in plan.subjects)
    assert plan.instance_count <= 10
    assert 1 <= len(plan.shots) <= 3 and plan.style in STYLES
    for shot in plan.shots:
        assert shot.setting in SETTINGS and shot.camera in CAMERAS and sum(s.count for s in shot.subjects) <= 10

"""Issue 3's range: vocabulary sizes, looks, cameras and multi-shot clips, checked on real pictures."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from figment.generation.backends.procedural import ProceduralBackend, lexicon, plan_scene
from figment.generation.backends.procedural.motion import Actor, pose_at
from figment.generation.backends.procedural.render import FrameRenderer
from figment.generation.backends.procedural.sprites import EmojiSpriteSource, render_emoji
from figment.generation.sound.soundtrack import SpeechCue, compose_soundtrack
from figment.generation.types import GenerationRequest

W, H = 144, 256

VERBS = (
    "walk stroll wander march hike run race chase sprint jog jump hop bounce leap play climb fly soar glide "
    "hover swim dive dance spin twirl roll fall drop tumble drive ride float drift wave greet sleep nap rest "
    "sing sail surf row ski skate eat munch drink sit stand read cook sway"
).split()


def _frames(prompt: str, *, seed: int = 0, duration_s: float = 1.0) -> tuple[dict[str, object], list[np.ndarray]]:
    clip = ProceduralBackend().generate(
        GenerationRequest(prompt=prompt, seed=seed, duration_s=duration_s, width=W, height=H)
    )
    return clip.plan, list(clip.frames)


def _scene(frame: np.ndarray) -> np.ndarray:
    """The picture without the caption band at the top."""
    return frame[int(H * 0.25) :].astype(np.float32)


def test_vocabulary_meets_the_issue_counts() -> None:
    assert len(set(lexicon.SETTINGS) - {"kitchen"}) >= 14  # kitchen and room count as one setting
    assert set(lexicon.TIMES) == {"dawn", "day", "sunset", "night"}
    assert set(lexicon.WEATHERS) == {"clear", "rain", "snow", "fog", "storm", "wind"}
    assert {"zoom_in", "zoom_out", "pan_left", "pan_right", "tracking", "shake", "slow_motion"} <= set(lexicon.CAMERAS)
    assert {"happy", "spooky", "epic", "calm", "romantic"} <= set(lexicon.MOODS)
    assert {"cartoon", "neon", "noir", "vintage", "pastel"} <= set(lexicon.STYLES)
    assert len({n.key for n in lexicon.NOUNS}) >= 150
    assert len(VERBS) >= 30


def test_every_noun_has_a_visible_sprite() -> None:
    for noun in lexicon.NOUNS:
        alpha = np.asarray(render_emoji(noun.emoji, 24))[..., 3]
        assert (alpha > 128).mean() > 0.05, (noun.key, noun.emoji)


@pytest.mark.parametrize("verb", VERBS)
def test_every_verb_maps_to_a_motion(verb: str) -> None:
    # The verb alone, with no subject: it must be read as an action, not fall back to a default.
    action_words = {w for kw in lexicon.ACTION_WORDS for w in kw.words}
    assert verb in action_words
    plan = plan_scene(prompt=f"a dog that likes to {verb}", seed=0)
    assert plan.subjects[0].action in lexicon.ACTIONS
    assert verb not in plan.unknown_words


@pytest.mark.parametrize(
    ("prompt", "camera", "style"),
    [
        ("a tracking shot of a horse running", "tracking", "natural"),
        ("a dog jumping in slow motion", "slow_motion", "natural"),
        ("un gatto al rallentatore", "slow_motion", "natural"),
        ("a cartoon cat", "cartoon", None),
        ("a neon city at night", "neon", None),
        ("film noir detective in the rain", "noir", None),
        ("vintage film of a picnic", "vintage", None),
        ("a pastel unicorn", "pastel", None),
        ("un cane in stile cartone animato", "cartoon", None),
    ],
)
def test_camera_and_style_words(prompt: str, camera: str, style: str | None) -> None:
    plan = plan_scene(prompt=prompt, seed=0)
    if style is None:
        assert plan.style == camera
    else:
        assert (plan.camera, plan.style) == (camera, style)


def _saturation(frame: np.ndarray) -> float:
    f = _scene(frame)
    return float((f.max(axis=2) - f.min(axis=2)).mean())


def test_styles_change_the_look() -> None:
    base = "a cat on the beach at day"
    _, natural = _frames(base, duration_s=0.5)
    looks = {style: _frames(f"{base}, {style}", duration_s=0.5)[1] for style in ("noir", "vintage", "pastel", "neon")}
    n = natural[6]

    noir = _scene(looks["noir"][6])
    assert np.abs(noir[..., 0] - noir[..., 1]).mean() < 1.5 and np.abs(noir[..., 1] - noir[..., 2]).mean() < 1.5

    vintage = _scene(looks["vintage"][6]).reshape(-1, 3).mean(axis=0)
    assert vintage[0] > vintage[1] > vintage[2]  # sepia: warm, blue pulled down

    assert _scene(looks["pastel"][6]).min() > 60 and _saturation(looks["pastel"][6]) < 0.8 * _saturation(n)
    assert _scene(looks["neon"][6]).mean() < _scene(n).mean()  # dark with glowing colour

    cartoon_plan, cartoon = _frames(f"{base}, cartoon", duration_s=0.5)
    assert cartoon_plan["style"] == "cartoon"

    # Posterised: far fewer distinct colours than the smooth natural picture; and ink outlines.
    def colours(f: np.ndarray) -> int:
        return len(np.unique(f[int(H * 0.25) :].reshape(-1, 3), axis=0))

    assert colours(cartoon[6]) < 0.6 * colours(n)


def _renderer(prompt: str, camera: str, frames: int = 24) -> FrameRenderer:
    plan = replace(plan_scene(prompt=prompt, seed=3), camera=camera)
    plan = replace(plan, shots=())
    return FrameRenderer(plan=plan, width=W, height=H, fps=24, frame_count=frames, cues=(), sprites=EmojiSpriteSource())


def _motion(renderer: FrameRenderer) -> float:
    frames = [renderer.render(i).astype(np.int16) for i in range(renderer.frame_count)]
    return float(np.mean([np.abs(b - a).mean() for a, b in zip(frames, frames[1:], strict=False)]))


def test_slow_motion_moves_slower_than_real_time() -> None:
    prompt = "a dog jumping in the park"
    assert _motion(_renderer(prompt, "slow_motion")) < 0.7 * _motion(_renderer(prompt, "static"))


def test_tracking_camera_keeps_the_lead_centred_while_the_world_streams_past() -> None:
    common = dict(action="run", x=72.0, base_y=200.0, width=40.0, height=40.0, direction=1, phase=0.0, beat_s=0.5)
    kw = dict(common, frame_w=W, frame_h=H, duration_s=4.0, loop_across=False)
    tracked = [pose_at(Actor(**kw, tracked=True), t).x for t in np.linspace(0, 4, 20)]  # type: ignore[arg-type]
    free = [pose_at(Actor(**kw), t).x for t in np.linspace(0, 4, 20)]  # type: ignore[arg-type]
    assert np.ptp(tracked) < 0.1 * W < 0.3 * W < np.ptp(free)

    tracking = _renderer("a horse running in the countryside", "tracking")
    static = _renderer("a horse running in the countryside", "static")
    assert abs(tracking.pan_px) > W and static.pan_px == 0


def test_then_and_poi_split_the_clip_into_shots() -> None:
    plan = plan_scene(prompt="a cat on the beach at sunset, then a red car in the city at night, then it rains", seed=0)
    assert [(s.setting, s.time_of_day, s.weather) for s in plan.shots] == [
        ("beach", "sunset", "clear"),
        ("city_skyline", "night", "clear"),
        ("city_skyline", "night", "rain"),
    ]
    assert [s.key for s in plan.shots[1].subjects] == ["car"] and plan.shots[1].subjects[0].color == "red"
    assert [s.key for s in plan.shots[2].subjects] == ["car"]  # carried over

    italian = plan_scene(prompt="un cane che balla sulla spiaggia poi dorme", seed=0)
    assert [(s.subjects[0].key, s.subjects[0].action) for s in italian.shots] == [("dog", "dance"), ("dog", "sleep")]
    assert len(plan_scene(prompt="a then b then c then d then e", seed=0).shots) == 3
    assert len(plan_scene(prompt="a cat on the beach", seed=0).shots) == 1


def test_shots_render_different_scenes_with_a_transition() -> None:
    plan, frames = _frames("a cat on the beach at day, then a dog in the forest at night", duration_s=2.0)
    assert len(plan["shots"]) == 2  # type: ignore[arg-type]
    first, last = _scene(frames[10]), _scene(frames[-1])
    assert first.mean() > last.mean() + 40  # day beach, then night forest
    # Mid-transition frames are a mix, unlike either side.
    cut = 24
    mid = _scene(frames[cut + 3])
    assert 0 < np.abs(mid - _scene(frames[cut - 1])).mean() and np.abs(mid - _scene(frames[cut + 12])).mean() > 0


def test_each_shot_has_its_own_sound_bed() -> None:
    plan = plan_scene(prompt="waves on the beach then a busy city street with traffic", seed=0)
    track = compose_soundtrack(plan=plan, duration_s=4.0).samples[0]
    halves = track[: len(track) // 2 - 20000], track[len(track) // 2 + 20000 :]
    spectra = [np.abs(np.fft.rfft(h[:60000])) for h in halves]
    spectra = [s / s.sum() for s in spectra]
    assert np.abs(spectra[0] - spectra[1]).sum() > 0.3


def test_burned_in_text_stays_where_the_feed_shows_it() -> None:
    """The feed covers the top 8% (tabs), bottom 22% (author, prompt) and right 16% (buttons) of a clip."""
    w, h = 288, 512
    prompt = 'a robot in a room says "hello there my good friend, how are you doing today"'
    plan = replace(plan_scene(prompt=prompt, seed=0), camera="static")

    def frames(caption: str, cues: tuple[SpeechCue, ...]) -> list[np.ndarray]:
        renderer = FrameRenderer(
            plan=replace(plan, caption=caption), width=w, height=h, fps=24, frame_count=30, cues=cues,
            sprites=EmojiSpriteSource(),
        )  # fmt: skip
        return [renderer.render(i).astype(np.int16) for i in (0, 29)]

    cue = SpeechCue(start_s=0.5, end_s=2.0, text="hello there my good friend, how are you doing today")
    bare = frames("", ())
    for shown, base in zip(frames(plan.caption, (cue,)), bare, strict=True):
        changed = np.abs(shown - base).max(axis=2) > 40
        # The words: white pixels that only the text put there (the shading band may span the width).
        ys, xs = np.nonzero(changed & (shown.min(axis=2) > 225))
        assert len(ys) > 150
        assert h * 0.08 < ys.min() and ys.max() < h * (1 - 0.22)
        assert xs.max() < w * (1 - 0.16)

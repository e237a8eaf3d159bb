"""Bodies, interactions, staging and voices of the procedural engine, checked on the laid-out cast.

Renderers here are built at 360x640 and never encode: layout happens in the constructor, and
`FrameRenderer.boxes(t)` says where everything is at any time, so the checks are fast.
"""

from __future__ import annotations

import numpy as np
import pytest

from figment.generation.backends.procedural import bodies, dialogue, interactions, staging
from figment.generation.backends.procedural.plan import plan_scene
from figment.generation.backends.procedural.render import FrameRenderer
from figment.generation.backends.procedural.sprites import EmojiSpriteSource
from figment.generation.sound.soundtrack import compose_soundtrack

W, H, FPS = 360, 640, 24
TIMES = (0.0, 1.3, 2.7, 4.1, 5.9)


def _renderer(prompt: str, *, seed: int = 1, seconds: float = 6.0) -> FrameRenderer:
    plan = plan_scene(prompt=prompt, seed=seed)
    return FrameRenderer(
        plan=plan.for_shot(0),
        width=W,
        height=H,
        fps=FPS,
        frame_count=int(seconds * FPS),
        cues=(),
        sprites=EmojiSpriteSource(),
    )


def _staging(prompt: str) -> tuple[interactions.Staging, list[str]]:
    plan = plan_scene(prompt=prompt, seed=0)
    return plan.shots[0].staging, [s.key for s in plan.shots[0].subjects]


# ---- emotions and interactions read from the prompt ------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "emotion"),
    [
        ("a sad clown sitting on a bench", "sad"),
        ("a clown juggling in the park", "happy"),  # a clown's own face when nothing else is said
        ("una ragazza triste seduta sotto un albero", "sad"),
        ("an angry woman eating pizza", "angry"),
        ("a scared boy running in the forest", "scared"),
        ("un bambino spaventato nel bosco", "scared"),
        ("a surprised man in the kitchen", "surprised"),
        ("a sleepy girl in her room", "sleepy"),
        ("una donna felice balla", "happy"),
    ],
)
def test_the_face_follows_the_emotion_words(prompt: str, emotion: str) -> None:
    stage, keys = _staging(prompt)
    person = next(i for i, k in enumerate(keys) if k in ("clown", "girl", "woman", "boy", "man"))
    assert stage.emotions[person] == emotion


def test_an_emotion_word_belongs_to_the_subject_next_to_it() -> None:
    stage, keys = _staging("a sad man and a happy woman in the park")
    assert stage.emotions[keys.index("man")] == "sad"
    assert stage.emotions[keys.index("woman")] == "happy"


@pytest.mark.parametrize(
    ("prompt", "verb", "agent", "patient"),
    [
        ("a girl riding a horse on the beach", "ride", "girl", "horse"),
        ("una ragazza su un cavallo", "ride", "girl", "horse"),
        ("a cowboy rides a horse", "ride", "cowboy", "horse"),
        ("a happy kid holding a balloon", "hold", "kid", "balloon"),
        ("a man playing guitar on a stage", "play", "man", "guitar"),
        ("an angry woman eating pizza", "eat", "woman", "pizza"),
        ("un cane che insegue un gatto", "chase", "dog", "cat"),
        ("a dog chasing a cat in the park", "chase", "dog", "cat"),
        ("a chef cooking pasta", "hold", "chef", "pasta"),
    ],
)
def test_interaction_templates_link_agent_and_patient(prompt: str, verb: str, agent: str, patient: str) -> None:
    stage, keys = _staging(prompt)
    assert interactions.Link(verb=verb, agent=keys.index(agent), patient=keys.index(patient)) in stage.links


@pytest.mark.parametrize(
    ("prompt", "pose"),
    [
        ("a sad clown sitting on a bench", "sit"),
        ("una ragazza seduta sotto un albero", "sit_ground"),
        ("a chef cooking pasta in the kitchen", "cook"),
        ("un bambino che balla sotto la pioggia", "dance"),
        ("a girl riding a horse", "ride"),
        ("a boy playing with a ball", "kick"),
        ("a man surfing at the beach", "surf"),
    ],
)
def test_the_body_pose_follows_the_verb(prompt: str, pose: str) -> None:
    stage, _keys = _staging(prompt)
    assert stage.poses[0] == pose


# ---- bodies ------------------------------------------------------------------------------------------


def test_body_frames_share_size_and_anchor_and_emotions_change_the_face() -> None:
    look = bodies.look_for(key="clown", seed=3)
    sad = bodies.body_frames(look, "walk", 200, "sad")
    happy = bodies.body_frames(look, "walk", 200, "happy")
    assert len({img.size for img in sad.images}) == 1
    assert sad.anchor == (sad.images[0].width / 2, float(sad.images[0].height))
    # The same body, only the face differs: the pixels differ in the head and nowhere below it.
    a, b = np.asarray(sad.images[0]), np.asarray(happy.images[0])
    diff_rows = np.flatnonzero(np.any(a != b, axis=(1, 2)))
    assert len(diff_rows) and diff_rows.max() < a.shape[0] * 0.3
    # Walking moves the limbs: frames of one cycle are different pictures.
    assert not np.array_equal(np.asarray(sad.images[0]), np.asarray(sad.images[2]))


def test_a_mirrored_body_faces_the_other_way() -> None:
    look = bodies.look_for(key="man", seed=1)
    right = bodies.body_frames(look, "hold", 160)
    left = bodies.body_frames(look, "hold", 160, mirror=True)
    assert np.array_equal(np.asarray(left.images[0])[:, ::-1], np.asarray(right.images[0]))
    assert left.hands[0][0] == pytest.approx(right.images[0].width - right.hands[0][0])


def test_an_unknown_pose_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="levitate"):
        bodies.body_frames(bodies.look_for(key="man", seed=0), "levitate", 100)


def test_a_named_colour_dyes_the_outfit() -> None:
    assert bodies.look_for(key="woman", seed=0, colour=(200, 0, 0)).shirt == (200, 0, 0)


# ---- staging -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "prompt",
    [
        "a girl riding a horse on the beach",
        "a sad clown sitting on a bench",
        "a dog chasing a cat in the park",
        "a man walking past a tree",
        "a car driving in the city, static camera",
        "three kids dancing in the park",
        "a happy kid holding a balloon",
    ],
)
def test_everyone_stays_whole_inside_the_frame(prompt: str) -> None:
    r = _renderer(prompt)
    assert r.cast, prompt
    left, right = r.margin, r.margin + W
    for t in TIMES:
        boxes = r.boxes(t)
        assert boxes, (prompt, t)  # never an empty shot
        for member, (x0, _y0, x1, _y1) in boxes:
            assert x0 >= left - 1 and x1 <= right + 1, (prompt, t, member.actor.action, x0, x1)


def test_grounded_characters_stand_on_the_ground_and_props_do_not_float() -> None:
    r = _renderer("a woman and a pizza in the park")
    bd = r.backdrop
    for member, (_x0, _y0, _x1, y1) in r.boxes(1.0):
        assert bd.far_ground_y - 2 <= y1 <= bd.ground_y + 2, member.actor.action


def test_a_tree_stands_beside_the_character_not_through_it() -> None:
    for prompt in ("a man walking past a tree", "una ragazza triste seduta sotto un albero", "a girl and a house"):
        r = _renderer(prompt)
        for t in TIMES:
            boxes = r.boxes(t)
            people = [b for m, b in boxes if m.body is not None]
            scenery = [b for m, b in boxes if m.body is None and m.rides is None and m.held_by is None]
            assert people and scenery, prompt
            for p in people:
                for s in scenery:
                    overlap = min(p[2], s[2]) - max(p[0], s[0])
                    assert overlap <= 0.08 * (p[2] - p[0]), (prompt, t, p, s)


def test_a_rider_sits_on_the_mounts_back_all_the_way() -> None:
    r = _renderer("a girl riding a horse on the beach")
    rider = next(m for m in r.cast if m.rides is not None)
    assert rider.body is not None and rider.body.pivot == "center"
    for t in TIMES:
        placed = dict((id(m), b) for m, b in r.boxes(t))
        mx0, my0, mx1, my1 = placed[id(rider.rides)]
        rx0, ry0, rx1, ry1 = placed[id(rider)]
        hip_x, hip_y = (rx0 + rx1) / 2, (ry0 + ry1) / 2
        assert mx0 < hip_x < mx1
        # The hip is on the upper part of the mount (its back), the head above the mount's back.
        assert my0 <= hip_y <= my0 + (my1 - my0) * 0.6
        assert ry0 < my0 + (my1 - my0) * 0.3


def test_a_held_thing_moves_with_the_hand() -> None:
    r = _renderer("an angry woman eating pizza")
    held = next(m for m in r.cast if m.held_by is not None)
    holder = held.held_by
    assert holder is not None and holder.body is not None
    heights = []
    for t in np.linspace(0, 1.6, 9):
        placed = dict((id(m), b) for m, b in r.boxes(float(t)))
        hx0, hy0, hx1, hy1 = placed[id(holder)]
        x0, y0, x1, y1 = placed[id(held)]
        assert hx0 - (x1 - x0) <= (x0 + x1) / 2 <= hx1 + (x1 - x0)
        heights.append((y0 + y1) / 2 - hy0)
    # Eating brings the food up to the mouth and down again.
    assert max(heights) - min(heights) > 0.1 * holder.actor.height


def test_a_chaser_runs_behind_what_it_chases() -> None:
    r = _renderer("a dog chasing a cat in the park")
    dog = next(m for m in r.cast if r.plan.subjects[0].key == "dog" and m.key == 0)
    cat = next(m for m in r.cast if m is not dog and m.held_by is None)
    assert dog.actor.direction == cat.actor.direction
    assert (cat.actor.x - dog.actor.x) * cat.actor.direction > 0
    assert dog.actor.action == cat.actor.action == "run"


def test_keep_in_frame_shortens_travel_rather_than_cut_the_sprite() -> None:
    x, travel = staging.keep_in_frame(x=10.0, half_width=50.0, travel=300.0, left=0.0, right=400.0)
    assert x - travel / 2 - 50 >= 0 and x + travel / 2 + 50 <= 400
    x, travel = staging.keep_in_frame(x=200.0, half_width=180.0, travel=300.0, left=0.0, right=400.0)
    assert travel <= 40.0 + 1e-6


def test_relative_sizes_follow_real_sizes() -> None:
    cat = staging.relative_scale(key="cat", kind="animal", ref_key="man", ref_kind="person", own_px=300, ref_px=400)
    horse = staging.relative_scale(key="horse", kind="animal", ref_key="man", ref_kind="person", own_px=300, ref_px=400)
    assert cat < 0.5 < 1.0 < horse


# ---- voices and dialogue timing ----------------------------------------------------------------------


def test_voices_follow_the_character() -> None:
    assert dialogue.voice_for(key="woman", kind="person").pitch > 1.2
    assert dialogue.voice_for(key="girl", kind="person").pitch > dialogue.voice_for(key="woman", kind="person").pitch
    assert dialogue.voice_for(key="grandparent", kind="person").speed < 1.0
    assert dialogue.voice_for(key="man", kind="person") == dialogue.VOICES["man"]
    assert dialogue.language_of("ciao mamma, andiamo a casa", default="en") == "it"
    assert dialogue.language_of("hello there, how are you", default="it") == "en"


def test_a_line_is_spoken_in_the_shot_that_says_it() -> None:
    plan = plan_scene(prompt='a woman walks in the park, then a boy says "we are home"', seed=0)
    (line,) = dialogue.cast_lines(plan)
    assert line.shot == 1 and line.voice.name == "child"
    (cue,) = compose_soundtrack(plan=plan, duration_s=8.0).cues
    assert cue.start_s >= 4.0


def test_a_woman_speaks_higher_than_a_man() -> None:
    def pitch_hz(prompt: str) -> float:
        track = compose_soundtrack(plan=plan_scene(prompt=prompt, seed=0), duration_s=4.0)
        (cue,) = track.cues
        x = track.speech[int(cue.start_s * 44100) : int(cue.end_s * 44100)]
        # The strongest autocorrelation lag between 70 and 400 Hz: the voice's fundamental.
        x = x - x.mean()
        ac = np.correlate(x[:20000], x[:20000], mode="full")[19999:]
        lo, hi = 44100 // 400, 44100 // 70
        return 44100 / (lo + int(np.argmax(ac[lo:hi])))

    assert pitch_hz('a woman says "good morning to you all"') > 1.15 * pitch_hz('a man says "good morning to you all"')


def test_an_animal_drawn_as_a_head_gets_four_legs_that_walk() -> None:
    r = _renderer("a lion walking in the park")
    lion = r.cast[0]
    assert lion.body is not None and len(lion.body.images) == bodies.FRAMES_PER_CYCLE
    frame = np.asarray(lion.body.images[0])
    # Taller than wide no more: a body stretches out behind the head.
    assert frame.shape[1] > frame.shape[0]
    assert not np.array_equal(frame, np.asarray(lion.body.images[2]))


def test_a_surfer_stands_on_a_board_on_a_wave() -> None:
    r = _renderer("a man surfing on the ocean")
    surfer = next(m for m in r.cast if m.body is not None)
    wave = next(m for m in r.cast if m.held_mode == "under")
    assert wave.held_by is surfer
    assert r.cast.index(wave) < r.cast.index(surfer)  # behind the surfer
    assert r.backdrop.water_band is not None
    top, bottom = r.backdrop.water_band
    assert top <= surfer.actor.base_y <= bottom


def test_italian_lines_are_read_with_italian_rules() -> None:
    from figment.generation.sound import voice

    english = voice.phonemes("gli gnocchi sono buoni", language="en")
    italian = voice.phonemes("gli gnocchi sono buoni", language="it")
    # "gn" and "gli" are Italian sounds (ɲ, ʎ) that English rules never produce.
    assert "ɲ" in "".join(italian[0]) and "ɲ" not in "".join(english[0])
    audio, rate = voice.speak("gli gnocchi sono buoni", language="it")
    assert len(audio) > rate // 4
    # The shared voice goes back to English afterwards.
    assert voice.phonemes("gli gnocchi sono buoni") == english
    with pytest.raises(ValueError, match="pitch"):
        voice.speak("hello", pitch=3.0)
    with pytest.raises(ValueError, match="'fr'"):
        voice.speak("bonjour", language="fr")


def test_each_rider_gets_a_mount_and_a_rider_may_hold_something() -> None:
    r = _renderer("two men riding horses")
    riders = [m for m in r.cast if m.rides is not None]
    assert len(riders) == 2 and len({id(m.rides) for m in riders}) == 2
    r = _renderer("a girl on a horse with a balloon")
    rider = next(m for m in r.cast if m.rides is not None)
    balloon = next(m for m in r.cast if m.held_by is not None)
    assert balloon.held_by is rider
    assert [id(m) for m, _box in r.boxes(1.0)].count(id(balloon)) == 1  # drawn once


def test_the_speaker_is_the_one_named_before_the_line() -> None:
    plan = plan_scene(prompt='a man and a woman in the park, the woman says "hello"', seed=0)
    assert dialogue.cast_lines(plan)[0].voice.name == "woman"
    plan = plan_scene(prompt='a woman and a man in the park, the man says "hello"', seed=0)
    assert dialogue.cast_lines(plan)[0].voice.name == "man"


# ---- the vocabulary's roles, emotions and young animals drawn by bodies (merge of issue 17's halves) --


@pytest.mark.parametrize(
    ("prompt", "verb", "tool"),
    [
        ("a fisherman on the pier", "hold", "fishing_rod"),
        ("un pescatore al lago", "hold", "fishing_rod"),
        ("a knight riding a dragon over Mars", "hold", "sword"),
        ("a guitarist on a stage", "play", "guitar"),
    ],
)
def test_a_roles_tool_goes_in_the_hand(prompt: str, verb: str, tool: str) -> None:
    plan = plan_scene(prompt=prompt, seed=0)
    keys = [s.key for s in plan.shots[0].subjects]
    holder = next(i for i, s in enumerate(plan.shots[0].subjects) if s.holds == tool)
    assert interactions.Link(verb=verb, agent=holder, patient=keys.index(tool)) in plan.shots[0].staging.links
    r = _renderer(prompt)
    held = [m for m, _box in r.boxes(1.0) if m.held_by is not None]
    assert held, prompt  # drawn at the hand, not standing in the scene


def test_a_knight_rides_and_holds_his_sword() -> None:
    links = plan_scene(prompt="a knight riding a dragon over Mars", seed=0).shots[0].staging.links
    assert {link.verb for link in links} == {"ride", "hold"}


def test_the_planner_is_the_one_reader_of_emotions() -> None:
    # The words one table lists reach the face through SubjectPlan.emotion, in both languages.
    for prompt, emotion in (("a grumpy old man on a bench", "angry"), ("una bambina sconsolata", "sad")):
        plan = plan_scene(prompt=prompt, seed=0)
        lead = next(i for i, s in enumerate(plan.shots[0].subjects) if s.kind == "person")
        assert plan.shots[0].subjects[lead].emotion == emotion
        assert plan.shots[0].staging.emotions[lead] == emotion
    # "in love" has no face of its own: it smiles.
    plan = plan_scene(prompt="a girl in love in Paris", seed=0)
    assert plan.shots[0].staging.emotions[0] == "happy"


def test_a_sleeper_closes_its_eyes_and_a_clown_keeps_its_grin_only_when_nothing_is_said() -> None:
    assert plan_scene(prompt="a man sleeping on a bench", seed=0).shots[0].staging.emotions[0] == "sleepy"
    assert plan_scene(prompt="a sad clown", seed=0).shots[0].staging.emotions[0] == "sad"


def test_a_young_animal_stays_smaller_beside_a_person() -> None:
    def elephant_height(prompt: str) -> float:
        r = _renderer(prompt)
        return next(box[3] - box[1] for m, box in r.boxes(1.0) if r.plan.subjects[m.subject].key == "elephant")

    assert elephant_height("a girl and a baby elephant") < 0.8 * elephant_height("a girl and an elephant")


def test_an_english_article_does_not_make_a_rider() -> None:
    links = plan_scene(prompt="a girl and a horse in a field", seed=0).shots[0].staging.links
    assert not any(link.verb == "ride" for link in links)
    links = plan_scene(prompt="un bambino a cavallo nel bosco", seed=0).shots[0].staging.links
    assert any(link.verb == "ride" for link in links)


def test_a_bench_someone_sits_on_is_drawn_once() -> None:
    # The vocabulary knows "bench" as a subject; the sitter's body draws it, so it is not drawn again.
    r = _renderer("a sad clown sitting on a bench in the rain", seed=0)
    keys = [r.plan.subjects[m.subject].key for m, _box in r.boxes(1.0)]
    assert keys == ["clown"]

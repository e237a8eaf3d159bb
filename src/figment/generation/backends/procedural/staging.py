"""Layout rules: where characters stand so the shot reads, decided before any frame is drawn.

These are small pure functions the renderer calls while it lays out its cast; they are kept here
so the rules can be tested without rendering: things keep their real relative size, nothing is
cut off at the frame edge or walks out of the shot, props rest on the ground instead of floating
in the sky, scenery stands beside the characters instead of through them, and a rider sits on
its mount's back.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

# Rough heights in metres of the sprite as drawn (a horse's head is above its back). Only ratios matter.
REAL_HEIGHT_M: dict[str, float] = {
    "horse": 2.0, "unicorn": 2.0, "elephant": 3.2, "giraffe": 5.0, "cow": 1.5, "dog": 0.6, "cat": 0.32,
    "mouse": 0.1, "rabbit": 0.3, "pig": 0.9, "sheep": 1.0, "goat": 0.9, "chicken": 0.45, "duck": 0.4,
    "penguin": 0.8, "turtle": 0.3, "bear": 1.5, "polar_bear": 1.6, "panda": 1.2, "lion": 1.2, "tiger": 1.1,
    "leopard": 0.9, "monkey": 0.6, "gorilla": 1.6, "fox": 0.45, "wolf": 0.8, "deer": 1.5, "camel": 2.2,
    "dinosaur": 4.0, "kangaroo": 1.5, "zebra": 1.5, "crocodile": 0.5, "hedgehog": 0.15, "squirrel": 0.25,
    "hamster": 0.1, "frog": 0.1, "snail": 0.05, "crab": 0.12, "flamingo": 1.3, "sloth": 0.6, "lizard": 0.1,
    "snake": 0.3, "car": 1.5, "taxi": 1.5, "bus": 3.2, "truck": 3.0, "tractor": 2.5, "bicycle": 1.0,
    "motorcycle": 1.1, "kick_scooter": 1.0, "skateboard": 0.15, "race_car": 1.1, "police_car": 1.5,
    "ambulance": 2.6, "fire_truck": 3.0,
}  # fmt: skip
PERSON_HEIGHT_M = 1.7
# How far another character's size may move from its usual size to keep real proportions: a cat
# next to a person shrinks, but stays big enough to see.
MIN_RELATIVE, MAX_RELATIVE = 0.3, 1.8

# Props that really float: everything else rests on the ground unless someone holds it.
FLOATING_PROPS = frozenset({"balloon", "kite", "lantern", "bubble", "heart", "skull", "magic_wand", "ufo"})
# What a held thing measures against the holder's standing height.
HELD_SHARE: dict[str, float] = {
    "balloon": 0.42, "guitar": 0.42, "violin": 0.3, "trumpet": 0.26, "microphone": 0.14, "ball": 0.16,
    "basketball": 0.16, "umbrella": 0.42, "phone": 0.1, "book": 0.16, "pizza": 0.2, "ice_cream": 0.18,
    "cake": 0.2, "sword": 0.36, "flower": 0.2, "rose": 0.2, "kite": 0.4, "teddy_bear": 0.25,
}  # fmt: skip
HELD_KIND_SHARE = {"food": 0.16, "object": 0.22, "plant": 0.22, "animal": 0.3, "person": 0.45}
# Held things drawn with their bottom at the hand (a balloon on its string) rather than centred on it.
HELD_BY_BOTTOM = frozenset({"balloon", "umbrella", "kite", "flower", "rose", "sword", "microphone"})
# Instruments played against the body rather than held out in the hand.
HELD_ON_TORSO = frozenset({"guitar", "violin", "drum", "piano", "accordion", "banjo", "ukulele"})
# Big things that never move: they stand to the side so they frame the characters instead of covering them.
SCENERY_KINDS = frozenset({"plant"})
SCENERY_KEYS = frozenset({"house", "castle", "tree", "palm_tree", "christmas_tree", "snowman", "tent", "bench"})


def real_height(key: str, kind: str) -> float | None:
    if kind == "person":
        return PERSON_HEIGHT_M
    return REAL_HEIGHT_M.get(key)


def relative_scale(*, key: str, kind: str, ref_key: str, ref_kind: str, own_px: float, ref_px: float) -> float:
    """Factor on a character's usual height so it keeps its real size next to the lead (1.0 when unknown)."""
    mine, ref = real_height(key, kind), real_height(ref_key, ref_kind)
    if mine is None or ref is None or own_px <= 0:
        return 1.0
    wanted = ref_px * mine / ref
    return float(min(MAX_RELATIVE, max(MIN_RELATIVE, wanted / own_px)))


def held_height(*, key: str, kind: str, holder_px: float) -> int:
    share = HELD_SHARE.get(key, HELD_KIND_SHARE.get(kind, 0.22))
    return max(8, round(holder_px * share))


def rests_on_ground(*, key: str, kind: str, action: str) -> bool:
    """A prop that would float in the sky is put down on the ground instead ("props floating in the sky")."""
    return kind in ("food", "object", "plant") and action == "float" and key not in FLOATING_PROPS


def is_scenery(*, key: str, kind: str) -> bool:
    return kind in SCENERY_KINDS or key in SCENERY_KEYS


def keep_in_frame(*, x: float, half_width: float, travel: float, left: float, right: float) -> tuple[float, float]:
    """Move a home position (and shorten its travel) so the whole sprite stays between left and right
    at every point of its path; `travel` is the full distance it moves, centred on x."""
    room = (right - left) / 2 - half_width
    if room <= 0:
        return (left + right) / 2, 0.0
    travel = min(travel, 2 * room)
    lo, hi = left + half_width + travel / 2, right - half_width - travel / 2
    return float(min(hi, max(lo, x))), float(travel)


def back_point(image: Image.Image) -> tuple[float, float]:
    """Where a rider sits on a side-view mount: the middle of its back, as (x, y) in image pixels.

    The back is the top of the ink over the middle third of the sprite, the lowest such top: heads,
    necks and tails rise above the back, the back itself is the dip between them.
    """
    alpha = np.asarray(image.getchannel("A")) > 96
    h, w = alpha.shape
    cols = range(int(w * 0.36), max(int(w * 0.36) + 1, int(w * 0.64)))
    tops = []
    for c in cols:
        rows = np.flatnonzero(alpha[:, c])
        if len(rows):
            tops.append((int(rows[0]), c))
    if not tops:
        return w / 2, h * 0.4
    y, x = max(tops)
    return float(x), float(y)

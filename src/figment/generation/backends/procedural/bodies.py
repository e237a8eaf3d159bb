"""Full-body characters built from parts, so a person can ride, sit, cook, surf, dance and hold things.

A body is a small skeleton (hip, neck, shoulders, two-segment arms and legs) posed by a closed-form
function of the cycle phase, then drawn in the engine's flat vector look: filled limbs with a dark
outline, a round head whose eyes, brows and mouth follow the character's emotion, and an outfit
chosen by the character's role (a chef's white jacket and toque, a clown's red nose, a cowboy's hat).

Frames are drawn once per (look, pose, size) and cached; the renderer only picks the frame for
time t. Every frame of one cycle has the same size and the same anchor, so picking frames never
makes the figure jump.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw

from figment.generation.backends.procedural.sprites import FONT_LOCK, render_emoji

RGB = tuple[int, int, int]

# Drawn at 2x, reduced with a box filter: cheap antialiasing for every stroke.
_SS = 2
FRAMES_PER_CYCLE = 8
EMOTIONS = ("neutral", "happy", "sad", "angry", "scared", "surprised", "sleepy")
# Poses a body can take; each has a cycle (seconds) and whether it stands on the ground.
POSES: dict[str, float] = {
    "idle": 2.4, "walk": 1.1, "run": 0.72, "dance": 1.0, "wave": 0.9, "jump": 1.0, "sit": 2.4, "sit_ground": 2.4,
    "ride": 0.8, "surf": 2.6, "hold_up": 2.4, "cook": 1.2, "play": 0.6, "kick": 1.0, "hold": 2.4, "eat": 1.6,
    "sleep": 3.6,
}  # fmt: skip
# The anchor of these poses is the hip (they sit on something drawn by someone else); the rest stand.
SEATED = frozenset({"ride"})

_OUTLINE: RGB = (38, 34, 40)
_SKINS: tuple[RGB, ...] = ((255, 220, 177), (241, 194, 150), (224, 172, 105), (198, 134, 66), (141, 85, 36))
_HAIRS: tuple[RGB, ...] = ((60, 40, 28), (20, 20, 24), (160, 96, 40), (222, 180, 90), (120, 60, 30))
_SHIRTS: tuple[RGB, ...] = (
    (230, 80, 70), (70, 140, 220), (90, 180, 110), (245, 190, 60), (160, 100, 200), (240, 130, 60), (60, 170, 170),
)  # fmt: skip
_TROUSERS: tuple[RGB, ...] = ((52, 72, 120), (70, 70, 80), (120, 90, 60), (40, 40, 48))


@dataclass(frozen=True, kw_only=True)
class Look:
    """What a character wears and how it is proportioned; hashable, so frames cache per look."""

    skin: RGB
    hair: RGB
    hair_style: str  # short, long, bald, none
    shirt: RGB
    trousers: RGB
    dress: bool = False
    hat: str = ""  # toque, cowboy, cap, cone, crown, helmet, santa, veil, top
    hat_colour: RGB = (250, 250, 250)
    nose: str = ""  # "red" for a clown
    beard: RGB | None = None
    cape: RGB | None = None
    head_emoji: str = ""  # robots and aliens keep their emoji head
    child: bool = False
    bare: bool = False  # a plain head (no hair, hat or features): a likeness face goes on top of it


# Role -> outfit. Keys are lexicon noun keys; roles not listed get a varied everyday outfit.
_ROLES: dict[str, dict[str, object]] = {
    "chef": {"shirt": (250, 250, 248), "trousers": (60, 60, 70), "hat": "toque"},
    "clown": {
        "shirt": (250, 200, 40),
        "trousers": (60, 120, 220),
        "nose": "red",
        "hair": (240, 90, 30),
        "hair_style": "curly",
    },
    "police": {"shirt": (40, 60, 120), "trousers": (30, 40, 80), "hat": "cap", "hat_colour": (30, 40, 80)},
    "doctor": {"shirt": (250, 250, 250), "trousers": (60, 160, 160)},
    "cowboy": {"shirt": (200, 70, 60), "trousers": (60, 90, 150), "hat": "cowboy", "hat_colour": (140, 90, 50)},
    "wizard": {
        "shirt": (110, 70, 170),
        "trousers": (110, 70, 170),
        "dress": True,
        "hat": "cone",
        "hat_colour": (90, 55, 150),
        "beard": (225, 225, 230),
    },
    "santa": {"shirt": (210, 40, 40), "trousers": (210, 40, 40), "hat": "santa", "beard": (250, 250, 250)},
    "astronaut": {"shirt": (240, 240, 245), "trousers": (220, 220, 228), "hat": "helmet"},
    "prince": {"shirt": (60, 80, 170), "trousers": (240, 240, 240), "hat": "crown", "cape": (180, 30, 50)},
    "princess": {
        "shirt": (245, 150, 200),
        "trousers": (245, 150, 200),
        "dress": True,
        "hat": "crown",
        "hair_style": "long",
    },
    "bride": {
        "shirt": (252, 252, 252),
        "trousers": (252, 252, 252),
        "dress": True,
        "hat": "veil",
        "hair_style": "long",
    },
    "groom": {"shirt": (40, 40, 48), "trousers": (40, 40, 48), "hair_style": "short"},
    "ninja": {"shirt": (30, 30, 36), "trousers": (30, 30, 36), "hat": "mask", "hat_colour": (30, 30, 36)},
    "superhero": {"shirt": (40, 90, 200), "trousers": (40, 90, 200), "cape": (220, 40, 40)},
    "firefighter": {"shirt": (220, 170, 60), "trousers": (200, 150, 50), "hat": "cap", "hat_colour": (210, 40, 30)},
    "elf": {"shirt": (60, 150, 70), "trousers": (120, 80, 40), "hat": "cone", "hat_colour": (60, 150, 70)},
    "vampire": {"shirt": (30, 30, 36), "trousers": (30, 30, 36), "cape": (150, 20, 30), "skin": (232, 228, 225)},
    "zombie": {"shirt": (110, 120, 90), "trousers": (80, 70, 60), "skin": (150, 190, 130)},
    "detective": {"shirt": (190, 160, 110), "trousers": (90, 80, 70), "hat": "cowboy", "hat_colour": (100, 80, 60)},
    "singer": {"shirt": (170, 60, 200), "trousers": (30, 30, 36)},
    "dancer": {"shirt": (220, 40, 70), "trousers": (220, 40, 70), "dress": True, "hair_style": "long"},
    "grandparent": {"hair": (215, 215, 220), "shirt": (150, 110, 90)},
    "robot": {"shirt": (170, 180, 195), "trousers": (140, 150, 165), "head_emoji": "🤖"},
    "alien": {"shirt": (120, 200, 120), "trousers": (90, 160, 90), "head_emoji": "👽"},
}
_FEMALE = frozenset({"woman", "girl", "princess", "bride", "dancer"})
_MALE = frozenset({"man", "boy", "groom", "santa", "wizard", "prince", "cowboy"})
CHILDREN = frozenset({"girl", "boy", "kid", "baby", "child", "toddler"})


def _pick(options: tuple[RGB, ...], seed: int, salt: str) -> RGB:
    digest = hashlib.sha256(f"{seed}:{salt}".encode()).digest()
    return options[digest[0] % len(options)]


def look_for(*, key: str, seed: int, colour: RGB | None = None) -> Look:
    """The outfit of a character: its role's, or a varied everyday one; a named colour dyes the shirt."""
    role = _ROLES.get(key, {})
    fields: dict[str, object] = {
        "skin": _pick(_SKINS, seed, "skin"),
        "hair": _pick(_HAIRS, seed, "hair"),
        "hair_style": "long" if key in _FEMALE else "short" if key in _MALE else ("long", "short")[seed % 2],
        "shirt": _pick(_SHIRTS, seed, "shirt"),
        "trousers": _pick(_TROUSERS, seed, "trousers"),
        "child": key in CHILDREN,
    }
    if key in ("girl",) and seed % 2:
        fields["dress"] = True
    if key == "baby":
        fields["hair_style"] = "none"
    fields.update(role)
    if colour is not None:
        fields["shirt"] = colour
        if fields.get("dress"):
            fields["trousers"] = colour
    return Look(**fields)  # type: ignore[arg-type]


def lit(look: Look, light: tuple[float, float, float]) -> Look:
    """The same outfit under coloured light (night, sunset): each colour scaled per channel.

    Lighting the few colours of a look is free, where lighting every drawn frame would cost a
    full-image pass per frame.
    """
    if light == (1.0, 1.0, 1.0):
        return look

    def under(rgb: RGB) -> RGB:
        return (round(rgb[0] * light[0]), round(rgb[1] * light[1]), round(rgb[2] * light[2]))

    changes: dict[str, object] = {
        name: under(getattr(look, name)) for name in ("skin", "hair", "shirt", "trousers", "hat_colour")
    }
    for name in ("beard", "cape"):
        value = getattr(look, name)
        if value is not None:
            changes[name] = under(value)
    return dataclasses.replace(look, **changes)  # type: ignore[arg-type]


@dataclass(frozen=True, kw_only=True)
class Skeleton:
    """Joint angles in degrees. Limb angles are measured from straight down, positive = forward."""

    lean: float = 0.0  # torso, positive = forward
    near_leg: tuple[float, float] = (0.0, 0.0)  # thigh angle, knee bend (shin swings back by it)
    far_leg: tuple[float, float] = (0.0, 0.0)
    near_arm: tuple[float, float] = (8.0, 8.0)  # shoulder angle, elbow bend (forearm swings forward)
    far_arm: tuple[float, float] = (-8.0, 8.0)
    hip_dy: float = 0.0  # hip drop, share of height (a crouch)
    spread: float = 0.0  # legs apart sideways (a surfer's stance), share of height


def skeleton_for(pose: str, u: float) -> Skeleton:
    """The pose at phase u (0..1) of its cycle."""
    s = math.sin(2 * math.pi * u)
    c = math.cos(2 * math.pi * u)
    if pose == "walk":
        return Skeleton(
            near_leg=(26 * s, 8 + 22 * max(0.0, -c)),
            far_leg=(-26 * s, 8 + 22 * max(0.0, c)),
            near_arm=(-24 * s, 18),
            far_arm=(24 * s, 18),
        )
    if pose == "run":
        return Skeleton(
            lean=12,
            near_leg=(42 * s, 25 + 55 * max(0.0, -c)),
            far_leg=(-42 * s, 25 + 55 * max(0.0, c)),
            near_arm=(-50 * s, 85),
            far_arm=(50 * s, 85),
        )
    if pose == "dance":
        return Skeleton(
            lean=6 * s,
            near_leg=(14 * max(0.0, s), 25 * max(0.0, s)),
            far_leg=(-14 * max(0.0, -s), 25 * max(0.0, -s)),
            near_arm=(150 + 20 * s, 30 + 25 * c),
            far_arm=(-150 + 20 * s, -30 + 25 * c),
            hip_dy=0.02 * abs(s),
        )
    if pose == "wave":
        return Skeleton(near_arm=(150, 25 + 30 * s), far_arm=(-8, 10))
    if pose == "jump":
        air = math.sin(math.pi * u)
        return Skeleton(
            near_leg=(20 * air, 60 * air),
            far_leg=(10 * air, 60 * air),
            near_arm=(40 + 120 * air, 20),
            far_arm=(-40 - 120 * air, -20),
        )
    if pose == "sit":
        return Skeleton(near_leg=(88, 90), far_leg=(84, 86), near_arm=(28, 50 + 4 * s), far_arm=(22, 50))
    if pose == "sit_ground":
        return Skeleton(near_leg=(80, 15), far_leg=(74, 25), near_arm=(30 + 3 * s, 20), far_arm=(-30, 20), hip_dy=0.0)
    if pose == "ride":
        return Skeleton(
            lean=8 + 3 * s, near_leg=(42, 48), far_leg=(38, 46), near_arm=(52 + 6 * s, 35), far_arm=(46 + 6 * s, 35)
        )
    if pose == "surf":
        return Skeleton(
            lean=14 + 4 * s,
            near_leg=(24, 28),
            far_leg=(-24, 28),
            near_arm=(85 + 10 * s, -10),
            far_arm=(-85 + 10 * s, 10),
            hip_dy=0.03 + 0.01 * s,
            spread=0.02,
        )
    if pose == "cook":
        return Skeleton(near_arm=(62, 28), far_arm=(48 + 12 * s, 70 + 20 * c), lean=4)
    if pose == "play":
        return Skeleton(near_arm=(30, 80 + 16 * s), far_arm=(72, 40), lean=3)
    if pose == "kick":
        k = max(0.0, math.sin(2 * math.pi * u))
        return Skeleton(
            near_leg=(-25 + 75 * k, 30 - 25 * k), far_leg=(-6, 6), near_arm=(-30 * k, 20), far_arm=(30 * k, 20)
        )
    if pose == "hold":
        return Skeleton(near_arm=(58 + 4 * s, 30), far_arm=(-10, 12))
    if pose == "hold_up":
        # A balloon's string, a kite's line, an umbrella's handle: the hand is raised above the shoulder.
        return Skeleton(near_arm=(150 + 3 * s, 10), far_arm=(-10, 12))
    if pose == "eat":
        k = max(0.0, math.sin(2 * math.pi * u)) if u < 0.5 else 0.0
        return Skeleton(near_arm=(40 + 60 * k, 70 + 70 * k), far_arm=(-8, 10))
    # idle and sleep: weight on one leg, arms relaxed, a little breath.
    return Skeleton(near_leg=(4, 3), far_leg=(-4, 3), near_arm=(10 + 2 * s, 10), far_arm=(-10 - 2 * s, 10))


@dataclass(frozen=True)
class BodyFrames:
    """One pose cycle of one character. `anchor` is where it touches the world (feet, or hip for riders)."""

    images: tuple[Image.Image, ...]
    anchor: tuple[float, float]
    # Where the near hand is in each frame (image px): held props, food and instruments go there.
    hands: tuple[tuple[float, float], ...]
    # The top of the head and the head's centre in the first frame (image px): companions and likeness faces.
    head_top: float
    head: tuple[float, float]
    head_r: float
    cycle_s: float
    pivot: Literal["bottom", "center"]  # anchor at the bottom centre, or at the image centre


def _p(x: float, y: float) -> tuple[float, float]:
    return (x * _SS, y * _SS)


def _limb(draw: ImageDraw.ImageDraw, a: tuple[float, float], b: tuple[float, float], width: float, fill: RGB) -> None:
    """A round-capped segment with an outline, in 1x units."""
    ow = width + 2.4
    for w, colour in ((ow, _OUTLINE), (width, fill)):
        draw.line([_p(*a), _p(*b)], fill=colour, width=max(1, round(w * _SS)))
        for x, y in (a, b):
            r = w / 2
            draw.ellipse([_p(x - r, y - r), _p(x + r, y + r)], fill=colour)


def _polygon(draw: ImageDraw.ImageDraw, points: list[tuple[float, float]], fill: RGB) -> None:
    draw.polygon([_p(*pt) for pt in points], fill=fill, outline=_OUTLINE, width=max(1, round(1.2 * _SS)))


def _ellipse(
    draw: ImageDraw.ImageDraw, cx: float, cy: float, rx: float, ry: float, fill: RGB, line: float = 1.2
) -> None:
    draw.ellipse(
        [_p(cx - rx, cy - ry), _p(cx + rx, cy + ry)], fill=fill, outline=_OUTLINE, width=max(1, round(line * _SS))
    )


Point = tuple[float, float]


def _chain(start: Point, a1: float, l1: float, a2: float, l2: float, facing: float = 1.0) -> tuple[Point, Point]:
    """Two segments from `start`: angles from straight down (degrees), positive toward +x."""
    x0, y0 = start
    x1 = x0 + facing * l1 * math.sin(math.radians(a1))
    y1 = y0 + l1 * math.cos(math.radians(a1))
    x2 = x1 + facing * l2 * math.sin(math.radians(a2))
    y2 = y1 + l2 * math.cos(math.radians(a2))
    return (x1, y1), (x2, y2)


def _shade(rgb: RGB, k: float) -> RGB:
    return (int(rgb[0] * k), int(rgb[1] * k), int(rgb[2] * k))


def _face(draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, emotion: str, look: Look) -> None:
    """Eyes, brows and mouth: the parts that say how the character feels."""
    ex, ey, er = r * 0.36, cy - r * 0.05, max(1.2, r * 0.1)
    dark = _OUTLINE
    lw = max(1, round(max(1.0, r * 0.09) * _SS))
    for side in (-1, 1):
        x = cx + side * ex
        if emotion == "sleepy":
            draw.arc([_p(x - er * 1.3, ey - er), _p(x + er * 1.3, ey + er)], 10, 170, fill=dark, width=lw)
        elif emotion == "happy":
            draw.arc([_p(x - er * 1.3, ey - er * 0.6), _p(x + er * 1.3, ey + er * 1.6)], 200, 340, fill=dark, width=lw)
        elif emotion in ("scared", "surprised"):
            _ellipse(draw, x, ey, er * 1.5, er * 1.8, (255, 255, 255), line=max(0.8, r * 0.06))
            _ellipse(draw, x, ey + er * 0.2, er * 0.7, er * 0.8, dark, line=0.5)
        else:
            _ellipse(draw, x, ey, er, er * 1.2, dark, line=0.5)
        # Brows: their slant carries most of the emotion at small sizes.
        by = ey - r * 0.28
        inner, outer = {
            "sad": (-r * 0.1, r * 0.04),
            "angry": (r * 0.08, -r * 0.1),
            "scared": (-r * 0.12, -r * 0.02),
            "surprised": (-r * 0.1, -r * 0.1),
        }.get(emotion, (0.0, 0.0))
        if emotion != "sleepy":
            draw.line([_p(x - side * er * 1.4, by + inner), _p(x + side * er * 1.4, by + outer)], fill=dark, width=lw)
    my = cy + r * 0.42
    mw = r * 0.34
    if look.nose == "red":
        _ellipse(draw, cx, cy + r * 0.14, r * 0.17, r * 0.15, (230, 30, 40), line=0.8)
    if emotion == "happy":
        draw.chord(
            [_p(cx - mw, my - r * 0.2), _p(cx + mw, my + r * 0.22)], 0, 180, fill=(120, 30, 40), outline=dark, width=lw
        )
    elif emotion == "sad":
        draw.arc([_p(cx - mw * 0.8, my - r * 0.02), _p(cx + mw * 0.8, my + r * 0.3)], 200, 340, fill=dark, width=lw)
        # A tear under the eye.
        _ellipse(draw, cx + ex + r * 0.05, ey + r * 0.3, r * 0.07, r * 0.11, (90, 170, 240), line=0.5)
    elif emotion == "angry":
        draw.line([_p(cx - mw * 0.7, my + r * 0.06), _p(cx + mw * 0.7, my)], fill=dark, width=lw)
        _ellipse(draw, cx - r * 0.55, cy + r * 0.25, r * 0.12, r * 0.07, (240, 110, 100), line=0.1)
        _ellipse(draw, cx + r * 0.55, cy + r * 0.25, r * 0.12, r * 0.07, (240, 110, 100), line=0.1)
    elif emotion in ("scared", "surprised"):
        _ellipse(draw, cx, my + r * 0.04, r * 0.12, r * 0.16, (120, 30, 40), line=max(0.8, r * 0.06))
    elif emotion == "sleepy":
        _ellipse(draw, cx, my, r * 0.08, r * 0.06, (120, 30, 40), line=0.5)
    else:
        draw.arc([_p(cx - mw * 0.8, my - r * 0.25), _p(cx + mw * 0.8, my + r * 0.1)], 20, 160, fill=dark, width=lw)


def _head(
    image: Image.Image, draw: ImageDraw.ImageDraw, cx: float, cy: float, r: float, look: Look, emotion: str
) -> None:
    if look.bare:
        _ellipse(draw, cx, cy, r, r * 1.02, look.skin)
        return
    if look.head_emoji:
        with FONT_LOCK:
            glyph = render_emoji(look.head_emoji, max(8, round(r * 2.3 * _SS)))
        image.alpha_composite(glyph, (round(cx * _SS - glyph.width / 2), round(cy * _SS - glyph.height / 2)))
        return
    if look.cape is not None:
        pass  # drawn with the torso
    if look.hair_style == "long":
        _polygon(
            draw,
            [
                (cx - r * 1.05, cy - r * 0.2),
                (cx + r * 1.05, cy - r * 0.2),
                (cx + r * 1.1, cy + r * 1.25),
                (cx - r * 1.1, cy + r * 1.25),
            ],
            look.hair,
        )
    _ellipse(draw, cx, cy, r, r * 1.02, look.skin)
    if look.hair_style in ("short", "long"):
        draw.chord(
            [_p(cx - r, cy - r * 1.05), _p(cx + r, cy + r * 0.6)], 180, 360, fill=look.hair, outline=_OUTLINE, width=_SS
        )
    elif look.hair_style == "curly":
        for k in range(5):
            a = math.radians(200 + k * 35)
            _ellipse(
                draw, cx + r * 1.0 * math.cos(a), cy + r * 0.9 * math.sin(a), r * 0.35, r * 0.35, look.hair, line=0.8
            )
    if look.beard is not None:
        draw.chord(
            [_p(cx - r * 0.9, cy - r * 0.2), _p(cx + r * 0.9, cy + r * 1.45)],
            0,
            180,
            fill=look.beard,
            outline=_OUTLINE,
            width=_SS,
        )
    _face(draw, cx, cy, r, emotion, look)
    hat = look.hat
    hc = look.hat_colour
    if hat == "toque":
        _polygon(
            draw,
            [
                (cx - r * 0.7, cy - r * 0.8),
                (cx + r * 0.7, cy - r * 0.8),
                (cx + r * 0.75, cy - r * 1.35),
                (cx - r * 0.75, cy - r * 1.35),
            ],
            (250, 250, 250),
        )
        for dx in (-0.45, 0.0, 0.45):
            _ellipse(draw, cx + dx * r, cy - r * 1.6, r * 0.45, r * 0.4, (250, 250, 250))
    elif hat == "cowboy":
        _ellipse(draw, cx, cy - r * 0.75, r * 1.55, r * 0.22, hc)
        _polygon(
            draw,
            [
                (cx - r * 0.7, cy - r * 0.75),
                (cx + r * 0.7, cy - r * 0.75),
                (cx + r * 0.55, cy - r * 1.45),
                (cx - r * 0.55, cy - r * 1.45),
            ],
            hc,
        )
    elif hat == "cap":
        draw.chord(
            [_p(cx - r, cy - r * 1.15), _p(cx + r, cy - r * 0.15)], 180, 360, fill=hc, outline=_OUTLINE, width=_SS
        )
        _ellipse(draw, cx + r * 0.55, cy - r * 0.62, r * 0.6, r * 0.14, hc)
    elif hat == "cone":
        _polygon(draw, [(cx - r * 0.95, cy - r * 0.6), (cx + r * 0.95, cy - r * 0.6), (cx + r * 0.2, cy - r * 2.2)], hc)
    elif hat == "santa":
        _polygon(
            draw,
            [(cx - r * 0.95, cy - r * 0.6), (cx + r * 0.95, cy - r * 0.6), (cx + r * 1.2, cy - r * 1.6)],
            (210, 40, 40),
        )
        _ellipse(draw, cx, cy - r * 0.6, r * 1.0, r * 0.2, (250, 250, 250))
        _ellipse(draw, cx + r * 1.2, cy - r * 1.6, r * 0.22, r * 0.22, (250, 250, 250))
    elif hat == "crown":
        spikes = ((-0.7, 0.75), (-0.75, 1.4), (-0.35, 1.05), (0.0, 1.5), (0.35, 1.05), (0.75, 1.4), (0.7, 0.75))
        pts = [(cx + dx * r, cy - dy * r) for dx, dy in spikes]
        _polygon(draw, pts, (250, 200, 40))
    elif hat == "veil":
        _polygon(
            draw,
            [
                (cx - r * 0.8, cy - r * 0.9),
                (cx + r * 0.8, cy - r * 0.9),
                (cx + r * 1.3, cy + r * 1.6),
                (cx - r * 1.3, cy + r * 1.6),
            ],
            (245, 245, 250),
        )
        _ellipse(draw, cx, cy, r * 0.85, r * 0.87, look.skin)
        _face(draw, cx, cy, r * 0.85, emotion, look)
    elif hat == "mask":
        draw.chord(
            [_p(cx - r, cy - r * 1.05), _p(cx + r, cy + r * 1.05)], 180, 360, fill=hc, outline=_OUTLINE, width=_SS
        )
        draw.chord(
            [_p(cx - r, cy - r * 1.05), _p(cx + r, cy + r * 1.05)], 20, 160, fill=hc, outline=_OUTLINE, width=_SS
        )
    elif hat == "helmet":
        draw.ellipse(
            [_p(cx - r * 1.3, cy - r * 1.3), _p(cx + r * 1.3, cy + r * 1.3)], outline=_OUTLINE, width=round(1.4 * _SS)
        )
        draw.ellipse(
            [_p(cx - r * 1.22, cy - r * 1.22), _p(cx + r * 1.22, cy + r * 1.22)],
            outline=(200, 225, 245),
            width=round(1.6 * _SS),
        )


def _draw_body(
    look: Look, skel: Skeleton, *, height: float, emotion: str, prop: str, board: bool, seat: bool
) -> tuple[Image.Image, tuple[float, float], tuple[float, float], float, tuple[float, float]]:
    """One frame on a canvas. Returns it with the hip, the near hand, the head top and head centre (1x px)."""
    h = height
    head_r = h * (0.13 if look.child else 0.105)
    body_h = h - 2 * head_r
    leg1, leg2 = body_h * 0.27, body_h * 0.25
    torso = body_h * 0.36
    arm1, arm2 = body_h * 0.19, body_h * 0.18
    limb = max(2.0, h * 0.045)
    # Just big enough for arms raised above the head and legs stretched forward on a bench.
    cw, ch = int(h * 1.5), int(h * 1.5)
    image = Image.new("RGBA", (cw * _SS, ch * _SS), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    hip = (cw / 2, h * 0.88 + skel.hip_dy * h)
    lean = math.radians(skel.lean)
    neck = (hip[0] + torso * math.sin(lean), hip[1] - torso * math.cos(lean))
    head = (neck[0] + head_r * 0.9 * math.sin(lean), neck[1] - head_r * 0.95)
    shoulder_w = h * 0.085
    shoulder_y = neck[1] + h * 0.03
    hips_w = h * 0.05

    if seat:
        # A plain bench under the sitter, so "sitting" reads even with nothing to sit on in the scene.
        top = hip[1] + limb * 0.5
        wood = (150, 100, 60)
        _polygon(
            draw,
            [
                (hip[0] - h * 0.32, top),
                (hip[0] + h * 0.38, top),
                (hip[0] + h * 0.38, top + h * 0.05),
                (hip[0] - h * 0.32, top + h * 0.05),
            ],
            wood,
        )
        foot_y = hip[1] + leg1 * math.cos(math.radians(skel.near_leg[0])) + leg2
        for x in (hip[0] - h * 0.27, hip[0] + h * 0.33):
            _polygon(
                draw,
                [
                    (x - h * 0.02, top + h * 0.05),
                    (x + h * 0.02, top + h * 0.05),
                    (x + h * 0.02, foot_y),
                    (x - h * 0.02, foot_y),
                ],
                _shade(wood, 0.8),
            )
        _polygon(
            draw,
            [
                (hip[0] - h * 0.32, top - h * 0.28),
                (hip[0] - h * 0.26, top - h * 0.28),
                (hip[0] - h * 0.26, top),
                (hip[0] - h * 0.32, top),
            ],
            wood,
        )

    if look.cape is not None:
        _polygon(
            draw,
            [
                (neck[0] - shoulder_w, shoulder_y),
                (neck[0] + shoulder_w, shoulder_y),
                (hip[0] - h * 0.16, hip[1] + leg1 * 0.9),
                (hip[0] - h * 0.02, hip[1] + leg1),
            ],
            look.cape,
        )

    def leg(side: float, angles: tuple[float, float], shade: float) -> tuple[float, float]:
        start = (hip[0] + side * hips_w + side * skel.spread * h, hip[1])
        knee, foot = _chain(start, angles[0], leg1, angles[0] - angles[1], leg2)
        colour = _shade(look.trousers, shade)
        _limb(draw, start, knee, limb * 1.15, colour)
        _limb(draw, knee, foot, limb * 1.05, colour)
        _ellipse(
            draw, foot[0] + limb * 0.45, foot[1] + limb * 0.15, limb * 0.95, limb * 0.55, _shade((50, 40, 40), shade)
        )
        return foot

    def arm(side: float, angles: tuple[float, float], shade: float) -> tuple[float, float]:
        start = (neck[0] + side * shoulder_w, shoulder_y)
        elbow, hand = _chain(start, angles[0] + skel.lean, arm1, angles[0] + angles[1] + skel.lean, arm2)
        _limb(draw, start, elbow, limb, _shade(look.shirt, shade))
        _limb(draw, elbow, hand, limb * 0.9, _shade(look.skin, shade))
        _ellipse(draw, hand[0], hand[1], limb * 0.62, limb * 0.62, _shade(look.skin, shade), line=0.8)
        return hand

    feet = [leg(-1, skel.far_leg, 0.78)]
    arm(-1, skel.far_arm, 0.8)
    feet.append(leg(1, skel.near_leg, 1.0))
    # Torso: a rounded trapezoid from shoulders to hips; a dress flares past the knees.
    if look.dress:
        hem = hip[1] + leg1 * 0.95
        _polygon(
            draw,
            [
                (neck[0] - shoulder_w * 0.9, shoulder_y),
                (neck[0] + shoulder_w * 0.9, shoulder_y),
                (hip[0] + h * 0.13, hem),
                (hip[0] - h * 0.13, hem),
            ],
            look.shirt,
        )
    else:
        _polygon(
            draw,
            [
                (neck[0] - shoulder_w, shoulder_y - limb * 0.3),
                (neck[0] + shoulder_w, shoulder_y - limb * 0.3),
                (hip[0] + hips_w * 1.5, hip[1] + limb * 0.4),
                (hip[0] - hips_w * 1.5, hip[1] + limb * 0.4),
            ],
            look.shirt,
        )
    _head(image, draw, head[0], head[1], head_r, look, emotion)
    hand = arm(1, skel.near_arm, 1.0)
    if board:
        low = max(f[1] for f in feet) + limb * 0.6
        _ellipse(draw, hip[0], low + h * 0.025, h * 0.42, h * 0.035, (250, 120, 60))
        draw.line(
            [_p(hip[0] - h * 0.38, low + h * 0.025), _p(hip[0] + h * 0.38, low + h * 0.025)],
            fill=(250, 250, 250),
            width=_SS,
        )
    if prop:
        with FONT_LOCK:
            glyph = render_emoji(prop, max(8, round(h * 0.2 * _SS)))
        image.alpha_composite(
            glyph, (round(hand[0] * _SS - glyph.width * 0.3), round(hand[1] * _SS - glyph.height * 0.6))
        )
    top = head[1] - head_r * (1.6 if not look.bare and look.hat in ("toque", "cone", "crown", "santa") else 1.05)
    return image, hip, hand, top, head


@functools.lru_cache(maxsize=64)
def body_frames(
    look: Look, pose: str, height_px: int, emotion: str = "neutral", prop: str = "", mirror: bool = False
) -> BodyFrames:
    """The frames of one pose cycle, `height_px` tall standing (children come out shorter).

    Bodies face right (+x); `mirror` gives the same cycle facing left, for characters moving left.
    """
    if mirror:
        base = body_frames(look, pose, height_px, emotion, prop, False)
        w = base.images[0].width
        return BodyFrames(
            images=tuple(img.transpose(Image.Transpose.FLIP_LEFT_RIGHT) for img in base.images),
            anchor=(w - base.anchor[0], base.anchor[1]),
            hands=tuple((w - x, y) for x, y in base.hands),
            head_top=base.head_top,
            head=(w - base.head[0], base.head[1]),
            head_r=base.head_r,
            cycle_s=base.cycle_s,
            pivot=base.pivot,
        )
    if pose not in POSES:
        raise ValueError(f"unknown body pose {pose!r}; expected one of {sorted(POSES)}")
    h = float(height_px) * (0.72 if look.child else 1.0)
    n = FRAMES_PER_CYCLE if pose not in ("idle", "hold", "hold_up", "sit", "sit_ground", "sleep") else 4
    raw = [
        _draw_body(
            look,
            skeleton_for(pose, k / n),
            height=h,
            emotion="sleepy" if pose == "sleep" else emotion,
            prop=prop,
            board=pose == "surf",
            seat=pose == "sit",
        )
        for k in range(n)
    ]
    # The union of every frame's ink, found at 2x and cut before reducing: reducing only the ink is
    # several times cheaper than reducing the whole canvas.
    box = None
    for img, *_ in raw:
        b = img.getchannel("A").getbbox()
        if b is not None:
            box = b if box is None else (min(box[0], b[0]), min(box[1], b[1]), max(box[2], b[2]), max(box[3], b[3]))
    assert box is not None  # nosec B101  # a body always has ink
    hip = raw[0][1]
    cx = hip[0]
    left, top, right, bottom = (float(v) / _SS for v in box)
    half = math.ceil(max(cx - left, right - cx)) + 1
    if pose in SEATED:
        vhalf = math.ceil(max(hip[1] - top, bottom - hip[1])) + 1
        crop = (round(cx - half), round(hip[1] - vhalf), round(cx + half), round(hip[1] + vhalf))
        pivot: Literal["bottom", "center"] = "center"
        anchor = (float(half), float(vhalf))
    else:
        crop = (round(cx - half), math.floor(top), round(cx + half), math.ceil(bottom))
        pivot = "bottom"
        anchor = (float(half), float(crop[3] - crop[1]))
    images = [img.crop((crop[0] * _SS, crop[1] * _SS, crop[2] * _SS, crop[3] * _SS)).reduce(_SS) for img, *_ in raw]
    out = tuple(images)
    if pose == "sleep":
        # Lying down: the standing figure turned on its side, feet toward the frame's right.
        out = tuple(img.rotate(90, expand=True) for img in out)
        w0 = out[0].width
        return BodyFrames(
            images=out,
            anchor=(w0 / 2, float(out[0].height)),
            hands=tuple((w0 / 2, out[0].height * 0.5) for _ in out),
            head_top=0.0,
            head=(w0 * 0.2, out[0].height * 0.5),
            head_r=h * 0.1,
            cycle_s=POSES[pose],
            pivot="bottom",
        )
    hands = tuple((hand[0] - crop[0], hand[1] - crop[1]) for _, _, hand, _, _ in raw)
    head_top = min(frame[3] for frame in raw) - crop[1]
    head = (raw[0][4][0] - crop[0], raw[0][4][1] - crop[1])
    return BodyFrames(
        images=out,
        anchor=anchor,
        hands=hands,
        head_top=head_top,
        head=head,
        head_r=h * (0.13 if look.child else 0.105),
        cycle_s=POSES[pose],
        pivot=pivot,
    )


# Animals whose emoji is only a head: they get a four-legged body under it.
HEAD_ONLY_ANIMALS = frozenset({"lion", "bear", "panda", "fox", "wolf", "hamster", "koala"})
ANIMAL_POSES = frozenset({"walk", "run", "idle"})


def _body_colour(glyph: Image.Image) -> RGB:
    """The main fur colour of a head glyph: the commonest bright-enough opaque colour, outlines left out."""
    small = np.asarray(glyph.convert("RGBA").resize((32, 32), Image.Resampling.NEAREST)).reshape(-1, 4)
    counts: dict[RGB, int] = {}
    for r, g, b, a in small.tolist():
        if a > 200 and max(r, g, b) > 70:
            key = (r // 16 * 16 + 8, g // 16 * 16 + 8, b // 16 * 16 + 8)
            counts[key] = counts.get(key, 0) + 1
    return max(counts, key=lambda c: counts[c]) if counts else (150, 110, 70)


def _animal_skeleton(pose: str, u: float) -> tuple[float, float, float, float, float]:
    """Thigh angles of the four legs (front near, front far, back near, back far) and a body bob (share)."""
    s = math.sin(2 * math.pi * u)
    swing = {"walk": 24.0, "run": 38.0}.get(pose, 3.0)
    # Diagonal pairs move together, as a trotting animal's do.
    return swing * s, -swing * s, -swing * s, swing * s, (0.03 if pose == "run" else 0.012) * abs(s)


@functools.lru_cache(maxsize=32)
def animal_frames(head_emoji: str, pose: str, height_px: int, mirror: bool = False) -> BodyFrames:
    """A four-legged body with `head_emoji` as its head, walking, running or standing; faces right."""
    if pose not in ANIMAL_POSES:
        raise ValueError(f"unknown animal pose {pose!r}; expected one of {sorted(ANIMAL_POSES)}")
    if mirror:
        base = animal_frames(head_emoji, pose, height_px, False)
        w = base.images[0].width
        return BodyFrames(
            images=tuple(img.transpose(Image.Transpose.FLIP_LEFT_RIGHT) for img in base.images),
            anchor=(w - base.anchor[0], base.anchor[1]),
            hands=tuple((w - x, y) for x, y in base.hands),
            head_top=base.head_top,
            head=(w - base.head[0], base.head[1]),
            head_r=base.head_r,
            cycle_s=base.cycle_s,
            pivot=base.pivot,
        )
    h = float(height_px)
    with FONT_LOCK:
        glyph = render_emoji(head_emoji, max(8, round(h * 0.6 * _SS)))
    fur = _body_colour(glyph)
    cw, ch = int(h * 1.7), int(h * 1.3)
    n = FRAMES_PER_CYCLE if pose != "idle" else 4
    leg1, leg2 = h * 0.2, h * 0.19
    limb = h * 0.09
    frames: list[Image.Image] = []
    head_at = (0.0, 0.0)
    for k in range(n):
        fn, ff, bn, bf, bob = _animal_skeleton(pose, k / n)
        image = Image.new("RGBA", (cw * _SS, ch * _SS), (0, 0, 0, 0))
        draw = ImageDraw.Draw(image)
        body_y = ch - leg1 - leg2 - h * 0.12 - bob * h
        cx = cw * 0.45
        hips = (cx - h * 0.36, body_y)
        shoulders = (cx + h * 0.3, body_y)
        for start, angle, shade in ((shoulders, ff, 0.75), (hips, bf, 0.75)):
            knee, foot = _chain(start, angle, leg1, angle - 10, leg2)
            _limb(draw, start, knee, limb, _shade(fur, shade))
            _limb(draw, knee, foot, limb * 0.9, _shade(fur, shade))
        # Tail, then the body over the far legs.
        _limb(
            draw,
            (hips[0] - h * 0.05, body_y - h * 0.05),
            (hips[0] - h * 0.24, body_y - h * 0.2 + bob * h),
            limb * 0.6,
            fur,
        )
        _ellipse(draw, cx - h * 0.03, body_y, h * 0.5, h * 0.2, fur)
        for start, angle in ((shoulders, fn), (hips, bn)):
            knee, foot = _chain(start, angle, leg1, angle - 10, leg2)
            _limb(draw, start, knee, limb, fur)
            _limb(draw, knee, foot, limb * 0.9, fur)
        head_at = (shoulders[0] + h * 0.12, body_y - h * 0.2)
        image.alpha_composite(
            glyph, (round(head_at[0] * _SS - glyph.width / 2), round(head_at[1] * _SS - glyph.height / 2))
        )
        frames.append(image)
    box = None
    for img in frames:
        b = img.getchannel("A").getbbox()
        if b is not None:
            box = b if box is None else (min(box[0], b[0]), min(box[1], b[1]), max(box[2], b[2]), max(box[3], b[3]))
    assert box is not None  # nosec B101  # the head glyph always has ink
    left, top, right, bottom = (float(v) / _SS for v in box)
    mid = (left + right) / 2
    half = math.ceil((right - left) / 2) + 1
    crop = (round(mid - half), math.floor(top), round(mid + half), math.ceil(bottom))
    images = tuple(img.crop((crop[0] * _SS, crop[1] * _SS, crop[2] * _SS, crop[3] * _SS)).reduce(_SS) for img in frames)
    mouth = (head_at[0] - crop[0] + h * 0.2, head_at[1] - crop[1] + h * 0.12)
    return BodyFrames(
        images=images,
        anchor=(float(half), float(crop[3] - crop[1])),
        hands=tuple(mouth for _ in images),
        head_top=head_at[1] - crop[1] - h * 0.3,
        head=(head_at[0] - crop[0], head_at[1] - crop[1]),
        head_r=h * 0.3,
        cycle_s=POSES["run" if pose == "run" else "walk" if pose == "walk" else "idle"],
        pivot="bottom",
    )

"""Actions as motion: where each character is, how it leans and squashes, at time t.

Every pattern is a closed-form function of time (no simulation state), so any frame can be drawn
on its own and two renders of one plan agree to the pixel.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

Pivot = Literal["bottom", "center"]

# Actions that keep a character on the ground (it casts a shadow and stands on a lane).
GROUNDED = frozenset({"walk", "run", "jump", "dance", "spin", "wave", "sleep", "sing", "idle", "drive", "sway", "eat"})
# Actions that carry a character across the frame; the camera tracks the lead one.
TRAVELLING = {"walk": 0.25, "run": 0.4, "drive": 0.45, "fly": 0.4, "swim": 0.3, "sail": 0.15}
# How much faster the background scrolls when the camera follows a travelling lead (frame widths).
TRACKING = {"walk": 0.6, "run": 1.4, "drive": 2.2, "fly": 0.9, "swim": 0.5, "sail": 0.3}


@dataclass(frozen=True, kw_only=True)
class Actor:
    """One character instance, laid out once; `pose_at` animates it."""

    action: str
    x: float  # home position, screen px
    base_y: float  # feet line (grounded) or centre line (airborne), screen px
    width: float
    height: float
    direction: int  # +1 moves right, -1 moves left
    phase: float  # 0..1, de-synchronises instances of one subject
    beat_s: float  # music beat, so dancers dance on the beat
    frame_w: int
    frame_h: int
    duration_s: float
    loop_across: bool  # static camera: travellers wrap around the frame instead of drifting
    tracked: bool = False  # a tracking camera follows this one, so it stays near its home position
    # How far (px) it travels over the clip when not looping; None = its action's usual distance.
    # Staging shortens it so a walker never leaves the frame.
    travel: float | None = None


@dataclass(frozen=True, kw_only=True)
class Pose:
    x: float
    y: float
    pivot: Pivot
    angle: float  # degrees, counter-clockwise
    sx: float = 1.0
    sy: float = 1.0
    lift: float = 0.0  # height above the ground, for the shadow; negative = no shadow
    alpha: float = 1.0


# Frame widths per second for travellers looping across a static frame.
_LOOP_SPEED = {"drive": 0.5, "run": 0.3, "fly": 0.18, "swim": 0.14}


def smoothstep(u: float) -> float:
    u = min(1.0, max(0.0, u))
    return u * u * (3 - 2 * u)


def _travel_x(actor: Actor, t: float) -> float:
    u = t / actor.duration_s
    span = TRAVELLING.get(actor.action, 0.0) * actor.frame_w
    if actor.tracked:
        return actor.x + actor.direction * 0.03 * actor.frame_w * math.sin(2 * math.pi * t / 4.0)
    if actor.loop_across and actor.action in ("drive", "run", "fly", "swim"):
        # A static camera never follows, so fast travellers cross the frame and come round again.
        speed = _LOOP_SPEED[actor.action] * actor.frame_w
        lane = actor.frame_w + actor.width * 1.2
        pos = (actor.x + actor.width * 0.6 + actor.direction * speed * t) % lane
        return pos - actor.width * 0.6
    if actor.travel is not None:
        span = actor.travel
    return actor.x + actor.direction * (u - 0.5) * span


def pose_at(actor: Actor, t: float) -> Pose:
    a = actor
    w, h = a.width, a.height
    p = a.phase
    beat = a.beat_s
    tau = 2 * math.pi
    if a.action == "walk":
        step = abs(math.sin(tau * (t / 0.55 + p) / 2))
        return Pose(
            x=_travel_x(a, t),
            y=a.base_y - step * h * 0.06,
            pivot="bottom",
            angle=3.5 * math.sin(tau * (t / 0.55 + p) / 2),
            lift=step * h * 0.06,
        )
    if a.action == "run":
        step = abs(math.sin(tau * (t / 0.36 + p) / 2))
        lean = -8.0 * a.direction
        return Pose(
            x=_travel_x(a, t),
            y=a.base_y - step * h * 0.12,
            pivot="bottom",
            angle=lean + 4 * math.sin(tau * (t / 0.36 + p)),
            sy=1.0 - 0.04 * (1 - step),
            lift=step * h * 0.12,
        )
    if a.action == "jump":
        period = 2 * beat if beat > 0.35 else 4 * beat
        u = ((t / period) + p) % 1.0
        air = 0.78  # share of the period in the air; the rest is the squash on landing
        if u < air:
            k = u / air
            height = 4 * k * (1 - k) * h * 0.55
            stretch = 1.0 + 0.1 * (1 - abs(2 * k - 1))
            return Pose(
                x=a.x + a.direction * 0.04 * a.frame_w * math.sin(tau * t / 6),
                y=a.base_y - height,
                pivot="bottom",
                angle=0.0,
                sx=1 / stretch,
                sy=stretch,
                lift=height,
            )
        k = (u - air) / (1 - air)
        squash = 1.0 - 0.22 * math.sin(math.pi * k)
        return Pose(
            x=a.x + a.direction * 0.04 * a.frame_w * math.sin(tau * t / 6),
            y=a.base_y,
            pivot="bottom",
            angle=0.0,
            sx=1 / squash,
            sy=squash,
        )
    if a.action in ("dance", "sing"):
        b = t / beat + p * 4
        bounce = abs(math.sin(math.pi * b))
        sway = math.sin(math.pi * b / 2)
        amp = 1.0 if a.action == "dance" else 0.45
        return Pose(
            x=a.x + sway * a.frame_w * 0.06 * amp,
            y=a.base_y - bounce * h * 0.08 * amp,
            pivot="bottom",
            angle=-14.0 * sway * amp,
            sx=1.0 + 0.06 * (1 - bounce) * amp,
            sy=1.0 - 0.06 * (1 - bounce) * amp,
            lift=bounce * h * 0.08 * amp,
        )
    if a.action == "spin":
        angle = -360.0 * ((t / 1.6 + p) % 1.0) * a.direction
        bob = abs(math.sin(tau * t / 1.6)) * h * 0.05
        return Pose(x=a.x, y=a.base_y - h / 2 - bob, pivot="center", angle=angle, lift=bob)
    if a.action == "fall":
        period = 2.6
        u = (t / period + p) % 1.0
        cycle = int(t / period + p)
        # Each fall starts somewhere else across the frame; the offset is a hash of the cycle, not rng.
        x = a.x + (((cycle * 7919 + int(p * 1000)) % 100) / 100 - 0.5) * a.frame_w * 0.5
        top, bottom = -h, a.frame_h * 0.8
        return Pose(x=x, y=top + (bottom - top) * u * u, pivot="center", angle=200.0 * u * a.direction, lift=-1)
    if a.action == "drive":
        rumble = math.sin(tau * t * 11 + p * 5) * h * 0.012
        return Pose(x=_travel_x(a, t), y=a.base_y + rumble, pivot="bottom", angle=0.0)
    if a.action in ("fly", "swim"):
        flap_rate = 0.28 if a.action == "fly" else 0.9
        wave_amp = (0.05 if a.action == "fly" else 0.035) * a.frame_h
        period = 3.2 if a.action == "fly" else 4.0
        y = a.base_y + wave_amp * math.sin(tau * (t / period + p))
        slope = wave_amp * math.cos(tau * (t / period + p)) * tau / period
        tilt = -math.degrees(math.atan2(slope, TRAVELLING[a.action] * a.frame_w / a.duration_s + 40)) * 0.6
        flap = 1.0 + 0.07 * math.sin(tau * (t / flap_rate + p))
        return Pose(x=_travel_x(a, t), y=y, pivot="center", angle=tilt * a.direction, sx=1.0, sy=flap, lift=-1)
    if a.action == "float":
        return Pose(
            x=a.x + a.frame_w * 0.04 * math.sin(tau * (t / 7.0 + p)),
            y=a.base_y + a.frame_h * 0.025 * math.sin(tau * (t / 3.4 + p)),
            pivot="center",
            angle=7.0 * math.sin(tau * (t / 4.6 + p)),
            lift=-1,
        )
    if a.action == "sail":
        return Pose(
            x=_travel_x(a, t),
            y=a.base_y + h * 0.04 * math.sin(tau * (t / 3.2 + p)),
            pivot="bottom",
            angle=4.0 * math.sin(tau * (t / 3.2 + p + 0.25)),
            lift=-1,
        )
    if a.action == "wave":
        return Pose(
            x=a.x,
            y=a.base_y,
            pivot="bottom",
            angle=9.0 * math.sin(tau * (t / 0.9 + p)),
            sy=1.0 + 0.015 * math.sin(tau * t / 0.45),
        )
    if a.action == "sleep":
        breath = math.sin(tau * (t / 3.6 + p))
        return Pose(x=a.x, y=a.base_y, pivot="bottom", angle=0.0, sx=1.0 + 0.015 * breath, sy=1.0 + 0.03 * breath)
    if a.action == "eat":
        # Quick nibbling nods, a pause to chew, then again: reads as eating even on a tiny sprite.
        u = (t / 1.6 + p) % 1.0
        nod = abs(math.sin(tau * u * 3)) if u < 0.5 else 0.0
        return Pose(
            x=a.x,
            y=a.base_y,
            pivot="bottom",
            angle=-7.0 * nod * a.direction,
            sy=1.0 - 0.05 * nod,
            sx=1.0 + 0.03 * nod,
        )
    if a.action == "sway":
        return Pose(x=a.x, y=a.base_y, pivot="bottom", angle=5.0 * math.sin(tau * (t / 2.8 + p)))
    # idle: breathing and a small weight shift, so nothing on screen is ever frozen.
    breath = math.sin(tau * (t / 2.4 + p))
    return Pose(
        x=a.x + math.sin(tau * t / 5.0) * w * 0.02,
        y=a.base_y,
        pivot="bottom",
        angle=1.5 * math.sin(tau * (t / 5.0 + p)),
        sy=1.0 + 0.025 * breath,
    )


# Small companion emoji that make an action readable at a glance.
COMPANIONS: dict[str, str] = {"sleep": "💤", "sing": "🎵", "wave": "👋", "dance": "✨", "eat": "🍴"}


def companion_pose(actor: Actor, body: Pose, t: float) -> Pose:
    """A companion rises from the character's head and fades, on a loop (waving hands stay put)."""
    tau = 2 * math.pi
    head_x = body.x + actor.width * 0.3 * (1 if actor.direction > 0 else -1)
    head_y = body.y - actor.height * (0.5 if body.pivot == "center" else 1.0)
    if actor.action == "wave":
        return Pose(
            x=head_x + actor.width * 0.1,
            y=head_y + actor.height * 0.25,
            pivot="bottom",
            angle=25.0 * math.sin(tau * t / 0.45),
            lift=-1,
        )
    u = (t / 2.2 + actor.phase) % 1.0
    alpha = min(1.0, u * 5) * (1.0 - smoothstep((u - 0.6) / 0.4))
    return Pose(
        x=head_x + math.sin(tau * u) * actor.width * 0.08,
        y=head_y - u * actor.height * 0.6,
        pivot="center",
        angle=10.0 * math.sin(tau * u),
        sx=0.7 + 0.3 * u,
        sy=0.7 + 0.3 * u,
        lift=-1,
        alpha=alpha,
    )

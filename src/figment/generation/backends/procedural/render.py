"""Frame compositing: backdrop layers, characters, weather, camera, caption and subtitles.

Everything expensive happens in `FrameRenderer.__init__` (scenery, sprites, text). A frame is
then a handful of C-level pastes, a few thousand particle pixels, and one copy into numpy.
Transformed sprites (rotated, squashed) are cached by quantised pose, so a dance cycle is
resampled once and reused.
"""

from __future__ import annotations

import dataclasses
import math
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import av
import numpy as np
from PIL import Image

from figment.generation.backends.procedural import bodies, interactions, motion, palette, staging
from figment.generation.backends.procedural.backdrop import Backdrop, build_backdrop
from figment.generation.backends.procedural.layers import MaskCanvas, Travel, to_rgba
from figment.generation.backends.procedural.motion import Actor, Pose
from figment.generation.backends.procedural.particles import (
    Birds,
    Bubbles,
    Confetti,
    Fireflies,
    Motes,
    Particles,
    Rain,
    ShootingStar,
    Snow,
    Twinkle,
    WindStreaks,
    flash_strength,
    lightning_times,
)
from figment.generation.backends.procedural.plan import ScenePlan, SubjectPlan
from figment.generation.backends.procedural.sprites import SpriteSource, render_emoji
from figment.generation.backends.procedural.style import Look, outline
from figment.generation.backends.procedural.text import Overlay, caption_overlay, split_for_subtitles, subtitle_overlay
from figment.generation.sound.soundtrack import SpeechCue

# Character size (longest side) as a share of frame width, for a single character of each kind.
_EXTENT = {
    "person": 0.5, "animal": 0.54, "vehicle": 0.64, "aircraft": 0.44, "boat": 0.5, "bird": 0.32, "insect": 0.24,
    "aquatic": 0.46, "food": 0.36, "object": 0.36, "plant": 0.4, "spirit": 0.42, "celestial": 0.32,
}  # fmt: skip
_SKY_SETTINGS = frozenset(
    {
        "beach",
        "ocean",
        "city_street",
        "city_skyline",
        "forest",
        "mountains",
        "desert",
        "snowfield",
        "park",
        "countryside",
    }
) | {"lake", "river", "savanna", "market"}
_AIRBORNE = frozenset({"fly", "float", "fall"})
_ZOOM = 1.18
# "baby elephant", "cucciolo di leone": a young animal is drawn at this share of a grown one's size.
_YOUNG_SCALE = 0.7
# Time-lapse plays the scene at this many times its speed (clouds race, characters hurry).
_TIME_LAPSE = 4.0
_ON_TWOS = frozenset({"claymation", "pixel_art", "watercolour", "oil_painting", "sketch"})
# Framing of the camera words that crop the picture: (zoom at start, zoom at end, centre y share at
# start, at end). A close-up holds the subject big; a drone shot rises and pulls back over the scene.
_FRAMING: dict[str, tuple[float, float, float, float]] = {
    "close_up": (1.5, 1.62, 0.64, 0.64),
    "drone": (1.5, 1.0, 0.72, 0.5),
    "pov": (1.12, 1.12, 0.6, 0.6),
}
_SHAKE_MARGIN = 0.03
_CACHE_BYTES = 96 * 1024 * 1024
# Slow motion plays every movement at this share of its speed; the camera keeps its own pace.
_SLOW_MOTION = 0.4
# Mouth openings pre-drawn on a likeness face; a frame picks the one nearest the speech level.
_MOUTH_LEVELS = 4
_PERSON_KINDS = frozenset({"person"})
# The motion (motion.py) that carries a body in each pose; the limbs do the rest.
_BODY_MOTION = {
    "sit": "idle", "sit_ground": "idle", "cook": "idle", "play": "idle", "kick": "idle", "hold": "idle",
    "eat": "idle", "wave": "idle", "surf": "sail", "ride": "idle", "dance": "dance", "jump": "jump",
    "walk": "walk", "run": "run", "idle": "idle", "sleep": "sleep", "hold_up": "idle",
}  # fmt: skip
# A standing body's height against the kind's usual extent: a figure is tall and thin, and a person
# must fill the frame as much as an emoji bust did.
_BODY_HEIGHT = 1.6
# A mount that carries a rider is drawn this much bigger, so the pair fills the frame like one character.
_MOUNT_SCALE = 1.3
# Plan actions a four-legged body can show, and the gait it shows them with.
_ANIMAL_MOTION = {"walk": "walk", "run": "run", "idle": "idle", "dance": "walk", "eat": "idle", "sleep": "idle",
                  "jump": "run", "wave": "idle", "sing": "idle", "sway": "idle"}  # fmt: skip
# Characters whose emoji is their whole identity (a robot's or alien's head is drawn on a body all the same).
_EMOJI_ONLY_PEOPLE = frozenset({"couple", "baby"})


@dataclass(kw_only=True)
class _Cast:
    actor: Actor
    image: Image.Image
    shadow: Image.Image | None
    companion: Image.Image | None
    lane: float
    key: int
    # Likeness: the face cutout at each mouth opening, and where its centre sits on the sprite (share of w, h).
    faces: tuple[Image.Image, ...] = ()
    face_at: tuple[float, float] = (0.5, 0.2)
    # A body built from parts (bodies.py): the frame for time t replaces `image`.
    body: bodies.BodyFrames | None = None
    cycle_s: float = 1.0
    # A rider sits on `rides` at `seat` (a point of the mount's image); a held thing follows its holder.
    rides: _Cast | None = None
    seat: tuple[float, float] = (0.0, 0.0)
    held_by: _Cast | None = None
    held_mode: str = ""
    subject: int = 0  # index into the plan's subjects
    # How `body` was made, so a likeness can have it redrawn with a bare head.
    body_args: tuple[object, ...] = ()


@dataclass(frozen=True, kw_only=True)
class _Drifter:
    """Small emoji carried by the weather or the mood: leaves in the wind, hearts when romantic."""

    image: Image.Image
    x0: float
    y0: float
    vx: float
    vy: float
    spin: float
    phase: float
    key: int


class _Stamp:
    """An overlay pre-multiplied once, blended into numpy frames with integer math."""

    def __init__(self, overlay: Overlay) -> None:
        rgba = np.asarray(overlay.image, np.uint16)
        alpha = rgba[..., 3:4]
        self.premul = rgba[..., :3] * alpha
        self.inverse = 255 - alpha
        self.x, self.y = overlay.x, overlay.y

    def apply(self, frame: np.ndarray) -> None:
        h, w = self.premul.shape[:2]
        region = frame[self.y : self.y + h, self.x : self.x + w]
        h, w = region.shape[:2]
        blended = (self.premul[:h, :w] + region * self.inverse[:h, :w] + 127) // 255
        region[...] = blended.astype(np.uint8)


class _TransformCache:
    def __init__(self) -> None:
        self._items: OrderedDict[tuple[object, ...], tuple[Image.Image, float, float]] = OrderedDict()
        self._bytes = 0

    def get(
        self,
        key: tuple[object, ...],
        image: Image.Image,
        *,
        angle: float,
        sx: float,
        sy: float,
        alpha: float,
        pivot: str,
    ) -> tuple[Image.Image, float, float]:
        hit = self._items.get(key)
        if hit is not None:
            self._items.move_to_end(key)
            return hit
        out = _transform(image, angle=angle, sx=sx, sy=sy, alpha=alpha, pivot=pivot)
        self._items[key] = out
        self._bytes += out[0].width * out[0].height * 4
        while self._bytes > _CACHE_BYTES and len(self._items) > 1:
            _, (old, _, _) = self._items.popitem(last=False)
            self._bytes -= old.width * old.height * 4
        return out


def _transform(
    image: Image.Image, *, angle: float, sx: float, sy: float, alpha: float, pivot: str
) -> tuple[Image.Image, float, float]:
    """Scale, rotate and fade a sprite; returns it with the pivot's position inside the result."""
    if sx != 1.0 or sy != 1.0:
        image = image.resize(
            (max(1, round(image.width * sx)), max(1, round(image.height * sy))), Image.Resampling.BILINEAR
        )
    w, h = image.size
    px, py = w / 2, (h if pivot == "bottom" else h / 2)
    if angle:
        rotated = image.rotate(angle, Image.Resampling.BILINEAR, expand=True)
        vx, vy = px - w / 2, py - h / 2
        th = math.radians(angle)
        # Pillow turns counter-clockwise on screen; with y pointing down that is this matrix.
        rx = vx * math.cos(th) + vy * math.sin(th)
        ry = -vx * math.sin(th) + vy * math.cos(th)
        image, px, py = rotated, rotated.width / 2 + rx, rotated.height / 2 + ry
    if alpha < 0.999:
        image = image.copy()
        image.putalpha(image.getchannel("A").point(lambda v: int(v * alpha)))
    return image, px, py


def _light_sprite(image: Image.Image, plan: ScenePlan) -> Image.Image:
    """Put a sprite under the scene's light and half the mood grade, so it sits in the picture."""
    arr = np.asarray(image, np.float32).copy()
    light = np.asarray(palette.SPRITE_LIGHT[plan.time_of_day], np.float32)
    if plan.setting in ("room", "kitchen", "stage"):
        light = np.ones(3, np.float32)  # lamps and spotlights: characters stay fully lit indoors
    arr[..., :3] = palette.apply_grade(arr[..., :3] * light, mood=plan.mood, strength=0.5)
    return Image.fromarray(np.clip(arr + 0.5, 0, 255).astype(np.uint8), "RGBA")


def _shadow(width: float, alpha: float) -> Image.Image:
    w, h = max(4, int(width)), max(2, int(width * 0.16))
    canvas = MaskCanvas(w, h)
    canvas.ellipse(w / 2, h / 2, w * 0.42, h * 0.38)
    a = canvas.mask(blur=max(1.0, h * 0.18)) * alpha
    return Image.fromarray(to_rgba(np.zeros((h, w, 3), np.float32), a), "RGBA")


def _mouth_frames(face: np.ndarray, *, size: int) -> tuple[Image.Image, ...]:
    """The face scaled to `size` px wide, with its mouth drawn closed to wide open."""
    image = Image.fromarray(face, "RGBA")
    height = max(6, round(size * image.height / image.width))
    image = image.resize((size, height), Image.Resampling.LANCZOS)
    out = [image]
    for level in range(1, _MOUTH_LEVELS):
        open_face = image.copy()
        canvas = MaskCanvas(size, height)
        k = level / (_MOUTH_LEVELS - 1)
        canvas.ellipse(size * 0.5, height * 0.76, size * (0.12 + 0.04 * k), height * 0.075 * k + 1)
        mouth = canvas.mask(blur=0.6)
        rgba = np.asarray(open_face, np.float32).copy()
        dark = np.array((70, 16, 22), np.float32)
        rgba[..., :3] = rgba[..., :3] * (1 - mouth[..., None]) + dark * mouth[..., None]
        out.append(Image.fromarray(np.clip(rgba + 0.5, 0, 255).astype(np.uint8), "RGBA"))
    return tuple(out)


class FrameRenderer:
    def __init__(
        self,
        *,
        plan: ScenePlan,
        width: int,
        height: int,
        fps: int,
        frame_count: int,
        cues: tuple[SpeechCue, ...],
        sprites: SpriteSource,
        likeness: tuple[np.ndarray, ...] = (),
        mouth: np.ndarray | None = None,
    ) -> None:
        """`likeness`: RGBA face cutouts for the characters, in order; `mouth`: per-frame speech level 0..1."""
        self.plan = plan
        self.width, self.height, self.fps, self.frame_count = width, height, fps, frame_count
        self.duration_s = frame_count / fps
        self.speed = {"slow_motion": _SLOW_MOTION, "time_lapse": _TIME_LAPSE}.get(plan.camera, 1.0)
        # Stop-motion looks hold each drawing for two frames ("on twos"), as clay animators shoot.
        # Painted looks "boil" on twos as well; a held frame is drawn once.
        self.hold = 2 if plan.style in _ON_TWOS else 1
        self._held: tuple[int, np.ndarray] | None = None
        rng = np.random.default_rng(plan.variant_seed)
        self.margin = int(width * _SHAKE_MARGIN) if plan.camera == "shake" else 0
        self.cw, self.ch = width + 2 * self.margin, height + 2 * self.margin
        self.caption = caption_overlay(plan.caption, width=width, height=height)
        # The caption sits at the top now, so weather may fall all the way down.
        self.y_limit = height
        self.look = (
            Look(plan.style, width=width, height=height, seed=plan.variant_seed) if plan.style != "natural" else None
        )
        self.mouth = mouth if mouth is not None else np.zeros(frame_count, np.float32)

        lead = plan.subjects[0] if plan.subjects else None
        lead_action = lead.action if lead else "idle"
        if plan.camera == "pan_left":
            direction = -1
        elif plan.camera == "pan_right":
            direction = 1
        else:
            direction = 1 if rng.random() < 0.5 else -1
        pan = {"pan_left": -0.22, "pan_right": 0.22}.get(plan.camera, 0.0) * width
        if plan.camera == "tracking":
            # The camera rides along with the lead: it stays centred and the world streams past.
            pan += 1.5 * motion.TRACKING.get(lead_action, 0.5) * width * direction
        elif plan.camera != "static" and lead_action in motion.TRACKING:
            pan += motion.TRACKING[lead_action] * width * direction * self.speed
        self.pan_px = pan
        self.base_pan = {"pan_left": -0.22, "pan_right": 0.22}.get(plan.camera, 0.0) * width
        travel = Travel(width=self.cw, height=self.ch, pan_px=pan, duration_s=self.duration_s)
        self.backdrop: Backdrop = build_backdrop(plan=plan, travel=travel, rng=rng)
        indoors = plan.setting in ("room", "kitchen", "stage")
        self._light = (1.0, 1.0, 1.0) if indoors else palette.SPRITE_LIGHT[plan.time_of_day]
        self.cast = self._cast(rng=rng, sprites=sprites, direction=direction)
        self._attach_faces(likeness)
        self.drifters = self._drifters(rng)
        self.particles = self._particles(rng)
        self.flashes = (
            lightning_times(variant_seed=plan.variant_seed, duration_s=self.duration_s)
            if plan.weather == "storm"
            else []
        )
        self.subtitles = self._subtitles(cues)
        self.cache = _TransformCache()
        self.shake_phase = rng.uniform(0, 2 * math.pi, 4)
        # A framing crop (close-up, drone, POV) never cuts off the lead's head: full bodies and riders
        # stand much taller than the emoji heads the framings were first tuned on.
        self._lead_top = self._top_of_lead() if plan.camera in _FRAMING else None

    # ---- setup -----------------------------------------------------------------------------

    def _top_of_lead(self) -> float | None:
        """The highest point of the lead, its rider and what they hold over the clip's first second."""

        def of_lead(member: _Cast) -> bool:
            carrier = member.rides or member.held_by
            return member.key == 0 or (carrier is not None and of_lead(carrier))

        tops = [box[1] for t in (0.0, 0.5, 1.0) for member, box in self.boxes(t) if of_lead(member)]
        return min(tops) - self.height * 0.03 if tops else None

    def _cast(self, *, rng: np.random.Generator, sprites: SpriteSource, direction: int) -> list[_Cast]:
        """Lay out every character: free ones across the ground, riders on their mounts, held things
        in hands, scenery to the sides; then keep each one whole inside the frame (staging.py)."""
        plan, bd = self.plan, self.backdrop
        stage = plan.shots[0].staging if plan.shots else interactions.NO_STAGING
        instances: list[tuple[SubjectPlan, int, int]] = [
            (s, i, si) for si, s in enumerate(plan.subjects) for i in range(s.count)
        ]
        if not instances:
            return []
        pose_of = {si: stage.poses[si] for si in range(len(plan.subjects)) if si < len(stage.poses)}
        emotion_of = {si: stage.emotions[si] for si in range(len(plan.subjects)) if si < len(stage.emotions)}
        # Riders and held things follow another character; seats are drawn by the sitter's body.
        attached: dict[int, interactions.Link] = {}
        for link in stage.links:
            if link.verb == "ride" or (
                link.verb in ("hold", "play", "eat") and plan.subjects[link.patient].kind != "person"
            ):
                follower = link.agent if link.verb == "ride" else link.patient
                attached.setdefault(follower, link)
        sitting = any(p in ("sit",) for p in pose_of.values())
        hidden = {si for si, s in enumerate(plan.subjects) if sitting and s.key in interactions.SEAT_KEYS}
        scenery = {
            si
            for si, s in enumerate(plan.subjects)
            # A seat someone sits on is drawn by the sitter's body, not again as scenery beside it.
            if staging.is_scenery(key=s.key, kind=s.kind) and si not in attached and si not in hidden
        }
        # "two men riding horses": each rider gets a horse of its own, as far as the horses go.
        copies = {
            si: min(plan.subjects[si].count, plan.subjects[link.patient].count) if link.verb == "ride" else 1
            for si, link in attached.items()
        }

        def carried(si: int, c: int) -> bool:
            return si in attached and c < copies[si]

        free = [
            (s, c, si)
            for s, c, si in instances
            if not carried(si, c) and si not in hidden and si not in scenery and not (si in attached and c == 0)
        ]
        free += [(s, c, si) for s, c, si in instances if si in attached and not carried(si, c) and c > 0]
        by_instance: dict[tuple[int, int], _Cast] = {}
        n = max(1, len(free))
        crowd = 1.0 / (1.0 + 0.32 * (n - 1))
        slots = [(k + 0.5) / n for k in range(n)]
        # The lead takes the slot nearest the centre; the others fill in around it.
        order = sorted(range(n), key=lambda k: abs(slots[k] - 0.5))
        beat = 60.0 / plan.tempo_bpm
        cast: list[_Cast] = []
        by_subject: dict[int, _Cast] = {}
        lead_px: tuple[str, str, float] | None = None
        left, right = self.margin + self.width * 0.03, self.margin + self.width * 0.97

        def build(
            subject: SubjectPlan,
            copy: int,
            si: int,
            idx: int,
            *,
            slot: float,
            lane: float,
            scale: float,
            height_px: int | None = None,
        ) -> _Cast:
            nonlocal lead_px
            extent = _EXTENT[subject.kind] * self.width * scale * (0.62 + 0.38 * lane)
            if subject.young:
                extent *= _YOUNG_SCALE
            action = subject.action
            pose_name = pose_of.get(si, "")
            link = attached.get(si) if copy == 0 else None
            body_pose = self._body_pose(subject, pose_name)
            if staging.rests_on_ground(key=subject.key, kind=subject.kind, action=action):
                action = "idle"
            if subject.kind == "animal" and action == "drive":
                # "riding a horse" reaches the animal as "drive": an animal carries its rider at a walk.
                action = "walk"
            moving_dir = direction if idx == 0 or action not in ("fly", "swim") else (1 if rng.random() < 0.5 else -1)
            body: bodies.BodyFrames | None = None
            body_args: tuple[object, ...] = ()
            if subject.kind == "animal" and subject.key in bodies.HEAD_ONLY_ANIMALS and action in _ANIMAL_MOTION:
                # A head-only emoji gets four legs; it is as long as the animal's usual sprite is wide.
                animal_pose = _ANIMAL_MOTION[action]
                animal_h = max(16, int(extent * 0.75))
                body = bodies.animal_frames(subject.emoji, animal_pose, animal_h, moving_dir < 0)
                image = body.images[0]
            elif body_pose:
                height = height_px or int(extent * _BODY_HEIGHT)
                look = bodies.lit(
                    bodies.look_for(key=subject.key, seed=plan.variant_seed + si * 7 + copy, colour=subject.color_rgb),
                    self._light,
                )
                prop = {"cook": "🍳"}.get(body_pose, "🎤" if subject.action == "sing" else "")
                body_args = (look, body_pose, height, emotion_of.get(si, "neutral"), prop, moving_dir < 0)
                body = bodies.body_frames(*body_args)
                image = body.images[0]
                action = _BODY_MOTION.get(body_pose, action)
            else:
                probe = sprites.sprite(subject=subject, height_px=64)
                aspect = probe.width / probe.height
                height = int(max(12, extent / max(1.0, aspect)))
                if lead_px is not None and subject.kind in ("animal", "vehicle"):
                    # The real-size rule sizes a grown one (from its grown height, so its clamp does not
                    # swallow the difference); a young one is then drawn smaller than that.
                    grown = height / (_YOUNG_SCALE if subject.young else 1.0)
                    height = int(grown * staging.relative_scale(
                        key=subject.key, kind=subject.kind, ref_key=lead_px[0], ref_kind=lead_px[1],
                        own_px=grown, ref_px=lead_px[2],
                    ) * (_YOUNG_SCALE if subject.young else 1.0))  # fmt: skip
                image = _light_sprite(sprites.sprite(subject=subject, height_px=height), plan)
                if plan.style in ("cartoon", "anime"):
                    image = outline(image, width=max(1, height // 40))
                faces = subject.faces
                if (faces == "left" and moving_dir > 0) or (faces == "right" and moving_dir < 0):
                    image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
            if lead_px is None and link is None:
                real_h = image.height / (0.72 if body is not None and subject.key in bodies.CHILDREN else 1.0)
                lead_px = (subject.key, subject.kind, float(real_h))
            x = self.margin + self.width * (slot + float(rng.uniform(-0.04, 0.04)) * (n > 1))
            if action in _AIRBORNE or (action == "swim" and bd.water_band is None):
                top, bottom = bd.air_band
                base_y = top + (bottom - top) * (0.35 + 0.5 * float(rng.random()) if idx else 0.55)
                if action == "fall":
                    base_y = 0
            elif action == "swim" and bd.water_band is not None:
                top, bottom = bd.water_band
                base_y = top + (bottom - top) * (0.5 if idx == 0 else float(rng.uniform(0.1, 0.9)))
            elif action == "sail" and bd.water_band is not None:
                base_y = bd.water_band[0] + (bd.water_band[1] - bd.water_band[0]) * (0.35 + 0.5 * lane)
            else:
                base_y = bd.far_ground_y + (bd.ground_y - bd.far_ground_y) * lane
            static_camera = plan.camera == "static"
            travel = None
            # The lead never loops out of a static shot: it would leave the frame empty until it came back.
            loop = static_camera and idx > 0
            if not loop and not (idx == 0 and plan.camera == "tracking"):
                usual = motion.TRAVELLING.get(action, 0.0) * self.cw
                x, travel = staging.keep_in_frame(x=x, half_width=image.width / 2, travel=usual, left=left, right=right)
            actor = Actor(
                action=action,
                x=x,
                base_y=base_y,
                width=image.width,
                height=image.height,
                direction=moving_dir,
                phase=(copy * 0.37 + idx * 0.21) % 1.0,
                beat_s=beat,
                frame_w=self.cw,
                frame_h=self.ch,
                duration_s=self.duration_s,
                loop_across=loop,
                tracked=idx == 0 and plan.camera == "tracking",
                travel=travel,
            )
            grounded = action in motion.GROUNDED and plan.setting not in ("underwater",)
            companion_emoji = motion.COMPANIONS.get(action) if body is None or action in ("sleep",) else None
            companion = (
                _light_sprite(render_emoji(companion_emoji, max(10, int(image.height * 0.32))), plan)
                if companion_emoji and idx < 3
                else None
            )
            member = _Cast(
                actor=actor,
                image=image,
                shadow=_shadow(image.width * 0.8, bd.shadow_alpha) if grounded else None,
                companion=companion,
                lane=lane,
                key=idx,
                body=body,
                cycle_s=(2 * beat if body_pose == "dance" else body.cycle_s) if body is not None else 1.0,
            )
            member.subject = si
            if body is not None:
                member.body_args = body_args
                member.face_at = (body.head[0] / image.width, body.head[1] / image.height)
            return member

        # Scenery first: its width decides how much of the frame the characters leave free for it.
        side_room = self.width * 0.3
        scenic: list[_Cast] = []
        for si in sorted(scenery):
            subject = plan.subjects[si]
            member = build(subject, 0, si, len(free) + len(scenic), slot=0.5, lane=0.05, scale=crowd)
            if member.actor.width > side_room:
                member = build(
                    subject, 0, si, member.key, slot=0.5, lane=0.05, scale=crowd * side_room / member.actor.width
                )
            scenic.append(member)
        if scenic:
            right -= scenic[0].actor.width + self.width * 0.02
        if len(scenic) > 1:
            left += scenic[1].actor.width + self.width * 0.02
        mounts = {link.patient for link in stage.links if link.verb == "ride"}  # all its copies carry riders
        for idx, (subject, copy, si) in enumerate(free):
            slot = slots[order[idx]] if n > 1 else 0.5
            if scenic:
                # Characters share what the scenery leaves free.
                slot = ((left - self.margin) + (right - left) * slot) / self.width
            lane = 1.0 if idx == 0 else float(rng.uniform(0.25, 0.85))
            scale = crowd * (_MOUNT_SCALE if si in mounts else 1.0)
            member = build(subject, copy, si, idx, slot=slot, lane=lane, scale=scale)
            cast.append(member)
            by_subject.setdefault(si, member)
            by_instance[(si, copy)] = member
            if member.body is not None and member.body_args and member.body_args[1] == "surf":
                cast.append(self._wave_under(member, key=len(free) + len(scenery) + len(attached) + idx))
        self._chase(stage, by_subject, left=left, right=right)
        # Scenery stands in the room kept for it: beside the group, far back, whole.
        edge_l, edge_r = self.margin + self.width * 0.02, self.margin + self.width * 0.98
        for k, member in enumerate(scenic):
            half = member.actor.width / 2
            if k % 2 == 0:
                x = edge_r - half
            else:
                x = edge_l + half
            member.actor = dataclasses.replace(member.actor, x=x, travel=0.0)
            cast.append(member)
            by_subject.setdefault(sorted(scenery)[k], member)
        # Riders and held things, sized and placed by who carries them.
        # Riders first: a rider may hold something too ("a girl on a horse with a balloon").
        followers = [(si, c, link) for si, link in attached.items() for c in range(copies[si])]
        for si, c, link in sorted(followers, key=lambda item: item[2].verb != "ride"):
            subject = plan.subjects[si]
            if link.verb == "ride":
                carrier = by_instance.get((link.patient, c))
            else:
                carrier = by_subject.get(link.agent)
            idx = len(cast)
            if carrier is None:
                # What would carry it is not drawn (or is itself carried): it stands on its own instead.
                member = build(subject, c, si, idx, slot=0.5, lane=0.5, scale=crowd)
                cast.append(member)
                by_subject.setdefault(si, member)
                continue
            if link.verb == "ride":
                carried_by_person = plan.subjects[carrier.subject].kind == "person"
                rider_h = int(carrier.actor.height * (0.8 if carried_by_person else 1.1))
                member = build(subject, c, si, idx, slot=0.5, lane=carrier.lane, scale=crowd, height_px=rider_h)
                member.rides = carrier
                member.seat = staging.back_point(carrier.image)
                member.shadow = None
            else:
                holder_h = carrier.actor.height
                want = staging.held_height(key=subject.key, kind=subject.kind, holder_px=holder_h)
                image = _light_sprite(sprites.sprite(subject=subject, height_px=want), plan)
                member = _Cast(
                    actor=dataclasses.replace(carrier.actor, action="idle", width=image.width, height=image.height),
                    image=image,
                    shadow=None,
                    companion=None,
                    lane=carrier.lane,
                    key=idx,
                )
                kick = carrier.body is not None and pose_of.get(link.agent) == "kick"
                if kick:
                    member.held_mode = "feet"
                elif link.verb == "play" and carrier.body is not None and subject.key in staging.HELD_ON_TORSO:
                    member.held_mode = "torso"
                elif subject.key in staging.HELD_BY_BOTTOM:
                    member.held_mode = "bottom"
                else:
                    member.held_mode = "hand"
                member.held_by = carrier
            cast.append(member)
            by_subject.setdefault(si, member)
        # Followers draw right after (riders over, held things in front of) what carries them.
        order_key = {id(m): (m.lane, 0) for m in cast}
        for m in cast:
            carrier = m.rides or m.held_by
            if carrier is not None:
                order_key[id(m)] = (carrier.lane, -1 if m.held_mode == "under" else 1)
        cast.sort(key=lambda c: order_key[id(c)])
        return cast

    def _wave_under(self, surfer: _Cast, *, key: int) -> _Cast:
        """A breaking wave drawn behind a surfer's board, so "surfing" reads even on a calm sea."""
        image = _light_sprite(render_emoji("🌊", max(12, int(surfer.actor.height * 0.9))), self.plan)
        # The glyph ends in a flat block of water; fading its lower part lets the wave rise out of the sea.
        rgba = np.asarray(image).copy()
        rows = np.linspace(0.0, 1.0, rgba.shape[0], dtype=np.float32)[:, None]
        fade = np.clip((0.8 - rows) / 0.3, 0.0, 1.0)
        rgba[..., 3] = (rgba[..., 3] * fade).astype(np.uint8)
        image = Image.fromarray(rgba, "RGBA")
        if surfer.actor.direction < 0:
            image = image.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
        return _Cast(
            actor=dataclasses.replace(surfer.actor, width=image.width, height=image.height),
            image=image,
            shadow=None,
            companion=None,
            lane=surfer.lane,
            key=key,
            held_by=surfer,
            held_mode="under",
            subject=surfer.subject,
        )

    def _body_pose(self, subject: SubjectPlan, pose: str) -> str:
        """The body pose a person gets, or "" to keep the emoji (swimmers, fliers, spinners, drivers)."""
        if subject.kind != "person" or subject.key in _EMOJI_ONLY_PEOPLE:
            return ""
        if pose in ("ride", "surf"):
            return pose
        if subject.action in ("fly", "swim", "fall", "spin", "float", "drive", "sail"):
            return ""
        pose = pose or interactions.pose_for_action(subject.action)
        return pose if pose in bodies.POSES else "idle"

    def _chase(self, stage: interactions.Staging, by_subject: dict[int, _Cast], *, left: float, right: float) -> None:
        """A chaser runs behind what it chases, in the same direction."""
        for link in stage.links:
            if link.verb != "chase":
                continue
            hunter, prey = by_subject.get(link.agent), by_subject.get(link.patient)
            if hunter is None or prey is None:
                continue
            d = prey.actor.direction
            hx, px = hunter.actor.x, prey.actor.x
            if (hx - px) * d > 0:
                hx, px = px, hx
            gap = (hunter.actor.width + prey.actor.width) * 0.55
            if abs(hx - px) < gap:
                mid = (hx + px) / 2
                hx, px = mid - d * gap / 2, mid + d * gap / 2
            for member, x in ((hunter, hx), (prey, px)):
                member.actor = dataclasses.replace(member.actor, x=x, direction=d, action="run")
            # Both run the same stretch; keep the pair whole inside the frame.
            span = max(hx, px) - min(hx, px)
            half = span / 2 + max(hunter.actor.width, prey.actor.width) / 2
            centre, travel = staging.keep_in_frame(
                x=(hx + px) / 2, half_width=half, travel=motion.TRAVELLING["run"] * self.cw, left=left, right=right
            )
            shift = centre - (hx + px) / 2
            for member in (hunter, prey):
                member.actor = dataclasses.replace(member.actor, x=member.actor.x + shift, travel=travel)

    def _attach_faces(self, faces: tuple[np.ndarray, ...]) -> None:
        """Give likeness faces to people first (lead first), then to the other characters."""
        if not faces or not self.cast:
            return
        subjects = self.plan.subjects
        by_key = sorted(self.cast, key=lambda c: (subjects[c.subject].kind not in _PERSON_KINDS, c.key))
        for member, face in zip(by_key, faces, strict=False):
            person = subjects[member.subject].kind in _PERSON_KINDS
            w, h = member.image.size
            if member.body is not None and not member.body_args:
                # A four-legged body: the face goes on the emoji head.
                size = member.body.head_r * 1.6
                member.face_at = (member.body.head[0] / w, member.body.head[1] / h)
            elif member.body is not None:
                # The face replaces the drawn head: the body is redrawn with a bare one under it.
                look, pose, *rest = member.body_args
                assert isinstance(look, bodies.Look) and isinstance(pose, str)  # nosec B101  # set with body
                # Hands raised to the head would cover the person's own face.
                pose = "idle" if pose in ("wave", "eat", "dance", "jump") else pose
                member.body = bodies.body_frames(dataclasses.replace(look, bare=True), pose, *rest)
                member.image = member.body.images[0]
                size = member.body.head_r * 2.3
                w, h = member.image.size
                member.face_at = (member.body.head[0] / w, member.body.head[1] / h)
            else:
                # On a full-body figure the head is the top fifth; on an animal or object, the upper middle.
                size = max(0.5 * w, 0.26 * h) if person else 0.58 * min(w, h)
                member.face_at = (0.5, 0.14 if person else 0.38)
            member.faces = _mouth_frames(face, size=max(6, int(size)))

    def _drifters(self, rng: np.random.Generator) -> list[_Drifter]:
        plan, s = self.plan, self.width / 720.0
        if plan.weather == "wind" and plan.setting not in ("space", "underwater"):
            emoji, count, vx, vy = ("🍂" if plan.setting in ("forest", "park", "countryside") else "🍃"), 7, 520.0, 40.0
        elif plan.mood == "romantic" and "mood" not in plan.inferred:
            emoji, count, vx, vy = "💗", 6, 12.0, -70.0
        elif plan.setting == "forest" and plan.weather == "clear" and plan.time_of_day != "night":
            emoji, count, vx, vy = "🍃", 3, 60.0, 45.0
        else:
            return []
        out = []
        for k in range(count):
            size = int(float(rng.uniform(26, 44)) * s)
            out.append(
                _Drifter(
                    image=_light_sprite(render_emoji(emoji, size), plan),
                    x0=float(rng.uniform(0, self.cw)),
                    y0=float(rng.uniform(0.1, 0.75)) * self.ch,
                    vx=vx * s * float(rng.uniform(0.7, 1.3)),
                    vy=vy * s * float(rng.uniform(0.7, 1.3)),
                    spin=float(rng.uniform(-200, 200)),
                    phase=float(rng.uniform(0, 2 * math.pi)),
                    key=1000 + k,
                )
            )
        return out

    def _particles(self, rng: np.random.Generator) -> list[Particles]:
        plan, w, h, lim = self.plan, self.width, self.height, self.y_limit
        night = plan.time_of_day == "night"
        systems: list[Particles] = []
        if plan.weather in ("rain", "storm"):
            systems.append(Rain(rng=rng, width=w, height=h, y_limit=lim, heavy=plan.weather == "storm", night=night))
        elif plan.weather == "snow":
            systems.append(Snow(rng=rng, width=w, height=h, y_limit=lim, windy=False))
        elif plan.weather == "wind":
            systems.append(WindStreaks(rng=rng, width=w, height=h, y_limit=lim))
        if plan.setting == "underwater":
            systems.append(Bubbles(rng=rng, width=w, height=h, y_limit=lim))
        if len(self.backdrop.star_points) and plan.weather in ("clear", "wind"):
            layer_tops = [layer.y for layer in self.backdrop.back if layer.depth > 0.035 and layer.top is not None]
            y_max = (min(layer_tops) if layer_tops else h) - self.margin
            stars = self.backdrop.star_points.copy()
            stars[:, 1] -= self.margin
            stars[:, 0] -= self.margin
            systems.append(Twinkle(stars=stars, y_max=y_max, rng=rng, y_limit=lim))
            if rng.random() < 0.7:
                systems.append(ShootingStar(rng=rng, width=w, height=h, duration_s=self.duration_s, y_limit=lim))
        if night and plan.setting in ("forest", "park", "countryside", "mountains") and plan.weather == "clear":
            systems.append(Fireflies(rng=rng, width=w, height=h, y_band=(int(h * 0.55), int(h * 0.8)), y_limit=lim))
        if plan.setting == "stage" and plan.mood in ("happy", "epic"):
            systems.append(Confetti(rng=rng, width=w, height=h, y_limit=lim))
        if plan.setting in ("room", "kitchen", "stage"):
            systems.append(Motes(rng=rng, width=w, height=h, y_limit=lim))
        if plan.setting in _SKY_SETTINGS and not night and plan.weather in ("clear", "wind", "fog"):
            top, bottom = int(h * 0.12), int(self.backdrop.horizon_y * 0.75)
            systems.append(Birds(rng=rng, width=w, height=h, y_band=(top, max(top + 1, bottom)), y_limit=lim))
        return systems

    def _subtitles(self, cues: tuple[SpeechCue, ...]) -> list[tuple[float, float, _Stamp]]:
        # Dialogue goes just under the caption: characters stand in the middle and the feed covers
        # the bottom, so the upper sky is where it hides the least and stays visible everywhere.
        top = int(self.height * 0.13)
        if self.caption is not None:
            top = max(top, self.caption.image.height - int(self.width / 720 * 40))
        out: list[tuple[float, float, _Stamp]] = []
        for cue in cues:
            chunks = split_for_subtitles(cue.text, width=self.width)
            total = sum(len(c) for c in chunks) or 1
            start = cue.start_s
            for chunk in chunks:
                end = start + (cue.end_s - cue.start_s) * len(chunk) / total
                overlay = subtitle_overlay(chunk, width=self.width, top=top)
                if overlay is not None:
                    out.append((start, end, _Stamp(overlay)))
                start = end
        return out

    # ---- per frame ---------------------------------------------------------------------------

    def _camera_x(self, t: float) -> float:
        u = t / self.duration_s
        track = self.pan_px - self.base_pan
        return self.base_pan * motion.smoothstep(u) + track * u

    def _paste_pose(self, canvas: Image.Image, key: tuple[object, ...], image: Image.Image, pose: Pose) -> None:
        angle = round(pose.angle / 1.5) * 1.5 % 360 if pose.angle else 0.0
        sx, sy = round(pose.sx / 0.02) * 0.02, round(pose.sy / 0.02) * 0.02
        alpha = round(pose.alpha * 10) / 10
        if alpha <= 0:
            return
        sprite, px, py = self.cache.get(
            (*key, angle, sx, sy, alpha), image, angle=angle, sx=sx, sy=sy, alpha=alpha, pivot=pose.pivot
        )
        canvas.paste(sprite, (round(pose.x - px), round(pose.y - py)), sprite)

    def _frame_index(self, member: _Cast, t: float) -> int:
        assert member.body is not None  # nosec B101  # only bodies have frames
        count = len(member.body.images)
        return int((t / member.cycle_s + member.actor.phase) * count) % count

    def _follow_pose(self, member: _Cast, poses: dict[int, tuple[Pose, int]], t: float) -> Pose | None:
        """Where a rider or a held thing is at t: on its carrier, which was posed earlier in this frame."""
        carrier = member.rides or member.held_by
        if carrier is None or id(carrier) not in poses:
            return None
        cpose, frame = poses[id(carrier)]
        cw, ch = carrier.image.width, carrier.image.height
        if member.rides is not None:
            # The seat point relative to the carrier's pivot, turned with the carrier.
            vx = member.seat[0] - cw / 2
            vy = member.seat[1] - (ch if cpose.pivot == "bottom" else ch / 2) + member.actor.height * 0.06
            th = math.radians(cpose.angle)
            x = cpose.x + vx * math.cos(th) + vy * math.sin(th)
            y = cpose.y - vx * math.sin(th) + vy * math.cos(th)
            return Pose(x=x, y=y, pivot="center", angle=cpose.angle, lift=-1)
        top_x = cpose.x - cw / 2
        top_y = cpose.y - (ch if cpose.pivot == "bottom" else ch / 2)
        if member.held_mode == "under":
            return Pose(
                x=cpose.x - carrier.actor.direction * cw * 0.15,
                y=cpose.y + member.image.height * 0.12,
                pivot="bottom",
                angle=cpose.angle * 0.5,
            )
        if member.held_mode == "feet":
            u = (t / carrier.cycle_s + carrier.actor.phase) % 1.0
            hop = max(0.0, math.sin(2 * math.pi * (u - 0.1))) * ch * 0.12
            ahead = carrier.actor.direction * cw * 0.42
            return Pose(x=cpose.x + ahead, y=cpose.y - hop, pivot="bottom", angle=-40.0 * u * carrier.actor.direction)
        if member.held_mode == "torso" and carrier.body is not None:
            # An instrument is played against the body, its middle at the waist in front of the player.
            ax, ay = carrier.body.anchor
            return Pose(
                x=top_x + ax + carrier.actor.direction * cw * 0.08,
                y=top_y + carrier.body.head[1] + (ay - carrier.body.head[1]) * 0.42,
                pivot="center",
                angle=0.0,
            )
        if carrier.body is not None:
            hx, hy = carrier.body.hands[frame]
        else:
            hx, hy = cw / 2 + carrier.actor.direction * cw * 0.4, ch * 0.4
        pivot: Literal["bottom", "center"] = "bottom" if member.held_mode == "bottom" else "center"
        return Pose(
            x=top_x + hx,
            y=top_y + hy + (member.image.height * 0.08 if pivot == "bottom" else 0),
            pivot=pivot,
            angle=0.0,
        )

    def posed(self, t: float) -> Iterator[tuple[_Cast, Pose, Image.Image, int]]:
        """Every cast member at time t, in drawing order: its pose, the image to paste and its frame."""
        # Carriers first, whatever the drawing order: a wave under a surfer is drawn before the surfer.
        poses: dict[int, tuple[Pose, int]] = {}
        for member in self.cast:
            if member.rides is None and member.held_by is None:
                poses[id(member)] = self._own_pose(member, t)
        for member in self.cast:
            if member.rides is not None or member.held_by is not None:
                followed = self._follow_pose(member, poses, t)
                if followed is None:
                    continue
                poses[id(member)] = self._body_frame_pose(member, followed, t)
        for member in self.cast:
            if id(member) in poses:
                pose, frame = poses[id(member)]
                image = member.body.images[frame] if member.body is not None else member.image
                yield member, pose, image, frame

    def _own_pose(self, member: _Cast, t: float) -> tuple[Pose, int]:
        return self._body_frame_pose(member, motion.pose_at(member.actor, t), t)

    def _body_frame_pose(self, member: _Cast, pose: Pose, t: float) -> tuple[Pose, int]:
        if member.body is None:
            return pose, 0
        frame = self._frame_index(member, t)
        # The limbs carry the motion; only a surfer still rocks with the water. A rider follows its
        # mount's seat but stays upright: turning every frame of the cycle would cost a resample each.
        keep_angle = member.actor.action == "sail"
        pose = dataclasses.replace(
            pose, pivot=member.body.pivot, angle=pose.angle if keep_angle else 0.0, sx=1.0, sy=1.0
        )
        return pose, frame

    def boxes(self, t: float) -> list[tuple[_Cast, tuple[float, float, float, float]]]:
        """Each member's unrotated box (x0, y0, x1, y1) in canvas pixels at time t: what staging tests check."""
        out = []
        for member, pose, image, _frame in self.posed(t):
            w, h = image.width * pose.sx, image.height * pose.sy
            y0 = pose.y - (h if pose.pivot == "bottom" else h / 2)
            out.append((member, (pose.x - w / 2, y0, pose.x + w / 2, y0 + h)))
        return out

    def _draw_cast(self, canvas: Image.Image, t: float) -> None:
        for member, pose, image, frame in self.posed(t):
            if member.shadow is not None and pose.lift >= 0:
                lift = pose.lift / max(1.0, member.actor.height)
                scale = round(max(0.4, 1.0 - lift * 0.9) * 10) / 10
                ground = member.actor.base_y
                shadow, px, py = self.cache.get(
                    ("shadow", member.key, scale),
                    member.shadow,
                    angle=0.0,
                    sx=scale,
                    sy=scale,
                    alpha=1.0,
                    pivot="center",
                )
                canvas.paste(shadow, (round(pose.x - px), round(ground - py * 1.3)), shadow)
            self._paste_pose(canvas, ("cast", member.key, frame), image, pose)
            if member.companion is not None:
                self._paste_pose(
                    canvas, ("companion", member.key), member.companion, motion.companion_pose(member.actor, pose, t)
                )
            # Last, so a waving hand or a musical note never hides the person's face.
            if member.faces:
                self._paste_face(canvas, member, pose, t)

    def _paste_face(self, canvas: Image.Image, member: _Cast, pose: Pose, t: float) -> None:
        # The face follows the body's pose, tilts on its own and nods while it talks.
        index = min(self.frame_count - 1, max(0, round(t / self.speed * self.fps)))
        level = float(self.mouth[index]) if len(self.mouth) else 0.0
        w, h = member.image.width * pose.sx, member.image.height * pose.sy
        vx = (member.face_at[0] - 0.5) * w
        vy = member.face_at[1] * h - (h if pose.pivot == "bottom" else h / 2)
        th = math.radians(pose.angle)
        x = pose.x + vx * math.cos(th) + vy * math.sin(th)
        y = pose.y - vx * math.sin(th) + vy * math.cos(th)
        tilt = 6.0 * math.sin(2 * math.pi * t / 1.9) + 5.0 * level * math.sin(2 * math.pi * t * 2.6)
        opening = min(_MOUTH_LEVELS - 1, round(level * (_MOUTH_LEVELS - 1)))
        face = member.faces[opening]
        self._paste_pose(
            canvas,
            ("face", member.key, opening),
            face,
            Pose(
                x=x,
                y=y + 0.03 * face.height * level * math.sin(2 * math.pi * t * 5),
                pivot="center",
                angle=pose.angle + tilt,
            ),
        )

    def _draw_drifters(self, canvas: Image.Image, t: float) -> None:
        span_x, span_y = self.cw + 80, self.ch + 80
        for d in self.drifters:
            x = (d.x0 + d.vx * t) % span_x - 40
            y = (d.y0 + d.vy * t + 30 * math.sin(t * 1.7 + d.phase)) % span_y - 40
            angle = round((d.spin * t) / 10) * 10 % 360
            self._paste_pose(canvas, ("drift", d.key), d.image, Pose(x=x, y=y, pivot="center", angle=angle))

    def render(self, index: int) -> np.ndarray:
        drawn = index - index % self.hold
        if self._held is not None and self._held[0] == drawn:
            return self._held[1].copy()
        arr = self._render(drawn)
        if self.hold > 1:
            self._held = (drawn, arr)
        return arr

    def _render(self, index: int) -> np.ndarray:
        t = index / self.fps
        # Slow motion slows what moves in the scene, not the camera or the subtitles.
        tm = t * self.speed
        bd = self.backdrop
        cam_x = self._camera_x(t)
        canvas = bd.sky.copy()
        for layer in bd.back:
            layer.paste(canvas, cam_x=cam_x, t=tm)
        self._draw_cast(canvas, tm)
        self._draw_drifters(canvas, tm)
        flash = flash_strength(t, self.flashes) if self.flashes else 0.0
        if flash > 0.3 and bd.lightning is not None:
            canvas.paste(bd.lightning, (0, 0), bd.lightning)
        for layer in bd.front:
            layer.paste(canvas, cam_x=cam_x, t=tm)
        frame = self._camera(canvas, t)
        if self.look is not None:
            frame = self.look.apply(frame)
        if self.caption is not None:
            frame.paste(self.caption.image, (self.caption.x, self.caption.y), self.caption.image)
        arr = np.array(frame)
        for system in self.particles:
            system.draw(arr, tm)
        if flash > 0.02:
            boost = int(flash * 150)
            np.add(arr, ((255 - arr.astype(np.uint16)) * boost >> 8).astype(np.uint8), out=arr)
        # Subtitles go on last so rain, confetti and lightning never cover the words.
        for start, end, stamp in self.subtitles:
            if start <= t < end:
                stamp.apply(arr)
                break
        return arr

    def _camera(self, canvas: Image.Image, t: float) -> Image.Image:
        w, h, m = self.width, self.height, self.margin
        u = t / self.duration_s
        if self.plan.camera in ("zoom_in", "zoom_out") or self.plan.camera in _FRAMING:
            k = motion.smoothstep(u)
            # Zoom toward the characters' line rather than the frame centre.
            cx, cy = w / 2, h * 0.56
            if self.plan.camera in _FRAMING:
                z0, z1, y0_share, y1_share = _FRAMING[self.plan.camera]
                zoom = z0 + (z1 - z0) * k
                cy = h * (y0_share + (y1_share - y0_share) * k)
                if self.plan.camera == "pov":
                    # Seen through the walker's eyes: the view bobs with each step and sways a little.
                    cy += h * 0.012 * math.sin(t * 2 * math.pi * 1.8)
                    cx += w * 0.01 * math.sin(t * 2 * math.pi * 0.9)
            else:
                zoom = 1.0 + (_ZOOM - 1.0) * (k if self.plan.camera == "zoom_in" else 1.0 - k)
            bw, bh = w / zoom, h / zoom
            x0 = int(min(max(0.0, cx - bw * 0.5), w - bw))
            y0 = int(min(max(0.0, cy - bh * 0.56), h - bh))
            if self._lead_top is not None:
                y0 = int(max(0.0, min(y0, self._lead_top)))
            crop = np.asarray(canvas.crop((x0, y0, x0 + round(bw), y0 + round(bh))))
            # swscale upsamples about 2.5x faster than Pillow's convolution resize; at 1.0-1.18x
            # its fast bilinear kernel is indistinguishable from a full one.
            scaled = av.VideoFrame.from_ndarray(np.ascontiguousarray(crop), format="rgb24").reformat(
                width=w, height=h, format="rgb24", interpolation="FAST_BILINEAR"
            )
            return Image.fromarray(scaled.to_ndarray(), "RGB")
        if m:
            p = self.shake_phase
            dx = m * 0.8 * (0.6 * math.sin(t * 23 + p[0]) + 0.4 * math.sin(t * 37 + p[1]))
            dy = m * 0.8 * (0.6 * math.sin(t * 19 + p[2]) + 0.4 * math.sin(t * 41 + p[3]))
            x0, y0 = round(m + dx), round(m + dy)
            return canvas.crop((x0, y0, x0 + w, y0 + h))
        return canvas

    def frames(self) -> Iterator[np.ndarray]:
        for index in range(self.frame_count):
            yield self.render(index)

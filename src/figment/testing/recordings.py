"""Verification recordings made from one face photo, for tests and benchmarks of likeness consent.

`make_recording` answers a liveness `Challenge` the way a person in front of a browser camera would:
the head turns as asked, with a neutral pause between turns, while a voice (the project's piper voice)
reads the digits one at a time. It can also answer wrongly on purpose (other digits, no turns, no
sound, a second face, a face that changes halfway, no face at all), so every rejection the verifier
makes can be produced by a test. `write_fake_capture` writes the same synthesis as the raw files that
Chromium plays to a page as its camera and microphone, for end-to-end browser tests.

How a single photo turns its head: the head is modelled as an ellipsoid (about 2.5 inter-eye distances
wide, 3.8 tall, 1.5 deep, the proportions of an adult head) with a nose ridge on it, placed on the
face by its landmarks. Each frame rotates that depth field (yaw about the vertical axis, pitch about
the horizontal one, orthographic view) and `cv2.remap`s the photo accordingly. It is not a
photorealistic face model, but the landmarks of the result move the way a real head's do: the nose
swings toward the side the subject turns to and rises when they look up, by about the amount a real
nose does. Directions follow the subject: "left" is the subject's own left, which in a non-mirrored
camera image (what browsers record) is the image's right, the convention of `biometrics.Face.yaw`.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING

import av
import cv2
import numpy as np

if TYPE_CHECKING:
    from figment.likeness.liveness import Challenge

AUDIO_RATE = 48000  # Opus only runs at 48 kHz; Chromium's fake audio capture expects 48 kHz too
FPS = 30
SIZE = (480, 640)  # width, height: a phone-like portrait frame
CAPTURE_SIZE = (640, 480)  # the fake camera's frame, the size every Chromium build accepts

DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
# The pause after each digit. Measured with Whisper tiny.en on 82 sequences of the deterministic voice
# below: 78/82 read right with 0.5 s pauses (three of the four misses had a digit said twice in a row,
# which challenges therefore never contain; 79/80 of such challenges read right), 76/82 with 0.4 s.
DIGIT_PAUSE_S = 0.5
SPEECH_START_S = 0.5

# Degrees (yaw, pitch) of each asked turn: a clear but comfortable movement; dlib's frontal detector
# still finds a face at these angles.
TURN_DEGREES = {"left": (32.0, 0.0), "right": (-32.0, 0.0), "up": (0.0, 22.0)}
TURN_LEAD_S = 0.6  # neutral before the first turn
TURN_RAMP_S = 0.35  # from neutral to the full turn, and back
TURN_HOLD_S = 0.45
TURN_REST_S = 0.45  # neutral between turns
TURN_S = 2 * TURN_RAMP_S + TURN_HOLD_S + TURN_REST_S

BACKGROUND = np.array((196, 202, 210), np.float32)  # a plain light wall
SHIRT = np.array((52, 62, 84), np.float32)

# Head proportions in inter-eye distances (eye centre to eye centre, about 62 mm on an adult).
_HEAD_A, _HEAD_B, _HEAD_DEPTH = 1.25, 1.9, 1.5  # half-width, half-height, half-depth
_HEAD_CENTRE_BELOW_EYES = 0.15
# The nose ridge: from the brow to the nose base, standing out about 0.35 (22 mm) at its peak, so the
# nose base sits 0.38 in front of the eyes, which gives yaw = 0.38 * tan(angle) on `Face.yaw`'s scale.
_NOSE_HEIGHT, _NOSE_SIGMA = 0.35, (0.22, 0.45)


@dataclass(frozen=True)
class _Head:
    """A head cut from a photo, with what the warp needs to turn it."""

    rgb: np.ndarray  # float32 (s, s, 3): the photo around the head, its edges extended outward
    centre: tuple[float, float]  # the head ellipsoid's centre in layer pixels
    unit: float  # layer pixels per inter-eye distance
    nose: tuple[float, float]  # the nose ridge's centre, in units from `centre`
    skin: np.ndarray  # (3,) a colour for the neck
    still: np.ndarray  # float32 (s, s, 4) premultiplied RGBA of the unturned head, computed once


def _as_rgb(image: np.ndarray) -> np.ndarray:
    image = np.asarray(image)
    if image.dtype != np.uint8:
        raise ValueError(f"face_image must be uint8 but is {image.dtype}")
    if image.ndim == 2:
        return np.ascontiguousarray(np.stack([image] * 3, axis=-1))
    if image.ndim == 3 and image.shape[2] in (3, 4):
        return np.ascontiguousarray(image[..., :3])
    raise ValueError(f"face_image must be (h, w), (h, w, 3) or (h, w, 4) but is {tuple(image.shape)}")


def _head(photo: np.ndarray, unit: float) -> _Head:
    """Cut the head out of `photo`, scaled so the eyes are `unit` pixels apart.

    Without a detectable face (a photo of coffee, in the no-face test) the photo's central square is
    used as if it were a face of the usual size, so the clip still has a "head" that moves.
    """
    from figment.likeness.biometrics import detect_faces

    rgb = _as_rgb(photo)
    faces = detect_faces(rgb)
    if faces:
        lm = faces[0].landmarks
        right_eye, left_eye = lm[0:2].mean(axis=0), lm[2:4].mean(axis=0)
        d = float(np.linalg.norm(right_eye - left_eye))
        eyes = (right_eye + left_eye) / 2
        nose_base = lm[4]
    else:
        h, w = rgb.shape[:2]
        d = 0.16 * min(h, w)
        eyes = np.array((w / 2, h / 2 - 0.2 * d))
        nose_base = eyes + (0.0, 0.74 * d)
    centre = eyes + (0.0, _HEAD_CENTRE_BELOW_EYES * d)
    scale = unit / d
    side = int(round(4.4 * unit)) | 1
    # Scale the photo about the head centre into a square layer; outside the photo repeats its edge.
    matrix = np.array([[scale, 0, side / 2 - scale * centre[0]], [0, scale, side / 2 - scale * centre[1]]])
    layer = cv2.warpAffine(rgb, matrix, (side, side), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE)
    nose_units = (nose_base - centre) / d
    c, u = side // 2, unit
    cheek = layer[int(c + 0.5 * u) : int(c + 0.9 * u), int(c - 0.3 * u) : int(c + 0.3 * u)]
    head = _Head(
        rgb=layer.astype(np.float32),
        centre=(side / 2, side / 2),
        unit=unit,
        # The ridge peaks halfway between the brow and the nose base.
        nose=(float(nose_units[0]), float(nose_units[1]) - 0.45),
        skin=np.median(cheek.reshape(-1, 3), axis=0).astype(np.float32),
        still=np.zeros((1, 1, 4), np.float32),
    )
    return _Head(**{**head.__dict__, "still": _render_head(head, 0.0, 0.0)})


def _depth(head: _Head, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Depth toward the camera, in units, of the face surface in front of (x, y) units from the centre."""
    inside = 1.0 - (x / _HEAD_A) ** 2 - (y / _HEAD_B) ** 2
    shell = _HEAD_DEPTH * np.sqrt(np.clip(inside, 0.0, None))
    nx, ny = head.nose
    ridge = _NOSE_HEIGHT * np.exp(
        -((x - nx) ** 2) / (2 * _NOSE_SIGMA[0] ** 2) - (y - ny) ** 2 / (2 * _NOSE_SIGMA[1] ** 2)
    )
    return shell + ridge * np.clip(inside * 4.0, 0.0, 1.0)


def _turned(head: _Head, yaw_deg: float, pitch_deg: float) -> np.ndarray:
    """The head as premultiplied RGBA, turned by yaw (subject's left when > 0) and pitch (up when > 0)."""
    if abs(yaw_deg) < 0.05 and abs(pitch_deg) < 0.05:
        return head.still
    return _render_head(head, yaw_deg, pitch_deg)


def _render_head(head: _Head, yaw_deg: float, pitch_deg: float) -> np.ndarray:
    """Ray-cast the turned head: for each output pixel, the point of the head surface the camera sees.

    Head coordinates: x to the image's right, y down, z toward the camera, in inter-eye distances. The
    view is orthographic, so the ray through output pixel (u, v) is (u, v, s) in the turned frame; it
    meets the ellipsoid where a quadratic in s has its larger root, which also gives the silhouette.
    The nose ridge is then followed by a few damped steps along the ray. Points the photo never showed
    (the side of the head a turn brings into view) take the colour at the photo's edge of the head.
    The geometry is computed at half resolution, where it is smooth, and scaled up for the lookup.
    """
    side = head.rgb.shape[0]
    half = (side + 1) // 2
    cx, cy = head.centre
    grid = (np.arange(half, dtype=np.float64) * 2 + 0.5) / head.unit
    u = np.broadcast_to(grid[None, :] - cx / head.unit, (half, half))
    v = np.broadcast_to(grid[:, None] - cy / head.unit, (half, half))
    t, p = np.radians(yaw_deg), np.radians(pitch_deg)
    yaw = np.array([[np.cos(t), 0, np.sin(t)], [0, 1, 0], [-np.sin(t), 0, np.cos(t)]])
    pitch = np.array([[1, 0, 0], [0, np.cos(p), -np.sin(p)], [0, np.sin(p), np.cos(p)]])
    back = (pitch @ yaw).T  # turned frame -> head frame
    radii2 = np.array((_HEAD_A, _HEAD_B, _HEAD_DEPTH)) ** 2
    origin = [back[i, 0] * u + back[i, 1] * v for i in range(3)]
    ray = back[:, 2]
    a = float((ray**2 / radii2).sum())
    b = sum(origin[i] * ray[i] / radii2[i] for i in range(3))
    c = sum(origin[i] ** 2 / radii2[i] for i in range(3)) - 1.0
    disc = b * b - a * c
    s = (-b + np.sqrt(np.clip(disc, 0.0, None))) / a
    for _ in range(4):
        x, y, z = (origin[i] + s * ray[i] for i in range(3))
        step = (_depth(head, x, y) - z) / ray[2]
        s = s + 0.7 * np.where(z > 0, np.clip(step, 0.0, None), 0.0)
    x, y = origin[0] + s * ray[0], origin[1] + s * ray[1]
    # Off the photographed front: keep the point just inside the head's outline in the photo.
    r = np.sqrt((x / _HEAD_A) ** 2 + (y / _HEAD_B) ** 2)
    pull = np.minimum(1.0, 0.97 / np.maximum(r, 1e-6))
    x, y = x * pull, y * pull
    chord = np.sqrt(np.clip(disc, 0.0, None)) / a  # half the ray's path inside the head: 0 at the outline
    edge = np.clip(chord / 0.25, 0.0, 1.0)
    alpha = edge * edge * (3 - 2 * edge)

    def full(field: np.ndarray) -> np.ndarray:
        return cv2.resize(field.astype(np.float32), (side, side), interpolation=cv2.INTER_LINEAR)

    map_x, map_y = full(x * head.unit + cx - 0.5), full(y * head.unit + cy - 0.5)
    colour = cv2.remap(head.rgb, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    a_full = full(alpha)[..., None]
    return np.dstack([colour * a_full, a_full])


def _pose_at(t: float, turns: Sequence[str]) -> tuple[float, float]:
    """(yaw, pitch) in degrees at time t: neutral, then each turn eased in, held, eased out, rested."""
    k = (t - TURN_LEAD_S) / TURN_S
    index = int(np.floor(k))
    if k < 0 or index >= len(turns):
        return 0.0, 0.0
    local = (k - index) * TURN_S
    if local < TURN_RAMP_S:
        amount = local / TURN_RAMP_S
    elif local < TURN_RAMP_S + TURN_HOLD_S:
        amount = 1.0
    elif local < 2 * TURN_RAMP_S + TURN_HOLD_S:
        amount = 1.0 - (local - TURN_RAMP_S - TURN_HOLD_S) / TURN_RAMP_S
    else:
        amount = 0.0
    amount = amount * amount * (3 - 2 * amount)
    yaw, pitch = TURN_DEGREES[turns[index]]
    return yaw * amount, pitch * amount


_WORD_AUDIO: dict[str, np.ndarray] = {}


def read_digits(digits: str) -> tuple[np.ndarray, int]:
    """`digits` read one at a time by the project's piper voice: mono float32 in -1..1 and its rate.

    Each digit is followed by a DIGIT_PAUSE_S pause, as people read a code. Deterministic: piper adds
    random noise to pitch and timing by default, and Whisper tiny.en mishears some of those renderings
    (it drops an occasional digit), so a test could fail one run in ten. With both noise scales at 0 the
    same digits always sound the same, and a recording that verifies once verifies every time.
    """
    from piper import SynthesisConfig

    from figment.generation.sound import voice

    rate = 22050
    parts: list[np.ndarray] = []
    for digit in digits:
        word = DIGIT_WORDS[int(digit)]
        if word not in _WORD_AUDIO:
            # The procedural backend's voice, loaded once per process, and its lock (eSpeak is not thread-safe).
            with voice._LOCK:
                chunks = list(
                    voice._voice().synthesize(word, syn_config=SynthesisConfig(noise_scale=0.0, noise_w_scale=0.0))
                )
            rate = int(chunks[0].sample_rate)
            _WORD_AUDIO[word] = np.concatenate([c.audio_int16_array for c in chunks]).astype(np.float32) / 32768.0
        parts += [_WORD_AUDIO[word], np.zeros(int(DIGIT_PAUSE_S * rate), np.float32)]
    return (np.concatenate(parts) if parts else np.zeros(0, np.float32)), rate


def _speech(digits: str) -> np.ndarray:
    """The digits read aloud at AUDIO_RATE, starting at SPEECH_START_S."""
    from scipy.signal import resample_poly

    audio, rate = read_digits(digits)
    lead = np.zeros(int(SPEECH_START_S * AUDIO_RATE), np.float32)
    return np.concatenate([lead, resample_poly(audio, AUDIO_RATE, rate).astype(np.float32)])


@dataclass(frozen=True)
class _Synthesis:
    frames: Iterator[np.ndarray]  # RGB uint8 (h, w, 3), frame_count of them
    frame_count: int
    fps: int
    audio: np.ndarray | None  # mono float32 at AUDIO_RATE, exactly the clip's length; None: no sound at all


def _synthesise(
    challenge: Challenge,
    face_image: np.ndarray,
    *,
    spoken_digits: str | None,
    head_turns: Sequence[str] | None,
    seconds: float | None,
    with_audio: bool,
    extra_face: np.ndarray | None,
    swap_face: np.ndarray | None,
    size: tuple[int, int],
    fps: int,
    lead_s: float = 0.0,
    tail_s: float = 0.0,
) -> _Synthesis:
    """The answer, `seconds` long (or its natural length), between `lead_s` and `tail_s` of still silence."""
    turns = tuple(challenge.head_turns if head_turns is None else head_turns)
    for turn in turns:
        if turn not in TURN_DEGREES:
            raise ValueError(f"head turns must be among {sorted(TURN_DEGREES)} but one is {turn!r}")
    digits = challenge.digits if spoken_digits is None else spoken_digits
    if not digits.isdigit() and digits != "":
        raise ValueError(f"spoken_digits must be digits only but is {digits!r}")
    width, height = size
    if width % 2 or height % 2 or min(width, height) < 64:
        raise ValueError(f"size must be even and at least 64x64 but is {width}x{height}")
    speech = _speech(digits) if with_audio and digits else np.zeros(0, np.float32)
    natural = max(2.5, len(speech) / AUDIO_RATE + 0.3, TURN_LEAD_S + TURN_S * len(turns) + 0.2)
    duration = natural if seconds is None else float(seconds)
    if duration <= 0:
        raise ValueError(f"seconds must be positive but is {seconds}")
    if lead_s < 0 or tail_s < 0:
        raise ValueError(f"lead_s and tail_s must not be negative but are {lead_s} and {tail_s}")
    # The answer starts on a whole frame, so picture and sound start it together.
    lead_frames = int(round(lead_s * fps))
    answer_frames = max(1, int(round(duration * fps)))
    frame_count = lead_frames + answer_frames + int(round(tail_s * fps))
    samples = int(round(frame_count / fps * AUDIO_RATE))
    audio: np.ndarray | None = None
    if with_audio:
        # Faint room tone: a real microphone is never digitally silent, and "" then means "said nothing".
        room = np.random.default_rng(7).normal(0.0, 0.0015, samples).astype(np.float32)
        audio = room
        start = int(round(lead_frames / fps * AUDIO_RATE))
        end = int(round((lead_frames + answer_frames) / fps * AUDIO_RATE))
        spoken = speech[: end - start]
        audio[start : start + len(spoken)] += spoken

    two = extra_face is not None
    unit = (0.15 if two else 0.2) * min(width, height)
    heads = [_head(face_image, unit)]
    if swap_face is not None:
        heads.append(_head(swap_face, unit))
    extra = _head(extra_face, unit) if extra_face is not None else None

    def frames() -> Iterator[np.ndarray]:
        base = np.empty((height, width, 3), np.float32)
        base[:] = BACKGROUND * np.linspace(1.04, 0.92, height, dtype=np.float32)[:, None, None]
        for index in range(frame_count):
            t = index / fps
            frame = base.copy()
            answer = min(max(index - lead_frames, 0), answer_frames - 1)  # still before and after the answer
            head = heads[1] if len(heads) > 1 and answer >= answer_frames // 2 else heads[0]
            inside = lead_frames <= index < lead_frames + answer_frames
            pose = _pose_at((index - lead_frames) / fps, turns) if inside else (0.0, 0.0)
            # A person on camera is never perfectly still: a slow sway of a few pixels.
            sway = (3.0 * np.sin(2 * np.pi * 0.31 * t), 2.0 * np.sin(2 * np.pi * 0.23 * t + 1.0))
            main_x = (0.33 if two else 0.5) * width
            _body(frame, head, (main_x + sway[0], 0.42 * height + sway[1]))
            _paste(frame, _turned(head, *pose), (main_x + sway[0], 0.42 * height + sway[1]))
            if extra is not None:
                _body(frame, extra, (0.72 * width - sway[1], 0.44 * height))
                _paste(frame, extra.still, (0.72 * width - sway[1], 0.44 * height))
            yield np.clip(frame + 0.5, 0, 255).astype(np.uint8)

    return _Synthesis(frames=frames(), frame_count=frame_count, fps=fps, audio=audio)


def _body(frame: np.ndarray, head: _Head, at: tuple[float, float]) -> None:
    """A neck and shoulders under the head, so it is a person on camera rather than a floating face."""
    u = head.unit
    cx, cy = int(round(at[0])), int(round(at[1]))
    cv2.ellipse(frame, (cx, cy + int(4.3 * u)), (int(2.6 * u), int(1.9 * u)), 0, 180, 360, SHIRT.tolist(), -1)
    cv2.rectangle(
        frame, (cx - int(0.6 * u), cy + int(1.2 * u)), (cx + int(0.6 * u), cy + int(2.7 * u)), head.skin.tolist(), -1
    )


def _paste(frame: np.ndarray, layer: np.ndarray, at: tuple[float, float]) -> None:
    """Alpha-blend a premultiplied RGBA layer onto `frame` (float32 RGB) with its centre at `at`."""
    side = layer.shape[0]
    x0, y0 = int(round(at[0] - side / 2)), int(round(at[1] - side / 2))
    fx0, fy0 = max(0, x0), max(0, y0)
    fx1, fy1 = min(frame.shape[1], x0 + side), min(frame.shape[0], y0 + side)
    if fx1 <= fx0 or fy1 <= fy0:
        return
    part = layer[fy0 - y0 : fy1 - y0, fx0 - x0 : fx1 - x0]
    # OpenCV's per-element arithmetic is 4x faster here than numpy's broadcasting of the alpha channel.
    keep = cv2.cvtColor(np.ascontiguousarray(1.0 - part[..., 3]), cv2.COLOR_GRAY2RGB)
    region = np.ascontiguousarray(frame[fy0:fy1, fx0:fx1])
    frame[fy0:fy1, fx0:fx1] = cv2.add(cv2.multiply(region, keep), np.ascontiguousarray(part[..., :3]))


def make_recording(
    challenge: Challenge,
    face_image: np.ndarray,
    *,
    spoken_digits: str | None = None,
    head_turns: Sequence[str] | None = None,
    fmt: str = "webm",
    seconds: float | None = None,
    with_audio: bool = True,
    extra_face: np.ndarray | None = None,
    swap_face: np.ndarray | None = None,
    size: tuple[int, int] = SIZE,
    fps: int = FPS,
) -> bytes:
    """A recording of the person in `face_image` (RGB or grey uint8 photo) answering `challenge`.

    - `spoken_digits`: what the voice reads. None reads the challenge's digits; "" reads nothing, but
      the clip still has an audio track (faint room tone), which is how a silent recording looks.
    - `head_turns`: the turns made, each among "left", "right", "up" (the subject's own directions).
      None makes the challenge's turns; () keeps the head still, facing the camera.
    - `fmt`: "webm" (VP8 + Opus, what Chrome's MediaRecorder makes) or "mp4" (H.264 + AAC, Safari's).
    - `seconds`: the clip's exact length; by default long enough for the speech and the turns. A
      shorter value cuts the clip off, a longer one holds still and quiet at the end.
    - `with_audio`: False writes no audio stream at all (with `head_turns=()`: a still photo).
    - `extra_face`: a second person's photo, standing beside the first for the whole clip.
    - `swap_face`: another person's photo that replaces the face halfway through the clip.
    - `size` (width, height) and `fps` of the video.
    """
    if fmt not in ("webm", "mp4"):
        raise ValueError(f"fmt must be 'webm' or 'mp4' but is {fmt!r}")
    synthesis = _synthesise(
        challenge,
        face_image,
        spoken_digits=spoken_digits,
        head_turns=head_turns,
        seconds=seconds,
        with_audio=with_audio,
        extra_face=extra_face,
        swap_face=swap_face,
        size=size,
        fps=fps,
    )
    return _encode(synthesis, fmt=fmt, size=size)


def _encode(synthesis: _Synthesis, *, fmt: str, size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    fps = synthesis.fps
    # Chrome's MediaRecorder streams its WebM as it records, so the file has no duration and no index:
    # FFmpeg's "live" mode writes the same, and the verifier has to measure the length itself.
    with av.open(buffer, "w", format=fmt, options={"live": "1"} if fmt == "webm" else {}) as out:
        if fmt == "webm":
            # How a browser encodes live: realtime, no look-ahead (lag 0). 4x faster than the defaults here.
            video = out.add_stream(
                "libvpx",
                rate=fps,
                options={"deadline": "realtime", "cpu-used": "8", "lag-in-frames": "0", "threads": "2"},
            )
            video.codec_context.bit_rate = 1_000_000
        else:
            video = out.add_stream("libx264", rate=fps, options={"preset": "veryfast", "crf": "23"})
        video.width, video.height = size
        video.pix_fmt = "yuv420p"
        video.codec_context.time_base = Fraction(1, fps)
        audio_stream = None
        if synthesis.audio is not None:
            audio_stream = out.add_stream("libopus" if fmt == "webm" else "aac", rate=AUDIO_RATE, layout="mono")
            audio_stream.codec_context.bit_rate = 64_000
        for index, rgb in enumerate(synthesis.frames):
            picture = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            picture.pts = index
            picture.time_base = Fraction(1, fps)
            out.mux(video.encode(picture))
        out.mux(video.encode(None))
        if audio_stream is not None and synthesis.audio is not None:
            chunk = 4800
            samples = synthesis.audio
            for start in range(0, len(samples), chunk):
                piece = samples[start : start + chunk]
                sound = av.AudioFrame.from_ndarray(piece[None, :], format="flt", layout="mono")
                sound.sample_rate = AUDIO_RATE
                sound.pts = start
                sound.time_base = Fraction(1, AUDIO_RATE)
                out.mux(audio_stream.encode(sound))
            out.mux(audio_stream.encode(None))
    return buffer.getvalue()


def write_fake_capture(
    challenge: Challenge,
    face_image: np.ndarray,
    directory: Path,
    *,
    fps: int = FPS,
    lead_s: float = 0.0,
    tail_s: float = 0.0,
) -> tuple[Path, Path]:
    """Write `challenge.y4m` and `challenge.wav` under `directory` for Chromium's fake capture devices.

    Use with `--use-fake-device-for-media-stream --use-file-for-fake-video-capture=Y4M
    --use-file-for-fake-audio-capture=WAV`. The y4m is raw I420 (YUV4MPEG2 C420jpeg), 640x480 at `fps`;
    the wav is 16-bit PCM, 48 kHz, mono. Chromium loops both from the start when they end, so both are
    exactly as long as each other and a page recording about one loop sees one full answer. The answer
    is the correct one (the challenge's digits and turns), as `make_recording` makes by default.

    Chromium starts playing the files when the page opens the camera (getUserMedia), but a page records
    later (after a preview and a countdown, say). `lead_s` puts that many seconds of the person facing
    the camera in silence (room tone only) before the answer, so the answer starts about when the
    recording does; `tail_s` adds as many after it, so one loop outlasts the recording and the page never
    records the answer's start again. Both are rounded to whole frames; by default there are none.
    """
    directory.mkdir(parents=True, exist_ok=True)
    width, height = CAPTURE_SIZE
    synthesis = _synthesise(
        challenge,
        face_image,
        spoken_digits=None,
        head_turns=None,
        seconds=None,
        with_audio=True,
        extra_face=None,
        swap_face=None,
        size=CAPTURE_SIZE,
        fps=fps,
        lead_s=lead_s,
        tail_s=tail_s,
    )
    y4m = directory / "challenge.y4m"
    wav = directory / "challenge.wav"
    with y4m.open("wb") as handle:
        handle.write(f"YUV4MPEG2 W{width} H{height} F{fps}:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        for rgb in synthesis.frames:
            handle.write(b"FRAME\n")
            handle.write(cv2.cvtColor(rgb, cv2.COLOR_RGB2YUV_I420).tobytes())
    audio = synthesis.audio if synthesis.audio is not None else np.zeros(0, np.float32)
    pcm = np.clip(audio * 32767.0, -32768, 32767).astype("<i2")
    with wave.open(str(wav), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(AUDIO_RATE)
        handle.writeframes(pcm.tobytes())
    return y4m, wav

"""Liveness verification: does a short recording show one live person answering a fresh challenge?

The person is shown random digits to read aloud and two or three head turns to make, and records
themselves in the browser. `verify_recording` then checks, each as a named reason a person can act on:
the file is a readable video of sensible length, with sound; one face is in view throughout and it is
the same person from start to end; the head turns happened in the asked order; and the voice read
the asked digits. A replayed older recording fails the digits and the turns; a photo held up to the
camera cannot turn its head; a swapped face fails the identity check.

Cost on a 2-core CPU for a 6 s 480x640 WebM (bench/likeness.py): 1.2-1.3 s in all. Decoding 0.1 s;
48 sampled frames through the face detector and landmarks 0.7 s; five identity embeddings 0.4-0.5 s;
Whisper on the sound 0.9 s, on its own thread meanwhile (CTranslate2 and dlib both work outside the
GIL, so the two overlap on the two cores).
"""

from __future__ import annotations

import io
import random
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import av
import numpy as np

from figment.likeness import biometrics, speech
from figment.likeness.recording import CONTAINERS, MAX_BYTES, NOT_A_VIDEO, Reason, too_large

MAX_SECONDS = 15.0
MIN_SECONDS = 2.0

TURNS = ("left", "right", "up")
SAMPLE_FPS = 8.0  # pose samples per second: a quick head turn (0.3 s each way) still gives 2-3 frames
ANALYSIS_MAX_SIDE = 640  # frames are analysed at most this large; a selfie's face is still 150+ px
DETECT_FACE_PX = 110  # the detector sees frames scaled so the face is about this wide (its minimum is 80)
# Following one face across samples (1/8 s apart): a turning head's box moves by about a third of its
# width, a neighbour's face is a whole width or more away.
FOLLOW_RADIUS = 0.6
FOLLOW_GAP_S = 1.0  # a followed face unseen this long is let go (the person moved, or left)
EMBED_FRAMES = 5  # one near-frontal frame from each fifth of the clip
CROPS = 3

# Share of sampled frames: below FACE_SHARE with a face is "no face"; from MULTI_SHARE with two or more
# faces is "multiple faces" (a passer-by for a moment is not, a second person standing there is).
FACE_SHARE = 0.5
MULTI_SHARE = 0.2

# Head-turn thresholds on biometrics.Face.yaw/pitch, relative to the clip's median (the person's own
# neutral pose). Measured on recordings turned 32 degrees (yaw) and 22 degrees up (pitch) from the
# astronaut photo: yaw +0.24/-0.13 at the held turns, pitch +0.13; frontal frames jitter by 0.01. Real
# faces give about 0.33 * tan(angle): 0.09 is a turn of about 15 degrees, which anyone asked to turn
# their head exceeds, while nodding along as one reads stays below.
YAW_TURN = 0.09
PITCH_UP = 0.08

# Sound is "silent" unless at least SOUND_MIN_S of its 20 ms windows are louder than SILENCE_RMS
# (-46 dBFS): a live microphone's room noise is around -60 dBFS, speech at a normal distance -30 to
# -20 dBFS, and four digits read aloud are more than a second of it.
SILENCE_RMS = 0.005
SOUND_MIN_S = 0.3

_SPOKEN_TURN = {"left": "to your left", "right": "to your right", "up": "up"}


@dataclass(frozen=True)
class Challenge:
    """What a person must do in their recording: read `digits` aloud and make `head_turns` in order."""

    digits: str
    head_turns: tuple[str, ...]

    def __post_init__(self) -> None:
        if not (self.digits.isascii() and self.digits.isdigit() and 4 <= len(self.digits) <= 8):
            raise ValueError(f"digits must be 4 to 8 ASCII digits but are {self.digits!r}")
        if not self.head_turns or any(turn not in TURNS for turn in self.head_turns):
            raise ValueError(f"head_turns must be one or more of {TURNS} but are {self.head_turns!r}")
        if any(a == b for a, b in zip(self.head_turns, self.head_turns[1:], strict=False)):
            raise ValueError(f"head_turns must not repeat a turn twice in a row but are {self.head_turns!r}")

    @classmethod
    def new(cls, rng: random.Random | None = None) -> Challenge:
        """A fresh challenge: 4-6 random digits and 2-3 head turns, never the same one twice in a row.

        By default drawn from the operating system's CSPRNG, so nobody can predict the next one and
        record the answer in advance; pass a seeded `random.Random` for reproducible tests. No digit
        follows itself: of 82 measured sequences Whisper tiny.en misheard four, three of them at a
        digit said twice in a row ("6 3 3 6" heard as "6 3 6"); of 80 without such repeats it
        misheard one. That leaves 10 * 9**(n-1) digit strings of length n (7,290 to 590,490), times
        the 2-3 turns.
        """
        rng = rng or secrets.SystemRandom()
        digits = ""
        for _ in range(rng.randint(4, 6)):
            digits += rng.choice([d for d in "0123456789" if not digits or d != digits[-1]])
        turns: list[str] = []
        for _ in range(rng.randint(2, 3)):
            turns.append(rng.choice([t for t in TURNS if not turns or t != turns[-1]]))
        return cls(digits=digits, head_turns=tuple(turns))

    def instructions(self) -> str:
        """What to tell the person, in one sentence."""
        turns = ", then ".join(_SPOKEN_TURN[t] for t in self.head_turns)
        return f"Read the digits {' '.join(self.digits)} aloud, and turn your head {turns}."


@dataclass
class Verification:
    """The outcome of `verify_recording`; it passed when there is no reason against it.

    `crops` (RGB face crops, the most frontal first), `embeddings` (k, 128) and `cutout` (upright RGBA
    face from the most frontal frame, for the renderer) are filled whenever a face was seen, even when
    the recording failed, so a caller can show the person what the camera saw. `timings` holds seconds
    per stage ("decode", "faces", "embed", "speech") and "total"; speech overlaps the face stages, so
    the stages add up to more than the total.
    """

    reasons: list[Reason] = field(default_factory=list)
    crops: list[np.ndarray] = field(default_factory=list)
    embeddings: np.ndarray = field(default_factory=lambda: np.zeros((0, 128), np.float32))
    cutout: np.ndarray | None = None
    timings: dict[str, float] = field(default_factory=dict)
    duration_s: float = 0.0
    heard: str | None = None  # the digits heard, when the sound was transcribed

    @property
    def passed(self) -> bool:
        return not self.reasons

    @property
    def codes(self) -> list[str]:
        return [reason.code for reason in self.reasons]


@dataclass
class _Decoded:
    frames: list[tuple[float, np.ndarray]]  # (seconds from the first frame, RGB) at about SAMPLE_FPS
    duration_s: float
    audio: np.ndarray | None  # mono float32 at 16 kHz; None when the file has no audio stream
    too_long: bool


class _NotAVideo(Exception):
    pass


def _spaced(digits: str) -> str:
    return " ".join(digits)


def verify_recording(data: bytes, challenge: Challenge) -> Verification:
    """Check a browser recording (WebM VP8/VP9 + Opus, or MP4 H.264 + AAC) against `challenge`.

    Every check that can run does, so the person learns everything that was wrong at once; only a
    file that is too large, unreadable or too long stops early (nothing after those would mean much).
    """
    started = time.perf_counter()
    result = Verification()
    if len(data) > MAX_BYTES:
        result.reasons.append(too_large(len(data)))
        return _done(result, started)
    step = time.perf_counter()
    try:
        decoded = _decode(data)
    except _NotAVideo:
        result.reasons.append(NOT_A_VIDEO)
        return _done(result, started)
    result.timings["decode"] = time.perf_counter() - step
    result.duration_s = decoded.duration_s
    if decoded.too_long:
        result.reasons.append(
            Reason(
                "too_long",
                f"The recording is longer than {MAX_SECONDS:.0f} seconds: record again and stop within "
                f"{MAX_SECONDS:.0f} seconds.",
            )
        )
        return _done(result, started)
    if decoded.duration_s < MIN_SECONDS:
        result.reasons.append(
            Reason(
                "too_short",
                f"The recording is only {decoded.duration_s:.1f} seconds long: record at least "
                f"{MIN_SECONDS:.0f} seconds, reading all the digits and making every head turn.",
            )
        )

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="liveness-speech") as pool:
        heard_future = None
        if decoded.audio is None:
            result.reasons.append(
                Reason("no_audio", "The recording has no sound: allow the microphone and read the digits aloud.")
            )
        elif _is_silent(decoded.audio):
            result.reasons.append(
                Reason(
                    "no_audio",
                    "The recording is silent: check that your microphone is on and not muted, "
                    "then read the digits aloud.",
                )
            )
        else:
            heard_future = pool.submit(_timed_speech, decoded.audio)
        _check_faces(decoded, challenge, result)
        if heard_future is not None:
            heard, result.timings["speech"] = heard_future.result()
            result.heard = heard
            if not digits_match(heard, challenge.digits):
                result.reasons.append(_digits_reason(heard, challenge.digits))
    return _done(result, started)


def _done(result: Verification, started: float) -> Verification:
    result.timings["total"] = time.perf_counter() - started
    return result


# Whisper tiny.en drops or swaps one digit in about 1 in 20 clear readings (measured on piper voices,
# usually the last digit). From 5 digits up one such slip is forgiven: a replayed answer to an older
# challenge is within one edit of a new random 5-digit one with odds of about 110 in 65,610 (0.17 %),
# before the head turns, which must match too. Four digits must be exact.
TOLERANT_FROM_DIGITS = 5


def digits_match(heard: str, asked: str) -> bool:
    if heard == asked:
        return True
    return len(asked) >= TOLERANT_FROM_DIGITS and _edit_distance(heard, asked) <= 1


def _edit_distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _digits_reason(heard: str, asked: str) -> Reason:
    if not heard:
        message = (
            f"We could not make out any digits, but the challenge was {_spaced(asked)}: "
            "read each digit aloud, clearly and one at a time."
        )
    else:
        message = (
            f"We heard the digits {_spaced(heard)} but the challenge was {_spaced(asked)}: "
            "read all the digits clearly, one at a time."
        )
    return Reason("digits", message)


def _timed_speech(audio: np.ndarray) -> tuple[str, float]:
    start = time.perf_counter()
    heard = speech.heard_digits(audio, speech.WHISPER_RATE)
    return heard, time.perf_counter() - start


def _is_silent(audio: np.ndarray) -> bool:
    window = speech.WHISPER_RATE // 50
    usable = len(audio) // window * window
    if usable == 0:
        return True
    rms = np.sqrt((audio[:usable].reshape(-1, window).astype(np.float64) ** 2).mean(axis=1))
    return int((rms > SILENCE_RMS).sum()) * window < SOUND_MIN_S * speech.WHISPER_RATE


def _decode(data: bytes) -> _Decoded:
    """Sampled RGB frames, the measured duration and 16 kHz mono audio, from the file's own timestamps.

    Chrome's MediaRecorder writes WebM without a duration in its header, so the length is measured from
    the decoded frames, and decoding stops as soon as a frame lies past MAX_SECONDS.
    """
    try:
        container = av.open(io.BytesIO(data), mode="r")
    except (av.FFmpegError, ValueError, OSError) as error:
        raise _NotAVideo from error
    with container:
        # FFmpeg also opens still images (PNG, JPEG) as one-frame "videos": only real video containers count.
        if container.format.name not in CONTAINERS or not container.streams.video:
            raise _NotAVideo
        video = container.streams.video[0]
        video.thread_type = "AUTO"
        audio_stream = container.streams.audio[0] if container.streams.audio else None
        declared = container.duration / av.time_base if container.duration else None
        if declared is not None and declared > MAX_SECONDS + 1.0:
            return _Decoded(frames=[], duration_s=declared, audio=None, too_long=True)
        resampler = av.AudioResampler(format="flt", layout="mono", rate=speech.WHISPER_RATE) if audio_stream else None
        frames: list[tuple[float, np.ndarray]] = []
        chunks: list[np.ndarray] = []
        first: float | None = None
        last = 0.0
        intervals: list[float] = []
        next_sample = 0.0
        too_long = False
        streams = [video] + ([audio_stream] if audio_stream is not None else [])
        try:
            for packet in container.demux(*streams):
                if too_long:
                    break
                for frame in packet.decode():
                    if isinstance(frame, av.AudioFrame):
                        if resampler is not None and (frame.time is None or frame.time < MAX_SECONDS + 1.0):
                            chunks.extend(f.to_ndarray().reshape(-1) for f in resampler.resample(frame))
                        continue
                    if not isinstance(frame, av.VideoFrame) or frame.time is None:
                        continue
                    if first is None:
                        first = frame.time
                    t = frame.time - first
                    if t > last:
                        intervals.append(t - last)
                    last = max(last, t)
                    if t > MAX_SECONDS:
                        too_long = True
                        break
                    if t + 1e-6 >= next_sample:
                        frames.append((t, _rgb(frame)))
                        next_sample = t + 1.0 / SAMPLE_FPS
        except av.FFmpegError:
            # A truncated upload: judge the part that decoded, if there is any.
            if not frames:
                raise _NotAVideo from None
        if not frames:
            raise _NotAVideo
        if resampler is not None:
            chunks.extend(f.to_ndarray().reshape(-1) for f in resampler.resample(None))
    frame_interval = float(np.median(intervals)) if intervals else 1 / 30
    audio = np.concatenate(chunks).astype(np.float32) if chunks else (None if audio_stream is None else np.zeros(0))
    return _Decoded(frames=frames, duration_s=last + frame_interval, audio=audio, too_long=too_long)


def _rgb(frame: av.VideoFrame) -> np.ndarray:
    """The frame upright, as RGB no larger than ANALYSIS_MAX_SIDE."""
    scale = min(1.0, ANALYSIS_MAX_SIDE / max(frame.width, frame.height))
    width, height = max(2, round(frame.width * scale)), max(2, round(frame.height * scale))
    rgb = frame.to_ndarray(format="rgb24", width=width, height=height)
    # Phones store portrait video sideways with a display rotation (counterclockwise degrees in PyAV).
    quarter_turns = round((getattr(frame, "rotation", 0) or 0) / 90) % 4
    return np.ascontiguousarray(np.rot90(rgb, k=quarter_turns)) if quarter_turns else rgb


@dataclass
class _Sample:
    t: float
    rgb: np.ndarray
    face: biometrics.Face | None  # the followed face
    count: int  # faces in the frame


@dataclass
class _Seen:
    t: float
    rgb: np.ndarray
    face: biometrics.Face


def _check_faces(decoded: _Decoded, challenge: Challenge, result: Verification) -> None:
    step = time.perf_counter()
    samples = _track(decoded.frames)
    result.timings["faces"] = time.perf_counter() - step
    with_face = [_Seen(s.t, s.rgb, s.face) for s in samples if s.face is not None]
    if len(with_face) < FACE_SHARE * len(samples) or not with_face:
        result.reasons.append(
            Reason(
                "no_face",
                "We could not see a face for most of the recording: face the camera in good light, "
                "with your whole face in the frame.",
            )
        )
        _embed(with_face, result)
        return
    if sum(s.count > 1 for s in samples) >= MULTI_SHARE * len(samples):
        result.reasons.append(
            Reason(
                "multiple_faces",
                "More than one face is in the recording: record alone, with no other people or photos of "
                "faces in view.",
            )
        )
    missing = _missing_turn(with_face, challenge.head_turns)
    if missing is not None:
        result.reasons.append(missing)
    _embed(with_face, result)
    if len(result.embeddings) > 1:
        e = result.embeddings.astype(np.float64)
        worst = float(np.max(np.linalg.norm(e[:, None, :] - e[None, :, :], axis=-1)))
        if worst > biometrics.SAME_PERSON_DISTANCE:
            result.reasons.append(
                Reason(
                    "different_person",
                    "The face in the recording is not the same person all the way through: record yourself "
                    "alone, from start to end.",
                )
            )


def _track(frames: list[tuple[float, np.ndarray]]) -> list[_Sample]:
    """Detect faces in each sampled frame and follow one person's face from frame to frame.

    Frames are searched at the analysis size without upsampling, so the smallest face found is 80 px
    (an eighth of a 640 px frame; a selfie's face is two to four times that). The first face found
    tells its size; later frames are shrunk so that face is about DETECT_FACE_PX wide for the detector
    (4-8x fewer pixels), with a search at full analysis size where that finds nothing. Landmarks are
    always placed on the analysis frame.

    The followed face is the best one at first, then whichever face is within FOLLOW_RADIUS widths of
    where it was last seen: when the person turns too far for the detector, a second person in view is
    not taken for them. After FOLLOW_GAP_S without it, the best face in view is followed instead.
    """
    samples: list[_Sample] = []
    max_side: int | None = None
    anchor: biometrics.Face | None = None
    anchor_t = 0.0
    for t, rgb in frames:
        faces = biometrics.detect_faces(rgb, upsample=0, max_side=max_side)
        if not faces and max_side is not None:
            faces = biometrics.detect_faces(rgb, upsample=0)
        if anchor is not None and t - anchor_t > FOLLOW_GAP_S:
            anchor = None
        face = None
        if faces:
            if anchor is None:
                face = faces[0]
            else:
                last = anchor
                nearest = min(faces, key=lambda f: _centre_gap(f, last))
                face = nearest if _centre_gap(nearest, last) <= FOLLOW_RADIUS * last.width else None
        if face is not None:
            anchor, anchor_t = face, t
            if max_side is None:
                side = max(rgb.shape[:2])
                max_side = int(min(side, max(240, side * DETECT_FACE_PX / max(face.width, 1))))
        samples.append(_Sample(t=t, rgb=rgb, face=face, count=len(faces)))
    return samples


def _centre_gap(a: biometrics.Face, b: biometrics.Face) -> float:
    ax, ay = (a.box[0] + a.box[2]) / 2, (a.box[1] + a.box[3]) / 2
    bx, by = (b.box[0] + b.box[2]) / 2, (b.box[1] + b.box[3]) / 2
    return float(np.hypot(ax - bx, ay - by))


def _missing_turn(samples: list[_Seen], asked: tuple[str, ...]) -> Reason | None:
    """A reason naming the first asked turn not seen in order, or None when all were seen."""
    yaw = np.array([s.face.yaw for s in samples])
    pitch = np.array([s.face.pitch for s in samples])
    dyaw, dpitch = yaw - np.median(yaw), pitch - np.median(pitch)
    seen: list[str] = []
    for y, p in zip(dyaw, dpitch, strict=True):
        strengths = {"left": y / YAW_TURN, "right": -y / YAW_TURN, "up": p / PITCH_UP}
        label = max(strengths, key=lambda k: strengths[k])
        if strengths[label] >= 1.0 and (not seen or seen[-1] != label):
            seen.append(label)
    position = 0
    for index, turn in enumerate(asked):
        while position < len(seen) and seen[position] != turn:
            position += 1
        if position == len(seen):
            order = ", then ".join(_SPOKEN_TURN[t] for t in asked)
            after = f" after turning {_SPOKEN_TURN[asked[index - 1]]}" if index else ""
            return Reason(
                "head_turns",
                f"We did not see you turn your head {_SPOKEN_TURN[turn]}{after}. The challenge asked you to turn "
                f"{order}: turn clearly each time and face the camera again in between.",
            )
        position += 1
    return None


def _embed(samples: list[_Seen], result: Verification) -> None:
    """Embed the most frontal face from each of EMBED_FRAMES stretches of the clip; crops and cutout too."""
    if not samples:
        return
    step = time.perf_counter()
    yaw0 = float(np.median([s.face.yaw for s in samples]))
    pitch0 = float(np.median([s.face.pitch for s in samples]))

    def turned(s: _Seen) -> float:
        return abs(s.face.yaw - yaw0) + abs(s.face.pitch - pitch0)

    bounds = np.linspace(0, len(samples), min(EMBED_FRAMES, len(samples)) + 1).round().astype(int)
    chosen = [min(samples[a:b], key=turned) for a, b in zip(bounds[:-1], bounds[1:], strict=True) if b > a]
    result.embeddings = np.stack([biometrics.embed(s.rgb, s.face) for s in chosen])
    frontal = sorted(chosen, key=turned)
    result.crops = [biometrics.face_crop(s.rgb, s.face) for s in frontal[:CROPS]]
    result.cutout = biometrics.face_cutout(frontal[0].rgb, frontal[0].face)
    result.timings["embed"] = time.perf_counter() - step

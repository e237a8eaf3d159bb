"""The recording generator and Chromium's fake-capture files it writes for browser tests."""

from __future__ import annotations

import io
import wave
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from figment.likeness import biometrics
from figment.likeness.liveness import Challenge, verify_recording
from figment.testing import recordings
from figment.testing.recordings import AUDIO_RATE, make_recording, read_digits, write_fake_capture

CHALLENGE = Challenge(digits="3071", head_turns=("right", "up"))


def _read_y4m(path: Path) -> tuple[str, list[np.ndarray]]:
    raw = path.read_bytes()
    header, _, body = raw.partition(b"\n")
    width, height = 640, 480
    frame_bytes = width * height * 3 // 2
    frames = []
    for chunk in body.split(b"FRAME\n")[1:]:
        assert len(chunk) == frame_bytes
        yuv = np.frombuffer(chunk, np.uint8).reshape(height * 3 // 2, width)
        frames.append(cv2.cvtColor(yuv, cv2.COLOR_YUV2RGB_I420))
    return header.decode("ascii"), frames


def test_fake_capture_files_are_what_chromium_reads_and_answer_the_challenge(
    tmp_path: Path, astronaut: np.ndarray
) -> None:
    y4m, wav = write_fake_capture(CHALLENGE, astronaut, tmp_path / "capture")
    header, frames = _read_y4m(y4m)
    assert header == "YUV4MPEG2 W640 H480 F30:1 Ip A1:1 C420jpeg"
    with wave.open(str(wav), "rb") as sound:
        assert (sound.getnchannels(), sound.getsampwidth(), sound.getframerate()) == (1, 2, 48000)
        pcm = np.frombuffer(sound.readframes(sound.getnframes()), "<i2")
    # Chromium loops both files: they must be equally long, or sound and picture drift apart each loop.
    assert len(pcm) / 48000 == pytest.approx(len(frames) / 30, abs=1e-3)
    assert biometrics.detect_faces(frames[0])
    # Muxed back into a video, the two files are a recording that passes verification.
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp4") as out:
        video = out.add_stream("libx264", rate=30)
        video.width, video.height, video.pix_fmt = 640, 480, "yuv420p"
        audio = out.add_stream("aac", rate=AUDIO_RATE, layout="mono")
        for index, rgb in enumerate(frames):
            frame = av.VideoFrame.from_ndarray(rgb, format="rgb24")
            frame.pts, frame.time_base = index, Fraction(1, 30)
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        sound_frame = av.AudioFrame.from_ndarray(pcm[None, :].copy(), format="s16", layout="mono")
        sound_frame.sample_rate, sound_frame.pts, sound_frame.time_base = AUDIO_RATE, 0, Fraction(1, AUDIO_RATE)
        out.mux(audio.encode(sound_frame))
        out.mux(audio.encode(None))
    result = verify_recording(buffer.getvalue(), CHALLENGE)
    assert result.passed, result.reasons


def _read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as sound:
        return np.frombuffer(sound.readframes(sound.getnframes()), "<i2").astype(np.float32) / 32767


def test_lead_and_tail_put_still_silent_seconds_around_the_answer(tmp_path: Path, astronaut: np.ndarray) -> None:
    plain_y4m, plain_wav = write_fake_capture(CHALLENGE, astronaut, tmp_path / "plain", fps=10)
    y4m, wav = write_fake_capture(CHALLENGE, astronaut, tmp_path / "padded", fps=10, lead_s=1.5, tail_s=2.0)
    plain_frames, frames = _read_y4m(plain_y4m)[1], _read_y4m(y4m)[1]
    plain_pcm, pcm = _read_wav(plain_wav), _read_wav(wav)
    # The piper voice varies a little from run to run (its VITS noise), and so does the answer's length.
    assert len(frames) == pytest.approx(len(plain_frames) + 15 + 20, abs=2)
    assert len(pcm) / AUDIO_RATE == pytest.approx(len(plain_pcm) / AUDIO_RATE + 3.5, abs=0.2)
    assert len(pcm) / AUDIO_RATE == pytest.approx(len(frames) / 10, abs=1e-3)
    # Only room tone in the lead and the tail; the voice in between, starting as it does unpadded.
    lead, tail = int(1.5 * AUDIO_RATE), int(2.0 * AUDIO_RATE)
    loud, plain_loud = np.flatnonzero(np.abs(pcm) > 0.05), np.flatnonzero(np.abs(plain_pcm) > 0.05)
    assert loud[0] - lead == pytest.approx(plain_loud[0], abs=AUDIO_RATE // 10)
    assert loud[-1] < len(pcm) - tail
    assert np.abs(pcm[:lead]).max() < 0.02 and np.abs(pcm[-tail:]).max() < 0.02
    # Facing the camera, unturned, before and after.
    neutral = biometrics.detect_faces(plain_frames[0])[0].yaw
    for index in (0, 14, len(frames) - 20, len(frames) - 1):
        [face] = biometrics.detect_faces(frames[index])
        assert face.yaw == pytest.approx(neutral, abs=0.03), index


def test_seconds_sets_the_exact_length(astronaut: np.ndarray) -> None:
    data = make_recording(CHALLENGE, astronaut, fmt="mp4", seconds=2.0, size=(160, 208), fps=25)
    with av.open(io.BytesIO(data)) as container:
        frames = list(container.decode(video=0))
    assert len(frames) == 50
    assert frames[0].width == 160 and frames[0].height == 208


@pytest.mark.parametrize(
    ("options", "bad"),
    [
        ({"fmt": "avi"}, "'avi'"),
        ({"head_turns": ("left", "down")}, "'down'"),
        ({"spoken_digits": "12ab"}, "'12ab'"),
        ({"size": (161, 208)}, "161x208"),
        ({"seconds": 0.0}, "0.0"),
    ],
)
def test_bad_options_are_refused_naming_the_value(astronaut: np.ndarray, options: dict[str, object], bad: str) -> None:
    with pytest.raises(ValueError, match=bad):
        make_recording(CHALLENGE, astronaut, **options)  # type: ignore[arg-type]


def test_a_bad_photo_is_refused_with_its_type() -> None:
    with pytest.raises(ValueError, match="float64"):
        make_recording(CHALLENGE, np.zeros((64, 64, 3)))


def test_the_voice_reads_digits_the_same_way_every_time() -> None:
    """Tests that hear digits must not depend on piper's random pitch and timing noise."""
    first, rate = read_digits("4192")
    recordings._WORD_AUDIO.clear()  # synthesise again rather than reuse the cached words
    second, _ = read_digits("4192")
    assert rate == 22050 and np.array_equal(first, second)
    assert len(first) > 4 * 0.5 * rate  # four words, each followed by its pause

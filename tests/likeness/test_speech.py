"""Spoken digits: Whisper tiny.en hears piper reading them, and transcripts become digit strings."""

from __future__ import annotations

import numpy as np
import pytest

from figment.likeness import speech
from figment.testing.recordings import read_digits


@pytest.mark.parametrize(
    ("transcript", "digits"),
    [
        ("Four, one, nine, two.", "4192"),
        ("9, 7, 1, 3.", "9713"),
        ("4179", "4179"),
        ("To zero, to zero.", "2020"),
        ("for one oh eight", "4108"),
        ("A 7 0 3 5 6", "870356"),  # tiny.en writes an isolated "eight" as "A"
        ("Double four, six.", "446"),
        ("Zero-five-nine-nine.", "0599"),
        ("I read the numbers", ""),
        ("", ""),
    ],
)
def test_transcripts_become_digit_strings(transcript: str, digits: str) -> None:
    assert speech.digits_in(transcript) == digits


def _read_aloud(digits: str) -> tuple[np.ndarray, int]:
    """The digits read one at a time after half a second of quiet, as a person reads a code."""
    audio, rate = read_digits(digits)
    return np.concatenate([np.zeros(rate // 2, np.float32), audio]), rate


@pytest.mark.parametrize("digits", ["4192", "870356", "30587", "2020"])
def test_whisper_hears_the_digits_piper_reads(digits: str) -> None:
    audio, rate = _read_aloud(digits)
    assert speech.heard_digits(audio, rate) == digits


def test_any_sample_rate_is_resampled_to_16k() -> None:
    audio, rate = _read_aloud("5061")
    at_48k = speech.resample(audio, rate, 48000)
    assert abs(len(at_48k) - len(audio) * 48000 / rate) <= 1
    assert speech.heard_digits(at_48k, 48000) == "5061"


def test_silence_and_noise_are_heard_as_no_digits() -> None:
    """The prompt mentions example digits; Whisper must not echo them over a silent microphone."""
    rng = np.random.default_rng(0)
    assert speech.heard_digits(np.zeros(32000, np.float32), 16000) == ""
    assert speech.heard_digits(rng.normal(0, 0.002, 48000).astype(np.float32), 16000) == ""


def test_stereo_audio_is_refused_with_its_shape() -> None:
    with pytest.raises(ValueError, match=r"\(2, 100\)"):
        speech.heard_digits(np.zeros((2, 100), np.float32), 16000)

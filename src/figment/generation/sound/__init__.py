"""Figment's sound engine: ambience, mood music and spoken dialogue, synthesised on the CPU.

One engine for every backend that needs sound made for it (procedural, Wan); LTX-2 makes its own.
"""

from figment.generation.sound.soundtrack import (
    SAMPLE_RATE,
    Soundtrack,
    SpeechCue,
    compose_soundtrack,
    soundtrack_for_prompt,
)

__all__ = ["SAMPLE_RATE", "Soundtrack", "SpeechCue", "compose_soundtrack", "soundtrack_for_prompt"]

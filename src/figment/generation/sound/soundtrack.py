"""The soundtrack: an ambience bed for the place and weather, a short score for the mood, and
spoken dialogue on top with the rest ducked under it.

Shared by every backend whose model makes no sound of its own: the procedural renderer composes it
from its scene plan, the Wan backend from the same reading of the prompt (`soundtrack_for_prompt`).

Everything is synthesised with numpy. Filters are applied in the frequency domain (one FFT per
noise source) because a sample-by-sample recursive filter would be a Python loop over 441,000
samples.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from figment.generation.sound import voice

if TYPE_CHECKING:
    from figment.generation.backends.procedural.plan import ScenePlan

# The reading of the prompt (ScenePlan, its key names, its lightning) belongs to the procedural package,
# which itself imports this engine: those names are imported where they are used, never at import time.

SAMPLE_RATE = 44100
SPEECH_START_S = 0.5
SPEECH_GAP_S = 0.3
# Loudness targets (RMS, linear) for each stem before the final mix.
MUSIC_RMS = 0.09
BED_RMS = 0.05
VOICE_RMS = 0.16
MIX_RMS = 0.14
DUCK_GAIN = 0.35


@dataclass(frozen=True, kw_only=True)
class SpeechCue:
    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True, kw_only=True)
class Soundtrack:
    samples: np.ndarray  # float32 (2, n)
    sample_rate: int
    cues: tuple[SpeechCue, ...]
    # The dialogue alone (mono, as mixed): drives mouth movement on likeness faces.
    speech: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))


class _Synth:
    def __init__(self, *, n: int, sr: int, rng: np.random.Generator) -> None:
        self.n, self.sr, self.rng = n, sr, rng
        self.freqs = np.fft.rfftfreq(n, 1.0 / sr).astype(np.float32)

    def time(self, seconds: float) -> np.ndarray:
        return np.arange(int(seconds * self.sr), dtype=np.float32) / self.sr

    def band(self, lo: float, hi: float, *, n: int | None = None, tilt: float = 0.0) -> np.ndarray:
        """White noise band-passed to lo..hi Hz with soft edges; `tilt` < 0 darkens (1/f^-tilt)."""
        n = n or self.n
        spec = np.fft.rfft(self.rng.standard_normal(n).astype(np.float32))
        f = self.freqs if n == self.n else np.fft.rfftfreq(n, 1.0 / self.sr).astype(np.float32)
        edge_lo = np.clip((f - lo * 0.7) / max(1.0, lo * 0.3), 0, 1) if lo > 0 else np.ones_like(f)
        edge_hi = np.clip((hi * 1.3 - f) / (hi * 0.3), 0, 1)
        gain = edge_lo * edge_hi
        if tilt:
            gain = gain * np.power(np.maximum(f, 20.0) / 1000.0, tilt)
        out = np.fft.irfft(spec * gain, n=n).astype(np.float32)
        return np.asarray(out / (np.sqrt(np.mean(out**2)) + 1e-9))

    def lfo(self, *, rate_hz: float, depth: float, floor: float = 0.0) -> np.ndarray:
        """A smooth random envelope between floor and floor+depth, changing about `rate_hz` times a second."""
        knots = max(3, int(self.n / self.sr * rate_hz) + 3)
        values = self.rng.uniform(0, 1, knots).astype(np.float32)
        x = np.linspace(0, knots - 1, self.n, dtype=np.float32)
        i = np.minimum(x.astype(np.int64), knots - 2)
        f = x - i
        f = f * f * (3 - 2 * f)
        return np.asarray(floor + depth * (values[i] * (1 - f) + values[i + 1] * f))

    def add(self, buf: np.ndarray, sound: np.ndarray, at_s: float, *, gain: float = 1.0, pan: float = 0.0) -> None:
        """Mix a mono sound into a stereo buffer at a time, constant-power panned (-1 left .. 1 right)."""
        start = int(at_s * self.sr)
        if start >= self.n or start + len(sound) <= 0:
            return
        s0 = max(0, -start)
        end = min(self.n, start + len(sound))
        piece = sound[s0 : s0 + end - max(0, start)] * gain
        angle = (pan + 1) * math.pi / 4
        buf[0, max(0, start) : end] += piece * math.cos(angle)
        buf[1, max(0, start) : end] += piece * math.sin(angle)


def _midi_hz(note: float) -> float:
    return 440.0 * 2 ** ((note - 69) / 12)


# ---- music ------------------------------------------------------------------------------------

_SCALES = {"major": (0, 2, 4, 5, 7, 9, 11), "minor": (0, 2, 3, 5, 7, 8, 10)}
# Mood -> chord progression (scale degrees, one per bar) and arrangement.
_ARRANGEMENT: dict[str, dict[str, object]] = {
    "happy": {"prog": (0, 4, 5, 3), "drums": "pop", "lead": "pluck", "bars_per_chord": 1},
    "calm": {"prog": (0, 3, 5, 4), "drums": "none", "lead": "bell", "bars_per_chord": 1},
    "spooky": {"prog": (0, 5, 3, 4), "drums": "heartbeat", "lead": "eerie", "bars_per_chord": 1},
    "epic": {"prog": (0, 5, 2, 6), "drums": "taiko", "lead": "none", "bars_per_chord": 1},
    "romantic": {"prog": (0, 5, 1, 4), "drums": "soft", "lead": "arp", "bars_per_chord": 1},
    "sad": {"prog": (0, 3, 5, 4), "drums": "none", "lead": "piano", "bars_per_chord": 1},
}


def _chord(root: int, scale: tuple[int, ...], degree: int, *, seventh: bool) -> list[int]:
    notes = []
    for step in (0, 2, 4, 6) if seventh else (0, 2, 4):
        idx = degree + step
        notes.append(root + scale[idx % 7] + 12 * (idx // 7))
    return notes


def _tone(
    syn: _Synth, hz: float, seconds: float, *, harmonics: tuple[float, ...], decay: float, attack: float = 0.005
) -> np.ndarray:
    t = syn.time(seconds)
    wave = np.zeros_like(t)
    for k, amp in enumerate(harmonics, start=1):
        if hz * k < syn.sr / 2:
            wave += amp * np.sin(2 * math.pi * hz * k * t)
    env = np.minimum(1.0, t / attack) * np.exp(-t / decay)
    return np.asarray((wave * env).astype(np.float32))


def _pad(syn: _Synth, notes: list[int], seconds: float) -> np.ndarray:
    t = syn.time(seconds)
    wave = np.zeros_like(t)
    for note in notes:
        for detune in (-0.004, 0.004):
            hz = _midi_hz(note) * (1 + detune)
            for k, amp in enumerate((1.0, 0.45, 0.25, 0.12), start=1):
                wave += amp * np.sin(2 * math.pi * hz * k * t + k)
    env = np.minimum(1.0, t / 0.35) * np.minimum(1.0, (seconds - t) / 0.4)
    return np.asarray((wave * env / (len(notes) * 2)).astype(np.float32))


def _kick(syn: _Synth, *, low: float = 48.0, decay: float = 0.22) -> np.ndarray:
    t = syn.time(0.45)
    freq = low + (120 - low) * np.exp(-t / 0.045)
    phase = 2 * math.pi * np.cumsum(freq) / syn.sr
    return (np.sin(phase) * np.exp(-t / decay)).astype(np.float32)


def _noise_hit(syn: _Synth, *, lo: float, hi: float, decay: float, seconds: float) -> np.ndarray:
    n = int(seconds * syn.sr)
    t = np.arange(n, dtype=np.float32) / syn.sr
    return (syn.band(lo, hi, n=n) * np.exp(-t / decay) * 0.5).astype(np.float32)


def _music(syn: _Synth, plan: ScenePlan, duration_s: float) -> np.ndarray:
    buf = np.zeros((2, syn.n), np.float32)
    tonic_name, scale_name = plan.music_key.split()
    from figment.generation.backends.procedural.plan import NOTE_NAMES

    root = 48 + NOTE_NAMES.index(tonic_name)
    scale = _SCALES[scale_name]
    arr = _ARRANGEMENT[plan.mood]
    prog: tuple[int, ...] = arr["prog"]  # type: ignore[assignment]
    beat = 60.0 / plan.tempo_bpm
    bar = beat * 4
    n_bars = int(math.ceil(duration_s / bar)) + 1
    seventh = plan.mood in ("romantic", "calm", "sad")
    kick = _kick(syn, low=40 if plan.mood == "epic" else 48, decay=0.4 if plan.mood == "epic" else 0.22)
    snare = _noise_hit(syn, lo=900, hi=6000, decay=0.07, seconds=0.25)
    hat = _noise_hit(syn, lo=6000, hi=14000, decay=0.025, seconds=0.08)
    for b in range(n_bars):
        t0 = b * bar
        degree = prog[b % len(prog)]
        chord = _chord(root, scale, degree, seventh=seventh)
        syn.add(buf, _pad(syn, [n + 12 for n in chord], bar + 0.4), t0, gain=0.55)
        bass_note = _midi_hz(chord[0] - 12)
        bass_hits = (0, 2) if plan.mood in ("calm", "sad", "spooky") else (0, 1.5, 2, 3)
        for beat_pos in bass_hits:
            syn.add(
                buf,
                _tone(syn, bass_note, beat * 1.5, harmonics=(1.0, 0.35, 0.1), decay=0.35),
                t0 + beat_pos * beat,
                gain=0.7,
            )
        lead = arr["lead"]
        if lead in ("pluck", "arp"):
            for step in range(8):
                note = chord[step % len(chord)] + 24 - (12 if lead == "arp" and step % 2 else 0)
                syn.add(
                    buf,
                    _tone(syn, _midi_hz(note), 0.6, harmonics=(1.0, 0.3, 0.15), decay=0.18),
                    t0 + step * beat / 2,
                    gain=0.3,
                    pan=0.35 * math.sin(step),
                )
        elif lead == "bell":
            for step in (0, 3):
                note = chord[int(syn.rng.integers(len(chord)))] + 24
                syn.add(
                    buf,
                    _tone(syn, _midi_hz(note), 2.5, harmonics=(1.0, 0.0, 0.2, 0.0, 0.08), decay=0.9),
                    t0 + step * beat,
                    gain=0.28,
                    pan=float(syn.rng.uniform(-0.5, 0.5)),
                )
        elif lead == "eerie":
            note = chord[0] + 24 + 6  # the tritone above the root: unresolved on purpose
            syn.add(
                buf,
                _tone(syn, _midi_hz(note), 3.0, harmonics=(1.0, 0.0, 0.0, 0.3), decay=1.2, attack=0.3),
                t0 + beat,
                gain=0.25,
                pan=-0.4,
            )
        elif lead == "piano":
            for step, idx in ((0, 0), (1, 2), (2, 1), (3, 2)):
                syn.add(
                    buf,
                    _tone(syn, _midi_hz(chord[idx] + 12), 1.5, harmonics=(1.0, 0.5, 0.25, 0.12), decay=0.6),
                    t0 + step * beat,
                    gain=0.3,
                )
        drums = arr["drums"]
        for q in range(8):
            at = t0 + q * beat / 2
            if drums == "pop":
                if q in (0, 4, 5):
                    syn.add(buf, kick, at, gain=0.9)
                if q in (2, 6):
                    syn.add(buf, snare, at, gain=0.55)
                syn.add(buf, hat, at, gain=0.25 if q % 2 else 0.15, pan=0.3)
            elif drums == "taiko" and q in (0, 3, 4, 6, 7):
                syn.add(buf, kick, at, gain=1.0 if q in (0, 4) else 0.6)
            elif drums == "heartbeat" and q in (0, 1):
                syn.add(buf, kick, at - (beat / 4 if q == 1 else 0), gain=0.7 if q == 0 else 0.45)
            elif drums == "soft":
                if q == 0:
                    syn.add(buf, kick, at, gain=0.5)
                syn.add(buf, hat, at, gain=0.1, pan=-0.3)
    fade = np.minimum(1.0, np.arange(syn.n, dtype=np.float32) / (syn.sr * 0.8))
    return np.asarray(buf * fade)


# ---- ambience ---------------------------------------------------------------------------------


def _stereo(syn: _Synth, lo: float, hi: float, tilt: float = 0.0) -> np.ndarray:
    return np.stack([syn.band(lo, hi, tilt=tilt), syn.band(lo, hi, tilt=tilt)])


def _waves(syn: _Synth) -> np.ndarray:
    t = np.arange(syn.n, dtype=np.float32) / syn.sr
    period = float(syn.rng.uniform(5.5, 7.5))
    swell = 0.25 + 0.75 * np.sin(math.pi * ((t / period) % 1.0)) ** 4
    crash = 0.15 + 0.85 * np.sin(math.pi * ((t / period + 0.08) % 1.0)) ** 8
    return _stereo(syn, 40, 700, tilt=-0.5) * swell + _stereo(syn, 1500, 7000) * crash * 0.35


def _birds(syn: _Synth, duration_s: float, *, density: float = 1.0) -> np.ndarray:
    buf = np.zeros((2, syn.n), np.float32)
    at = float(syn.rng.uniform(0.1, 0.8))
    while at < duration_s:
        base = float(syn.rng.uniform(2600, 4600))
        pan = float(syn.rng.uniform(-0.8, 0.8))
        for k in range(int(syn.rng.integers(2, 6))):
            d = float(syn.rng.uniform(0.05, 0.12))
            t = syn.time(d)
            sweep = base * (1 + float(syn.rng.uniform(-0.3, 0.3)) * t / d) + 300 * np.sin(2 * math.pi * 40 * t)
            chirp = np.sin(2 * math.pi * np.cumsum(sweep) / syn.sr) * np.sin(math.pi * t / d) ** 2
            syn.add(buf, chirp.astype(np.float32), at + k * (d + 0.05), gain=0.6, pan=pan)
        at += float(syn.rng.uniform(0.7, 2.2)) / density
    return buf


def _crickets(syn: _Synth) -> np.ndarray:
    t = np.arange(syn.n, dtype=np.float32) / syn.sr
    carrier = np.sin(2 * math.pi * 4400 * t)
    # Smooth gates: hard on/off edges would click across the whole spectrum.
    pulse = np.clip(np.sin(2 * math.pi * 30 * t), 0, 1) ** 2
    bursts = np.clip(np.sin(2 * math.pi * 1.4 * t) * 3 + 0.5, 0, 1)
    mono = carrier * pulse * bursts
    return np.stack([mono, np.roll(mono, int(syn.sr * 0.37)) * 0.8])


def _wind(syn: _Synth) -> np.ndarray:
    gust = syn.lfo(rate_hz=0.6, depth=0.9, floor=0.15)
    whistle = syn.lfo(rate_hz=0.4, depth=0.5)
    return np.asarray(_stereo(syn, 120, 900, tilt=-0.4) * gust + _stereo(syn, 600, 1100) * whistle * 0.25)


def _rain(syn: _Synth, duration_s: float) -> np.ndarray:
    bed = _stereo(syn, 700, 9000, tilt=-0.3) * 0.8
    drop = _noise_hit(syn, lo=2000, hi=9000, decay=0.004, seconds=0.02)
    for at in syn.rng.uniform(0, duration_s, int(duration_s * 25)):
        syn.add(bed, drop, float(at), gain=float(syn.rng.uniform(0.5, 2.0)), pan=float(syn.rng.uniform(-1, 1)))
    return bed


def _thunder(syn: _Synth, plan: ScenePlan, duration_s: float) -> np.ndarray:
    buf = np.zeros((2, syn.n), np.float32)
    from figment.generation.backends.procedural.particles import lightning_times

    for flash in lightning_times(variant_seed=plan.variant_seed, duration_s=duration_s):
        seconds = 3.0
        n = int(seconds * syn.sr)
        t = np.arange(n, dtype=np.float32) / syn.sr
        rumble = syn.band(20, 160, n=n) + 0.35 * syn.band(150, 900, n=n) * np.exp(-t / 0.3)
        env = np.minimum(1.0, t / 0.05) * np.exp(-t / 1.1)
        syn.add(buf, (rumble * env).astype(np.float32), flash + float(syn.rng.uniform(0.15, 0.6)), gain=3.0)
    return buf


def _city(syn: _Synth, duration_s: float, *, street: bool) -> np.ndarray:
    bed = _stereo(syn, 30, 220, tilt=-0.6) + _stereo(syn, 200, 1400) * syn.lfo(rate_hz=0.3, depth=0.4, floor=0.2)
    for at in np.sort(syn.rng.uniform(-1, duration_s, int(duration_s / 2.5) + 1)):
        seconds = float(syn.rng.uniform(1.6, 2.8))
        n = int(seconds * syn.sr)
        t = np.arange(n, dtype=np.float32) / syn.sr
        swoosh = syn.band(150, 2500, n=n) * np.sin(math.pi * t / seconds) ** 2
        syn.add(bed, swoosh.astype(np.float32), float(at), gain=1.6, pan=float(syn.rng.uniform(-0.7, 0.7)))
    if street:
        t = syn.time(0.35)
        horn = sum(np.sin(2 * math.pi * f * k * t) / k for f in (392.0, 494.0) for k in (1, 3, 5))
        horn = (horn * np.minimum(1, t / 0.01) * np.minimum(1, (0.35 - t) / 0.03)).astype(np.float32)
        syn.add(bed, horn, float(syn.rng.uniform(1.0, max(1.1, duration_s - 1))), gain=0.35, pan=0.5)
    return np.asarray(bed)


def _crowd(syn: _Synth, duration_s: float) -> np.ndarray:
    murmur = sum(_stereo(syn, 300, 2500) * syn.lfo(rate_hz=5.0, depth=1.0) for _ in range(3))
    t = np.arange(syn.n, dtype=np.float32) / syn.sr
    cheer = np.exp(-t / 2.0) + np.clip((t - (duration_s - 2.0)) / 2.0, 0, 1)
    claps = _stereo(syn, 1200, 8000) * (syn.lfo(rate_hz=30.0, depth=1.0) ** 6) * 3.0
    return np.asarray(murmur * 0.5 + claps * cheer)


def _underwater(syn: _Synth, duration_s: float) -> np.ndarray:
    bed = _stereo(syn, 20, 250, tilt=-0.8)
    for at in syn.rng.uniform(0, duration_s, int(duration_s * 4)):
        t = syn.time(0.05)
        f = 300 + 1400 * t / 0.05
        blip = np.sin(2 * math.pi * np.cumsum(f) / syn.sr) * np.exp(-t / 0.015)
        syn.add(bed, blip.astype(np.float32), float(at), gain=0.5, pan=float(syn.rng.uniform(-0.6, 0.6)))
    return bed


def _space(syn: _Synth, plan: ScenePlan) -> np.ndarray:
    t = np.arange(syn.n, dtype=np.float32) / syn.sr
    from figment.generation.backends.procedural.plan import NOTE_NAMES

    root = _midi_hz(36 + NOTE_NAMES.index(plan.music_key.split()[0]))
    drone = np.sin(2 * math.pi * root * t) + 0.6 * np.sin(2 * math.pi * root * 1.5 * t + 0.3 * np.sin(0.4 * t))
    air = _stereo(syn, 200, 3000, tilt=-0.5) * 0.4
    return np.stack([drone, drone]) * 0.6 + air


def _room(syn: _Synth, duration_s: float, *, kitchen: bool) -> np.ndarray:
    bed = _stereo(syn, 40, 400, tilt=-0.6) * 0.5
    if kitchen:
        sizzle = _stereo(syn, 3000, 11000) * (syn.lfo(rate_hz=20.0, depth=1.0) ** 3)
        return np.asarray(bed + sizzle * 1.2)
    tick = _noise_hit(syn, lo=2000, hi=8000, decay=0.003, seconds=0.02)
    for k in range(int(duration_s)):
        syn.add(bed, tick, k + 0.5, gain=2.5, pan=0.4)
    return bed


_SETTING_BEDS: dict[str, Callable[[_Synth, ScenePlan, float], np.ndarray]] = {
    "beach": lambda syn, plan, d: _waves(syn) + (_birds(syn, d, density=0.3) if plan.time_of_day != "night" else 0),
    "ocean": lambda syn, plan, d: _waves(syn) * 1.2 + _wind(syn) * 0.3,
    "underwater": lambda syn, plan, d: _underwater(syn, d),
    "city_street": lambda syn, plan, d: _city(syn, d, street=True),
    "city_skyline": lambda syn, plan, d: _city(syn, d, street=False) * 0.7 + _wind(syn) * 0.2,
    "forest": lambda syn, plan, d: (
        _wind(syn) * 0.3 + (_crickets(syn) * 0.3 if plan.time_of_day == "night" else _birds(syn, d))
    ),
    "mountains": lambda syn, plan, d: _wind(syn) + _birds(syn, d, density=0.25),
    "desert": lambda syn, plan, d: _wind(syn),
    "snowfield": lambda syn, plan, d: _wind(syn) * 0.7,
    "space": lambda syn, plan, d: _space(syn, plan),
    "room": lambda syn, plan, d: _room(syn, d, kitchen=False),
    "kitchen": lambda syn, plan, d: _room(syn, d, kitchen=True),
    "stage": lambda syn, plan, d: _crowd(syn, d),
    "park": lambda syn, plan, d: (
        (_crickets(syn) * 0.3 if plan.time_of_day == "night" else _birds(syn, d)) + _wind(syn) * 0.15
    ),
    "countryside": lambda syn, plan, d: (
        (_crickets(syn) * 0.3 if plan.time_of_day == "night" else _birds(syn, d, density=0.7)) + _wind(syn) * 0.25
    ),
}


def _bed(syn: _Synth, plan: ScenePlan, duration_s: float) -> np.ndarray:
    from figment.generation.backends.procedural.lexicon import SOUNDS_LIKE

    bed = np.asarray(_SETTING_BEDS[SOUNDS_LIKE.get(plan.setting, plan.setting)](syn, plan, duration_s), np.float32)
    bed = _normalise(bed, BED_RMS)
    if plan.weather == "rain":
        bed = bed * 0.6 + _normalise(_rain(syn, duration_s), BED_RMS * 0.9)
    elif plan.weather == "storm":
        bed = bed * 0.4 + _normalise(_rain(syn, duration_s), BED_RMS * 1.3) + _thunder(syn, plan, duration_s) * BED_RMS
    elif plan.weather == "wind":
        bed = bed * 0.6 + _normalise(_wind(syn), BED_RMS * 1.2)
    elif plan.weather == "snow":
        bed = bed * 0.7  # snow muffles
    return bed


def _normalise(x: np.ndarray, rms: float) -> np.ndarray:
    current = float(np.sqrt(np.mean(np.square(x, dtype=np.float32))))
    return (x * (rms / current)).astype(np.float32) if current > 1e-9 else x.astype(np.float32)


# ---- speech -------------------------------------------------------------------------------------


def _resample(x: np.ndarray, src: int, dst: int) -> np.ndarray:
    """Band-limited resampling by zero-padding the spectrum (exact for the 2x piper -> 44.1 kHz)."""
    if src == dst or not len(x):
        return x
    n_out = int(round(len(x) * dst / src))
    spec = np.fft.rfft(x)
    out_bins = n_out // 2 + 1
    padded = np.zeros(out_bins, np.complex64)
    keep = min(out_bins, len(spec))
    padded[:keep] = spec[:keep]
    return (np.fft.irfft(padded, n=n_out) * (n_out / len(x))).astype(np.float32)


def _speech(plan: ScenePlan, *, n: int, sr: int, duration_s: float) -> tuple[np.ndarray, tuple[SpeechCue, ...]]:
    """Each line in its speaker's voice, starting in the shot where the prompt puts it."""
    from figment.generation.backends.procedural import dialogue

    track = np.zeros(n, np.float32)
    cues: list[SpeechCue] = []
    at = SPEECH_START_S
    shots = max(1, len(plan.shots))
    # About 15 characters a second: never synthesise speech that cannot fit the clip.
    budget = int(duration_s * 16)
    for line in dialogue.cast_lines(plan):
        # A line never starts before its shot, nor over the line before it.
        at = max(at, duration_s * line.shot / shots + (SPEECH_START_S if line.shot else 0.0))
        if at >= duration_s - 0.3 or budget <= 0:
            break
        text = line.text if len(line.text) <= budget else line.text[:budget].rsplit(" ", 1)[0] + "…"
        budget -= len(text)
        audio, rate = voice.speak(text, pitch=line.voice.pitch, speed=line.voice.speed, language=line.language)
        audio = _resample(audio, rate, sr)
        if not len(audio):
            continue
        start = int(at * sr)
        room = n - start
        if len(audio) > room:
            audio = audio[:room].copy()
            fade = min(len(audio), int(0.08 * sr))
            audio[len(audio) - fade :] *= np.linspace(1, 0, fade, dtype=np.float32)
        track[start : start + len(audio)] += audio
        end = at + len(audio) / sr
        cues.append(SpeechCue(start_s=at, end_s=min(duration_s, end + 0.25), text=text))
        at = end + SPEECH_GAP_S
    return track, tuple(cues)


def _duck_envelope(speech: np.ndarray, sr: int) -> np.ndarray:
    """1.0 where nobody speaks, DUCK_GAIN under speech, with 150 ms ramps either side."""
    hop = int(sr * 0.01)
    frames = len(speech) // hop + 1
    padded = np.zeros(frames * hop, np.float32)
    padded[: len(speech)] = speech
    active = (np.abs(padded.reshape(frames, hop)).max(axis=1) > 0.01).astype(np.float32)
    kernel = np.ones(31, np.float32) / 31
    smooth = np.clip(np.convolve(active, kernel, mode="same") * 3.0, 0, 1)
    env = 1.0 - (1.0 - DUCK_GAIN) * smooth
    return np.repeat(env, hop)[: len(speech)]


def _limit(x: np.ndarray) -> np.ndarray:
    """Soft knee above 0.7 so peaks stay under 0.95 without flattening the whole mix."""
    mag = np.abs(x)
    over = mag > 0.7
    squeezed = 0.7 + 0.25 * np.tanh((mag - 0.7) / 0.25)
    return np.where(over, np.sign(x) * squeezed, x).astype(np.float32)


def _shot_beds(syn: _Synth, plan: ScenePlan, duration_s: float) -> np.ndarray:
    """One bed per shot, cross-faded at the cuts, so the beach's waves give way to the city.

    Each bed is synthesised only for its own shot (plus the fade), not for the whole clip.
    """
    n, sr = syn.n, syn.sr
    shots = len(plan.shots)
    out = np.zeros((2, n), np.float32)
    fade = 0.3
    for k in range(shots):
        start, end = duration_s * k / shots, duration_s * (k + 1) / shots
        lo = int(max(0.0, start - fade) * sr)
        hi = min(n, int(min(duration_s, end + fade) * sr))
        if hi - lo < 2:
            continue
        part = _Synth(n=hi - lo, sr=sr, rng=syn.rng)
        bed = _bed(part, plan.for_shot(k), (hi - lo) / sr)
        t = (lo + np.arange(hi - lo, dtype=np.float32)) / sr
        rise = np.clip((t - start) / fade + 0.5, 0, 1) if k else 1.0
        drop = np.clip((end - t) / fade + 0.5, 0, 1) if k < shots - 1 else 1.0
        out[:, lo:hi] += bed * (rise * drop)
    return out


def _same_place(plan: ScenePlan) -> bool:
    return len({(s.setting, s.weather, s.time_of_day) for s in plan.shots}) <= 1


def compose_soundtrack(*, plan: ScenePlan, duration_s: float, sample_rate: int = SAMPLE_RATE) -> Soundtrack:
    n = int(round(duration_s * sample_rate))
    syn = _Synth(n=n, sr=sample_rate, rng=np.random.default_rng(plan.variant_seed ^ 0xA0D10))
    music = _normalise(_music(syn, plan, duration_s), MUSIC_RMS)
    bed = _bed(syn, plan, duration_s) if _same_place(plan) else _shot_beds(syn, plan, duration_s)
    speech, cues = _speech(plan, n=n, sr=sample_rate, duration_s=duration_s)
    mix = music + bed
    if cues:
        active = max(1, int(np.count_nonzero(np.abs(speech) > 0.01)))
        speech = _normalise(speech, VOICE_RMS * math.sqrt(active / n))
        mix = mix * _duck_envelope(speech, sample_rate)[None, :] + speech[None, :]
    mix = _normalise(mix, MIX_RMS)
    mix = _limit(mix)
    edge = min(n // 4, int(0.03 * sample_rate))
    tail = min(n // 4, int(0.3 * sample_rate))
    if edge:
        mix[:, :edge] *= np.linspace(0, 1, edge, dtype=np.float32)
    if tail:
        mix[:, n - tail :] *= np.linspace(1, 0, tail, dtype=np.float32)
    return Soundtrack(samples=np.ascontiguousarray(mix, np.float32), sample_rate=sample_rate, cues=cues, speech=speech)


def soundtrack_for_prompt(*, prompt: str, seed: int, duration_s: float, sample_rate: int = SAMPLE_RATE) -> Soundtrack:
    """The soundtrack the procedural engine would give `prompt`: ambience for its place and weather, music for
    its mood, its quoted lines spoken. For a model that draws the picture but makes no sound (Wan)."""
    from figment.generation.backends.procedural.plan import plan_scene

    return compose_soundtrack(plan=plan_scene(prompt=prompt, seed=seed), duration_s=duration_s, sample_rate=sample_rate)

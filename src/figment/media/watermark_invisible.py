"""An invisible watermark: 48 bits that name the clip (+ CRC-16) spread over every frame's luma.

Why this scheme and not `invisible-watermark` (DWT-DCT-SVD): that package pulls torch (700+ MB) and
works at a fixed pixel scale, while Figment's mark must survive a re-encode *and* a downscale to
480x854. So the mark lives in frame-relative coordinates: the picture is divided into a GRID_W x
GRID_H grid of cells, each cell into 2x2 sub-cells carrying a +a/-a/-a/+a "checker" (zero mean, so
flat colour and gentle gradients in the picture do not disturb it). Each cell's sign carries one
payload bit, XOR a fixed pseudo-random key, and every bit is repeated over REPEAT cells scattered
across the frame. The delta is drawn at sub-cell resolution and upscaled smoothly, so it is
low-frequency: H.264 and bilinear/area scaling keep it. The decoder averages the sub-cells of each
frame (an area resize to the sub-cell grid, whatever the file's size), correlates, sums over
frames and cells, and accepts the payload only if its CRC matches.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass

import cv2
import numpy as np

ID_BITS = 48
CRC_BITS = 16
PAYLOAD_BITS = ID_BITS + CRC_BITS
GRID_W, GRID_H = 16, 28  # 9:16-ish cells; 448 cells = 7 per payload bit
REPEAT = GRID_W * GRID_H // PAYLOAD_BITS
# Luma steps of the checker. Low enough not to show on flat colour, high enough for a 10 s clip to
# survive 480x854 at ~400 kbit/s (see bench/provenance.py for the measured survival rate).
AMPLITUDE = 3.0
_KEY_SEED = 0xF1637  # fixed: every Figment instance can read every other's marks
MAX_AMPLITUDE = 16.0
# Sub-cell means of a linearly upscaled checker keep about this share of its amplitude.
GAIN = 0.39
# Wanted decoded correlation per cell, in luma steps, before the file is re-encoded.
MARGIN = 4.0
# Frames a decoder looks at: more frames average the picture away; this many is plenty.
DECODE_FRAMES = 48
# Mean |correlation| per cell (in luma steps) below which there is no mark to speak of.
MIN_STRENGTH = 0.6
# Least certain bits the decoder may flip to satisfy the CRC: 2^5 tries make a random payload pass
# 1 time in 2048, and a found mark must still name a clip on record before anyone is told so.
CHASE_BITS = 8


def new_watermark_id() -> str:
    """A fresh 48-bit clip mark as 12 hex digits (stored on the Video row)."""
    return secrets.token_hex(ID_BITS // 8)


def crc16(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: a wrong decode passes with probability 1/65536, then must also match a row."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def _bits_of(watermark_id: str) -> np.ndarray:
    if len(watermark_id) != ID_BITS // 4:
        raise ValueError(f"watermark_id must be {ID_BITS // 4} hex digits but is {watermark_id!r}")
    raw = bytes.fromhex(watermark_id)
    word = int.from_bytes(raw, "big") << CRC_BITS | crc16(raw)
    return np.array([(word >> (PAYLOAD_BITS - 1 - i)) & 1 for i in range(PAYLOAD_BITS)], np.int8)


def _layout() -> tuple[np.ndarray, np.ndarray]:
    """Which payload bit each cell carries, and the key sign it is XORed with (same for everyone)."""
    rng = np.random.default_rng(_KEY_SEED)
    cells = GRID_W * GRID_H
    bit_of_cell = np.full(cells, -1, np.int64)
    order = rng.permutation(cells)
    bit_of_cell[order[: REPEAT * PAYLOAD_BITS]] = np.repeat(np.arange(PAYLOAD_BITS), REPEAT)
    key = rng.choice(np.array([-1.0, 1.0]), size=cells)
    return bit_of_cell.reshape(GRID_H, GRID_W), key.reshape(GRID_H, GRID_W)


_BIT_OF_CELL, _KEY = _layout()
_CHECKER = np.array([[1.0, -1.0], [-1.0, 1.0]])


def _cell_signs(watermark_id: str) -> np.ndarray:
    bits = _bits_of(watermark_id)
    signs = np.where(_BIT_OF_CELL >= 0, 1.0 - 2.0 * bits[np.maximum(_BIT_OF_CELL, 0)], 0.0)
    return np.asarray(signs * _KEY)


class InvisibleWatermark:
    """A frame filter `(frame, index) -> frame` adding the mark.

    Informed embedding: the picture itself correlates with the checker (an edge across a cell, say),
    and a static background does so in every frame, which averaging cannot remove. So the filter
    measures the picture's own correlation on some frames and, every REFRESH frames, raises the
    amplitude of the cells the picture works against (up to MAX_AMPLITUDE), so that each cell
    decodes with a margin. The delta planes are rebuilt only then, so most frames cost two
    saturating uint8 operations.
    """

    MEASURE_EVERY = 4
    REFRESH = 12

    def __init__(self, watermark_id: str, *, amplitude: float = AMPLITUDE) -> None:
        self.watermark_id = watermark_id
        self.amplitude = amplitude
        self._signs = _cell_signs(watermark_id)
        self._host = np.zeros((GRID_H, GRID_W))
        self._measured = 0
        self._planes: tuple[np.ndarray, np.ndarray] | None = None
        self._gains = np.full((GRID_H, GRID_W), amplitude)

    def _build(self, height: int, width: int) -> tuple[np.ndarray, np.ndarray]:
        sub = np.kron(self._signs * self._gains, _CHECKER)  # (2*GRID_H, 2*GRID_W)
        # The same delta on R, G and B moves luma only; chroma (subsampled in 4:2:0) is untouched.
        # Each half is upscaled on its own, in uint8, straight to three channels: a millisecond,
        # where upscaling the signed delta in float and splitting it costs ten times that.
        planes = []
        for half in (np.clip(np.rint(sub), 0, 255), np.clip(np.rint(-sub), 0, 255)):
            small = np.repeat(half.astype(np.uint8)[:, :, None], 3, axis=2)
            planes.append(cv2.resize(small, (width, height), interpolation=cv2.INTER_LINEAR))
        return planes[0], planes[1]

    def _refresh(self) -> None:
        host = self._host / max(1, self._measured)
        against = np.maximum(0.0, -host * self._signs)  # how much the picture pulls the wrong way
        self._gains = np.clip((MARGIN + against) / GAIN, self.amplitude, MAX_AMPLITUDE)

    def __call__(self, frame: np.ndarray, index: int) -> np.ndarray:
        if index % self.MEASURE_EVERY == 0:
            self._host += _cell_correlation(frame)
            self._measured += 1
        planes = self._planes
        if planes is None or index % self.REFRESH == 0 or planes[0].shape != frame.shape:
            if self._measured:
                self._refresh()
            planes = self._planes = self._build(frame.shape[0], frame.shape[1])
        # Saturating uint8 arithmetic: about a millisecond for a 720x1280 frame, no int16 copy.
        return cv2.subtract(cv2.add(frame, planes[0]), planes[1])


@dataclass(frozen=True)
class Detection:
    found: bool
    watermark_id: str | None
    strength: float  # mean |cell correlation| in luma steps
    frames: int


def _cell_correlation(frame: np.ndarray) -> np.ndarray:
    """Per-cell checker correlation of one RGB (or gray) frame of any size."""
    if frame.ndim == 3:
        luma = cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY).astype(np.float32)
    else:
        luma = frame.astype(np.float32)
    sub = cv2.resize(luma, (2 * GRID_W, 2 * GRID_H), interpolation=cv2.INTER_AREA)
    s = sub.reshape(GRID_H, 2, GRID_W, 2)
    # The embedded delta, linearly upscaled, loses part of its amplitude in each sub-cell's mean;
    # the factor is the same for every cell, so signs are unaffected.
    return (s[:, 0, :, 0] - s[:, 0, :, 1] - s[:, 1, :, 0] + s[:, 1, :, 1]) / 4.0


def detect(frames: Iterable[np.ndarray]) -> Detection:
    total = np.zeros((GRID_H, GRID_W))
    count = 0
    for frame in frames:
        total += _cell_correlation(frame)
        count += 1
    if count == 0:
        return Detection(False, None, 0.0, 0)
    mean = total / count * _KEY
    votes = np.zeros(PAYLOAD_BITS)
    mask = _BIT_OF_CELL >= 0
    np.add.at(votes, _BIT_OF_CELL[mask], mean[mask])
    strength = float(np.abs(votes).mean() / REPEAT)
    if strength < MIN_STRENGTH:
        return Detection(False, None, strength, count)
    # Chase decoding: the CRC also tells which of the few least certain bits to flip.
    bits = (votes < 0).astype(np.int64)
    doubtful = np.argsort(np.abs(votes))[:CHASE_BITS]
    for flips in range(1 << CHASE_BITS):
        trial = bits.copy()
        for k, position in enumerate(doubtful):
            if flips >> k & 1:
                trial[position] ^= 1
        word = 0
        for bit in trial:
            word = word << 1 | int(bit)
        raw = (word >> CRC_BITS).to_bytes(ID_BITS // 8, "big")
        if crc16(raw) == word & 0xFFFF:
            return Detection(True, raw.hex(), strength, count)
    return Detection(False, None, strength, count)

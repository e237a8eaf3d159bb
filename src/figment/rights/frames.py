"""Frame screening: rendered frames against a work's reference images.

Two signals, as no image-text model is available here (shared/MODELS.md):
- a 64-bit perceptual hash (DCT of a 32x32 grey image) catches the whole picture reused, rescaled or
  recompressed (Hamming distance <= PHASH_MAX_DISTANCE);
- ORB local features with a ratio test and a RANSAC homography catch the reference placed inside a
  larger frame, moved, scaled or partly covered (>= ORB_MIN_INLIERS geometrically consistent matches).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, UnidentifiedImageError

from figment.errors import ValidationFailed

PHASH_MAX_DISTANCE = 10
ORB_FEATURES = 500
ORB_MIN_INLIERS = 15
RATIO = 0.75
MAX_SIDE = 640  # reference images are analysed at this size at most
MAX_PIXELS = 40_000_000


@dataclass(frozen=True)
class Reference:
    work_id: str
    image_id: str
    phash: int
    descriptors: np.ndarray  # (n, 32) uint8
    keypoints: np.ndarray  # (n, 2) float32


@dataclass(frozen=True)
class FrameMatch:
    work_id: str
    rule: str


@dataclass(frozen=True)
class Analysed:
    phash: str
    descriptors: bytes  # n x 32 ORB descriptors followed by n x 2 float32 keypoint coordinates
    width: int
    height: int


def decode_image(data: bytes) -> np.ndarray:
    """RGB array from uploaded bytes, or a validation error naming the problem."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ValidationFailed(
                    f"Reference image is {image.width}x{image.height}; at most {MAX_PIXELS} pixels.", field="file"
                )
            return np.asarray(image.convert("RGB"))
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError) as exc:
        raise ValidationFailed("The file is not an image Figment can read (PNG, JPEG, WebP).", field="file") from exc


def _grey(rgb: np.ndarray, max_side: int = MAX_SIDE) -> np.ndarray:
    grey = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    scale = max_side / max(grey.shape)
    if scale < 1:
        grey = cv2.resize(grey, (int(grey.shape[1] * scale), int(grey.shape[0] * scale)), interpolation=cv2.INTER_AREA)
    return grey


def phash(rgb: np.ndarray) -> int:
    small = cv2.resize(cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), (32, 32), interpolation=cv2.INTER_AREA)
    dct = np.asarray(cv2.dct(small.astype(np.float32)))[:8, :8]
    bits = (dct > np.median(dct[1:].ravel())).ravel()
    return int("".join("1" if b else "0" for b in bits), 2)


def orb_features(grey: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    orb = cv2.ORB.create(nfeatures=ORB_FEATURES)
    keypoints, descriptors = orb.detectAndCompute(grey, None)
    if descriptors is None:
        return np.zeros((0, 32), np.uint8), np.zeros((0, 2), np.float32)
    return np.asarray(descriptors), np.array([kp.pt for kp in keypoints], dtype=np.float32)


def analyse(rgb: np.ndarray) -> Analysed:
    descriptors, points = orb_features(_grey(rgb))
    return Analysed(
        phash=f"{phash(rgb):016x}",
        descriptors=descriptors.tobytes() + points.tobytes(),
        width=int(rgb.shape[1]),
        height=int(rgb.shape[0]),
    )


def reference(work_id: str, image_id: str, phash_hex: str, blob: bytes) -> Reference:
    n = len(blob) // 40
    descriptors = np.frombuffer(blob[: n * 32], dtype=np.uint8).reshape(n, 32)
    points = np.frombuffer(blob[n * 32 : n * 40], dtype=np.float32).reshape(n, 2)
    return Reference(work_id, image_id, int(phash_hex, 16), descriptors, points)


def _inliers(ref: Reference, descriptors: np.ndarray, points: np.ndarray) -> int:
    if len(ref.descriptors) < ORB_MIN_INLIERS or len(descriptors) < ORB_MIN_INLIERS:
        return 0
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    good = []
    for pair in matcher.knnMatch(ref.descriptors, descriptors, k=2):
        if len(pair) == 2 and pair[0].distance < RATIO * pair[1].distance:
            good.append(pair[0])
    if len(good) < ORB_MIN_INLIERS:
        return 0
    src = ref.keypoints[[m.queryIdx for m in good]].reshape(-1, 1, 2)
    dst = points[[m.trainIdx for m in good]].reshape(-1, 1, 2)
    _matrix, mask = cv2.findHomography(src, dst, cv2.RANSAC, 6.0)
    return int(mask.sum()) if mask is not None else 0


def match_frames(frames: list[np.ndarray], references: list[Reference]) -> FrameMatch | None:
    if not references:
        return None
    for n, frame in enumerate(frames):
        frame_hash = phash(frame)
        for ref in references:
            distance = (frame_hash ^ ref.phash).bit_count()
            if distance <= PHASH_MAX_DISTANCE:
                return FrameMatch(ref.work_id, f"frame {n + 1} matches a reference image (perceptual hash, {distance})")
        descriptors, points = orb_features(_grey(frame))
        for ref in references:
            inliers = _inliers(ref, descriptors, points)
            if inliers >= ORB_MIN_INLIERS:
                return FrameMatch(ref.work_id, f"frame {n + 1} matches a reference image ({inliers} ORB features)")
    return None

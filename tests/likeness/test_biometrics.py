"""Face detection, head pose, identity distance and crops on real photos."""

from __future__ import annotations

import cv2
import dlib
import numpy as np
import pytest
from skimage import data

from figment.likeness import biometrics
from figment.testing.recordings import _head, _turned

from .conftest import lfw_face


def _one_face(rgb: np.ndarray) -> biometrics.Face:
    faces = biometrics.detect_faces(rgb)
    assert len(faces) == 1, [(f.box, f.score) for f in faces]
    return faces[0]


def test_the_astronaut_has_one_face_where_dlib_alone_also_finds_her_suit(astronaut: np.ndarray) -> None:
    _, scores, _ = dlib.get_frontal_face_detector().run(astronaut, 1, 0.0)
    assert len(scores) == 2  # dlib's own threshold keeps the suit patch too: the filter is doing work
    face = _one_face(astronaut)
    x0, y0, x1, y1 = face.box
    assert abs(x0 - 175) <= 3 and abs(y0 - 76) <= 3 and abs(x1 - 266) <= 3 and abs(y1 - 167) <= 3
    assert face.landmarks.shape == (5, 2)
    # Five points in dlib's order: the eye on the image's right first, then the other, then the nose base.
    assert face.landmarks[0, 0] > face.landmarks[1, 0] > face.landmarks[3, 0] > face.landmarks[2, 0]
    assert face.landmarks[4, 1] > face.landmarks[:4, 1].max()
    assert abs(face.yaw) < 0.05 and abs(face.pitch) < 0.05  # a frontal portrait


def test_no_face_in_coffee_or_a_cat(coffee: np.ndarray) -> None:
    assert biometrics.detect_faces(coffee) == []
    assert biometrics.detect_faces(data.chelsea()) == []


def test_the_same_face_flipped_rescaled_or_grey_is_the_same_person(astronaut: np.ndarray) -> None:
    reference = biometrics.embed(astronaut, _one_face(astronaut))
    assert reference.shape == (128,) and reference.dtype == np.float32
    flipped = np.ascontiguousarray(astronaut[:, ::-1])
    small = cv2.resize(astronaut, (300, 300), interpolation=cv2.INTER_AREA)
    grey = np.ascontiguousarray(np.repeat(cv2.cvtColor(astronaut, cv2.COLOR_RGB2GRAY)[..., None], 3, axis=-1))
    for variant in (flipped, small, grey):
        d = biometrics.distance(reference, biometrics.embed(variant, _one_face(variant)))
        assert d < 0.35 < biometrics.SAME_PERSON_DISTANCE, d


def test_different_people_are_further_apart_than_the_threshold(astronaut: np.ndarray) -> None:
    reference = biometrics.embed(astronaut, _one_face(astronaut))
    others = [lfw_face(i) for i in (3, 8, 20)]
    # The man in skimage's `camera` photo: a three-quarter face, found once his part is enlarged 3x.
    man = cv2.resize(data.camera()[90:230, 170:310], None, fx=3, fy=3, interpolation=cv2.INTER_CUBIC)
    others.append(np.ascontiguousarray(np.repeat(man[..., None], 3, axis=-1)))
    # Measured 0.73-0.86. (Between themselves the 25 px LFW faces are closer, 0.55-0.8: so little
    # detail leaves the embedding less to tell people apart by, so they are only compared with her.)
    for image in others:
        d = biometrics.distance(reference, biometrics.embed(image, _one_face(image)))
        assert d > biometrics.SAME_PERSON_DISTANCE + 0.1, d


def test_yaw_is_positive_when_the_subject_turns_to_their_own_left() -> None:
    """On a real photo: the man in `camera` looks into a camera on the image's right, so he has turned
    toward his own left (a non-mirrored photo shows the subject's left on the image's right)."""
    man = cv2.resize(data.camera()[90:230, 170:310], None, fx=3, fy=3, interpolation=cv2.INTER_CUBIC)
    rgb = np.ascontiguousarray(np.repeat(man[..., None], 3, axis=-1))
    assert _one_face(rgb).yaw > 0.1
    assert _one_face(np.ascontiguousarray(rgb[:, ::-1])).yaw < -0.1


@pytest.mark.parametrize(("yaw", "pitch", "sign_yaw", "sign_pitch"), [(25, 0, 1, 0), (-25, 0, -1, 0), (0, 20, 0, 1)])
def test_turning_the_recording_heads_moves_the_pose_signal_the_same_way(
    astronaut: np.ndarray, yaw: float, pitch: float, sign_yaw: int, sign_pitch: int
) -> None:
    head = _head(astronaut, 96)
    frames = []
    for y, p in ((0.0, 0.0), (yaw, pitch)):
        canvas = np.full((640, 480, 3), 200.0, np.float32)
        layer = _turned(head, y, p)
        s = layer.shape[0]
        canvas[100 : 100 + s, 240 - s // 2 : 240 - s // 2 + s] *= 1 - layer[..., 3:]
        canvas[100 : 100 + s, 240 - s // 2 : 240 - s // 2 + s] += layer[..., :3]
        frames.append(_one_face(np.clip(canvas, 0, 255).astype(np.uint8)))
    neutral, turned = frames
    if sign_yaw:
        assert sign_yaw * (turned.yaw - neutral.yaw) > 0.09
    else:
        assert abs(turned.yaw - neutral.yaw) < 0.03
    if sign_pitch:
        assert turned.pitch - neutral.pitch > 0.08
    else:
        assert turned.pitch - neutral.pitch < 0.03


def test_crop_is_square_rgb_around_the_face(astronaut: np.ndarray) -> None:
    face = _one_face(astronaut)
    crop = biometrics.face_crop(astronaut, face, size=160)
    assert crop.shape == (160, 160, 3) and crop.dtype == np.uint8
    # The crop is the same person, found again in it (with a margin, as the detector needs).
    padded = cv2.copyMakeBorder(crop, 60, 60, 60, 60, cv2.BORDER_CONSTANT, value=(128, 128, 128))
    again = _one_face(padded)
    d = biometrics.distance(biometrics.embed(astronaut, face), biometrics.embed(padded, again))
    assert d < 0.4, d


def test_cutout_is_an_upright_frontal_face_with_a_soft_oval_alpha(astronaut: np.ndarray) -> None:
    tilted = cv2.warpAffine(
        astronaut, cv2.getRotationMatrix2D((220, 120), 20, 1.0), (512, 512), borderMode=cv2.BORDER_REPLICATE
    )
    face = _one_face(tilted)
    cutout = biometrics.face_cutout(tilted, face, size=192)
    assert cutout.shape == (192, 192, 4) and cutout.dtype == np.uint8
    alpha = cutout[..., 3]
    assert alpha[0, 0] == alpha[0, -1] == alpha[-1, 0] == alpha[-1, -1] == 0
    assert alpha[96, 96] == 255
    assert 0 < alpha[96, 5] < 255 or 0 < alpha[96, 8] < 255 or 0 < alpha[96, 12] < 255  # soft, not a hard edge
    # Pasted onto a grey canvas, the face is found level, with its eyes where the renderer expects them.
    canvas = np.full((400, 400, 3), 128.0)
    a = alpha[..., None] / 255.0
    canvas[104:296, 104:296] = canvas[104:296, 104:296] * (1 - a) + cutout[..., :3] * a
    found = _one_face(canvas.astype(np.uint8))
    eyes = found.landmarks[:4]
    assert abs(eyes[:, 1].mean() - (104 + 0.36 * 192)) < 8
    assert abs(eyes[0:2, 1].mean() - eyes[2:4, 1].mean()) < 4  # the 20 degree tilt was undone
    assert abs(found.eye_distance - 0.36 * 192) < 10


def test_a_bad_image_is_refused_with_its_shape() -> None:
    with pytest.raises(ValueError, match=r"\(10, 10\)"):
        biometrics.detect_faces(np.zeros((10, 10), np.uint8))

"""The likeness hook: a face cutout given in the request rides on a character and talks with the dialogue."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from figment.generation.backends.procedural import ProceduralBackend
from figment.generation.types import GenerationRequest, LikenessRef

W, H, FPS = 288, 512, 24
SKIN = (0, 225, 235)  # a colour no scene uses, so the face can be found in the frame


def _face(size: int = 96) -> np.ndarray:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 2, size - 4, size - 2), fill=(*SKIN, 255))
    for ex in (0.33, 0.67):
        draw.ellipse((size * ex - 6, size * 0.36 - 6, size * ex + 6, size * 0.36 + 6), fill=(20, 20, 30, 255))
    draw.line((size * 0.4, size * 0.76, size * 0.6, size * 0.76), fill=(120, 40, 40, 255), width=2)
    return np.asarray(image).copy()


def _skin(frame: np.ndarray) -> np.ndarray:
    f = frame.astype(np.int16)
    return (f[..., 0] < 60) & (f[..., 1] > 170) & (f[..., 2] > 180)


def _mouth_pixels(frame: np.ndarray) -> int:
    """Dark-red pixels inside the face's bounding box: the drawn open mouth."""
    ys, xs = np.nonzero(_skin(frame))
    if not len(ys):
        return -1
    box = frame[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1].astype(np.int16)
    return int(((box[..., 0] > 45) & (box[..., 0] - box[..., 1] > 30) & (box[..., 2] < 60)).sum())


@pytest.fixture(scope="module")
def talking() -> list[np.ndarray]:
    request = GenerationRequest(
        prompt='a woman in the park says "hello my friend, it is lovely to see you here today"',
        seed=2,
        duration_s=4.0,
        width=W,
        height=H,
        likeness=(LikenessRef(handle="ann", face=_face()),),
    )
    clip = ProceduralBackend().generate(request)
    assert clip.plan["likeness"] == ["ann"]
    return list(clip.frames)


def test_the_face_appears_on_the_character(talking: list[np.ndarray]) -> None:
    assert all(_skin(f).sum() > 150 for f in talking)
    without = ProceduralBackend().generate(
        GenerationRequest(prompt="a woman in the park", seed=2, duration_s=0.5, width=W, height=H)
    )
    assert all(_skin(f).sum() == 0 for f in without.frames)


def test_the_head_moves(talking: list[np.ndarray]) -> None:
    centres = [np.argwhere(_skin(f)).mean(axis=0) for f in talking]
    assert np.ptp([c[1] for c in centres]) > 2 or np.ptp([c[0] for c in centres]) > 2


def test_the_mouth_moves_only_while_speaking(talking: list[np.ndarray]) -> None:
    before = [_mouth_pixels(f) for f in talking[: int(0.4 * FPS)]]  # speech starts at 0.5 s
    during = [_mouth_pixels(f) for f in talking[int(0.8 * FPS) : int(2.5 * FPS)]]
    assert max(before) < 5
    assert max(during) > 20
    assert len(set(during)) > 4  # opening and closing, not a fixed sticker


def test_a_bad_face_is_refused_with_its_shape() -> None:
    with pytest.raises(ValueError, match=r"\(10, 10, 3\)"):
        LikenessRef(handle="x", face=np.zeros((10, 10, 3), np.uint8))

"""Real faces for the likeness tests, all shipped inside the scikit-image wheel (no network).

- `astronaut`: Eileen Collins, NASA portrait, public domain.
- `other_person`: a face from scikit-image's subset of Labeled Faces in the Wild (news photos collected
  for face-recognition research), 25x25 px, enlarged and given a margin so the detector sees a whole
  head. It is a different person from the astronaut (embedding distance 0.84 measured).
- `coffee`: a cup of coffee, CC0, a photo with no face.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from skimage import data

# The LFW subset's first 100 images are faces; number 3 is detected with the highest score once enlarged.
LFW_INDEX = 3


def lfw_face(index: int) -> np.ndarray:
    """An LFW subset face enlarged 6x (150 px) inside a 60 px margin of its own edge pixels, as RGB."""
    grey = (data.lfw_subset()[index] * 255).round().astype(np.uint8)
    big = cv2.resize(grey, (150, 150), interpolation=cv2.INTER_CUBIC)
    framed = cv2.copyMakeBorder(big, 60, 60, 60, 60, cv2.BORDER_REPLICATE)
    return np.ascontiguousarray(np.stack([framed] * 3, axis=-1))


@pytest.fixture(scope="session")
def astronaut() -> np.ndarray:
    return data.astronaut()


@pytest.fixture(scope="session")
def other_person() -> np.ndarray:
    return lfw_face(LFW_INDEX)


@pytest.fixture(scope="session")
def coffee() -> np.ndarray:
    return data.coffee()

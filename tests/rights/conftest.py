"""Rights fixtures (helpers in rights_helpers.py)."""

from __future__ import annotations

import pytest
from rights_helpers import Rights

from support import Api


@pytest.fixture
def rights(api: Api) -> Rights:
    return Rights(api)

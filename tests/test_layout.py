"""tests/ mirrors src/figment/: a newcomer finds a feature's tests where its code is."""

from __future__ import annotations

from pathlib import Path

import figment

TESTS = Path(__file__).parent
PACKAGE = Path(figment.__file__).parent
# Cross-cutting folders: browser tests drive the whole app; contracts hold one rule book per seam.
CROSS_CUTTING = {"browser", "contracts"}


def test_every_test_folder_names_a_package_of_figment() -> None:
    folders = {p.name for p in TESTS.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))}
    packages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and any(p.glob("*.py"))}
    assert folders - CROSS_CUTTING <= packages, sorted(folders - CROSS_CUTTING - packages)

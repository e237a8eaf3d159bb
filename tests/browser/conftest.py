"""Playwright driving Debian's Chromium (Playwright's own browser download cannot work offline)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("FIGMENT_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
# Flags from the machine notes: no background networking (the network is closed), no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",
    # A synthetic camera and microphone for pages that ask (the likeness check); the permission itself
    # is still given or refused per context, so both paths can be tested.
    "--use-fake-device-for-media-stream",
]


@pytest.fixture(scope="session")
def playwright() -> Iterator[Any]:
    """One Playwright for the whole run (the sync API allows only one at a time in a thread)."""
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}; `make test` installs Debian's package"
        if os.environ.get("FIGMENT_REQUIRE_SERVICES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as running:
        yield running


@pytest.fixture(scope="session")
def browser(playwright: Any) -> Iterator[object]:
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def launch_browser(playwright: Any) -> Iterator[Callable[..., Any]]:
    """Start a Chromium of the test's own with extra flags (a fake camera playing given files, say: those
    are fixed at launch); it is closed after the test."""
    launched: list[Any] = []

    def launch(*extra_args: str) -> Any:
        launched.append(playwright.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args]))
        return launched[-1]

    yield launch
    for browser in launched:
        browser.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS

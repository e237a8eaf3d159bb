"""A person's view: the feed really plays, scrolling pauses the old clip, the create screen makes a draft.

Screenshots land in test-artifacts/ (kept by CI as artifacts, ignored by git).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from support import LiveServer, make_settings, publish_over_http, run_live_server, signup_over_http

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def server(tmp_path: Path, sqlite_url: str) -> Iterator[LiveServer]:
    # 3-second clips at a small size keep the test quick; the player does not care about size.
    yield from run_live_server(make_settings(tmp_path / "data", sqlite_url, video_width=288, video_height=512))


def _video(video_id: str) -> str:
    return f'[data-testid="feed-card"][data-video-id="{video_id}"] video'


def _current_time(page: Any, video_id: str) -> float:
    return float(page.eval_on_selector(_video(video_id), "v => v.currentTime"))


def _paused(page: Any, video_id: str) -> bool:
    return bool(page.eval_on_selector(_video(video_id), "v => v.paused"))


def _wait_playing(page: Any, video_id: str, timeout: float = 15) -> None:
    """Playing means currentTime actually advances, not just that play() was called."""
    deadline = time.monotonic() + timeout
    first = _current_time(page, video_id)
    while time.monotonic() < deadline:
        page.wait_for_timeout(250)
        now = _current_time(page, video_id)
        if now > first + 0.2 and not _paused(page, video_id):
            return
        first = min(first, now)
    raise AssertionError(f"video {video_id} is not playing (currentTime stuck at {first})")


def test_feed_plays_the_visible_clip_and_pauses_the_previous(server: LiveServer, browser: Any, artifacts: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        luna = signup_over_http(http, "luna")
        ids = publish_over_http(
            http, luna, ["a cat dancing on the beach at sunset", "a rocket in outer space", "un cane nel parco"]
        )
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url + "/")
    page.wait_for_selector('[data-testid="feed-card"] video')
    cards = page.eval_on_selector_all('[data-testid="feed-card"]', "els => els.map(e => e.dataset.videoId)")
    assert set(cards) == set(ids)
    first, second = cards[0], cards[1]
    _wait_playing(page, first)
    page.screenshot(path=str(artifacts / "feed-first.png"))

    page.eval_on_selector(f'[data-testid="feed-card"][data-video-id="{second}"]', "el => el.scrollIntoView()")
    _wait_playing(page, second)
    assert _paused(page, first), "the clip scrolled away must pause"
    page.screenshot(path=str(artifacts / "feed-second.png"))
    assert not errors, errors
    context.close()


def test_create_screen_makes_a_draft(server: LiveServer, browser: Any, artifacts: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        signup_over_http(http, "marco")
    context = browser.new_context(viewport=PHONE, device_scale_factor=1)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(server.url + "/login")
    form = page.wait_for_selector('[data-testid="login-form"]')
    form.query_selector('input[name="login"]').fill("marco")
    form.query_selector('input[type="password"]').fill("longenough")
    form.query_selector('button[type="submit"]').click()
    page.wait_for_url(lambda url: "/login" not in url)

    page.goto(server.url + "/create")
    page.fill('[data-testid="prompt-input"]', "un gatto che balla sulla spiaggia al tramonto")
    page.screenshot(path=str(artifacts / "create.png"))
    page.click('[data-testid="submit-prompt"]')
    page.wait_for_selector('[data-testid="progress"]')
    page.screenshot(path=str(artifacts / "create-progress.png"))
    page.wait_for_selector('[data-testid="publish-button"]', timeout=90_000)
    page.screenshot(path=str(artifacts / "create-ready.png"))
    # What Figment understood: the cat, the beach and the sunset, in the interface's language.
    understood = page.wait_for_selector('[data-testid="job"] [data-testid="plan-summary"]').inner_text().lower()
    assert "gatto" in understood and any(w in understood for w in ("beach", "spiaggia")), understood
    assert any(w in understood for w in ("sunset", "tramonto")), understood

    page.goto(server.url + "/drafts")
    card = page.wait_for_selector('[data-testid="draft-card"][data-status="ready"]')
    assert card is not None
    assert card.query_selector('[data-testid="plan-summary"]') is not None
    page.screenshot(path=str(artifacts / "drafts.png"))

    # Steering the feed in words from one's own profile.
    page.goto(server.url + "/@marco")
    page.fill('[data-testid="steer-input"]', "più cucina e animali, meno horror")
    with page.expect_response(lambda r: r.request.method == "PUT" and r.url.endswith("/api/me/feed-preferences")):
        page.click('[data-testid="steer-save"]')
    page.wait_for_selector('[data-testid="toast"]')
    page.screenshot(path=str(artifacts / "profile-steering.png"))
    saved = page.evaluate("fetch('/api/me/feed-preferences').then(r => r.json())")
    assert saved["text"] == "più cucina e animali, meno horror"
    assert not errors, errors
    context.close()

"""What a viewer does in the feed reaches the recommender: a clip left looping reports a rewatch,
the share button counts a share, and the report sheet sends a report and takes the clip away."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from support import LiveServer, make_settings, publish_over_http, run_live_server, signup_over_http

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
PASSWORD = "longenough"


@pytest.fixture
def server(tmp_path: Path, sqlite_url: str) -> Iterator[LiveServer]:
    yield from run_live_server(make_settings(tmp_path / "data", sqlite_url, video_width=288, video_height=512))


def test_rewatch_share_and_report_from_the_feed(server: LiveServer, browser: Any, artifacts: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        luna = signup_over_http(http, "luna", PASSWORD)
        signup_over_http(http, "milo", PASSWORD)
        first, second = publish_over_http(
            http, luna, ["a cat dancing on the beach at sunset", "a rocket in outer space"], duration_s=2
        )
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="en-GB")
    assert context.request.post(server.url + "/api/auth/login", data={"login": "milo", "password": PASSWORD}).ok
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    views: list[tuple[str, dict[str, Any]]] = []
    page.on(
        "request",
        lambda r: (
            views.append((r.url.split("/api/videos/")[1].split("/")[0], json.loads(r.post_data or "{}")))
            if r.method == "POST" and r.url.endswith("/view")
            else None
        ),
    )
    page.goto(server.url + "/")
    page.wait_for_selector('[data-testid="feed-card"] video')
    top = page.eval_on_selector('[data-testid="feed-card"]', "el => el.dataset.videoId")
    other = second if top == first else first

    # Let the 2 s clip loop for ~5 s, then scroll on: one completed watch, then the rewatched stretch.
    page.wait_for_timeout(5500)
    page.eval_on_selector(f'[data-testid="feed-card"][data-video-id="{other}"]', "el => el.scrollIntoView()")
    page.wait_for_timeout(800)
    mine = [body for video_id, body in views if video_id == top]
    assert len(mine) == 2, views
    assert mine[0]["completed"] is True and mine[1]["completed"] is False, mine
    assert mine[1]["watched_ms"] >= 1000 and sum(b["watched_ms"] for b in mine) >= 3000, mine  # >= 1.5 lengths

    card = f'[data-testid="feed-card"][data-video-id="{other}"]'
    with page.expect_response(lambda r: r.url.endswith(f"/api/videos/{other}/share")) as shared:
        page.click(f'{card} [data-testid="share-button"]')
    assert shared.value.status == 200
    page.keyboard.press("Escape")  # the copy-link sheet, where the clipboard is not available
    page.wait_for_function(
        f"() => document.querySelector('{card} [data-testid=\"share-count\"]').textContent.trim() === '1'"
    )

    page.click(f'{card} [data-testid="more-button"]')
    page.click('[data-testid="report-button"]')
    page.click('[data-testid="report-send"]')
    assert page.text_content(".report-sheet .field-error") == "Pick a reason first."
    page.check('[data-testid="report-reason-spam"]')
    assert page.text_content(".report-sheet .field-error") == ""
    page.fill('[data-testid="report-note"]', "the same clip posted again and again")
    page.screenshot(path=str(artifacts / "feed-report-sheet.png"))
    with page.expect_response(lambda r: r.url.endswith("/api/reports")) as reported:
        page.click('[data-testid="report-send"]')
    assert reported.value.status == 201
    page.wait_for_selector(card, state="detached")
    assert not errors, errors
    context.close()


def test_card_controls_comments_sound_keys_and_like(server: LiveServer, browser: Any) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        luna = signup_over_http(http, "luna", PASSWORD)
        signup_over_http(http, "milo", PASSWORD)
        publish_over_http(http, luna, ["a cat dancing on the beach", "a rocket in outer space"], duration_s=1)
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="en-GB")
    assert context.request.post(server.url + "/api/auth/login", data={"login": "milo", "password": PASSWORD}).ok
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url + "/")
    page.wait_for_selector('[data-testid="feed-card"].active video')
    active = '[data-testid="feed-card"].active'

    # One sound switch for every clip: the button and the 'm' key flip it, and it is remembered.
    assert page.get_attribute(f'{active} [data-testid="sound-toggle"]', "data-muted") == "true"
    page.click(f'{active} [data-testid="sound-toggle"]')
    assert page.get_attribute(f'{active} [data-testid="sound-toggle"]', "data-muted") == "false"
    page.keyboard.press("m")
    assert page.eval_on_selector(f"{active} video", "v => v.muted") is True

    # 'l' likes the clip on screen; 'j' moves to the next one.
    with page.expect_response(lambda r: r.url.endswith("/like") and r.request.method == "POST"):
        page.keyboard.press("l")
    assert page.text_content(f'{active} [data-testid="like-count"]') == "1"
    first = page.get_attribute(active, "data-video-id")
    page.keyboard.press("j")
    page.wait_for_function(f"() => document.querySelector('{active}')?.dataset.videoId !== '{first}'")

    # The comments sheet: post one, and the card's count follows.
    page.click(f'{active} [data-testid="comment-button"]')
    page.fill('[data-testid="comment-input"]', "lovely rocket")
    page.click('[data-testid="comment-submit"]')
    page.wait_for_selector('[data-testid="comment"]:has-text("lovely rocket")')
    assert page.text_content(f'{active} [data-testid="comment-count"]') == "1"
    assert not errors, errors
    # Closed here, not left to the browser fixture: an open page keeps its notification stream, and the
    # live server would wait 30 s for it when it shuts down.
    context.close()

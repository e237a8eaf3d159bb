"""The likeness page and @tags in the browser: settings that stick, tagging someone from the create screen,
the owner watching the draft they are in, the ledger, and an approval that holds publication.

Verification itself needs the liveness verifier; here a likeness is verified directly in the database
(cameo_support.verify_on_live_server). Screenshots land in test-artifacts/.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from sqlalchemy import select

from cameo_support import run_likeness_server, verify_on_live_server
from figment.db import make_engine, make_session_factory, session_scope
from figment.likeness.models import LedgerEntry
from support import LiveServer, signup_over_http

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
PASSWORD = "longenough"


@pytest.fixture
def server(tmp_path: Path, sqlite_url: str) -> Iterator[LiveServer]:
    yield from run_likeness_server(tmp_path, sqlite_url)


def _signup(http: httpx.Client, handle: str) -> dict[str, str]:
    return signup_over_http(http, handle, PASSWORD)


def _page_as(
    browser: Any, server: LiveServer, handle: str, *, permissions: tuple[str, ...] = ()
) -> tuple[Any, Any, list[str]]:
    """A phone-sized page logged in as `handle` (the login cookie set through the API), and its JS errors
    (uncaught ones, and errors logged to the console such as a rejected promise nobody awaited)."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="en-GB", permissions=list(permissions))
    response = context.request.post(server.url + "/api/auth/login", data={"login": handle, "password": PASSWORD})
    assert response.ok, response.text()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def console(message: Any) -> None:
        if message.type == "error" and "Failed to load resource" not in message.text:
            errors.append(message.text)

    page.on("console", console)
    return context, page, errors


def _one_second_clips(page: Any) -> None:
    """The create screen offers 5 s and more; the test asks for 1 s, as the API tests do, to stay quick."""

    def shorten(route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        body = json.loads(route.request.post_data or "{}")
        route.continue_(post_data=json.dumps({**body, "duration_s": 1}))

    page.route("**/api/videos", shorten)


def _wait_ready(http: httpx.Client, headers: dict[str, str], video_id: str) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while True:
        video = dict(http.get(f"/api/videos/{video_id}", headers=headers).json())
        if video["status"] not in ("queued", "rendering"):
            return video
        assert time.monotonic() < deadline, video
        time.sleep(0.1)


def test_likeness_settings_are_saved(server: LiveServer, browser: Any, artifacts: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        _signup(http, "olga")
        _signup(http, "sam")
    verify_on_live_server(server, "olga")
    context, page, errors = _page_as(browser, server, "olga")

    # From the profile, as a person would find it.
    page.goto(server.url + "/@olga")
    page.click('[data-testid="profile-likeness"]')
    page.wait_for_selector('[data-testid="likeness-status"][data-verified="true"]')
    assert page.is_checked('[data-testid="permission-only_me"]')

    def saved(method: str, path: str) -> Any:
        return page.expect_response(lambda r: r.request.method == method and r.url.endswith(path))

    with saved("PATCH", "/api/cameo") as response:
        page.check('[data-testid="permission-everyone"]')
    assert response.value.ok
    page.fill('[data-testid="restriction-input"]', "no political content")
    with saved("PATCH", "/api/cameo") as response:
        page.click('[data-testid="restriction-add"]')
    assert response.value.ok
    page.fill('[data-testid="approved-input"]', "@sam")
    with saved("POST", "/api/cameo/approved") as response:
        page.click('[data-testid="approved-add"]')
    assert response.value.ok
    page.wait_for_selector('[data-testid="approved-handle"][data-handle="sam"]')

    # A handle nobody has: the server's words, as it said them.
    page.fill('[data-testid="approved-input"]', "nobody_here")
    page.click('[data-testid="approved-add"]')
    error = page.wait_for_selector('[data-testid="settings-error"]:not([hidden])').inner_text()
    assert "nobody_here" in error, error

    page.reload()
    page.wait_for_selector('[data-testid="likeness-status"][data-verified="true"]')
    assert page.is_checked('[data-testid="permission-everyone"]')
    assert page.inner_text('[data-testid="restrictions"]').strip().startswith("no political content")
    assert page.eval_on_selector_all('[data-testid="approved-handle"]', "els => els.map(e => e.dataset.handle)") == [
        "sam"
    ]
    # The ledger shows each change, and the chain holds.
    page.wait_for_selector('[data-testid="ledger-chain"][data-intact="true"]')
    actions = page.eval_on_selector_all('[data-testid="ledger-entry"]', "els => els.map(e => e.dataset.action)")
    assert actions == ["permission_change"] * 3, actions
    # Download is a plain link: the session cookie is enough, and the server names it an attachment.
    href = page.get_attribute('[data-testid="ledger-download"]', "href")
    disposition = page.evaluate("href => fetch(href).then(r => r.headers.get('content-disposition'))", href)
    assert disposition.startswith("attachment") and "olga" in disposition, disposition
    page.eval_on_selector('[data-testid="restrictions"]', "el => el.scrollIntoView()")
    page.screenshot(path=str(artifacts / "likeness-settings.png"))

    # Someone rewrites history in the database: the page says where the chain broke.
    engine = make_engine(server.settings.resolved_database_url)
    with session_scope(make_session_factory(engine)) as session:
        session.scalars(select(LedgerEntry).where(LedgerEntry.seq == 2)).one().actor_handle = "fred"
    engine.dispose()
    page.reload()
    chain = page.wait_for_selector('[data-testid="ledger-chain"][data-intact="false"]').inner_text()
    assert "broken at #2" in chain, chain
    assert not errors, errors
    context.close()


def test_tag_from_create_and_the_owner_sees_the_draft(server: LiveServer, browser: Any, artifacts: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        _signup(http, "olga")
        _signup(http, "oliver")
        _signup(http, "sam")
    verify_on_live_server(server, "olga", permission="everyone")
    verify_on_live_server(server, "oliver")  # only_me: listed, but not for sam
    context, page, errors = _page_as(browser, server, "sam")
    _one_second_clips(page)

    page.goto(server.url + "/create")
    prompt = page.wait_for_selector('[data-testid="prompt-input"]')
    prompt.type("@ol")
    page.wait_for_selector('[data-testid="mention-option"][data-handle="olga"]')
    options = page.eval_on_selector_all(
        '[data-testid="mention-option"]', "els => els.map(e => [e.dataset.handle, e.dataset.allowed])"
    )
    assert options == [["olga", "true"], ["oliver", "false"]], options
    refusal = page.inner_text('[data-testid="mention-option"][data-handle="oliver"] [data-testid="mention-message"]')
    assert "only themselves" in refusal, refusal
    page.screenshot(path=str(artifacts / "autocomplete.png"))
    # Escape closes the list; tagging oliver anyway is refused at submit, the rule said in words.
    page.keyboard.press("Escape")
    assert page.is_hidden('[data-testid="mentions"]')
    prompt.type("iver dancing")
    page.click('[data-testid="submit-prompt"]')
    refused = page.wait_for_selector('[data-testid="form-error"]:not([hidden])').inner_text()
    assert "@oliver lets only themselves appear in clips." in refused, refused
    assert "cameo_permission_denied" not in refused and "only_me" not in refused, refused  # no raw codes

    page.fill('[data-testid="prompt-input"]', "")
    prompt.type("@ol")
    page.wait_for_selector('[data-testid="mention-option"][data-handle="olga"].active')
    # Down skips oliver (not allowed) and wraps to olga; Enter inserts the tag.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.input_value('[data-testid="prompt-input"]') == "@olga "
    assert page.is_hidden('[data-testid="mentions"]')
    prompt.type("reading a book in the library")
    page.click('[data-testid="submit-prompt"]')
    job = page.wait_for_selector('[data-testid="job"][data-status="ready"]', timeout=60_000)
    video_id = job.get_attribute("data-video-id")

    page.goto(server.url + "/drafts")
    assert page.wait_for_selector('[data-testid="draft-with"]').inner_text().strip() == "with @olga"
    assert not errors, errors
    context.close()

    context, page, errors = _page_as(browser, server, "olga")
    page.goto(server.url + "/likeness")
    card = page.wait_for_selector(f'[data-testid="appearance"][data-video-id="{video_id}"]')
    assert card.get_attribute("data-visibility") == "draft"
    assert card.query_selector('[data-testid="appearance-state"]').inner_text() == "Draft"
    assert card.query_selector('[data-testid="appearance-author"]').inner_text() == "by @sam"
    page.wait_for_selector('[data-testid="ledger-chain"][data-intact="true"]')
    actions = page.eval_on_selector_all('[data-testid="ledger-entry"]', "els => els.map(e => e.dataset.action)")
    assert actions == ["render", "request"], actions  # newest first
    page.screenshot(path=str(artifacts / "likeness.png"))
    page.eval_on_selector('[data-testid="ledger"]', "el => el.scrollIntoView()")
    page.screenshot(path=str(artifacts / "likeness-ledger.png"))
    page.eval_on_selector('[data-testid="appearances"]', "el => el.scrollIntoView()")
    page.screenshot(path=str(artifacts / "likeness-appearances.png"))
    page.eval_on_selector('[data-testid="characters"]', "el => el.scrollIntoView()")
    page.screenshot(path=str(artifacts / "likeness-characters.png"))
    page.eval_on_selector('[data-testid="danger-zone"]', "el => el.scrollIntoView()")
    page.screenshot(path=str(artifacts / "likeness-danger.png"))

    # She may watch the draft she is in.
    page.click(f'[data-testid="appearance"][data-video-id="{video_id}"] [data-testid="appearance-watch"]')
    page.wait_for_url(f"**/v/{video_id}")
    page.wait_for_selector('[data-testid="cast-banner"]')
    page.wait_for_function(
        "() => (document.querySelector('[data-testid=clip-view] video') || {}).readyState >= 2",
        timeout=15_000,
    )
    page.screenshot(path=str(artifacts / "likeness-watch.png"))
    assert not errors, errors
    context.close()


def test_approval_holds_publication_until_the_owner_approves(server: LiveServer, browser: Any, artifacts: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        _signup(http, "olga")
        sam = _signup(http, "sam")
        verify_on_live_server(server, "olga", permission="everyone", approval_required=True)
        submitted = http.post("/api/videos", json={"prompt": "@olga cooking pasta", "duration_s": 1}, headers=sam)
        assert submitted.status_code == 202, submitted.text
        video_id = submitted.json()["id"]
        assert _wait_ready(http, sam, video_id)["status"] == "ready"

    context, page, errors = _page_as(browser, server, "sam")
    page.goto(server.url + "/drafts")
    page.click(f'[data-testid="draft-card"][data-video-id="{video_id}"] [data-testid="publish-button"]')
    message = page.wait_for_selector('[data-testid="publish-error"]:not([hidden])').inner_text()
    assert "@olga asked to approve" in message, message
    page.screenshot(path=str(artifacts / "likeness-publish-waits.png"))

    owner, owner_page, owner_errors = _page_as(browser, server, "olga")
    owner_page.goto(server.url + "/notifications")
    line = owner_page.wait_for_selector('[data-testid="notification"][data-kind="cameo_used"]').inner_text()
    assert "@sam put your likeness in a clip (draft)" in line, line
    owner_page.goto(server.url + "/likeness")
    card = owner_page.wait_for_selector(
        f'[data-testid="appearance"][data-approval="pending"][data-video-id="{video_id}"]'
    )
    card.query_selector('[data-testid="appearance-approve"]').click()
    owner_page.wait_for_selector(f'[data-testid="appearance"][data-approval="approved"][data-video-id="{video_id}"]')
    assert not owner_errors, owner_errors
    owner.close()

    page.goto(server.url + "/notifications")
    line = page.wait_for_selector('[data-testid="notification"][data-kind="cameo_approved"]').inner_text()
    assert "@olga approved your clip" in line, line
    page.goto(server.url + "/drafts")
    page.click(f'[data-testid="draft-card"][data-video-id="{video_id}"] [data-testid="publish-button"]')
    page.wait_for_selector('[data-testid="toast"]')
    with httpx.Client(base_url=server.url, timeout=30) as http:
        assert http.get(f"/api/videos/{video_id}", headers=sam).json()["visibility"] == "published"
    assert not errors, errors
    context.close()


def test_verify_with_the_camera_records_the_script_and_uploads_webm(
    server: LiveServer, browser: Any, artifacts: Path
) -> None:
    """The client side of verification on Chromium's synthetic camera. The two verification endpoints are
    answered here (the verifier is not on this branch): what matters is what the page records and sends."""
    with httpx.Client(base_url=server.url, timeout=30) as http:
        _signup(http, "olga")
    context, page, errors = _page_as(browser, server, "olga", permissions=("camera", "microphone"))
    challenges: list[str] = []
    uploads: list[tuple[str, bytes]] = []

    def challenge(route: Any) -> None:
        challenges.append(route.request.method)
        body = {
            "id": f"attempt{len(challenges)}",
            "challenge": {"digits": "4819", "head_turns": ["left", "up", "right"]},
            "expires_at": "2099-01-01T00:00:00Z",
        }
        route.fulfill(status=201, content_type="application/json", body=json.dumps(body))

    def recording(route: Any) -> None:
        uploads.append((route.request.url, route.request.post_data_buffer))
        route.fulfill(
            status=202, content_type="application/json", body=json.dumps({"status": "checking", "reasons": []})
        )

    # A worker checks the recording: the page polls the attempt, which says "checking" once, then the verdict.
    polls: list[str] = []

    def attempt(route: Any) -> None:
        polls.append(route.request.url)
        if len(polls) == 1:
            assert page.is_visible('[data-testid="verify-checking"]')
            body: dict[str, Any] = {"status": "checking", "reasons": []}
        else:
            reasons = [
                {"code": "no_face", "message": "We could not see a face for most of the recording."},
                {"code": "digits", "message": "We heard 4 8 1 7, not 4 8 1 9."},
            ]
            body = {"status": "rejected", "reasons": reasons}
        route.fulfill(status=200, content_type="application/json", body=json.dumps(body))

    page.route("**/api/cameo/verification", challenge)
    page.route("**/api/cameo/verification/*/recording", recording)
    page.route("**/api/cameo/verification/attempt*", attempt)
    page.goto(server.url + "/likeness")
    page.wait_for_selector('[data-testid="likeness-status"][data-verified="false"]')
    page.click('[data-testid="verify-start"]')
    page.click('[data-testid="verify-use-camera"]')
    page.wait_for_function("() => (document.querySelector('[data-testid=verify-preview]') || {}).readyState >= 2")
    page.click('[data-testid="verify-record"]')
    page.wait_for_selector('[data-testid="verify-countdown"]')
    assert page.inner_text('[data-testid="verify-digits"]', timeout=5_000) == "4 8 1 9"
    turns = []
    for turn in ("left", "up", "right"):
        turns.append(page.wait_for_selector(f'.lk-line.turn[data-turn="{turn}"]').inner_text().replace("\n", " "))
        if turn == "left":
            page.screenshot(path=str(artifacts / "likeness-recording.png"))
    assert turns == ["← Turn your head to your left", "↑ Turn your head up", "→ Turn your head to your right"]
    page.wait_for_selector('[data-testid="verify-reasons"]', timeout=20_000)

    [(url, body)] = uploads
    assert url.endswith("/api/cameo/verification/attempt1/recording")
    assert len(polls) == 2 and all(u.endswith("/api/cameo/verification/attempt1") for u in polls), polls
    assert b'name="file"; filename="recording.webm"' in body
    assert b"Content-Type: video/webm" in body
    assert b"\x1a\x45\xdf\xa3" in body, "the file is a WebM (EBML) recording"
    assert 50_000 < len(body) < 5_000_000, len(body)
    reasons = page.eval_on_selector_all('[data-testid="verify-reason"]', "els => els.map(e => e.dataset.code)")
    assert reasons == ["no_face", "digits"]
    assert "4 8 1 7" in page.inner_text('[data-testid="verify-reasons"]')
    # The camera is released once the recording is made.
    assert page.evaluate("() => !document.querySelector('[data-testid=verify-preview]')")
    page.screenshot(path=str(artifacts / "likeness-rejected.png"))

    # Try again asks for a new challenge: each one takes a single recording.
    page.click('[data-testid="verify-retry"]')
    page.wait_for_selector('[data-testid="verify-record"]')
    page.click('[data-testid="verify-record"]')
    page.wait_for_selector('[data-testid="verify-countdown"]')
    assert challenges == ["POST", "POST"]
    page.click('[data-testid="verify-cancel"]')
    page.wait_for_selector('[data-testid="verify-start"]')
    assert not errors, errors
    context.close()

    # Without the camera permission the page says what to do, and offers the file instead.
    context, page, errors = _page_as(browser, server, "olga")
    page.goto(server.url + "/likeness")
    page.click('[data-testid="verify-start"]')
    page.click('[data-testid="verify-use-camera"]')
    message = page.wait_for_selector('[data-testid="verify-error"]').inner_text()
    assert "may not use your camera" in message, message
    assert page.is_visible('[data-testid="verify-use-file"]')
    assert not errors, errors
    context.close()


def test_characters_and_deleting_the_likeness(server: LiveServer, browser: Any, artifacts: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        _signup(http, "olga")
        sam = _signup(http, "sam")
        verify_on_live_server(server, "olga", permission="everyone")
        submitted = http.post("/api/videos", json={"prompt": "@olga on a boat", "duration_s": 1}, headers=sam)
        assert submitted.status_code == 202, submitted.text
    context, page, errors = _page_as(browser, server, "olga")
    page.goto(server.url + "/likeness")

    page.fill('[data-testid="character-handle"]', "biscotto")
    page.fill('[data-testid="character-description"]', "a small brown dachshund with a red scarf")
    page.select_option('[data-testid="character-look"]', "dog")
    page.select_option('[data-testid="character-style"]', "neon")
    page.select_option('[data-testid="character-permission"]', "everyone")
    page.click('[data-testid="character-create"]')
    row = page.wait_for_selector('[data-testid="character"][data-handle="biscotto"]')
    assert "dog · neon" in row.inner_text()
    # A taken handle: the server's message, verbatim.
    page.fill('[data-testid="character-handle"]', "sam")
    page.fill('[data-testid="character-description"]', "a cat")
    page.click('[data-testid="character-create"]')
    assert "@sam is taken" in page.wait_for_selector('[data-testid="character-error"]:not([hidden])').inner_text()

    with page.expect_response(
        lambda r: r.request.method == "PATCH" and r.url.endswith("/api/characters/biscotto")
    ) as patched:
        page.select_option('[data-testid="character-row-permission"]', "approved")
    assert patched.value.ok and patched.value.json()["permission"] == "approved"
    page.eval_on_selector('[data-testid="characters"]', "el => el.scrollIntoView()")
    page.screenshot(path=str(artifacts / "likeness-character.png"))
    row.query_selector('[data-testid="character-delete"]').click()
    page.click('[data-testid="confirm-ok"]')
    page.wait_for_selector('[data-testid="character"]', state="detached")

    page.click('[data-testid="purge-button"]')
    page.click('[data-testid="confirm-ok"]')
    notice = page.wait_for_selector('[data-testid="likeness-notice"]').inner_text()
    assert notice == "Your likeness is deleted; 1 clip was removed.", notice
    page.wait_for_selector('[data-testid="likeness-status"][data-verified="false"]')
    # The ledger is fetched after the status: wait for it to show the purge, as a reader would.
    page.wait_for_selector('[data-testid="ledger-entry"]')
    actions = page.eval_on_selector_all('[data-testid="ledger-entry"]', "els => els.map(e => e.dataset.action)")
    assert actions[0] == "purge", actions
    assert not errors, errors
    context.close()

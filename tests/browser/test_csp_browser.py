"""The app under its Content-Security-Policy and Permissions-Policy (web.security): every main page
renders with no policy violation and no console error, the feed plays a clip, and only the likeness
page's document may use the camera, also when reached by a click from another page."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from support import LiveServer, make_settings, publish_over_http, run_live_server, signup_over_http

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
PASSWORD = "longenough"
# Runs in every document before the page's own scripts; the binding survives navigations and reloads.
LISTEN = """
document.addEventListener('securitypolicyviolation', (e) => {
  window.figmentViolation(JSON.stringify({
    directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber,
    sample: e.sample, page: location.pathname,
  }));
});
"""


@pytest.fixture
def server(tmp_path: Path, sqlite_url: str) -> Iterator[LiveServer]:
    yield from run_live_server(make_settings(tmp_path / "data", sqlite_url, video_width=288, video_height=512))


class Watched:
    def __init__(self, browser: Any, server: LiveServer, *, login: str | None = None) -> None:
        self.context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale="en-GB")
        if login is not None:
            response = self.context.request.post(
                server.url + "/api/auth/login", data={"login": login, "password": PASSWORD}
            )
            assert response.ok, response.text()
        self.page = self.context.new_page()
        self.violations: list[dict[str, Any]] = []
        self.errors: list[str] = []
        self.page.expose_function("figmentViolation", lambda raw: self.violations.append(json.loads(raw)))
        self.page.add_init_script(LISTEN)
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.page.on("console", self._console)

    def _console(self, message: Any) -> None:
        # A 401 from /api/me while signed out is the app asking, not a fault; anything else counts,
        # including Chromium's own "Refused to ..." CSP messages and Permissions-Policy parse errors.
        if message.type == "error" and "Failed to load resource" not in message.text:
            self.errors.append(f"{self.page.url}: {message.text}")

    def visit(self, url: str, ready: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector(ready)
        self.page.wait_for_load_state("networkidle")

    def clean(self) -> None:
        assert not self.violations, self.violations
        assert not self.errors, self.errors


def _wait_playing(page: Any, selector: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    start = float(page.eval_on_selector(selector, "v => v.currentTime"))
    while time.monotonic() < deadline:
        page.wait_for_timeout(250)
        if float(page.eval_on_selector(selector, "v => v.currentTime")) > start + 0.2:
            return
    raise AssertionError(f"{selector} is not playing")


def _camera_allowed(page: Any) -> bool:
    return bool(page.evaluate("document.featurePolicy.allowsFeature('camera')"))


def test_main_pages_run_under_the_policy(server: LiveServer, browser: Any, artifacts: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        luna = signup_over_http(http, "luna", PASSWORD)
        [clip] = publish_over_http(http, luna, ["a cat dancing on the beach at sunset"], duration_s=2)

    guest = Watched(browser, server)
    guest.visit(server.url + "/", f'[data-testid="feed-card"][data-video-id="{clip}"] video')
    _wait_playing(guest.page, f'[data-testid="feed-card"][data-video-id="{clip}"] video')
    assert not _camera_allowed(guest.page)
    guest.visit(server.url + "/login", '[data-testid="login-form"]')
    guest.visit(server.url + "/signup", 'form input[name="birthdate"]')
    guest.visit(server.url + "/provenance", 'input[type="file"]')
    guest.clean()
    guest.context.close()

    luna_page = Watched(browser, server, login="luna")
    page = luna_page.page
    luna_page.visit(server.url + f"/v/{clip}", "video")
    _wait_playing(page, "video")
    luna_page.visit(server.url + "/@luna", '[data-testid="steer-input"]')
    luna_page.visit(server.url + "/rights", "main .page")
    luna_page.visit(server.url + "/create", '[data-testid="prompt-input"]')
    assert not _camera_allowed(page)
    # Reaching the likeness page by a click loads its document afresh, with the camera allowed.
    page.evaluate("import('/static/router.js').then((r) => r.navigate('/likeness'))")
    page.wait_for_url("**/likeness")
    page.wait_for_load_state("networkidle")
    assert _camera_allowed(page)
    page.screenshot(path=str(artifacts / "csp-likeness.png"))
    # ... and leaving it takes the permission away again.
    page.evaluate("import('/static/router.js').then((r) => r.navigate('/drafts'))")
    page.wait_for_url("**/drafts")
    page.wait_for_load_state("networkidle")
    assert not _camera_allowed(page)
    luna_page.clean()
    luna_page.context.close()


def test_signup_form_needs_a_birthdate_and_says_why_in_italian(server: LiveServer, browser: Any) -> None:
    guest = Watched(browser, server)
    page = guest.page
    guest.visit(server.url + "/signup?lang=it", '[data-testid="signup-form"]')
    page.fill('[data-testid="handle-input"]', "giulia")
    page.fill('[data-testid="email-input"]', "giulia@example.com")
    page.fill('[data-testid="password-input"]', PASSWORD)
    page.click('[data-testid="signup-submit"]')
    assert page.inner_text('[data-testid="birthdate-error"]') != ""  # required, before asking the server
    ten_years_ago = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 10 * 366 * 86400))
    page.fill('[data-testid="birthdate-input"]', ten_years_ago)
    with page.expect_response("**/api/auth/signup"):
        page.click('[data-testid="signup-submit"]')
    # A locator, not wait_for_function: a string predicate that has to poll is eval'd in the page, which
    # this page's CSP (no 'unsafe-eval') refuses whenever the answer is not there at the first look.
    page.locator('[data-testid="birthdate-error"]', has_text="almeno 13 anni").wait_for()
    page.fill('[data-testid="birthdate-input"]', "1995-04-02")
    page.click('[data-testid="signup-submit"]')
    page.wait_for_url(lambda url: "/signup" not in url)
    me = page.evaluate("fetch('/api/me').then((r) => r.json())")
    assert me["birthdate"] == "1995-04-02"
    guest.clean()
    guest.context.close()


def test_provenance_page_says_made_here_since_removed(server: LiveServer, browser: Any, tmp_path: Path) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        luna = signup_over_http(http, "luna", PASSWORD)
        [clip] = publish_over_http(http, luna, ["a paper boat on a river"], duration_s=1)
        path = tmp_path / "clip.mp4"
        path.write_bytes((server.settings.media_dir / f"videos/{clip}/clip.mp4").read_bytes())
        assert http.delete(f"/api/videos/{clip}", headers=luna).status_code == 204

    guest = Watched(browser, server)
    page = guest.page
    for language, removed, trusted in (
        ("it", "Fatto su Figment, poi rimosso", "valide e firmate"),
        ("en", "Made on Figment, since removed", "valid and signed"),
    ):
        guest.visit(server.url + f"/provenance?lang={language}", '[data-testid="prov-file"]')
        page.set_input_files('[data-testid="prov-file"]', str(path))
        verdict = page.wait_for_selector('[data-testid="prov-verdict"]')
        assert verdict.inner_text() == removed
        result = page.inner_text('[data-testid="prov-result"]')
        assert trusted in result, result  # the credential row agrees with the verdict
        assert "null" not in result and "undefined" not in result, result
        assert page.inner_text('[data-testid="prov-detail"]')
        assert page.query_selector('[data-testid="prov-link"]') is None
    guest.clean()
    guest.context.close()

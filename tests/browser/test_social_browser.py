"""Figment beyond its own pages: downloading a clip, installing the app (manifest, service worker),
the app's own "page not found", and colour contrast checked by axe-core."""

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
PASSWORD = "longenough"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from figment.migrate import upgrade

    root = tmp_path_factory.mktemp("social")
    url = f"sqlite:///{root / 'figment.db'}"
    upgrade(url)
    yield from run_live_server(make_settings(root / "data", url))


@pytest.fixture(scope="module")
def clip(server: LiveServer) -> dict[str, str]:
    """One published clip by @luna and one draft of hers."""
    with httpx.Client(base_url=server.url, timeout=30) as http:
        luna = signup_over_http(http, "luna", PASSWORD)
        [published] = publish_over_http(http, luna, ["a lighthouse in a storm at night"], duration_s=1)
        draft = http.post("/api/videos", json={"prompt": "a quiet draft of a harbour", "duration_s": 1}, headers=luna)
        draft_id = draft.json()["id"]
        for _ in range(600):
            if http.get(f"/api/videos/{draft_id}", headers=luna).json()["status"] == "ready":
                break
            time.sleep(0.1)
    return {"published": published, "draft": draft_id}


def _login(page: Any, server: LiveServer, handle: str) -> None:
    page.goto(server.url + "/login")
    form = page.wait_for_selector('[data-testid="login-form"]')
    form.query_selector('input[name="login"]').fill(handle)
    form.query_selector('input[type="password"]').fill(PASSWORD)
    form.query_selector('button[type="submit"]').click()
    page.wait_for_url(lambda url: "/login" not in url)


def test_a_clip_and_a_draft_download_as_mp4_files(
    server: LiveServer, clip: dict[str, str], browser: Any, tmp_path: Path
) -> None:
    context = browser.new_context(viewport=PHONE, accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server.url}/v/{clip['published']}")
    page.click('[data-testid="more-button"]')
    with page.expect_download() as info:
        page.click('[data-testid="download-button"]')
    download = info.value
    assert download.suggested_filename == f"figment-luna-{clip['published']}.mp4"
    saved = tmp_path / "published.mp4"
    download.save_as(saved)
    assert saved.read_bytes()[4:8] == b"ftyp"

    _login(page, server, "luna")
    page.goto(f"{server.url}/drafts")
    card = page.wait_for_selector(f'[data-testid="draft-card"][data-video-id="{clip["draft"]}"]')
    with page.expect_download() as info:
        card.query_selector('[data-testid="download-button"]').click()
    assert info.value.suggested_filename == f"figment-luna-{clip['draft']}.mp4"
    assert not errors, errors
    context.close()


def test_the_app_installs_and_starts_offline(server: LiveServer, clip: dict[str, str], browser: Any) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url + "/")
    href = page.get_attribute('link[rel="manifest"]', "href")
    manifest = page.evaluate("href => fetch(href).then(r => r.json())", href)
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/"
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.active.scriptURL)") == server.url + "/sw.js"
    page.reload()
    page.wait_for_selector('[data-testid="feed-card"]')
    assert page.evaluate("navigator.serviceWorker.controller && navigator.serviceWorker.controller.scriptURL")
    # Drafts and API answers are never stored: only the shell and its versioned files.
    page.wait_for_timeout(500)
    stored = page.evaluate(
        """async () => {
        const urls = [];
        for (const key of await caches.keys()) {
          const cache = await caches.open(key);
          for (const request of await cache.keys()) urls.push(new URL(request.url).pathname);
        }
        return urls;
      }"""
    )
    assert "/" in stored and "/static/app.js" in stored
    assert all(url == "/" or url.startswith("/static/") for url in stored), stored

    # Offline: the app still starts from the stored shell (the feed says it cannot reach Figment).
    context.set_offline(True)
    page.goto(server.url + f"/v/{clip['published']}")
    page.wait_for_selector("#nav a")
    assert page.evaluate("document.body.classList.contains('booting')") is False
    context.set_offline(False)
    assert not errors, errors
    context.close()


@pytest.mark.parametrize(
    ("locale", "title"), [("en-US", "This page doesn’t exist"), ("it-IT", "Questa pagina non esiste")]
)
def test_an_unknown_address_shows_the_apps_not_found_page(
    server: LiveServer, browser: Any, locale: str, title: str
) -> None:
    context = browser.new_context(viewport=PHONE, locale=locale, service_workers="block")
    page = context.new_page()
    response = page.goto(server.url + "/no/such/page")
    assert response is not None and response.status == 404
    shown = page.wait_for_selector('[data-testid="not-found"]')
    assert title in shown.inner_text()
    context.close()


AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def _axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now (WCAG 2.x A and AA rules)."""
    result = page.evaluate(
        """() => axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
          .then(r => r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({ target: n.target.join(' '), summary: n.failureSummary })) })))"""
    )
    return [v for v in result if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("where", ["feed", "clip", "profile"])
def test_no_serious_accessibility_violations(
    server: LiveServer, clip: dict[str, str], browser: Any, where: str
) -> None:
    # Injected by the test driver (not a page script), so the page's CSP stays as strict as ever.
    context = browser.new_context(viewport=PHONE, service_workers="block", reduced_motion="reduce")
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    path = {"feed": "/", "clip": f"/v/{clip['published']}", "profile": "/@luna"}[where]
    page.goto(server.url + path)
    page.wait_for_selector('[data-testid="feed-card"], [data-testid="profile-clips"]')
    page.wait_for_timeout(800)  # animations settle (reduced motion), posters load
    violations = _axe(page)
    assert not violations, "\n".join(
        f"{v['id']} ({v['impact']}): {n['target']}: {n['summary']}" for v in violations for n in v["nodes"]
    )
    context.close()


def test_no_serious_accessibility_violations_signed_in(server: LiveServer, clip: dict[str, str], browser: Any) -> None:
    """The pages a member sees (navigation with avatar and unread badge, drafts with their plan, the
    language switch on the login page)."""
    context = browser.new_context(viewport=PHONE, service_workers="block", reduced_motion="reduce")
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    found: list[str] = []

    def check(path: str) -> None:
        page.wait_for_timeout(800)
        found.extend(f"{path}: {v['id']} ({v['impact']}): {n['target']}" for v in _axe(page) for n in v["nodes"])

    page.goto(server.url + "/login")
    check("/login")
    _login(page, server, "luna")
    for path in ("/", "/drafts", "/create", "/@luna", f"/v/{clip['published']}", "/notifications"):
        page.goto(server.url + path)
        page.wait_for_selector("#nav a")
        check(path)
    assert not found, "\n".join(found)
    context.close()

"""The profile page as people use it: editing it (counters, pins, bio links, a generated avatar), by
keyboard alone with visible focus, sharing a profile (system share sheet on a phone, copy elsewhere),
the remix credit, and axe-core on the page. Screenshots land in test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from cameo_support import verify_on_live_server
from support import LiveServer, make_settings, publish_over_http, run_live_server, signup_over_http

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 860}
PASSWORD = "longenough"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# Records what the page hands to the Web Share API instead of opening a system sheet.
SHARE_STUB = (
    "window.__shared = []; navigator.share = (data) => { window.__shared.push(data); return Promise.resolve(); };"
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from figment.migrate import upgrade

    root = tmp_path_factory.mktemp("profiles")
    url = f"sqlite:///{root / 'figment.db'}"
    upgrade(url)
    yield from run_live_server(make_settings(root / "data", url))


@pytest.fixture(scope="module")
def clips(server: LiveServer) -> dict[str, str]:
    """Two published clips by @luna (verified, mutuals may use her likeness) and @marco's remix of one."""
    with httpx.Client(base_url=server.url, timeout=30) as http:
        luna = signup_over_http(http, "luna", PASSWORD)
        marco = signup_over_http(http, "marco", PASSWORD)
        first, second = publish_over_http(
            http, luna, ["a lighthouse in a storm", "a red kite over a hill"], duration_s=1
        )
        remix = http.post(
            "/api/videos",
            json={"prompt": "a lighthouse in the snow", "duration_s": 1, "remix_of": first},
            headers=marco,
        )
        [remix_id] = _publish(http, marco, remix.json()["id"])
    verify_on_live_server(server, "luna", permission="mutuals")
    return {"first": first, "second": second, "remix": remix_id}


def _publish(http: httpx.Client, headers: dict[str, str], video_id: str) -> list[str]:
    import time

    for _ in range(600):
        if http.get(f"/api/videos/{video_id}", headers=headers).json()["status"] == "ready":
            break
        time.sleep(0.1)
    assert http.post(f"/api/videos/{video_id}/publish", headers=headers).status_code == 200
    return [video_id]


def _login(page: Any, server: LiveServer, handle: str) -> None:
    page.goto(server.url + "/login")
    form = page.wait_for_selector('[data-testid="login-form"]')
    form.query_selector('input[name="login"]').fill(handle)
    form.query_selector('input[type="password"]').fill(PASSWORD)
    form.query_selector('button[type="submit"]').click()
    page.wait_for_url(lambda url: "/login" not in url)


def _axe(page: Any) -> list[str]:
    result = page.evaluate(
        """() => axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
          .then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.nodes.map(n => `${v.id} (${v.impact}): ${n.target.join(' ')}: ${n.failureSummary}`)).flat())"""
    )
    return list(result)


def _focused(page: Any) -> dict[str, str]:
    """What has the keyboard focus now, and whether it is drawn (an outline or a ring)."""
    return dict(
        page.evaluate(
            """() => { const el = document.activeElement; const s = getComputedStyle(el);
              const ring = (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
              return { testid: el.dataset.testid || '', tag: el.tagName.toLowerCase(), visible: String(ring) }; }"""
        )
    )


def _tab_to(page: Any, testid: str, *, limit: int = 60) -> list[dict[str, str]]:
    """Tab until `testid` has the focus; every stop on the way must show where the focus is."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = _focused(page)
        seen.append(now)
        assert now["visible"] == "true", f"focus not visible on {now}"
        if now["testid"] == testid:
            return seen
    raise AssertionError(f"{testid} not reached by Tab: {[s['testid'] or s['tag'] for s in seen]}")


def test_edit_the_profile_by_keyboard_then_see_it_as_others_do(
    server: LiveServer, clips: dict[str, str], browser: Any, artifacts: Path
) -> None:
    context = browser.new_context(viewport=DESKTOP, service_workers="block", reduced_motion="reduce")
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    _login(page, server, "luna")
    page.goto(server.url + "/@luna")
    page.wait_for_selector('[data-testid="profile-clips"]')

    # Keyboard only from the top of the page: the controls come in reading order, each with visible focus.
    page.focus("#view")
    order = [s["testid"] for s in _tab_to(page, "edit-profile")]
    assert "back-button" in order and order.index("back-button") < len(order) - 1
    page.keyboard.press("Enter")
    page.wait_for_selector('[data-testid="edit-display-name"]')
    assert _focused(page)["testid"] == "edit-display-name"  # the form takes the focus where it opens
    page.keyboard.type("Luna Rossi")
    assert page.inner_text('[data-testid="edit-display-name-counter"]') == "10/50"
    page.keyboard.press("Tab")
    assert _focused(page)["testid"] == "edit-bio"
    page.keyboard.type("Lighthouses and kites. Friends with @marco #Snow")
    assert page.inner_text('[data-testid="edit-bio-counter"]') == "48/300"
    page.keyboard.press("Tab")
    first_pin = _focused(page)
    assert first_pin["testid"] == "pin-choice"
    page.keyboard.press("Space")  # pins the newest clip
    assert page.get_attribute('[data-testid="pin-choice"] >> nth=0', "aria-pressed") == "true"
    seen = _tab_to(page, "edit-save")
    assert seen[-1]["testid"] == "edit-save"
    page.keyboard.press("Enter")
    page.wait_for_selector('[data-testid="profile-name"]')
    assert _focused(page)["testid"] == "edit-profile"  # the focus is not lost when the form closes
    assert page.inner_text('[data-testid="profile-name"]') == "Luna Rossi"
    assert page.get_attribute('[data-testid="bio-mention"]', "href") == "/@marco"
    assert page.get_attribute('[data-testid="bio-tag"]', "href") == "/tag/snow"
    assert page.get_attribute('[data-testid="pinned-clip"]', "data-video-id") == clips["second"]

    # A bad name is refused in words, next to the field, and nothing is lost.
    page.click('[data-testid="edit-profile"]')
    field = page.wait_for_selector('[data-testid="edit-display-name"]')
    field.fill("Lun\u0430 Rossi")
    page.click('[data-testid="edit-save"]')
    error = page.wait_for_selector('[data-testid="edit-display-name-error"]:not(:empty)')
    assert "alphabet" in error.inner_text()
    assert page.get_attribute('[data-testid="edit-display-name"]', "aria-invalid") == "true"

    # The avatar is drawn from a prompt; refusals (someone's likeness without consent) keep the old one.
    prompt = page.wait_for_selector('[data-testid="avatar-prompt"]')
    prompt.fill("@marco waving")
    page.click('[data-testid="avatar-generate"]')
    refusal = page.wait_for_selector('[data-testid="avatar-prompt-error"]:not(:empty)')
    assert "@marco" in refusal.inner_text()
    prompt.fill("a smiling fox astronaut, pastel colours")
    page.click('[data-testid="avatar-generate"]')
    image = page.wait_for_selector('[data-testid="profile-avatar"] img', timeout=60_000)
    assert "/api/users/luna/avatar.jpg?v=" in (image.get_attribute("src") or "")
    page.wait_for_timeout(500)
    violations = _axe(page)
    assert not violations, "\n".join(violations)
    page.screenshot(path=str(artifacts / "profile-edit.png"), full_page=True)
    assert not errors, errors
    context.close()

    # Others see it all, and the cameo status says whom she lets use her likeness.
    context = browser.new_context(viewport=PHONE, service_workers="block", reduced_motion="reduce")
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.goto(server.url + "/@luna")
    page.wait_for_selector('[data-testid="profile-pinned"]')
    assert page.inner_text('[data-testid="profile-name"]') == "Luna Rossi"
    assert "mutuals" in page.inner_text('[data-testid="cameo-status"]')
    assert page.wait_for_selector('[data-testid="profile-avatar"] img')
    assert page.query_selector('[data-testid="edit-profile"]') is None
    page.wait_for_timeout(500)
    violations = _axe(page)
    assert not violations, "\n".join(violations)
    page.screenshot(path=str(artifacts / "profile-public.png"), full_page=True)
    context.close()


def test_share_uses_the_share_sheet_on_phones_and_copies_elsewhere(
    server: LiveServer, clips: dict[str, str], browser: Any
) -> None:
    phone = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True, service_workers="block")
    phone.add_init_script(SHARE_STUB)
    page = phone.new_page()
    page.goto(server.url + "/@luna")
    page.click('[data-testid="share-profile"]')
    page.wait_for_function("window.__shared.length === 1")
    assert page.evaluate("window.__shared[0].url") == server.url + "/@luna"
    page.goto(server.url + f"/v/{clips['first']}")
    page.click('[data-testid="share-button"]')
    page.wait_for_function("window.__shared.length === 1")
    assert page.evaluate("window.__shared[0].url") == server.url + f"/v/{clips['first']}"
    phone.close()

    desktop = browser.new_context(viewport=DESKTOP, service_workers="block")
    desktop.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    desktop.add_init_script(SHARE_STUB)
    page = desktop.new_page()
    page.goto(server.url + "/@luna")
    page.click('[data-testid="share-profile"]')
    page.wait_for_selector('[data-testid="toast"]')
    assert page.evaluate("window.__shared.length") == 0
    assert page.evaluate("navigator.clipboard.readText()") == server.url + "/@luna"
    desktop.close()


def test_a_remixed_clip_credits_the_original(server: LiveServer, clips: dict[str, str], browser: Any) -> None:
    context = browser.new_context(viewport=PHONE, service_workers="block")
    page = context.new_page()
    page.goto(server.url + f"/v/{clips['remix']}")
    credit = page.wait_for_selector('[data-testid="remix-of-link"]')
    assert "@luna" in credit.inner_text()
    assert credit.get_attribute("href") == f"/v/{clips['first']}"
    credit.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/v/{clips['first']}")
    page.goto(server.url + "/@marco")
    badge = page.wait_for_selector('[data-testid="profile-clip"] .tile-remix')
    assert "@luna" in badge.inner_text()
    context.close()

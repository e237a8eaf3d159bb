"""Search and Discover as a person uses them: searching in Italian finds an English clip and opens it,
by keyboard; a #tag in a prompt leads to its page; axe-core on search, Discover and a tag page; and a
link preview card drawn from a clip page's Open Graph tags (docs/screenshots/)."""

from __future__ import annotations

import html
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from support import LiveServer, make_settings, publish_over_http, run_live_server, signup_over_http

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
PROMPTS = {
    "cat": "a cat playing the piano #Cats #music",
    "lighthouse": "a lighthouse in a storm at night #storm",
    "beach": "a dog running on the beach at sunset #beach #dogs",
    "snow": "snowy mountains at dawn #snow",
}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from figment.migrate import upgrade

    root = tmp_path_factory.mktemp("search")
    url = f"sqlite:///{root / 'figment.db'}"
    upgrade(url)
    yield from run_live_server(make_settings(root / "data", url, video_width=270, video_height=480))


@pytest.fixture(scope="module")
def clips(server: LiveServer) -> dict[str, str]:
    """@luna's and @marco's published clips (English prompts) and @luna's character @biscuit."""
    with httpx.Client(base_url=server.url, timeout=60) as http:
        luna = signup_over_http(http, "luna")
        marco = signup_over_http(http, "marco")
        ids = publish_over_http(http, luna, [PROMPTS["cat"], PROMPTS["lighthouse"]], duration_s=1)
        ids += publish_over_http(http, marco, [PROMPTS["beach"], PROMPTS["snow"]], duration_s=1)
        like = http.post(f"/api/videos/{ids[0]}/like", headers=marco)
        assert like.status_code == 200, like.text
        character = {"handle": "biscuit", "description": "a cheerful corgi in a red scarf", "permission": "everyone"}
        assert http.post("/api/characters", json=character, headers=luna).status_code == 201
    return dict(zip(PROMPTS, ids, strict=True))


def _axe(page: Any) -> list[str]:
    """axe-core's serious and critical violations (WCAG 2.x A and AA rules) on the page as it is now."""
    result = page.evaluate(
        """() => axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
          .then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
            .flatMap(v => v.nodes.map(n => `${v.id} (${v.impact}): ${n.target.join(' ')}: ${n.failureSummary}`)))"""
    )
    return list(result)


def _context(browser: Any, *, locale: str = "en-GB") -> Any:
    # axe is injected by the test driver (not a page script), so the page's CSP stays as strict as ever.
    context = browser.new_context(
        viewport=PHONE, locale=locale, service_workers="block", reduced_motion="reduce", device_scale_factor=2
    )
    context.add_init_script(path=str(AXE))
    return context


def test_searching_in_italian_finds_the_english_clip_and_opens_it_by_keyboard(
    server: LiveServer, clips: dict[str, str], browser: Any
) -> None:
    context = _context(browser, locale="it-IT")
    page = context.new_page()
    page.goto(server.url + "/discover")
    page.wait_for_selector('[data-testid="discover-tags"]')
    assert page.locator("h1").inner_text() == "Scopri"
    box = page.locator('[data-testid="search-input"]')
    box.fill("gatto che suona")
    box.press("Enter")
    page.wait_for_url("**/search?q=*")
    first = page.wait_for_selector('[data-testid="search-clips"] [data-testid="result-clip"]')
    assert first.get_attribute("data-video-id") == clips["cat"]
    assert "piano" in first.inner_text()
    page.wait_for_timeout(600)  # posters load
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "search.png"))

    # Keyboard only: from the box, Down reaches the first result, Enter opens it.
    page.locator('[data-testid="search-input"]').focus()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.videoId") == clips["cat"]
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/v/{clips['cat']}")
    card = page.wait_for_selector('[data-testid="feed-card"]')
    assert "piano" in card.inner_text()
    # The prompt's #tag is a link to its page, which lists the clip.
    card.wait_for_selector('[data-testid="tag-link"]').click()
    page.wait_for_url("**/tag/cats")
    assert page.wait_for_selector('[data-testid="tag-clip"]').get_attribute("data-video-id") == clips["cat"]
    context.close()


def test_people_and_tags_are_found_with_a_typo(server: LiveServer, clips: dict[str, str], browser: Any) -> None:
    context = _context(browser)
    page = context.new_page()
    page.goto(server.url + "/search?q=lunna&type=users")
    person = page.wait_for_selector('[data-testid="result-user"]')
    assert person.get_attribute("data-handle") == "luna"
    page.click('[data-testid="search-type-tags"]')
    page.fill('[data-testid="search-input"]', "#stor")
    page.press('[data-testid="search-input"]', "Enter")
    assert page.wait_for_selector('[data-testid="result-tag"]').get_attribute("data-tag") == "storm"
    context.close()


@pytest.mark.parametrize("where", ["discover", "search", "tag"])
def test_no_serious_accessibility_violations(
    server: LiveServer, clips: dict[str, str], browser: Any, where: str
) -> None:
    context = _context(browser)
    page = context.new_page()
    path, ready = {
        "discover": ("/discover", '[data-testid="discover-clips"]'),
        "search": ("/search?q=cat", '[data-testid="result-clip"]'),
        "tag": ("/tag/storm", '[data-testid="tag-clip"]'),
    }[where]
    page.goto(server.url + path)
    page.wait_for_selector(ready)
    page.wait_for_timeout(800)
    if where == "discover":
        assert page.locator('[data-testid="discover-character"]').first.get_attribute("data-handle") == "biscuit"
        page.set_viewport_size({"width": PHONE["width"], "height": 1640})  # every row (the view scrolls inside)
        page.wait_for_timeout(400)
        page.screenshot(path=str(SCREENSHOTS / "discover.png"))
    violations = _axe(page)
    assert not violations, "\n".join(violations)
    context.close()


class _MetaTags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        key = values.get("property") or values.get("name")
        if tag == "meta" and key and values.get("content") is not None and key not in self.tags:
            self.tags[key] = str(values["content"])


def test_a_link_preview_card_drawn_from_the_clip_pages_open_graph_tags(
    server: LiveServer, clips: dict[str, str], browser: Any
) -> None:
    """What a chat app shows when the link is pasted: it reads only the page's meta tags."""
    shared = f"{server.url}/v/{clips['cat']}"
    parser = _MetaTags()
    parser.feed(httpx.get(shared, timeout=30).text)
    og = parser.tags
    assert og["og:type"] == "video.other" and og["og:url"] == shared
    assert "piano" in og["og:title"] + og["og:description"]
    assert httpx.get(og["og:image"], timeout=30).headers["content-type"] == "image/jpeg"
    card = f"""<!doctype html><html><head><meta charset="utf-8"><style>
      body {{ margin: 0; padding: 28px; background: #e9edf1; font: 15px/1.35 system-ui, sans-serif; }}
      .bubble {{ max-width: 330px; background: #fff; border-radius: 14px; padding: 8px; box-shadow: 0 1px 2px #0003; }}
      .link {{ color: #1a73e8; margin: 4px 6px 8px; word-break: break-all; }}
      .card {{ display: flex; gap: 10px; background: #f3f5f7; border-left: 4px solid #d6195e; border-radius: 8px;
               padding: 8px; }}
      .card img {{ width: 90px; height: 160px; object-fit: cover; border-radius: 6px; }}
      .site {{ color: #667; font-size: 12px; }} .title {{ font-weight: 700; margin: 2px 0 4px; }}
      .desc {{ color: #333; font-size: 13px; }}
    </style></head><body><div class="bubble">
      <div class="link">{html.escape(shared)}</div>
      <div class="card" data-testid="preview">
        <img src="{html.escape(og["og:image"])}" alt="">
        <div><div class="site">{html.escape(og.get("og:site_name", ""))}</div>
          <div class="title">{html.escape(og["og:title"])}</div>
          <div class="desc">{html.escape(og["og:description"])}</div>
          <div class="site">{html.escape(og.get("og:video:type", ""))} · {html.escape(og.get("twitter:card", ""))}</div>
        </div>
      </div></div></body></html>"""
    context = browser.new_context(viewport={"width": 420, "height": 300}, device_scale_factor=2)
    page = context.new_page()
    page.set_content(card)
    page.wait_for_function("document.querySelector('img').complete && document.querySelector('img').naturalWidth > 0")
    page.locator(".bubble").screenshot(path=str(SCREENSHOTS / "link-preview.png"))
    context.close()

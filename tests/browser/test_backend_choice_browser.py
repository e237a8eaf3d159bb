"""The create page on a server that enables a hosted video model beside the built-in engine: the author
sees both with their limits (and that a hosted one sends the prompt away), the length picker follows the
chosen model, and a clip made by the hosted model (a local provider stand-in) lands ready like any other."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest

from figment.testing.hosted_providers import KEY, OpenAIVideosServer, serve
from support import LiveServer, make_settings, run_live_server, signup_over_http

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def provider() -> Iterator[OpenAIVideosServer]:
    with serve(OpenAIVideosServer()) as running:
        yield running


@pytest.fixture
def server(tmp_path: Path, sqlite_url: str, provider: OpenAIVideosServer) -> Iterator[LiveServer]:
    settings = make_settings(
        tmp_path / "data",
        sqlite_url,
        backends="procedural,openai-videos",
        openai_videos_base_url=provider.base_url(),
        openai_videos_api_key=KEY,
        openai_videos_model="sora-2",
        openai_videos_seconds="4,8",
        openai_videos_poll_s=0.05,
    )
    yield from run_live_server(settings)


@pytest.mark.parametrize("language", ["en", "it"])
def test_the_author_picks_a_hosted_model_and_gets_a_ready_clip(
    server: LiveServer, provider: OpenAIVideosServer, browser: Any, artifacts: Path, language: str
) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        signup_over_http(http, "marco")
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale=language)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url + "/login")
    form = page.wait_for_selector('[data-testid="login-form"]')
    form.query_selector('input[name="login"]').fill("marco")
    form.query_selector('input[type="password"]').fill("longenough")
    form.query_selector('button[type="submit"]').click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.evaluate(f"localStorage.setItem('figment.lang', '{language}')")

    page.goto(server.url + "/create")
    page.wait_for_selector('[data-testid="backend-field"]:not([hidden])')
    names = page.eval_on_selector_all('[data-testid="backend-select"] option', "els => els.map(e => e.value)")
    assert names == ["procedural", "openai-videos"]
    def lengths() -> list[str]:
        return list(page.eval_on_selector_all('[data-testid="duration-select"] option', "els => els.map(e => e.value)"))

    assert lengths() == ["5", "8", "10"]
    assert page.query_selector('[data-testid="backend-hosted"]') is None  # the built-in engine sends nothing away

    page.select_option('[data-testid="backend-select"]', "openai-videos")
    assert lengths() == ["5", "8"]  # the provider makes at most 8 s
    limits = page.inner_text('[data-testid="backend-limits"]')
    hosted = {"en": "sent to this model", "it": "viene inviato al fornitore"}[language]
    assert hosted in limits and "144x256" in limits, limits
    page.fill('[data-testid="prompt-input"]', "a lighthouse in a storm at night")
    page.screenshot(path=str(artifacts / f"create-backend-{language}.png"))
    page.click('[data-testid="submit-prompt"]')
    page.wait_for_selector('[data-testid="publish-button"]', timeout=90_000)
    page.screenshot(path=str(artifacts / f"create-backend-ready-{language}.png"))
    [asked] = provider.requests
    assert asked["seconds"] == "8" and asked["prompt"] == "a lighthouse in a storm at night"
    assert not errors, errors
    context.close()

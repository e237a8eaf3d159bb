"""Drafts waiting for a worker say where they stand ("2nd in line · about 10 seconds") and the line
moves with the page's polling when the first one starts rendering (issue 13: long jobs)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from sqlalchemy import create_engine, update

from figment.jobs.models import Job, JobState
from figment.videos.models import Video, VideoStatus
from support import LiveServer, make_settings, run_live_server, signup_over_http

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
EXPECTED = {
    # procedural's default pace, 0.5 s per second of clip: 5 s per 10 s clip, one clip after another.
    "en": ["1st in line · about 5 seconds", "2nd in line · about 10 seconds", "3rd in line · about 15 seconds"],
    "it": ["In coda: 1° · circa 5 secondi", "In coda: 2° · circa 10 secondi", "In coda: 3° · circa 15 secondi"],
}
# Longer waits, rounded as an estimate can claim and pluralised in the reader's language.
ROUGH = {
    "en": ["1 second", "45 seconds", "1 minute", "2 minutes", "1.5 hours"],
    "it": ["1 secondo", "45 secondi", "1 minuto", "2 minuti", "1,5 ore"],
}
# The first clip at 40 %: 60 % of its 5 s left; the second is now next.
AFTER = {
    "en": ["About 3 seconds left", "1st in line · about 5 seconds"],
    "it": ["Mancano circa 3 secondi", "In coda: 1° · circa 5 secondi"],
}


@pytest.fixture
def server(tmp_path: Path, sqlite_url: str) -> Iterator[LiveServer]:
    # No workers: the clips wait in the queue until the test starts one.
    yield from run_live_server(make_settings(tmp_path / "data", sqlite_url, workers=0))


@pytest.mark.parametrize("language", ["en", "it"])
def test_drafts_show_the_place_in_line_and_the_estimate(
    server: LiveServer, sqlite_url: str, browser: Any, artifacts: Path, language: str
) -> None:
    with httpx.Client(base_url=server.url, timeout=30) as http:
        headers = signup_over_http(http, "marco")
        ids = []
        for prompt in ("a red car in the city", "a cat on a sofa", "a boat at sea"):
            response = http.post("/api/videos", json={"prompt": prompt, "duration_s": 10}, headers=headers)
            assert response.status_code == 202, response.text
            ids.append(response.json()["id"])
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, locale=language)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url + "/login")
    page.evaluate(f"localStorage.setItem('figment.lang', '{language}')")
    page.reload()
    form = page.wait_for_selector('[data-testid="login-form"]')
    form.query_selector('input[name="login"]').fill("marco")
    form.query_selector('input[type="password"]').fill("longenough")
    form.query_selector('button[type="submit"]').click()
    page.wait_for_url(lambda url: "/login" not in url)
    page.goto(server.url + "/drafts")

    def line(video_id: str) -> Any:
        return page.locator(f'[data-video-id="{video_id}"] [data-testid="queue-line"]')

    for video_id, text in zip(ids, EXPECTED[language], strict=True):
        line(video_id).wait_for()
        assert line(video_id).inner_text() == text
    page.screenshot(path=str(artifacts / f"queue-{language}.png"))

    engine = create_engine(sqlite_url)
    with engine.begin() as conn:
        conn.execute(update(Job).where(Job.video_id == ids[0]).values(state=JobState.running))
        conn.execute(update(Video).where(Video.id == ids[0]).values(status=VideoStatus.rendering, progress=40))
    engine.dispose()
    for video_id, text in zip(ids, AFTER[language], strict=False):
        page.wait_for_function(
            '([id, text]) => document.querySelector(`[data-video-id="${id}"] [data-testid="queue-line"]`)'
            "?.textContent === text",
            arg=[video_id, text],
            timeout=10_000,
        )
    page.screenshot(path=str(artifacts / f"queue-{language}-rendering.png"))
    # The create page shows the same line under its progress bar: one clip ahead, one worker busy.
    page.goto(server.url + f"/create?video={ids[2]}")
    page.wait_for_selector('[data-testid="job"] [data-testid="queue-line"]:not([hidden])')
    assert page.locator('[data-testid="job"] [data-testid="queue-line"]').inner_text() == EXPECTED[language][1]
    page.screenshot(path=str(artifacts / f"queue-{language}-create.png"))
    rough = page.evaluate(
        "async () => { const q = await import('/static/queue.js');"
        " return [1, 44, 70, 125, 5400].map((s) => q.roughDuration(s)); }"
    )
    assert rough == ROUGH[language]
    assert not errors
    context.close()

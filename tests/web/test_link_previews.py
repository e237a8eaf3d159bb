"""Open Graph and Twitter card tags on clip and profile pages (web.meta): server-rendered, escaped,
absolute, and only for what an anonymous visitor may see."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from figment.accounts.models import User
from figment.app import create_app
from figment.db import utcnow
from figment.videos.models import Video, Visibility
from support import Api, make_settings

PROMPT = 'a cat says "hi" & waves <b>hello</b> at a lighthouse by the sea'


class _Meta(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: dict[str, str] = {}
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and values.get("content") is not None:
            key = values.get("property") or values.get("name")
            if key:
                self.tags[key] = str(values["content"])
        self._in_title = tag == "title"

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False


def meta_of(html: str) -> dict[str, str]:
    parser = _Meta()
    parser.feed(html)
    return parser.tags


def _set(api: Api, model: type, row_id: str, **values: object) -> None:
    services = api.client.app.state.services  # type: ignore[attr-defined]
    with services.session_factory() as session, session.begin():
        row = session.get(model, row_id)
        for name, value in values.items():
            setattr(row, name, value)


def test_a_published_clip_has_its_own_preview_fetchable_without_a_session(api: Api) -> None:
    api.signup("maker")
    clip = api.ready_clip("maker", PROMPT, publish=True)
    page = api.client.get(f"/v/{clip['id']}")
    assert page.status_code == 200
    # Escaped in the HTML, exact once parsed.
    assert "<b>hello</b>" not in page.text
    tags = meta_of(page.text)
    base = "http://testserver"
    assert tags["og:type"] == "video.other"
    assert tags["og:title"] == PROMPT
    assert tags["og:url"] == f"{base}/v/{clip['id']}"
    assert "@maker" in tags["og:description"]
    assert tags["og:image"] == f"{base}/api/videos/{clip['id']}/poster.jpg"
    assert tags["og:video"] == f"{base}/api/videos/{clip['id']}/clip.mp4"
    assert tags["og:video:type"] == "video/mp4"
    assert (tags["og:video:width"], tags["og:video:height"]) == ("144", "256")
    assert tags["twitter:card"] == "summary_large_image"
    assert tags["twitter:image"] == tags["og:image"]
    # A crawler has no cookie and no token: the image and the clip still load.
    api.client.cookies.clear()
    poster = api.client.get(tags["og:image"].removeprefix(base))
    assert poster.status_code == 200 and poster.headers["content-type"] == "image/jpeg"
    video = api.client.get(tags["og:video"].removeprefix(base))
    assert video.status_code == 200 and video.headers["content-type"] == "video/mp4"


def test_a_long_prompt_is_trimmed_in_the_title(api: Api) -> None:
    api.signup("maker")
    prompt = "a very long walk " * 12
    clip = api.ready_clip("maker", prompt.strip(), publish=True)
    tags = meta_of(api.client.get(f"/v/{clip['id']}").text)
    assert len(tags["og:title"]) <= 70 and tags["og:title"].endswith("…")


def test_drafts_removed_and_missing_clips_get_generic_tags_without_the_prompt(api: Api) -> None:
    api.signup("maker")
    draft = api.ready_clip("maker", "a secret draft about a purple giraffe")
    removed = api.ready_clip("maker", "a removed clip about a green walrus", publish=True)
    _set(api, Video, removed["id"], visibility=Visibility.removed)
    # Even its author (signed in) gets the generic preview: previews are what a stranger would see.
    for video_id, secret in ((draft["id"], "giraffe"), (removed["id"], "walrus"), ("nope", "")):
        page = api.client.get(f"/v/{video_id}", headers=api.auth("maker"))
        assert page.status_code == 200
        tags = meta_of(page.text)
        assert tags["og:type"] == "website" and tags["og:title"] == "Figment"
        assert tags["og:image"] == "http://testserver/static/icons/icon-512.png"
        assert "og:video" not in tags
        if secret:
            assert secret not in page.text


def test_a_profile_preview_uses_the_latest_poster(api: Api) -> None:
    api.signup("maker")
    bare = meta_of(api.client.get("/@maker").text)
    assert bare["og:type"] == "profile" and bare["og:title"] == "@maker · Figment"
    assert bare["og:image"].endswith("/static/icons/icon-512.png") and bare["twitter:card"] == "summary"
    api.ready_clip("maker", "an old lighthouse", publish=True)
    latest = api.ready_clip("maker", "a new lighthouse", publish=True)
    api.ready_clip("maker", "an unpublished lighthouse")
    tags = meta_of(api.client.get("/@maker?lang=it").text)
    assert tags["og:image"] == f"http://testserver/api/videos/{latest['id']}/poster.jpg"
    assert tags["profile:username"] == "maker"
    assert tags["og:description"] == "@maker su Figment: 2 clip pubblicate."
    assert tags["og:url"] == "http://testserver/@maker"


def test_unknown_and_banned_profiles_get_generic_tags(api: Api) -> None:
    api.signup("maker")
    clip = api.ready_clip("maker", "a banned lighthouse", publish=True)
    assert meta_of(api.client.get("/@ghost").text)["og:type"] == "website"
    services = api.client.app.state.services  # type: ignore[attr-defined]
    with services.session_factory() as session, session.begin():
        user = session.query(User).filter_by(handle="maker").one()
        user.banned_at = utcnow()
    assert meta_of(api.client.get("/@maker").text)["og:type"] == "website"
    assert meta_of(api.client.get(f"/v/{clip['id']}").text)["og:type"] == "website"


@pytest.mark.parametrize("public_url", ["https://figment.example", "https://figment.example/app/"])
def test_the_public_url_setting_makes_the_absolute_urls(tmp_path: Path, sqlite_url: str, public_url: str) -> None:
    settings = make_settings(tmp_path / "data", sqlite_url, public_url=public_url)
    with TestClient(create_app(settings)) as client:
        tags = meta_of(client.get("/v/unknown").text)
    base = public_url.rstrip("/")
    assert tags["og:url"] == f"{base}/v/unknown"
    assert tags["og:image"] == f"{base}/static/icons/icon-512.png"


def test_a_bad_public_url_is_refused(tmp_path: Path) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        make_settings(tmp_path, "sqlite://", public_url="figment.example")

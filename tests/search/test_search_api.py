"""GET /api/search: people by prefix (confusable-folded, typo-tolerant), clips by meaning in English and
Italian, tags by prefix; never what the viewer may not see; clear 422s; works logged out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from figment.accounts.service import make_admin
from figment.app import create_app
from figment.db import session_scope, utcnow
from figment.videos.models import VideoStatus, Visibility
from search_support import make_clip, services_of
from support import Api, assert_error, make_settings


def _clips(api: Api, q: str, headers: dict[str, str] | None = None, **params: str) -> list[str]:
    response = api.client.get("/api/search", params={"q": q, "type": "clips", **params}, headers=headers or {})
    assert response.status_code == 200, response.text
    return [clip["id"] for clip in response.json()["clips"]]


def _people(api: Api, q: str, headers: dict[str, str] | None = None) -> list[str]:
    response = api.client.get("/api/search", params={"q": q, "type": "users"}, headers=headers or {})
    assert response.status_code == 200, response.text
    return [person["handle"] for person in response.json()["users"]]


def _tags(api: Api, q: str, headers: dict[str, str] | None = None) -> dict[str, int]:
    response = api.client.get("/api/search", params={"q": q, "type": "tags"}, headers=headers or {})
    assert response.status_code == 200, response.text
    return {tag["name"]: tag["clip_count"] for tag in response.json()["tags"]}


def test_italian_words_find_an_english_clip_made_through_the_pipeline(api: Api) -> None:
    alice = api.signup("alice")
    cat = api.ready_clip("alice", "a cat playing the piano #Cats", publish=True)["id"]
    dog = api.ready_clip("alice", "a dog running on the beach at sunset", publish=True)["id"]
    draft = api.ready_clip("alice", "a cat asleep on a sofa")["id"]  # never published

    found = _clips(api, "gatto")  # logged out
    assert found[0] == cat
    assert dog not in found and draft not in found
    assert _clips(api, "cane sulla spiaggia", alice)[0] == dog
    # The tag from the prompt was stored at submit and is found once the clip is published.
    assert _tags(api, "#ca") == {"cats": 1}
    page = api.client.get("/api/tags/CATS/clips").json()
    assert page["tag"] == "cats" and [c["id"] for c in page["items"]] == [cat]


def test_search_never_returns_what_the_viewer_may_not_see(api: Api) -> None:
    viewer = api.signup("viewer")
    for handle in ("alice", "blocked_by_me", "blocks_me", "banned_one"):
        api.signup(handle)
    client = api.client
    visible = make_clip(client, "alice", "a cat in a garden #gatti")
    hidden = {
        "draft": make_clip(client, "alice", "a cat drawing #gatti_segreti", visibility=Visibility.draft),
        "blocked render": make_clip(
            client, "alice", "a cat refused at render", visibility=Visibility.draft, status=VideoStatus.blocked
        ),
        "removed": make_clip(client, "alice", "a cat taken down #gatti", visibility=Visibility.removed),
        "still rendering": make_clip(client, "alice", "a cat being rendered", status=VideoStatus.rendering),
    }
    by_blocked = make_clip(client, "blocked_by_me", "a cat on a roof #gatti")
    by_blocker = make_clip(client, "blocks_me", "a cat in the snow #gatti")
    by_banned = make_clip(client, "banned_one", "a cat by the sea #gatti")
    assert client.post("/api/users/blocked_by_me/block", headers=viewer).status_code == 204
    assert client.post("/api/users/viewer/block", headers=api.auth("blocks_me")).status_code == 204
    # An operator bans @banned_one the way operators do (which also removes their published clips).
    oscar = api.signup("oscar")
    with session_scope(services_of(client).session_factory) as session:
        make_admin(session=session, handle="oscar")
    decision = {"action": "ban", "subject_type": "video", "subject_id": by_banned, "note": "spam"}
    assert client.post("/api/admin/decisions", json=decision, headers=oscar).status_code == 201

    mine = set(_clips(api, "cat", viewer))
    assert visible in mine
    assert not mine & ({*hidden.values(), by_blocked, by_blocker, by_banned})
    anonymous = set(_clips(api, "gatto"))  # no blocks logged out, but still no drafts, removed or banned
    assert {visible, by_blocked, by_blocker} <= anonymous
    assert not anonymous & {*hidden.values(), by_banned}

    assert _people(api, "blo", viewer) == []
    assert set(_people(api, "blo")) == {"blocked_by_me", "blocks_me"}
    assert _people(api, "banned") == []
    # A tag used only on a draft says nothing about it; counts are of visible clips only.
    assert _tags(api, "gatti", viewer) == {"gatti": 1}
    assert _tags(api, "gatti") == {"gatti": 3}
    assert "gatti_segreti" not in _tags(api, "gatti_s")
    tag_page = client.get("/api/tags/gatti/clips", headers=viewer).json()
    assert [c["id"] for c in tag_page["items"]] == [visible]


def test_people_by_prefix_confusable_folded_and_typo_tolerant(api: Api) -> None:
    bob = api.signup("bob")
    for handle in ("luna_rossi", "lunar", "paul", "zed_paulsen"):
        api.signup(handle)
    assert _people(api, "lun") == ["lunar", "luna_rossi"]
    assert _people(api, "@LUNA", bob)[0] == "lunar"  # case and '@' ignored
    assert _people(api, "pau1")[0] == "paul"  # '1' reads as 'l': the skeleton prefix finds it
    assert _people(api, "рaul")[0] == "paul"  # a Cyrillic 'р'
    assert "luna_rossi" in _people(api, "lunna_ros")  # a doubled letter: found by similarity
    body = api.client.get("/api/search", params={"q": "lunna_ros", "type": "users"}).json()
    assert {p["handle"]: p["match"] for p in body["users"]}["luna_rossi"] == "similar"
    assert _people(api, "qqqq") == []
    # Logged in, whom you follow is said.
    api.client.post("/api/users/paul/follow", headers=bob)
    users = api.client.get("/api/search", params={"q": "paul", "type": "users"}, headers=bob).json()["users"]
    assert users[0] == {"handle": "paul", "display_name": None, "followed_by_me": True, "match": "prefix"}


def test_tags_by_prefix_and_with_a_typo(api: Api) -> None:
    api.signup("alice")
    make_clip(api.client, "alice", "#Snowfield at dawn")
    make_clip(api.client, "alice", "a #snowy street and a #Snow man")
    make_clip(api.client, "alice", "a #sunset")
    assert list(_tags(api, "#sno")) == ["snow", "snowy", "snowfield"]
    found = api.client.get("/api/search", params={"q": "snwo", "type": "tags"}).json()["tags"]
    assert "snow" in [t["name"] for t in found]


def test_clip_results_page_with_a_cursor(api: Api) -> None:
    api.signup("alice")
    ids = {make_clip(api.client, "alice", f"a cat number {i} playing with yarn") for i in range(5)}
    first = api.client.get("/api/search", params={"q": "gatto", "limit": 2}).json()
    second = api.client.get("/api/search", params={"q": "gatto", "limit": 2, "cursor": first["next_cursor"]}).json()
    third = api.client.get("/api/search", params={"q": "gatto", "limit": 2, "cursor": second["next_cursor"]}).json()
    pages = [c["id"] for page in (first, second, third) for c in page["clips"]]
    assert sorted(pages) == sorted(ids) and third["next_cursor"] is None
    # A cursor belongs to its query.
    other = api.client.get("/api/search", params={"q": "cane", "cursor": first["next_cursor"]})
    assert assert_error(other, 422, "validation_error")["details"]["field"] == "cursor"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"q": ""}, "q"),
        ({"q": "   "}, "q"),
        ({"q": "x" * 101}, "q"),
        ({"q": "cat", "type": "videos"}, "type"),
        ({"q": "cat", "limit": "0"}, "limit"),
        ({"q": "cat", "limit": "51"}, "limit"),
        ({"q": "cat", "cursor": "forged.cursor"}, "cursor"),
        ({"q": "!!!", "type": "tags"}, "q"),
        ({"q": "cat\x00"}, "NUL"),  # refused before the route (app.RejectNul)
    ],
)
def test_bad_queries_are_clear_422s(api: Api, params: dict[str, str], field: str) -> None:
    body = assert_error(api.client.get("/api/search", params=params), 422, "validation_error")
    assert field in str(body), body


def test_bad_tag_names_are_422s(api: Api) -> None:
    assert_error(api.client.get("/api/tags/%21%21/clips"), 422, "validation_error")
    assert_error(api.client.get("/api/tags/" + "a" * 51 + "/clips"), 422, "validation_error")


def test_a_teen_past_the_days_allowance_gets_no_clips_from_search(tmp_path: Path, sqlite_url: str) -> None:
    settings = make_settings(tmp_path / "data", sqlite_url, teen_daily_feed_items=1)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        api = Api(client)
        api.signup("alice")
        teen_birthdate = date(utcnow().year - 15, 1, 1).isoformat()
        teen = api.signup("teen", birthdate=teen_birthdate)
        clip = make_clip(client, "alice", "a cat playing the piano #cats")
        assert _clips(api, "gatto", teen) == [clip]
        view = client.post(f"/api/videos/{clip}/view", json={"watched_ms": 1000, "completed": True}, headers=teen)
        assert view.status_code == 204
        refused = client.get("/api/search", params={"q": "gatto"}, headers=teen)
        assert assert_error(refused, 429, "rate_limited")["details"]["reason"] == "teen_daily_feed_limit"
        assert_error(client.get("/api/tags/cats/clips", headers=teen), 429, "rate_limited")
        # People and tags are not clips: still found.
        assert _people(api, "ali", teen) == ["alice"]
        assert client.get("/api/discover", headers=teen).json()["clips"] == []

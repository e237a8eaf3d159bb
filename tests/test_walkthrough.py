"""The path a user walks, through the HTTP API alone (issue: must show)."""

from __future__ import annotations

from support import Api, assert_error


def test_prompt_to_feed_to_notifications(api: Api) -> None:
    alice = api.signup("alice")
    bob = api.signup("bob")
    client = api.client

    submitted = api.submit("alice", "a red car driving through a city at night in the rain")
    assert submitted["status"] == "queued"
    assert submitted["visibility"] == "draft"
    assert submitted["urls"] == {"video": None, "poster": None}

    video = api.wait("alice", submitted["id"], timeout=30)
    assert video["status"] == "ready", video
    assert video["progress"] == 100
    assert video["plan"], "the author sees what the engine understood"

    # Bob can neither see the draft nor fetch its media, and the draft's existence does not leak.
    assert_error(client.get(f"/api/videos/{video['id']}", headers=bob), 404, "not_found")
    assert client.get(video["urls"]["video"], headers=bob).status_code == 404
    assert client.get(video["urls"]["video"], headers=alice).status_code == 200
    drafts = client.get("/api/me/drafts", headers=alice).json()["items"]
    assert [d["id"] for d in drafts] == [video["id"]]

    published = client.post(f"/api/videos/{video['id']}/publish", headers=alice).json()
    assert published["visibility"] == "published"
    assert client.get("/api/me/drafts", headers=alice).json()["items"] == []

    feed = client.get("/api/feed?tab=for_you", headers=bob).json()
    assert video["id"] in [item["id"] for item in feed["items"]]
    assert client.get(video["urls"]["video"], headers=bob).status_code == 200

    liked = client.post(f"/api/videos/{video['id']}/like", headers=bob)
    assert liked.json() == {"like_count": 1, "liked_by_me": True}
    comment = client.post(f"/api/videos/{video['id']}/comments", json={"body": "Bellissimo!"}, headers=bob)
    assert comment.status_code == 201, comment.text
    comments = client.get(f"/api/videos/{video['id']}/comments").json()["items"]
    assert [(c["author"]["handle"], c["body"]) for c in comments] == [("bob", "Bellissimo!")]

    notes = client.get("/api/notifications", headers=alice).json()
    kinds = {(n["kind"], n["actor"]["handle"]) for n in notes["items"]}
    assert {("like", "bob"), ("comment", "bob"), ("video_ready", "alice")} <= kinds
    assert notes["unread_count"] == 3
    assert client.post("/api/notifications/read", headers=alice).status_code == 204
    assert client.get("/api/notifications", headers=alice).json()["unread_count"] == 0


def test_remix_links_and_notifies_original_author(api: Api) -> None:
    api.signup("alice")
    bob = api.signup("bob")
    original = api.ready_clip("alice", "a cat on the beach", publish=True)
    remix = api.wait("bob", api.submit("bob", "a cat on the beach at night", remix_of=original["id"])["id"])
    assert remix["remix_of"]["id"] == original["id"]
    assert remix["remix_of"]["author"]["handle"] == "alice"
    api.client.post(f"/api/videos/{remix['id']}/publish", headers=bob)
    kinds = [n["kind"] for n in api.client.get("/api/notifications", headers=api.auth("alice")).json()["items"]]
    assert "remix" in kinds


def test_remix_of_a_draft_is_refused(api: Api) -> None:
    api.signup("alice")
    bob = api.signup("bob")
    draft = api.ready_clip("alice")
    response = api.client.post("/api/videos", json={"prompt": "mine now", "remix_of": draft["id"]}, headers=bob)
    assert_error(response, 422, "validation_error")


def test_delete_removes_record_and_media(api: Api, settings: object) -> None:
    alice = api.signup("alice")
    video = api.ready_clip("alice")
    media_dir = settings.media_dir  # type: ignore[attr-defined]
    assert list(media_dir.rglob("*.mp4"))
    assert api.client.delete(f"/api/videos/{video['id']}", headers=alice).status_code == 204
    assert_error(api.client.get(f"/api/videos/{video['id']}", headers=alice), 404, "not_found")
    assert not list(media_dir.rglob("*.mp4"))
    assert not list(media_dir.rglob("*.jpg"))


def test_only_the_author_publishes_or_deletes(api: Api) -> None:
    api.signup("alice")
    bob = api.signup("bob")
    video = api.ready_clip("alice", publish=True)
    assert_error(api.client.post(f"/api/videos/{video['id']}/publish", headers=bob), 403, "forbidden")
    assert_error(api.client.delete(f"/api/videos/{video['id']}", headers=bob), 403, "forbidden")

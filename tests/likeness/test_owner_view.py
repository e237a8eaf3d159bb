"""The owner's side: appearances (drafts included), approval, deletion, the ledger, purge, and who
may read what."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, update

from cameo_support import notifications, services_of, verify_directly
from figment.accounts.models import User
from figment.db import session_scope, utcnow
from figment.likeness.models import DuplicateFaceFlag, FaceReference, LedgerEntry, Likeness
from support import Api, assert_error


def _setup(api: Api, **settings: Any) -> str:
    for handle in ("olga", "sam", "fred"):
        api.signup(handle)
    return verify_directly(api, "olga", permission="everyone", **settings)


def test_owner_watches_a_strangers_draft_and_nobody_else_can(api: Api) -> None:
    _setup(api)
    video = api.wait("sam", api.submit("sam", "@olga reading a book in the library")["id"])
    assert video["status"] == "ready"
    for handle, status in (("sam", 200), ("olga", 200), ("fred", 404)):
        assert api.client.get(f"/api/videos/{video['id']}", headers=api.auth(handle)).status_code == status, handle
        clip = api.client.get(video["urls"]["video"], headers=api.auth(handle))
        assert clip.status_code == status, handle
    assert api.client.get(f"/api/videos/{video['id']}").status_code == 404  # logged out
    items = api.client.get("/api/cameo/appearances", headers=api.auth("olga")).json()["items"]
    assert [(i["video"]["id"], i["author"], i["approval"], i["video"]["visibility"]) for i in items] == [
        (video["id"], "sam", "not_needed", "draft")
    ]
    assert api.client.get("/api/cameo/appearances", headers=api.auth("fred")).json()["items"] == []


def test_approval_required_holds_publication_until_the_owner_says_yes(api: Api) -> None:
    _setup(api, approval_required=True)
    video = api.wait("sam", api.submit("sam", "@olga cooking pasta in the kitchen")["id"])
    error = assert_error(
        api.client.post(f"/api/videos/{video['id']}/publish", headers=api.auth("sam")), 409, "conflict"
    )
    assert error["details"] == {"handle": "olga", "rule": "approval_pending"}
    [item] = api.client.get("/api/cameo/appearances", headers=api.auth("olga")).json()["items"]
    assert item["approval"] == "pending"
    # Only the owner decides.
    assert api.client.post(f"/api/cameo/appearances/{video['id']}/approve", headers=api.auth("sam")).status_code == 404
    assert api.client.post(f"/api/cameo/appearances/{video['id']}/approve", headers=api.auth("olga")).status_code == 204
    assert [n["subject"]["id"] for n in notifications(api, "sam", "cameo_approved")] == [video["id"]]
    published = api.client.post(f"/api/videos/{video['id']}/publish", headers=api.auth("sam"))
    assert published.status_code == 200, published.text
    assert [n["subject"]["id"] for n in notifications(api, "olga", "cameo_published")] == [video["id"]]


def test_refused_publication_cannot_be_published(api: Api) -> None:
    _setup(api, approval_required=True)
    video = api.wait("sam", api.submit("sam", "@olga riding a bike in the park")["id"])
    assert api.client.post(f"/api/cameo/appearances/{video['id']}/refuse", headers=api.auth("olga")).status_code == 204
    error = assert_error(
        api.client.post(f"/api/videos/{video['id']}/publish", headers=api.auth("sam")), 403, "forbidden"
    )
    assert error["details"]["rule"] == "approval_refused"
    assert notifications(api, "sam", "cameo_refused")


def test_owner_deletes_a_clip_with_their_likeness_and_the_author_is_told(api: Api) -> None:
    _setup(api)
    video = api.ready_clip("sam", "@olga dancing at sunset on the beach", publish=True)
    media = services_of(api).settings.media_dir / "videos" / video["id"]
    assert any(media.iterdir())
    assert api.client.delete(f"/api/cameo/appearances/{video['id']}", headers=api.auth("fred")).status_code == 404
    assert api.client.delete(f"/api/cameo/appearances/{video['id']}", headers=api.auth("olga")).status_code == 204
    assert api.client.get(f"/api/videos/{video['id']}", headers=api.auth("sam")).status_code == 404
    assert not media.exists() or not any(media.iterdir())
    assert [n["subject"]["id"] for n in notifications(api, "sam", "cameo_removed")] == [video["id"]]


def test_ledger_records_every_step_and_detects_tampering(api: Api) -> None:
    _setup(api)
    assert (
        api.client.patch(
            "/api/cameo", json={"restrictions": ["no political content"]}, headers=api.auth("olga")
        ).status_code
        == 200
    )
    video = api.ready_clip("sam", "@olga playing chess in the park", publish=True)
    refused = api.client.post(
        "/api/videos", json={"prompt": "@olga giving a speech at an election rally"}, headers=api.auth("sam")
    )
    assert_error(refused, 422, "cameo_restricted")
    api.client.delete(f"/api/videos/{video['id']}", headers=api.auth("sam"))

    body = api.client.get("/api/cameo/ledger", headers=api.auth("olga")).json()
    actions = [(e["action"], e["actor"]) for e in body["entries"]]
    assert actions == [
        ("permission_change", "olga"),
        ("request", "sam"),
        ("render", "sam"),
        ("publish", "sam"),
        ("refused", "sam"),
        ("deletion", "sam"),
    ]
    assert body["chain"]["intact"] is True and body["chain"]["length"] == 6
    assert body["entries"][4]["details"]["rule"] == "restriction"
    # Nobody else sees olga's ledger: theirs is their own, and empty.
    assert api.client.get("/api/cameo/ledger", headers=api.auth("sam")).json()["entries"] == []

    download = api.client.get("/api/cameo/ledger?download=true", headers=api.auth("olga"))
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    assert download.json()["chain"]["head"] == body["chain"]["head"]

    services = services_of(api)
    with session_scope(services.session_factory) as session:
        entry = session.scalars(select(LedgerEntry).where(LedgerEntry.seq == 3)).one()
        entry.actor_handle = "fred"  # rewrite history
    broken = api.client.get("/api/cameo/ledger", headers=api.auth("olga")).json()["chain"]
    assert broken["intact"] is False and broken["broken_at"] == 3


def test_deleting_the_cameo_purges_faces_and_clips_at_once(api: Api) -> None:
    likeness_id = _setup(api)
    services = services_of(api)
    folder = services.settings.media_dir / "likeness" / likeness_id
    assert len(list(folder.iterdir())) == 2  # a reference crop and the cutout
    queued = api.submit("sam", "@olga walking a dog in the snow")
    done = api.ready_clip("sam", "@olga walking a dog in the rain")
    other = api.ready_clip("sam", "a red car in the city")

    response = api.client.delete("/api/cameo", headers=api.auth("olga"))
    assert response.status_code == 200
    assert response.json()["clips_removed"] == 2
    api.settle()  # the crops and clips go in a purge job
    assert not folder.exists() or not any(folder.iterdir())
    with session_scope(services.session_factory) as session:
        assert session.scalar(select(func.count()).select_from(FaceReference)) == 0
        assert session.scalar(select(func.count()).select_from(Likeness)) == 0
    for video in (queued, done):
        assert api.client.get(f"/api/videos/{video['id']}", headers=api.auth("sam")).status_code == 404
    assert api.client.get(f"/api/videos/{other['id']}", headers=api.auth("sam")).status_code == 200
    cameo = api.client.get("/api/cameo", headers=api.auth("olga")).json()
    assert cameo["verified"] is False and cameo["references"] == 0
    assert_error(
        api.client.post("/api/videos", json={"prompt": "@olga again"}, headers=api.auth("sam")),
        403,
        "cameo_permission_denied",
    )
    # The record of what happened stays with the owner.
    actions = [e["action"] for e in api.client.get("/api/cameo/ledger", headers=api.auth("olga")).json()["entries"]]
    assert actions[-2:] == ["purge", "refused"]


def test_no_response_carries_face_data(api: Api) -> None:
    likeness_id = _setup(api)
    body = api.client.get("/api/cameo", headers=api.auth("olga")).text
    assert "crop" not in body and likeness_id not in body and "embedding" not in body
    assert api.client.get(f"/media/likeness/{likeness_id}/cutout.png").status_code == 404
    assert api.client.get(f"/static/../data/media/likeness/{likeness_id}/cutout.png").status_code == 404


def test_operators_see_open_duplicate_face_flags_with_both_handles(api: Api) -> None:
    for handle in ("olga", "sam", "ops"):
        api.signup(handle)
    services = services_of(api)
    with session_scope(services.session_factory) as session:
        ids = {handle: user_id for handle, user_id in session.execute(select(User.handle, User.id))}
        session.execute(update(User).where(User.handle == "ops").values(is_admin=True))
        session.add(DuplicateFaceFlag(user_id=ids["sam"], matched_user_id=ids["olga"], distance=0.31))
        session.add(
            DuplicateFaceFlag(user_id=ids["olga"], matched_user_id=ids["sam"], distance=0.2, resolved_at=utcnow())
        )
    assert_error(api.client.get("/api/admin/cameo/flags", headers=api.auth("sam")), 403, "forbidden")
    flags = api.client.get("/api/admin/cameo/flags", headers=api.auth("ops")).json()
    assert [(f["handle"], f["matched_handle"], f["distance"]) for f in flags] == [("sam", "olga", 0.31)]


def test_the_author_unpublishes_a_clip_and_the_owners_ledger_says_so(api: Api) -> None:
    _setup(api)
    video = api.ready_clip("sam", "@olga playing chess in the park", publish=True)
    sam, olga = api.auth("sam"), api.auth("olga")
    assert_error(api.client.post(f"/api/videos/{video['id']}/unpublish", headers=olga), 403, "forbidden")
    back = api.client.post(f"/api/videos/{video['id']}/unpublish", headers=sam)
    assert back.status_code == 200 and back.json()["visibility"] == "draft" and back.json()["published_at"] is None
    # Gone from the public places, still the author's (and olga's, who is in it) to see; publishing works again.
    assert api.client.get(f"/api/videos/{video['id']}").status_code == 404
    assert video["id"] not in [v["id"] for v in api.client.get("/api/users/sam/videos").json()["items"]]
    assert api.client.get(f"/api/videos/{video['id']}", headers=olga).status_code == 200
    assert api.client.post(f"/api/videos/{video['id']}/unpublish", headers=sam).status_code == 200  # idempotent
    actions = [e["action"] for e in api.client.get("/api/cameo/ledger", headers=olga).json()["entries"]]
    assert actions[-2:] == ["publish", "unpublish"]
    assert api.client.post(f"/api/videos/{video['id']}/publish", headers=sam).status_code == 200

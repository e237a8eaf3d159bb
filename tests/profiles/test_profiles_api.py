"""Profiles over HTTP (both databases): fields and their checks, pins, counts, cameo status, the generated
avatar with the clip path's checks, and what other people can and cannot see."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import select

from cameo_support import services_of, verify_directly
from figment.db import session_scope, utcnow
from figment.jobs.models import Job, JobKind
from figment.provenance.models import ProvenanceRecord
from figment.testing.backends import ExplodingBackend
from figment.videos.models import Video, Visibility
from support import Api, assert_error


def _patch(api: Api, handle: str, **body: Any) -> Any:
    return api.client.patch("/api/me", json=body, headers=api.auth(handle))


def _profile(api: Api, handle: str, viewer: str | None = None) -> Any:
    headers = api.auth(viewer) if viewer else {}
    return api.client.get(f"/api/users/{handle}", headers=headers)


def _avatar_settled(api: Api, handle: str, *, timeout: float = 60.0) -> dict[str, Any]:
    """Polls GET /api/me/avatar as the client does, until no request is being made."""
    deadline = time.monotonic() + timeout
    while True:
        body = api.client.get("/api/me/avatar", headers=api.auth(handle)).json()
        pending = body["pending"]
        if pending is None or pending["status"] in ("failed", "blocked") or time.monotonic() > deadline:
            return dict(body)
        time.sleep(0.05)


def _make_avatar(api: Api, handle: str, prompt: str = "a smiling orange fox in a snowy forest") -> str:
    response = api.client.post("/api/me/avatar", json={"prompt": prompt}, headers=api.auth(handle))
    assert response.status_code == 202, response.text
    assert response.json()["pending"]["status"] == "queued"
    body = _avatar_settled(api, handle)
    assert body["pending"] is None and body["avatar_url"], body
    return str(body["avatar_url"])


def test_display_name_and_bio_are_set_kept_and_cleared(api: Api) -> None:
    api.signup("luna")
    api.signup("marco")
    response = _patch(api, "luna", display_name="  Luna  Rossi ", bio="Cats and comets 🌙\nfriend of @marco #Snow")
    assert response.status_code == 200, response.text
    assert response.json()["display_name"] == "Luna Rossi"
    seen = _profile(api, "luna", viewer="marco").json()
    assert seen["display_name"] == "Luna Rossi"
    assert seen["bio"] == "Cats and comets 🌙\nfriend of @marco #Snow"
    assert seen["is_me"] is False and seen["avatar_url"] is None
    assert _profile(api, "luna").json()["bio"].startswith("Cats")  # logged out too
    # A field left out stays; null or "" clears one.
    assert _patch(api, "luna", bio=None).json()["display_name"] == "Luna Rossi"
    assert _profile(api, "luna").json()["bio"] is None
    assert _patch(api, "luna", display_name="").json()["display_name"] is None
    me = api.client.get("/api/me", headers=api.auth("luna")).json()
    assert me["display_name"] is None and me["avatar_url"] is None


def test_bad_names_and_bios_are_refused_naming_the_field_and_lose_nothing(api: Api) -> None:
    api.signup("luna")
    assert _patch(api, "luna", display_name="Luna", bio="Hello").status_code == 200
    cases = [
        ({"display_name": "L" * 51}, "display_name", "at most 50"),
        ({"display_name": "Luna\u202eanuL"}, "display_name", "U+202E"),
        ({"display_name": "Luna\u200b"}, "display_name", "invisible"),
        ({"display_name": "Lun\u0430 Rossi"}, "display_name", "Cyrillic and Latin"),
        ({"display_name": "@marco"}, "display_name", "'@'"),
        ({"display_name": "Luna\nRossi"}, "display_name", "control"),
        ({"bio": "b" * 301}, "bio", "at most 300"),
        ({"bio": "a\x07b"}, "bio", "U+0007"),
        ({"bio": "\n".join("line" for _ in range(7))}, "bio", "at most 6 lines"),
        # One bad field and one good: neither changes.
        ({"display_name": "Ok Name", "bio": "x" * 400}, "bio", "at most 300"),
    ]
    for body, field, words in cases:
        error = assert_error(_patch(api, "luna", **body), 422, "validation_error")
        assert error["details"]["field"] == field, (body, error)
        assert words in error["message"], (body, error["message"])
    profile = _profile(api, "luna").json()
    assert (profile["display_name"], profile["bio"]) == ("Luna", "Hello")
    # Separate words in different scripts, emoji with joiners and Italian accents are names like any other.
    for name in ("東京 Tokyo", "Giulia 👩\u200d💻", "Niccolò Dell'Acqua", "Ζωή"):
        assert _patch(api, "luna", display_name=name).json()["display_name"] == name
    assert_error(api.client.patch("/api/me", json={"nickname": "x"}, headers=api.auth("luna")), 422, "validation_error")
    assert_error(api.client.patch("/api/me", json={"bio": "x"}), 401, "unauthenticated")


def test_pins_are_own_published_clips_in_order(api: Api) -> None:
    api.signup("luna")
    api.signup("marco")
    clips = [
        api.ready_clip("luna", f"a {colour} kite over the sea", publish=True)["id"]
        for colour in "red green blue".split()
    ]
    extra = api.ready_clip("luna", "a yellow kite over the sea", publish=True)["id"]
    draft = api.ready_clip("luna", "a paper boat on a pond")["id"]
    theirs = api.ready_clip("marco", "a tram at dusk", publish=True)["id"]

    order = [clips[2], clips[0], clips[1]]
    body = _patch(api, "luna", pinned=order).json()
    assert [v["id"] for v in body["pinned"]] == order
    assert [v["id"] for v in _profile(api, "luna", viewer="marco").json()["pinned"]] == order
    refusals = [
        ([*order, extra], "At most 3"),
        ([draft], "not one of your published clips"),
        ([theirs], "not one of your published clips"),
        (["nope"], "not one of your published clips"),
        ([extra, extra], "pinned twice"),
    ]
    for ids, words in refusals:
        error = assert_error(_patch(api, "luna", pinned=ids), 422, "validation_error")
        assert error["details"]["field"] == "pinned" and words in error["message"], error
    assert [v["id"] for v in _profile(api, "luna").json()["pinned"]] == order  # unchanged by refusals
    # A deleted clip leaves the pins; [] unpins all.
    assert api.client.delete(f"/api/videos/{clips[0]}", headers=api.auth("luna")).status_code == 204
    assert [v["id"] for v in _profile(api, "luna").json()["pinned"]] == [clips[2], clips[1]]
    assert _patch(api, "luna", pinned=[]).json()["pinned"] == []


def test_counts_and_cameo_status(api: Api) -> None:
    for handle in ("luna", "marco", "giulia"):
        api.signup(handle)
    clip = api.ready_clip("luna", "a red kite over the sea", publish=True)["id"]
    for fan in ("marco", "giulia"):
        assert api.client.post(f"/api/videos/{clip}/like", headers=api.auth(fan)).status_code == 200
    assert api.client.post("/api/users/luna/follow", headers=api.auth("marco")).status_code == 204
    assert api.client.post("/api/users/marco/follow", headers=api.auth("luna")).status_code == 204
    profile = _profile(api, "luna", viewer="giulia").json()
    assert (profile["follower_count"], profile["following_count"], profile["likes_received"]) == (1, 1, 2)
    assert profile["video_count"] == 1
    assert profile["cameo"] == {"person": None, "characters": []}  # not verified: nobody can tag her

    verify_directly(api, "luna", permission="mutuals")
    person = _profile(api, "luna", viewer="marco").json()["cameo"]["person"]
    assert person == {
        "handle": "luna",
        "kind": "person",
        "permission": "mutuals",
        "approval_required": False,
        "usable_by_me": True,
    }
    assert _profile(api, "luna", viewer="giulia").json()["cameo"]["person"]["usable_by_me"] is False
    assert _profile(api, "luna").json()["cameo"]["person"]["usable_by_me"] is None
    character = {"handle": "biscuit", "description": "a small brown puppy", "permission": "everyone"}
    assert api.client.post("/api/characters", json=character, headers=api.auth("luna")).status_code == 201
    characters = _profile(api, "luna", viewer="giulia").json()["cameo"]["characters"]
    assert [(c["handle"], c["permission"], c["usable_by_me"]) for c in characters] == [("biscuit", "everyone", True)]


def test_a_teens_everyone_shows_as_mutuals(api: Api) -> None:
    api.signup("teo", birthdate=f"{utcnow().year - 15}-01-01")
    verify_directly(api, "teo", permission="everyone")
    assert _profile(api, "teo").json()["cameo"]["person"]["permission"] == "mutuals"
    assert "birthdate" not in _profile(api, "teo").json()


def test_blocked_and_banned_profiles_do_not_exist_for_others(api: Api) -> None:
    for handle in ("luna", "marco", "giulia"):
        api.signup(handle)
    _make_avatar(api, "luna")
    assert api.client.post("/api/users/marco/block", headers=api.auth("luna")).status_code == 204
    for path in ("/api/users/luna", "/api/users/luna/videos", "/api/users/luna/avatar.jpg"):
        assert_error(api.client.get(path, headers=api.auth("marco")), 404, "not_found")
        assert api.client.get(path, headers=api.auth("giulia")).status_code == 200
    with session_scope(services_of(api).session_factory) as session:
        from figment.accounts.models import User

        session.scalars(select(User).where(User.handle == "luna")).one().banned_at = utcnow()
    assert_error(_profile(api, "luna", viewer="giulia"), 404, "not_found")
    assert_error(api.client.get("/api/users/luna/avatar.jpg"), 404, "not_found")


def test_an_avatar_is_generated_shown_to_everyone_and_kept_out_of_clip_lists(api: Api) -> None:
    api.signup("luna")
    api.signup("marco")
    url = _make_avatar(api, "luna")
    assert _profile(api, "luna", viewer="marco").json()["avatar_url"] == url
    assert api.client.get("/api/me", headers=api.auth("luna")).json()["avatar_url"] == url
    image = api.client.get(url)
    assert image.status_code == 200 and image.headers["content-type"] == "image/jpeg"
    assert image.content[:2] == b"\xff\xd8" and "public" in image.headers["cache-control"]
    # Not a clip: in no list, not publishable, not a draft.
    assert api.client.get("/api/me/drafts", headers=api.auth("luna")).json()["items"] == []
    assert api.client.get("/api/users/luna/videos").json()["items"] == []
    assert _profile(api, "luna").json()["video_count"] == 0
    with session_scope(services_of(api).session_factory) as session:
        still = session.scalars(select(Video).where(Video.visibility == Visibility.avatar)).one()
        still_id, poster_key = still.id, still.poster_key
    assert_error(api.client.post(f"/api/videos/{still_id}/publish", headers=api.auth("luna")), 409, "conflict")
    assert_error(api.client.get(f"/api/videos/{still_id}", headers=api.auth("marco")), 404, "not_found")
    assert_error(_patch(api, "luna", pinned=[still_id]), 422, "validation_error")

    # A new avatar replaces the old one, whose rows go and whose files are purged.
    second = _make_avatar(api, "luna", "a blue robot waving under the stars")
    assert second != url
    api.settle()
    with session_scope(services_of(api).session_factory) as session:
        assert session.get(Video, still_id) is None
    assert poster_key and not services_of(api).storage.exists(poster_key)
    assert api.client.get(url.split("?")[0]).status_code == 200  # the handle's URL shows the new one

    assert api.client.delete("/api/me/avatar", headers=api.auth("luna")).status_code == 204
    assert _profile(api, "luna").json()["avatar_url"] is None
    assert_error(api.client.get("/api/users/luna/avatar.jpg"), 404, "not_found")


def test_avatar_prompts_pass_the_clip_checks_and_a_refusal_keeps_the_old_avatar(api: Api) -> None:
    for handle in ("luna", "marco", "lena"):
        api.signup(handle)
    url = _make_avatar(api, "luna")

    def refused(prompt: str, status: int, code: str) -> dict[str, Any]:
        response = api.client.post("/api/me/avatar", json={"prompt": prompt}, headers=api.auth("luna"))
        error = assert_error(response, status, code)
        assert _profile(api, "luna").json()["avatar_url"] == url
        return error

    # Someone else's face without consent: not verified, then verified but only for themselves.
    assert refused("@marco smiling", 403, "cameo_permission_denied")["details"]["rule"] == "not_verified"
    verify_directly(api, "lena", permission="only_me")
    assert refused("@lena smiling in a garden", 403, "cameo_permission_denied")["details"]["rule"] == "only_me"
    # Allowed, but she approves each clip first: an avatar cannot wait for that.
    verify_directly(api, "lena", permission="everyone", approval_required=True)
    error = refused("@lena smiling in a garden", 422, "validation_error")
    assert error["details"]["rule"] == "approval_required" and error["details"]["handle"] == "lena"
    # Moderation and validation, as for clips.
    assert refused("a naked child", 422, "moderation_blocked")
    assert refused("   ", 422, "validation_error")["details"]["field"] == "prompt"
    assert_error(api.client.post("/api/me/avatar", json={"prompt": "a fox"}), 401, "unauthenticated")
    with session_scope(services_of(api).session_factory) as session:
        assert len(session.scalars(select(Video).where(Video.visibility == Visibility.avatar)).all()) == 1

    # With consent and no approval step, someone else's likeness is fine; so is one's own.
    verify_directly(api, "lena", permission="everyone", approval_required=False)
    assert _make_avatar(api, "luna", "@lena and a fox in a garden") != url


def test_a_failed_render_keeps_the_old_avatar(api: Api) -> None:
    api.signup("luna")
    url = _make_avatar(api, "luna")
    services = services_of(api)
    working = services.render.backend
    services.render.backend = ExplodingBackend()
    try:
        response = api.client.post("/api/me/avatar", json={"prompt": "a green owl"}, headers=api.auth("luna"))
        assert response.status_code == 202
        body = _avatar_settled(api, "luna")
    finally:
        services.render.backend = working
    assert body["pending"]["status"] == "failed" and "out of memory" in body["pending"]["error"]
    assert body["avatar_url"] == url
    assert api.client.get(url).status_code == 200


def test_account_deletion_takes_profile_text_avatar_and_pins(api: Api) -> None:
    api.signup("luna")
    clip = api.ready_clip("luna", "a red kite over the sea", publish=True)["id"]
    _patch(api, "luna", display_name="Luna", bio="hello", pinned=[clip])
    _make_avatar(api, "luna")
    with session_scope(services_of(api).session_factory) as session:
        keys = [v.poster_key for v in session.scalars(select(Video)).all()]
        still_id = session.scalars(select(Video.id).where(Video.visibility == Visibility.avatar)).one()
    assert api.client.delete("/api/me", headers=api.auth("luna")).status_code == 204
    with session_scope(services_of(api).session_factory) as session:
        from figment.accounts.models import User
        from figment.profiles.models import ProfilePin

        assert session.scalars(select(User)).all() == []
        assert session.scalars(select(Video)).all() == []
        assert session.scalars(select(ProfilePin)).all() == []
        # Provenance outlives the picture, as it does a clip: "made here, since removed" (no author, no prompt).
        record = session.scalars(select(ProvenanceRecord).where(ProvenanceRecord.video_id == still_id)).one()
        assert record.removed_at is not None
        purge = session.scalars(select(Job).where(Job.kind == JobKind.purge_blobs)).one()
        assert set(keys) <= set(purge.payload["keys"])
    api.settle()
    assert not any(services_of(api).storage.exists(k) for k in keys if k)


def test_a_profile_link_preview_names_and_pictures_the_person(api: Api) -> None:
    api.signup("luna")
    _patch(api, "luna", display_name="Luna Rossi", bio="Cats & comets\n#night")
    url = _make_avatar(api, "luna")
    page = api.client.get("/@luna").text
    assert '<meta property="og:title" content="Luna Rossi (@luna) · Figment">' in page
    assert "Cats &amp; comets #night" in page  # escaped, on one line
    assert f'content="http://testserver{url.replace("&", "&amp;")}"' in page

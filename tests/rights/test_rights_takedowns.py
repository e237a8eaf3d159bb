"""Takedowns: filed by a holder, the clip hidden at once, counter-notice, an operator resolves, all audited."""

from __future__ import annotations

from typing import Any

from rights_helpers import Rights

from support import Api, assert_error


def _kinds(api: Api, handle: str) -> set[str]:
    return {n["kind"] for n in api.client.get("/api/notifications", headers=api.auth(handle)).json()["items"]}


def _file(api: Api, rights: Rights) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    studio = rights.holder("studio", "Owl Post Publishing")
    work = rights.work(studio, "Hogwarts Express", policy="allowed")
    api.signup("alice")
    video = api.ready_clip("alice", "a red train crossing a bridge", publish=True)
    response = api.client.post(
        "/api/rights/takedowns",
        json={"video_id": video["id"], "work_id": work["id"], "statement": "This is our train."},
        headers=studio,
    )
    assert response.status_code == 201, response.text
    return response.json(), video, studio


def test_full_cycle_counter_notice_and_restore(api: Api, rights: Rights) -> None:
    takedown, video, studio = _file(api, rights)
    bob = api.signup("bob")
    alice = api.auth("alice")
    assert takedown["status"] == "open" and takedown["author"] == "alice"

    # Hidden at once: gone from the feed and for everybody but its author.
    assert video["id"] not in [v["id"] for v in api.client.get("/api/feed", headers=bob).json()["items"]]
    assert_error(api.client.get(f"/api/videos/{video['id']}", headers=bob), 404, "not_found")
    assert api.client.get(f"/api/videos/{video['id']}", headers=alice).json()["visibility"] == "removed"
    assert "takedown_filed" in _kinds(api, "alice")

    # The author sees it and files a counter-notice; the holder hears of it.
    mine = api.client.get("/api/rights/takedowns?scope=author", headers=alice).json()["items"]
    assert [t["id"] for t in mine] == [takedown["id"]]
    countered = api.client.post(
        f"/api/rights/takedowns/{takedown['id']}/counter",
        json={"statement": "I drew this train myself."},
        headers=alice,
    )
    assert countered.status_code == 200 and countered.json()["status"] == "countered"
    assert "counter_notice" in _kinds(api, "studio")
    assert_error(
        api.client.post(f"/api/rights/takedowns/{takedown['id']}/counter", json={"statement": "again"}, headers=alice),
        409,
        "conflict",
    )

    # Only operators resolve.
    decision = {"decision": "restore", "note": "Original work."}
    for who in (studio, alice, bob):
        assert_error(api.client.post(f"/api/rights/takedowns/{takedown['id']}/resolve", json=decision, headers=who),
                     403, "forbidden")  # fmt: skip
    resolved = api.client.post(
        f"/api/rights/takedowns/{takedown['id']}/resolve", json=decision, headers=api.auth("operator")
    )
    assert resolved.status_code == 200 and resolved.json()["status"] == "restored"
    assert api.client.get(f"/api/videos/{video['id']}", headers=bob).json()["visibility"] == "published"
    assert "takedown_resolved" in _kinds(api, "alice") and "takedown_resolved" in _kinds(api, "studio")

    trail = api.client.get(f"/api/rights/takedowns/{takedown['id']}", headers=studio).json()["audit"]
    assert [(a["action"], a["actor"]) for a in trail] == [
        ("takedown_filed", "studio"),
        ("clip_hidden", "studio"),
        ("counter_notice", "alice"),
        ("resolved_restore", "operator"),
    ]
    assert_error(
        api.client.post(f"/api/rights/takedowns/{takedown['id']}/resolve", json=decision, headers=api.auth("operator")),
        409,
        "conflict",
    )


def test_remove_keeps_the_clip_hidden_and_strangers_see_nothing(api: Api, rights: Rights) -> None:
    takedown, video, studio = _file(api, rights)
    bob = api.signup("bob")
    assert_error(api.client.get(f"/api/rights/takedowns/{takedown['id']}", headers=bob), 404, "not_found")
    assert api.client.get("/api/rights/takedowns?scope=holder", headers=bob).json()["items"] == []
    assert_error(api.client.get("/api/rights/takedowns?scope=all", headers=bob), 403, "forbidden")
    assert_error(
        api.client.post(f"/api/rights/takedowns/{takedown['id']}/counter", json={"statement": "x"}, headers=studio),
        403,
        "forbidden",
    )
    operator = api.auth("operator")
    assert [t["id"] for t in api.client.get("/api/rights/takedowns?scope=all", headers=operator).json()["items"]] == [
        takedown["id"]
    ]
    resolved = api.client.post(
        f"/api/rights/takedowns/{takedown['id']}/resolve", json={"decision": "remove"}, headers=operator
    )
    assert resolved.json()["status"] == "removed"
    assert_error(api.client.get(f"/api/videos/{video['id']}", headers=bob), 404, "not_found")
    assert_error(api.client.post(f"/api/videos/{video['id']}/publish", headers=api.auth("alice")), 409, "conflict")
    stats = api.client.get(f"/api/rights/works/{takedown['work']['id']}/stats", headers=studio).json()
    assert [t["status"] for t in stats["takedowns"]] == ["removed"]


def test_only_approved_holders_register_works_or_file_takedowns(api: Api, rights: Rights) -> None:
    operator = rights.operator()
    pending = rights.holder("pending", "Not Yet Ltd", approve=False)
    work = {"title": "X", "kind": "brand", "policy": "opt_out"}
    assert_error(api.client.post("/api/rights/works", json=work, headers=pending), 403, "forbidden")
    assert_error(
        api.client.post("/api/rights/takedowns", json={"video_id": "a", "work_id": "b", "statement": "s"},
                        headers=pending),
        403,
        "forbidden",
    )  # fmt: skip
    assert api.client.get("/api/rights/holders/me", headers=pending).json()["status"] == "pending"
    # Applying twice is a conflict; approving is for operators.
    assert_error(
        api.client.post("/api/rights/holders", json={"organisation": "Y", "contact": "y@y"}, headers=pending),
        409,
        "conflict",
    )
    assert_error(api.client.get("/api/admin/rights/holders", headers=pending), 403, "forbidden")
    holders = api.client.get("/api/admin/rights/holders?status=pending", headers=operator).json()
    assert [h["organisation"] for h in holders] == ["Not Yet Ltd"]
    assert_error(api.client.post(f"/api/admin/rights/holders/{holders[0]['id']}/approve", headers=pending),
                 403, "forbidden")  # fmt: skip
    # A takedown needs a published clip of someone else.
    studio = rights.holder("studio", "Studio")
    mine = rights.work(studio, "Thing", policy="allowed")
    draft = api.ready_clip("studio", "a blue kite")
    assert_error(
        api.client.post(
            "/api/rights/takedowns", json={"video_id": draft["id"], "work_id": mine["id"], "statement": "s"},
            headers=studio,
        ),
        404,
        "not_found",
    )  # fmt: skip

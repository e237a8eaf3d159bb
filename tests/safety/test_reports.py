"""Reports and the moderation queue, on both databases."""

from __future__ import annotations

from sqlalchemy import update

from figment.accounts.models import User
from figment.db import session_scope
from support import Api, assert_error


def _make_operator(api: Api, handle: str) -> dict[str, str]:
    headers = api.signup(handle)
    services = api.client.app.state.services  # type: ignore[attr-defined]
    with session_scope(services.session_factory) as session:
        session.execute(update(User).where(User.handle == handle).values(is_admin=True))
    return headers


def test_report_remove_restore_and_ban_are_audited(api: Api) -> None:
    alice, bob = api.signup("alice"), api.signup("bob")
    ops = _make_operator(api, "oper")
    video = api.ready_clip("alice", publish=True)
    comment = api.client.post(f"/api/videos/{video['id']}/comments", json={"body": "nasty"}, headers=alice).json()

    body = {"subject_type": "video", "subject_id": video["id"], "reason": "violence", "note": "gore at 3 s"}
    assert api.client.post("/api/reports", json=body, headers=bob).status_code == 201
    comment_report = {"subject_type": "comment", "subject_id": comment["id"], "reason": "harassment"}
    assert api.client.post("/api/reports", json=comment_report, headers=bob).status_code == 201
    bad = {**body, "reason": "boring"}
    assert (
        assert_error(api.client.post("/api/reports", json=bad, headers=bob), 422, "validation_error")["details"][
            "field"
        ]
        == "reason"
    )

    assert_error(api.client.get("/api/admin/reports", headers=bob), 403, "forbidden")
    queue = api.client.get("/api/admin/reports", headers=ops).json()["items"]
    assert {r["subject_id"] for r in queue} == {video["id"], comment["id"]}

    def decide(action: str, subject_type: str, subject_id: str) -> None:
        decision = {"action": action, "subject_type": subject_type, "subject_id": subject_id, "note": "queue"}
        assert api.client.post("/api/admin/decisions", json=decision, headers=ops).status_code == 201

    decide("remove", "video", video["id"])
    assert api.client.get(f"/api/videos/{video['id']}", headers=bob).status_code == 404
    decide("remove", "comment", comment["id"])
    assert api.client.get(f"/api/videos/{video['id']}/comments", headers=alice).json()["items"] == []
    assert api.client.get("/api/admin/reports", headers=ops).json()["items"] == []
    decide("restore", "video", video["id"])
    assert api.client.get(f"/api/videos/{video['id']}", headers=bob).status_code == 200

    decide("ban", "video", video["id"])
    assert_error(api.client.get("/api/me", headers=alice), 401, "unauthenticated")  # tokens revoked
    login = {"login": "alice", "password": "correct horse battery"}
    assert_error(api.client.post("/api/auth/login", json=login), 403, "forbidden")
    assert api.client.get(f"/api/videos/{video['id']}", headers=bob).status_code == 404

    audit = api.client.get("/api/admin/decisions", headers=ops).json()["items"]
    assert [d["action"] for d in audit][::-1] == ["remove", "remove", "restore", "ban"]
    assert all(d["operator_id"] and d["note"] == "queue" for d in audit)


def test_the_operator_queue_page_is_served(api: Api) -> None:
    assert api.client.get("/admin/moderation").status_code == 200
    script = api.client.get("/static/moderation.js")
    assert script.status_code == 200 and "/api/admin/decisions" in script.text

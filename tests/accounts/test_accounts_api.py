from __future__ import annotations

import pytest

from support import Api, assert_error


def test_signup_login_me_logout(api: Api) -> None:
    client = api.client
    response = client.post(
        "/api/auth/signup",
        json={
            "handle": "Alice_1",
            "email": "Alice@Example.com",
            "password": "correct horse battery",
            "birthdate": "2000-02-29",
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["user"]["handle"] == "alice_1"
    assert body["user"]["email"] == "alice@example.com"
    cookie = response.headers.get_list("set-cookie")
    session_cookie = next(c for c in cookie if c.startswith("figment_session="))
    assert "HttpOnly" in session_cookie and "samesite=lax" in session_cookie.lower()

    for login in ("alice_1", "ALICE_1", "@alice_1", "alice@example.com"):
        response = client.post("/api/auth/login", json={"login": login, "password": "correct horse battery"})
        assert response.status_code == 200, (login, response.text)
    token = response.json()["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/me", headers=headers).json()["handle"] == "alice_1"
    assert client.post("/api/auth/logout", headers=headers).status_code == 204
    assert_error(client.get("/api/me", headers=headers), 401, "unauthenticated")


def test_wrong_password_and_unknown_user_look_the_same(api: Api) -> None:
    api.signup("alice")
    a = assert_error(
        api.client.post("/api/auth/login", json={"login": "alice", "password": "wrong password"}),
        401,
        "unauthenticated",
    )
    b = assert_error(
        api.client.post("/api/auth/login", json={"login": "nobody", "password": "wrong password"}),
        401,
        "unauthenticated",
    )
    assert a["message"] == b["message"]


@pytest.mark.parametrize(
    ("handle", "fragment"),
    [
        ("ab", "3 to 30"),
        ("a" * 31, "3 to 30"),
        ("bad handle", "only contain"),
        ("émile", "only contain"),
        ("аlice", "imitate"),  # Cyrillic а
    ],
)
def test_handle_rules(api: Api, handle: str, fragment: str) -> None:
    error = assert_error(
        api.client.post(
            "/api/auth/signup",
            json={"handle": handle, "email": "x@example.com", "password": "longenough", "birthdate": "1990-01-01"},
        ),
        422,
        "validation_error",
    )
    assert fragment in error["message"]
    assert error["details"]["field"] == "handle"


@pytest.mark.parametrize("lookalike", ["ALICE", "al1ce", "alice_", "ａｌｉｃｅ"])
def test_confusable_handles_are_refused(api: Api, lookalike: str) -> None:
    api.signup("alice")
    response = api.client.post(
        "/api/auth/signup",
        json={"handle": lookalike, "email": "other@example.com", "password": "longenough", "birthdate": "1990-01-01"},
    )
    error = assert_error(response, 409, "conflict")
    assert "alice" in error["message"]


def test_duplicate_email_and_weak_password(api: Api) -> None:
    api.signup("alice")
    assert_error(
        api.client.post(
            "/api/auth/signup",
            json={
                "handle": "alice2x",
                "email": "ALICE@example.com",
                "password": "longenough",
                "birthdate": "1990-01-01",
            },
        ),
        409,
        "conflict",
    )
    error = assert_error(
        api.client.post(
            "/api/auth/signup",
            json={"handle": "carol", "email": "carol@example.com", "password": "short", "birthdate": "1990-01-01"},
        ),
        422,
        "validation_error",
    )
    assert error["details"]["field"] == "password"
    assert_error(
        api.client.post(
            "/api/auth/signup",
            json={"handle": "carol", "email": "not-an-email", "password": "longenough", "birthdate": "1990-01-01"},
        ),
        422,
        "validation_error",
    )


def test_cookie_writes_need_the_csrf_token(api: Api) -> None:
    client = api.client
    client.post(
        "/api/auth/signup",
        json={"handle": "alice", "email": "a@example.com", "password": "longenough", "birthdate": "1990-01-01"},
    )
    # The cookie alone authenticates reads...
    assert client.get("/api/me").status_code == 200
    # ...but a write without the double-submit header is refused, as a cross-site form would be.
    assert_error(client.post("/api/videos", json={"prompt": "a cat"}), 403, "forbidden")
    csrf = client.cookies.get("figment_csrf")
    assert csrf
    response = client.post("/api/videos", json={"prompt": "a cat", "duration_s": 1}, headers={"X-CSRF-Token": csrf})
    assert response.status_code == 202, response.text


def test_follow_block_and_profile(api: Api) -> None:
    alice = api.signup("alice")
    bob = api.signup("bob")
    client = api.client
    assert client.post("/api/users/bob/follow", headers=alice).status_code == 204
    assert client.post("/api/users/bob/follow", headers=alice).status_code == 204  # idempotent
    profile = client.get("/api/users/bob", headers=alice).json()
    assert profile["follower_count"] == 1 and profile["followed_by_me"] is True and profile["is_me"] is False
    follows = [n for n in client.get("/api/notifications", headers=bob).json()["items"] if n["kind"] == "follow"]
    assert len(follows) == 1 and follows[0]["actor"]["handle"] == "alice"
    assert_error(client.post("/api/users/alice/follow", headers=alice), 422, "validation_error")

    assert client.post("/api/users/alice/block", headers=bob).status_code == 204
    assert client.get("/api/users/bob", headers=bob).json()["follower_count"] == 0
    assert_error(client.get("/api/users/bob", headers=alice), 404, "not_found")
    assert_error(client.post("/api/users/bob/follow", headers=alice), 404, "not_found")
    assert client.delete("/api/users/alice/block", headers=bob).status_code == 204
    assert client.get("/api/users/bob", headers=alice).status_code == 200


def test_delete_account_removes_everything(api: Api, settings: object) -> None:
    alice = api.signup("alice")
    api.signup("bob")
    api.ready_clip("alice", publish=True)
    media_dir = settings.media_dir  # type: ignore[attr-defined]
    assert list(media_dir.rglob("*.mp4"))
    assert api.client.delete("/api/me", headers=alice).status_code == 204
    api.settle()  # the media go in a purge job
    assert not list(media_dir.rglob("*.mp4"))
    assert_error(api.client.get("/api/users/alice"), 404, "not_found")
    assert api.client.get("/api/feed", headers=api.auth("bob")).json()["items"] == []
    # The handle is free again.
    api.signup("alice")

"""Bad input anywhere gets a 4xx in the documented shape, and nothing is half-created."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select

from figment.jobs.models import Job
from figment.videos.models import Video
from support import Api, assert_error


def _counts(database_url: str) -> tuple[int, int]:
    engine = create_engine(database_url)
    with engine.connect() as conn:
        videos = conn.scalar(select(func.count()).select_from(Video))
        jobs = conn.scalar(select(func.count()).select_from(Job))
    engine.dispose()
    return int(videos or 0), int(jobs or 0)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"prompt": ""}, "prompt"),
        ({"prompt": "   \n\t "}, "prompt"),
        ({"prompt": "x" * 1001}, "prompt"),
        ({"prompt": "a cat", "duration_s": 0}, "duration_s"),
        ({"prompt": "a cat", "duration_s": 11}, "duration_s"),
        ({"prompt": "a cat", "duration_s": -3}, "duration_s"),
        ({"prompt": "a cat", "duration_s": "ten"}, "duration_s"),
        ({"prompt": 42}, "prompt"),
        ({"prompt": ["a", "cat"]}, "prompt"),
        ({}, "prompt"),
        ({"prompt": "a cat", "colour": "red"}, "colour"),
        ({"prompt": "a cat", "remix_of": "does-not-exist"}, "remix_of"),
    ],
)
def test_bad_submissions_are_refused_and_nothing_is_created(
    api: Api, database_url: str, body: dict[str, object], field: str
) -> None:
    alice = api.signup("alice")
    error = assert_error(api.client.post("/api/videos", json=body, headers=alice), 422, "validation_error")
    assert error["details"]["field"] == field, error
    assert _counts(database_url) == (0, 0)


def test_duration_eleven_names_the_limit(api: Api) -> None:
    alice = api.signup("alice")
    error = assert_error(
        api.client.post("/api/videos", json={"prompt": "a cat", "duration_s": 11}, headers=alice),
        422,
        "validation_error",
    )
    assert "10" in error["message"] and "11" in error["message"]


def test_not_json_and_huge_bodies(api: Api, database_url: str) -> None:
    alice = api.signup("alice")
    client = api.client
    response = client.post("/api/videos", content=b"{not json", headers={**alice, "content-type": "application/json"})
    assert_error(response, 422, "validation_error")
    huge = b'{"prompt": "' + b"a" * (10 * 1024 * 1024) + b'"}'
    response = client.post("/api/videos", content=huge, headers={**alice, "content-type": "application/json"})
    assert_error(response, 413, "payload_too_large")
    assert _counts(database_url) == (0, 0)


def test_unknown_ids_and_paths(api: Api) -> None:
    alice = api.signup("alice")
    client = api.client
    for path in ("/api/videos/nope", "/api/videos/" + "z" * 300, "/api/users/nobody_here", "/api/nothing"):
        assert_error(client.get(path, headers=alice), 404, "not_found")
    for method, path in (
        ("post", "/api/videos/nope/publish"),
        ("post", "/api/videos/nope/like"),
        ("delete", "/api/videos/nope"),
        ("post", "/api/users/nobody_here/follow"),
    ):
        assert_error(getattr(client, method)(path, headers=alice), 404, "not_found")
    assert_error(client.put("/api/videos", headers=alice), 405, "method_not_allowed")


def test_bad_feed_parameters(api: Api) -> None:
    alice = api.signup("alice")
    client = api.client
    for query in ("cursor=garbage", "cursor=abc.def", "tab=sideways", "limit=0", "limit=1000", "limit=ten"):
        assert_error(client.get(f"/api/feed?{query}", headers=alice), 422, "validation_error")
    assert_error(client.get("/api/feed?tab=following"), 401, "unauthenticated")


def test_auth_required_and_bad_tokens(api: Api) -> None:
    client = api.client
    assert_error(client.post("/api/videos", json={"prompt": "a cat"}), 401, "unauthenticated")
    assert_error(client.get("/api/me", headers={"Authorization": "Bearer nope"}), 401, "unauthenticated")
    assert_error(client.get("/api/notifications"), 401, "unauthenticated")


def test_bad_comments_and_views(api: Api) -> None:
    api.signup("alice")
    bob = api.signup("bob")
    video = api.ready_clip("alice", publish=True)
    client = api.client
    for body in ({"body": ""}, {"body": "x" * 501}, {"body": 5}, {}):
        assert_error(
            client.post(f"/api/videos/{video['id']}/comments", json=body, headers=bob), 422, "validation_error"
        )
    for body in ({"watched_ms": -1}, {"watched_ms": "long"}, {}):
        assert_error(client.post(f"/api/videos/{video['id']}/view", json=body, headers=bob), 422, "validation_error")
    assert client.get(f"/api/videos/{video['id']}", headers=bob).json()["comment_count"] == 0


def test_liking_a_draft_is_a_conflict(api: Api) -> None:
    alice = api.signup("alice")
    video = api.ready_clip("alice")
    assert_error(api.client.post(f"/api/videos/{video['id']}/like", headers=alice), 409, "conflict")


def test_a_body_that_is_not_utf8_is_a_validation_error(api: Api) -> None:
    """Found by the API fuzzer (issue 15): FastAPI answered an undecodable body with an undocumented 400."""
    alice = api.signup("alice")
    for path in ("/api/videos", "/api/rights/holders", "/api/auth/signup"):
        response = api.client.post(
            path, content=b"\xff\x01\x0e\xfe=", headers={**alice, "content-type": "application/json"}
        )
        assert assert_error(response, 422, "validation_error")["details"]["field"] == "body"
    broken = api.client.post(
        "/api/provenance/check", content=b"--x\r\nbroken", headers={"content-type": "multipart/form-data; boundary=x"}
    )
    assert assert_error(broken, 422, "validation_error")["details"]["field"] in ("body", "file")
    no_boundary = api.client.post(
        "/api/rights/works/import", content=b"title", headers={**alice, "content-type": "multipart/form-data"}
    )
    assert assert_error(no_boundary, 422, "validation_error")["details"]["field"] == "body"


def test_nul_characters_are_refused_not_stored(api: Api) -> None:
    """Found by the API fuzzer (issue 15): U+0000 in a body, a path id or a query reached PostgreSQL, a 500."""
    alice = api.signup("alice")
    client = api.client
    report = {"subject_type": "video", "subject_id": "\u00a2\u000fX\u0000b", "reason": "spam"}
    assert_error(client.post("/api/reports", json=report, headers=alice), 422, "validation_error")
    comment = client.post("/api/cameo/approved", json={"handle": "bo\u0000b"}, headers=alice)
    assert_error(comment, 422, "validation_error")
    assert_error(client.get("/api/videos/ab%00cd", headers=alice), 422, "validation_error")
    assert_error(client.get("/api/feed", params={"cursor": "a\x00b"}), 422, "validation_error")

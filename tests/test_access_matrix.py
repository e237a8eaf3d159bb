"""Who may call what (issue 15): every operation in the app's own OpenAPI document against six roles.

ONE table, RULES, says what each role gets from each operation. The test enumerates app.openapi(): an
operation without a row fails ("new route without a rule"), and so does a row whose operation is gone.
Each answer must also be one the document declares for that operation.

The roles are people in one small world built once (module fixture, SQLite, in-process):

- anonymous: no credentials
- other: bob, an ordinary user with nothing of his own here
- owner: alice, who made the clips, the character and the verification attempt the rows point at
- likeness: lena, verified, whose likeness is in alice's published clips
- holder: rita, an approved rights holder with a work, who filed a takedown against one of alice's clips
- operator: oscar (`figment admin make-admin`)

Rows run in table order, and within a row the refusals run before the successes, so a row that deletes
something deletes it last. Rows that end a role's session or account come last.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from cameo_support import drawn_face, png, services_of, verify_directly
from figment.accounts.service import make_admin
from figment.db import session_scope
from figment.likeness.models import Likeness
from figment.services import build_services
from figment.videos.models import Video, VideoStatus
from support import Api, api_over, make_settings

ROLES = ("anonymous", "other", "owner", "likeness", "holder", "operator")
HANDLES = {"other": "bob", "owner": "alice", "likeness": "lena", "holder": "rita", "operator": "oscar"}


@dataclass(frozen=True)
class Rule:
    """One operation: the six answers in ROLES order, the ids its path names, and what it sends."""

    answers: tuple[int, ...]
    path: dict[str, str] = field(default_factory=dict)
    json: Any = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    query: dict[str, str] | None = None
    # An endless stream (SSE): only its refusals are requested here; tests/notifications reads the stream.
    endless: bool = False


def rule(
    answers: str, *, json: Any = None, files: Any = None, query: Any = None, endless: bool = False, **path: str
) -> Rule:
    codes = tuple(int(code) for code in answers.split())
    assert len(codes) == len(ROLES), answers
    return Rule(codes, path, json, files, query, endless)


PNG = png(drawn_face()[..., :3].copy())
CSV = b"title,kind,policy\nMatrix Moth,character,opt_out\n"
CLIP = {"prompt": "a paper boat on a pond", "duration_s": 1}
# `{me}` in a body or path is the calling role's own handle. Values in `path` name things in the world.
#                                                      anonymous other owner likeness holder operator
RULES: dict[tuple[str, str], Rule] = {
    ("POST", "/api/auth/signup"): rule(
        "201 201 201 201 201 201",
        json={
            "handle": "new_{me}",
            "email": "new_{me}@example.com",
            "password": "correct horse battery",
            "birthdate": "1990-01-01",
        },
    ),
    ("POST", "/api/auth/login"): rule(
        "200 200 200 200 200 200", json={"login": "carol", "password": "correct horse battery"}
    ),
    ("GET", "/api/me"): rule("401 200 200 200 200 200"),
    ("PATCH", "/api/me"): rule("401 200 200 200 200 200", json={"display_name": "{me}", "bio": "hi #kites"}),
    ("GET", "/api/me/avatar"): rule("401 200 200 200 200 200"),
    ("POST", "/api/me/avatar"): rule("401 202 202 202 202 202", json={"prompt": "a paper lantern at night"}),
    ("DELETE", "/api/me/avatar"): rule("401 204 204 204 204 204"),
    ("GET", "/api/users/{handle}"): rule("200 200 200 200 200 200", handle="alice"),
    ("GET", "/api/users/{handle}/videos"): rule("200 200 200 200 200 200", handle="alice"),
    ("POST", "/api/users/{handle}/follow"): rule("401 204 204 204 204 204", handle="carol"),
    ("DELETE", "/api/users/{handle}/follow"): rule("401 204 204 204 204 204", handle="carol"),
    ("POST", "/api/users/{handle}/block"): rule("401 204 204 204 204 204", handle="dave"),
    ("DELETE", "/api/users/{handle}/block"): rule("401 204 204 204 204 204", handle="dave"),
    ("POST", "/api/videos"): rule("401 202 202 202 202 202", json=CLIP),
    # The video models an author may pick: public, like the limits of the create page.
    ("GET", "/api/backends"): rule("200 200 200 200 200 200"),
    ("GET", "/api/videos/{video_id}"): rule("404 404 200 404 404 404", video_id="draft"),
    ("POST", "/api/videos/{video_id}/publish"): rule("401 404 200 404 404 404", video_id="draft"),
    # Published by the row above: others may see it but not take it back; alice returns it to her drafts.
    ("POST", "/api/videos/{video_id}/unpublish"): rule("401 403 200 403 403 403", video_id="draft"),
    ("DELETE", "/api/videos/{video_id}"): rule("401 404 204 404 404 404", video_id="doomed_draft"),
    ("GET", "/api/me/drafts"): rule("401 200 200 200 200 200"),
    ("POST", "/api/videos/{video_id}/like"): rule("401 200 200 200 200 200", video_id="published"),
    ("DELETE", "/api/videos/{video_id}/like"): rule("401 200 200 200 200 200", video_id="published"),
    ("POST", "/api/videos/{video_id}/share"): rule("401 200 200 200 200 200", video_id="published"),
    ("GET", "/api/videos/{video_id}/comments"): rule("200 200 200 200 200 200", video_id="published"),
    ("POST", "/api/videos/{video_id}/comments"): rule(
        "401 201 201 201 201 201", video_id="published", json={"body": "nice one"}
    ),
    ("POST", "/api/videos/{video_id}/view"): rule(
        "401 204 204 204 204 204", video_id="published", json={"watched_ms": 900}
    ),
    ("POST", "/api/videos/{video_id}/see-less"): rule("401 204 204 204 204 204", video_id="published"),
    ("GET", "/api/feed"): rule("200 200 200 200 200 200"),
    ("GET", "/api/search"): rule("200 200 200 200 200 200", query={"q": "car", "type": "clips"}),
    ("GET", "/api/discover"): rule("200 200 200 200 200 200"),
    ("GET", "/api/tags/{name}/clips"): rule("200 200 200 200 200 200", name="cars"),
    ("GET", "/api/me/feed-preferences"): rule("401 200 200 200 200 200"),
    ("PUT", "/api/me/feed-preferences"): rule("401 200 200 200 200 200", json={"text": "more kites"}),
    ("PATCH", "/api/me/feed-preferences"): rule("401 200 200 200 200 200", json={"endless_scroll": True}),
    ("GET", "/api/notifications"): rule("401 200 200 200 200 200"),
    ("POST", "/api/notifications/read"): rule("401 204 204 204 204 204"),
    ("GET", "/api/notifications/stream"): rule("401 200 200 200 200 200", endless=True),
    ("POST", "/api/rights/holders"): rule(
        "401 201 201 201 409 201", json={"organisation": "{me} Films", "contact": "legal@example.com"}
    ),
    ("GET", "/api/rights/holders/me"): rule("401 200 200 200 200 200"),
    ("GET", "/api/admin/rights/holders"): rule("401 403 403 403 403 200", query={"status": "pending"}),
    ("POST", "/api/admin/rights/holders/{holder_id}/approve"): rule(
        "401 403 403 403 403 200", holder_id="pending_carol"
    ),
    ("POST", "/api/admin/rights/holders/{holder_id}/reject"): rule("401 403 403 403 403 200", holder_id="pending_dave"),
    ("GET", "/api/rights/works"): rule("401 403 403 403 200 403"),
    ("POST", "/api/rights/works"): rule(
        "401 403 403 403 201 403", json={"title": "Work of {me}", "kind": "song", "policy": "licensed"}
    ),
    ("PATCH", "/api/rights/works/{work_id}"): rule(
        "401 403 403 403 200 403", work_id="work", json={"description": "A comet-riding captain."}
    ),
    ("DELETE", "/api/rights/works/{work_id}"): rule("401 403 403 403 204 403", work_id="doomed_work"),
    ("POST", "/api/rights/works/import"): rule(
        "401 403 403 403 202 403",
        files={"file": ("w.csv", b"title,kind,policy\nMoth of {me},character,opt_out\n", "text/csv")},
    ),
    ("GET", "/api/rights/imports/{job_id}"): rule("401 404 404 404 200 200", job_id="import"),
    ("POST", "/api/rights/works/{work_id}/images"): rule(
        "401 403 403 403 201 403", work_id="work", files={"file": ("b.png", PNG, "image/png")}
    ),
    ("DELETE", "/api/rights/works/{work_id}/images/{image_id}"): rule(
        "401 403 403 403 204 403", work_id="work", image_id="image"
    ),
    ("GET", "/api/rights/works/{work_id}/stats"): rule("401 403 403 403 200 403", work_id="work"),
    ("GET", "/api/rights/contest/{work_id}"): rule("401 200 200 200 200 200", work_id="work"),
    ("POST", "/api/rights/takedowns"): rule(
        "401 403 403 403 201 403", json={"video_id": "{contested}", "work_id": "{work}", "statement": "Ours."}
    ),
    ("GET", "/api/rights/takedowns"): rule("401 200 200 200 200 200"),
    ("GET", "/api/rights/takedowns/{takedown_id}"): rule("401 404 200 404 200 200", takedown_id="takedown"),
    ("POST", "/api/rights/takedowns/{takedown_id}/counter"): rule(
        "401 404 200 404 403 403", takedown_id="takedown", json={"statement": "It is my own idea."}
    ),
    ("POST", "/api/rights/takedowns/{takedown_id}/resolve"): rule(
        "401 403 403 403 403 200", takedown_id="takedown", json={"decision": "restore", "note": "Original."}
    ),
    ("POST", "/api/provenance/check"): rule("200 200 200 200 200 200", files={"file": ("c.png", PNG, "image/png")}),
    ("POST", "/api/reports"): rule(
        "401 201 201 201 201 201", json={"subject_type": "comment", "subject_id": "{comment}", "reason": "spam"}
    ),
    ("GET", "/api/admin/reports"): rule("401 403 403 403 403 200"),
    ("GET", "/api/admin/decisions"): rule("401 403 403 403 403 200"),
    ("POST", "/api/admin/decisions"): rule(
        "401 403 403 403 403 201", json={"action": "dismiss", "subject_type": "comment", "subject_id": "{comment}"}
    ),
    ("PUT", "/api/me/birthdate"): rule("401 200 200 200 200 200", json={"birthdate": "1990-01-01"}),
    ("POST", "/api/me/guardian-link"): rule("401 403 403 403 403 403"),
    ("POST", "/api/guardian/{token}"): rule(
        "404 404 404 404 404 404", token="not-a-guardian-token", json={"personalised": False}
    ),
    ("POST", "/api/cameo/verification"): rule("401 201 201 201 201 201"),
    ("POST", "/api/cameo/verification/{attempt_id}/recording"): rule(
        "401 404 200 404 404 404", attempt_id="attempt", files={"file": ("r.webm", b"not a video", "video/webm")}
    ),
    ("GET", "/api/cameo/verification/{attempt_id}"): rule("401 404 200 404 404 404", attempt_id="attempt"),
    ("GET", "/api/cameo"): rule("401 200 200 200 200 200"),
    ("PATCH", "/api/cameo"): rule("401 200 200 200 200 200", json={"approval_required": False}),
    ("POST", "/api/cameo/approved"): rule("401 200 200 200 200 200", json={"handle": "carol"}),
    ("DELETE", "/api/cameo/approved/{handle}"): rule("401 200 200 200 200 200", handle="carol"),
    ("GET", "/api/cameo/appearances"): rule("401 200 200 200 200 200"),
    ("POST", "/api/cameo/appearances/{video_id}/approve"): rule("401 404 404 204 404 404", video_id="published"),
    ("POST", "/api/cameo/appearances/{video_id}/refuse"): rule("401 404 404 409 404 404", video_id="published"),
    ("DELETE", "/api/cameo/appearances/{video_id}"): rule("401 404 404 204 404 404", video_id="lena_doomed"),
    ("GET", "/api/cameo/ledger"): rule("401 200 200 200 200 200"),
    ("GET", "/api/cameo/usable"): rule("401 200 200 200 200 200", query={"q": "le"}),
    ("GET", "/api/cameo/looks"): rule("200 200 200 200 200 200"),
    ("GET", "/api/characters"): rule("401 200 200 200 200 200"),
    ("POST", "/api/characters"): rule(
        "401 201 201 201 201 201", json={"handle": "pet_of_{me}", "description": "a tiny grey mouse"}
    ),
    ("GET", "/api/characters/{handle}"): rule("401 200 200 200 200 200", handle="comet_cat"),
    ("PATCH", "/api/characters/{handle}"): rule(
        "401 403 200 403 403 403", handle="comet_cat", json={"description": "a big orange cat"}
    ),
    ("POST", "/api/characters/{handle}/approved"): rule(
        "401 403 200 403 403 403", handle="comet_cat", json={"handle": "carol"}
    ),
    ("DELETE", "/api/characters/{handle}/approved/{approved_handle}"): rule(
        "401 403 200 403 403 403", handle="comet_cat", approved_handle="carol"
    ),
    ("DELETE", "/api/characters/{handle}"): rule("401 403 200 403 403 403", handle="doomed_cat"),
    ("GET", "/api/admin/cameo/flags"): rule("401 403 403 403 403 200"),
    ("DELETE", "/api/cameo"): rule("401 200 200 200 200 200"),
    ("POST", "/api/auth/logout"): rule("204 204 204 204 204 204"),
    ("DELETE", "/api/me"): rule("401 204 204 204 204 204"),
}


@dataclass
class World:
    api: Api
    ids: dict[str, str]

    def headers(self, role: str) -> dict[str, str]:
        return {} if role == "anonymous" else self.api.auth(HANDLES[role])


def _mark_ready(api: Api, *video_ids: str) -> None:
    """Workers do not run here: what a finished render leaves, written directly."""
    with session_scope(services_of(api).session_factory) as session:
        session.execute(update(Video).where(Video.id.in_(video_ids)).values(status=VideoStatus.ready, progress=100))


def _clip(api: Api, handle: str, prompt: str, *, publish: bool) -> str:
    video_id = api.submit(handle, prompt)["id"]
    _mark_ready(api, video_id)
    if publish:
        response = api.client.post(f"/api/videos/{video_id}/publish", headers=api.auth(handle))
        assert response.status_code == 200, response.text
    return str(video_id)


def _ok(response: Any, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, response.text
    return dict(response.json()) if response.content else {}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    from figment.migrate import upgrade

    root = tmp_path_factory.mktemp("matrix")
    url = f"sqlite:///{root / 'figment.db'}"
    upgrade(url)
    services = build_services(make_settings(root / "data", url, workers=0, likeness_output_check=False))
    with api_over(services) as api:
        client: TestClient = api.client
        for handle in ("alice", "bob", "lena", "rita", "oscar", "carol", "dave"):
            api.signup(handle)
        with session_scope(services.session_factory) as session:
            make_admin(session=session, handle="oscar")
        verify_directly(api, "lena", permission="everyone")
        ids: dict[str, str] = {}
        # Rights: rita approved with a work; carol and dave applied and wait for an operator.
        rita = api.auth("rita")
        holder = _ok(client.post("/api/rights/holders", json=_holder("rita"), headers=rita), 201)
        _ok(client.post(f"/api/admin/rights/holders/{holder['id']}/approve", headers=api.auth("oscar")))
        for handle in ("carol", "dave"):
            pending = _ok(client.post("/api/rights/holders", json=_holder(handle), headers=api.auth(handle)), 201)
            ids[f"pending_{handle}"] = pending["id"]
        work = {"title": "Captain Comet", "kind": "character", "policy": "opt_out", "aliases": []}
        ids["work"] = _ok(client.post("/api/rights/works", json=work, headers=rita), 201)["id"]
        doomed = {**work, "title": "Doomed Dragon"}
        ids["doomed_work"] = _ok(client.post("/api/rights/works", json=doomed, headers=rita), 201)["id"]
        image = client.post(f"/api/rights/works/{ids['work']}/images", files={"file": ("a.png", PNG)}, headers=rita)
        ids["image"] = _ok(image, 201)["id"]
        ids["import"] = _ok(
            client.post("/api/rights/works/import", files={"file": ("w.csv", CSV, "text/csv")}, headers=rita), 202
        )["id"]
        # Alice's clips: published with lena in it, a draft, and ones that rows delete or take down.
        ids["published"] = _clip(api, "alice", "@lena flying a red kite on a hill", publish=True)
        ids["draft"] = _clip(api, "alice", "a green bicycle by a canal", publish=False)
        ids["doomed_draft"] = _clip(api, "alice", "a yellow tram at dusk", publish=False)
        ids["lena_doomed"] = _clip(api, "alice", "@lena reading under a tree", publish=True)
        ids["taken"] = _clip(api, "alice", "a blue whale in deep water", publish=True)
        ids["contested"] = _clip(api, "alice", "a silver rocket over the sea", publish=True)
        takedown = {"video_id": ids["taken"], "work_id": ids["work"], "statement": "It copies our character."}
        ids["takedown"] = _ok(client.post("/api/rights/takedowns", json=takedown, headers=rita), 201)["id"]
        ids["comment"] = _ok(
            client.post(f"/api/videos/{ids['published']}/comments", json={"body": "lovely"}, headers=api.auth("bob")),
            201,
        )["id"]
        # Alice's likeness things: a character, one a row deletes, a verification attempt.
        alice = api.auth("alice")
        for handle in ("comet_cat", "doomed_cat"):
            body = {"handle": handle, "description": "a small orange cat", "permission": "only_me"}
            _ok(client.post("/api/characters", json=body, headers=alice), 201)
        ids["attempt"] = _ok(client.post("/api/cameo/verification", headers=alice), 201)["id"]
        with session_scope(services.session_factory) as session:
            assert session.scalars(select(Likeness).where(Likeness.handle == "lena")).one().verified_at
        yield World(api, ids)
    services.close()


def _holder(handle: str) -> dict[str, str]:
    return {"organisation": f"{handle.title()} Films", "contact": f"legal@{handle}.example", "statement": "Ours."}


def _operations() -> set[tuple[str, str]]:
    from figment.app import create_app
    from figment.settings import Settings

    document = create_app(Settings(env="test", secret_key="matrix")).openapi()
    return {(method.upper(), path) for path, item in document["paths"].items() for method in item}


def test_every_operation_has_a_rule_and_every_rule_an_operation() -> None:
    operations = _operations()
    assert sorted(operations - RULES.keys()) == [], "new route without a rule: add a row to RULES"
    assert sorted(RULES.keys() - operations) == [], "a rule for a route that no longer exists: remove the row"


def _fill(value: Any, me: str, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.replace("{me}", me).format_map(ids) if "{" in value else value
    if isinstance(value, dict):
        return {k: _fill(v, me, ids) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, me, ids) for v in value]
    return value


def test_access_matrix(world: World) -> None:
    api = world.api
    document = api.client.app.openapi()  # type: ignore[attr-defined]
    wrong: list[str] = []
    undocumented: list[str] = []
    for (method, template), row in RULES.items():
        cells = sorted(zip(ROLES, row.answers, strict=True), key=lambda cell: cell[1] < 400)
        for role, expected in cells:
            if row.endless and expected < 400:
                continue
            me = HANDLES.get(role, "nobody")
            path = template
            for name, key in row.path.items():
                path = path.replace("{" + name + "}", me if key == "{me}" else world.ids.get(key, key))
            response = api.client.request(
                method,
                path,
                headers=world.headers(role),
                json=_fill(row.json, me, world.ids),
                files=row.files,
                params=row.query,
            )
            api.client.cookies.clear()
            if response.status_code != expected:
                wrong.append(
                    f"{method} {template} as {role}: {response.status_code} (table: {expected}) {response.text[:160]}"
                )
            documented = document["paths"][template][method.lower()]["responses"]
            if str(response.status_code) not in documented:
                undocumented.append(f"{method} {template}: {response.status_code} is not in the document")
            if method == "POST" and template == "/api/auth/logout" and role != "anonymous":
                _log_in_again(api, me)
    assert not wrong, "\n".join(wrong)
    assert not undocumented, "\n".join(undocumented)


def _log_in_again(api: Api, handle: str) -> None:
    response = api.client.post("/api/auth/login", json={"login": handle, "password": "correct horse battery"})
    api.tokens[handle] = _ok(response)["token"]
    api.client.cookies.clear()

"""Every permission level x every relation to the owner: allowed uses render and notify the owner,
every other use is refused before anything is queued or rendered. Then the transitions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from cameo_support import notifications, services_of, verify_directly
from figment.db import session_scope
from figment.jobs.models import Job, JobState
from figment.likeness.models import Likeness
from figment.migrate import upgrade
from figment.services import build_services
from figment.videos.models import Video
from support import Api, api_over, assert_error, make_settings

PROMPT = "@olga dancing in the rain"
RELATIONS = ("owner", "approved", "mutual", "follower", "stranger", "blocked")
# Who passes at each level. Blocked never passes, even though bea is on the approved list.
ALLOWED = {
    "only_me": {"owner"},
    "approved": {"owner", "approved"},
    "mutuals": {"owner", "approved", "mutual"},
    "everyone": {"owner", "approved", "mutual", "follower", "stranger"},
}
AUTHOR = {"owner": "olga", "approved": "apu", "mutual": "mia", "follower": "fred", "stranger": "sam", "blocked": "bea"}
RULE = {
    ("only_me", "approved"): "only_me",
    ("only_me", "mutual"): "only_me",
    ("only_me", "follower"): "only_me",
    ("only_me", "stranger"): "only_me",
    ("approved", "mutual"): "not_approved",
    ("approved", "follower"): "not_approved",
    ("approved", "stranger"): "not_approved",
    ("mutuals", "follower"): "not_mutuals",
    ("mutuals", "stranger"): "not_mutuals",
}


def _follow(api: Api, who: str, whom: str) -> None:
    assert api.client.post(f"/api/users/{whom}/follow", headers=api.auth(who)).status_code == 204


def _people(api: Api) -> None:
    for handle in AUTHOR.values():
        api.signup(handle)
    verify_directly(api, "olga")
    for who in ("mia",):
        _follow(api, who, "olga")
        _follow(api, "olga", who)
    _follow(api, "fred", "olga")
    for handle in ("apu", "bea"):
        assert (
            api.client.post("/api/cameo/approved", json={"handle": handle}, headers=api.auth("olga")).status_code == 200
        )
    assert api.client.post("/api/users/bea/block", headers=api.auth("olga")).status_code == 204


@pytest.fixture(scope="module")
def matrix_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    tmp = tmp_path_factory.mktemp("matrix")
    url = f"sqlite:///{tmp}/figment.db"
    upgrade(url)
    services = build_services(make_settings(Path(tmp), url))
    with api_over(services) as api:
        _people(api)
        yield api


def _video_count(api: Api, handle: str) -> int:
    services = services_of(api)
    with session_scope(services.session_factory) as session:
        from figment.accounts.models import User

        user_id = session.scalars(select(User.id).where(User.handle == handle)).one()
        return int(session.scalar(select(func.count()).select_from(Video).where(Video.author_id == user_id)) or 0)


@pytest.mark.parametrize("level", list(ALLOWED))
def test_each_level_against_each_relation(matrix_api: Api, level: str) -> None:
    api = matrix_api
    response = api.client.patch("/api/cameo", json={"permission": level}, headers=api.auth("olga"))
    assert response.status_code == 200, response.text
    submitted: dict[str, str] = {}
    for relation in RELATIONS:
        author = AUTHOR[relation]
        before = _video_count(api, author)
        response = api.client.post("/api/videos", json={"prompt": PROMPT, "duration_s": 1}, headers=api.auth(author))
        if relation in ALLOWED[level]:
            assert response.status_code == 202, (level, relation, response.text)
            submitted[relation] = response.json()["id"]
            assert response.json()["likeness"] == [{"handle": "olga", "kind": "person"}]
        else:
            error = assert_error(response, 403, "cameo_permission_denied")
            assert error["details"]["handle"] == "olga"
            assert error["details"]["rule"] == RULE.get((level, relation), "blocked"), (level, relation)
            assert "olga" in error["message"]
            # Refused before anything exists: no draft, no job, nothing to render.
            assert _video_count(api, author) == before

    used = {n["subject"]["id"] for n in notifications(api, "olga", "cameo_used")}
    appearances = {
        item["video"]["id"]
        for item in api.client.get("/api/cameo/appearances", headers=api.auth("olga")).json()["items"]
    }
    for relation, video_id in submitted.items():
        video = api.wait(AUTHOR[relation], video_id)
        assert video["status"] == "ready", (level, relation, video)
        # The owner's face went to the renderer, and the owner sees the draft.
        assert video["plan"]["likeness"] == ["olga"]
        assert video_id in appearances
        if relation != "owner":
            assert video_id in used, (level, relation)


def test_transitions_follow_unfollow_approve_unapprove(matrix_api: Api) -> None:
    api = matrix_api

    def attempt(author: str) -> Any:
        return api.client.post("/api/videos", json={"prompt": PROMPT, "duration_s": 1}, headers=api.auth(author))

    assert api.client.patch("/api/cameo", json={"permission": "mutuals"}, headers=api.auth("olga")).status_code == 200
    assert api.client.delete("/api/users/olga/follow", headers=api.auth("mia")).status_code == 204
    assert_error(attempt("mia"), 403, "cameo_permission_denied")
    _follow(api, "mia", "olga")
    assert attempt("mia").status_code == 202
    # Following alone never makes a mutual: olga does not follow fred.
    assert_error(attempt("fred"), 403, "cameo_permission_denied")
    _follow(api, "olga", "fred")
    assert attempt("fred").status_code == 202
    assert api.client.delete("/api/users/fred/follow", headers=api.auth("olga")).status_code == 204

    assert api.client.patch("/api/cameo", json={"permission": "approved"}, headers=api.auth("olga")).status_code == 200
    assert attempt("apu").status_code == 202
    assert api.client.delete("/api/cameo/approved/apu", headers=api.auth("olga")).status_code == 200
    assert_error(attempt("apu"), 403, "cameo_permission_denied")
    assert api.client.post("/api/cameo/approved", json={"handle": "apu"}, headers=api.auth("olga")).status_code == 200
    assert attempt("apu").status_code == 202


# ---- revoking while a job waits --------------------------------------------------------------------


@pytest.fixture
def idle_api(tmp_path: Path, database_url: str) -> Iterator[Api]:
    """No worker threads: jobs stay queued until the test runs one."""
    services = build_services(make_settings(tmp_path, database_url, workers=0))
    with api_over(services) as api:
        api.signup("olga")
        api.signup("sam")
        verify_directly(api, "olga", permission="everyone")
        yield api


def test_revoking_stops_a_queued_job_at_once(idle_api: Api) -> None:
    api = idle_api
    video = api.submit("sam", PROMPT)
    assert video["status"] == "queued"
    response = api.client.patch("/api/cameo", json={"permission": "only_me"}, headers=api.auth("olga"))
    assert response.status_code == 200
    stopped = api.client.get(f"/api/videos/{video['id']}", headers=api.auth("sam")).json()
    assert stopped["status"] == "blocked"
    assert "olga" in stopped["error"]
    assert [n["subject"]["id"] for n in notifications(api, "sam", "cameo_stopped")] == [video["id"]]
    services = services_of(api)
    with session_scope(services.session_factory) as session:
        assert session.scalars(select(Job.state).where(Job.video_id == video["id"])).one() == JobState.cancelled
    assert services.workers.run_once("test-worker") is False  # nothing left to render
    assert stopped["urls"]["video"] is None


def test_worker_checks_consent_again_before_rendering(idle_api: Api) -> None:
    """Consent changed by a path that does not stop jobs (here: straight in the database)."""
    api = idle_api
    video = api.submit("sam", PROMPT)
    services = services_of(api)
    with session_scope(services.session_factory) as session:
        likeness = session.scalars(select(Likeness).where(Likeness.handle == "olga")).one()
        likeness.permission = "approved"
    assert services.workers.run_once("test-worker") is True
    blocked = api.client.get(f"/api/videos/{video['id']}", headers=api.auth("sam")).json()
    assert blocked["status"] == "blocked", blocked
    assert blocked["urls"]["video"] is None
    assert not list((services.settings.media_dir / "videos").glob(f"{video['id']}/*"))
    ledger = api.client.get("/api/cameo/ledger", headers=api.auth("olga")).json()
    assert [e["action"] for e in ledger["entries"]][-2:] == ["request", "blocked"]


def test_the_worker_never_gives_a_face_to_a_backend_without_likeness(idle_api: Api) -> None:
    import dataclasses

    from figment.generation.backends.procedural import ProceduralBackend

    class Faceless(ProceduralBackend):
        name = "faceless"
        capabilities = dataclasses.replace(ProceduralBackend.capabilities, supports_likeness=False)

        def generate(self, request: Any) -> Any:
            raise AssertionError("a likeness job reached a backend that cannot draw faces")

    api = idle_api
    video = api.submit("sam", PROMPT)
    services = services_of(api)
    services.render.backend = Faceless()
    assert services.workers.run_once("test-worker") is True
    blocked = api.client.get(f"/api/videos/{video['id']}", headers=api.auth("sam")).json()
    assert blocked["status"] == "blocked" and "cannot put a person's likeness" in blocked["error"], blocked

"""Prompt screening through the API: refusals name the work, policy changes apply to the next submission."""

from __future__ import annotations

import pytest
from rights_helpers import Rights

from support import Api, assert_error


def test_refusal_names_work_holder_rule_and_how_to_contest(api: Api, rights: Rights) -> None:
    studio = rights.holder("studio", "Gotham Comics")
    rights.work(studio, "Batman", aliases=[{"text": "Il Cavaliere Oscuro", "lang": "it"}])
    alice = api.signup("alice")

    error = assert_error(
        api.client.post("/api/videos", json={"prompt": "B4tm4n on a rooftop"}, headers=alice), 422, "rights_blocked"
    )
    details = error["details"]
    assert details["work"] == "Batman" and details["holder"] == "Gotham Comics"
    assert details["policy"] == "opt_out"
    assert "leetspeak" in details["rule"]
    assert details["contest"]["contact"] == "legal@studio.example" and details["contest"]["url"].startswith("/rights")
    error = assert_error(
        api.client.post("/api/videos", json={"prompt": "il cavaliere oscuro di notte"}, headers=alice),
        422,
        "rights_blocked",
    )
    assert error["details"]["rule"] == "alias 'Il Cavaliere Oscuro' (Italian)"
    assert api.client.get("/api/me/drafts", headers=alice).json()["items"] == []
    # Ordinary prompts that share words or letters pass.
    assert api.submit("alice", "a bat flying over a dark city")["status"] == "queued"


def test_policy_change_applies_to_the_next_submission(api: Api, rights: Rights) -> None:
    studio = rights.holder("studio", "Mouse House")
    work = rights.work(studio, "Mickey Mouse", aliases=["Topolino"])
    api.signup("alice")
    prompt = {"prompt": "Topolino at the beach", "duration_s": 1}
    assert_error(api.client.post("/api/videos", json=prompt, headers=api.auth("alice")), 422, "rights_blocked")

    changed = api.client.patch(f"/api/rights/works/{work['id']}", json={"policy": "allowed"}, headers=studio)
    assert changed.status_code == 200 and changed.json()["screening"] == "none"
    assert api.client.post("/api/videos", json=prompt, headers=api.auth("alice")).status_code == 202

    api.client.patch(f"/api/rights/works/{work['id']}", json={"policy": "opt_out"}, headers=studio)
    assert_error(api.client.post("/api/videos", json=prompt, headers=api.auth("alice")), 422, "rights_blocked")

    # A new alias counts at once, too.
    api.client.patch(f"/api/rights/works/{work['id']}", json={"aliases": ["Topolino", "Miki"]}, headers=studio)
    assert_error(
        api.client.post("/api/videos", json={"prompt": "Miki dancing"}, headers=api.auth("alice")),
        422,
        "rights_blocked",
    )
    # Deleting the work lifts the refusal.
    assert api.client.delete(f"/api/rights/works/{work['id']}", headers=studio).status_code == 204
    assert api.client.post("/api/videos", json=prompt, headers=api.auth("alice")).status_code == 202


def test_rule_changed_while_queued_blocks_before_render(api: Api, rights: Rights) -> None:
    studio = rights.holder("studio", "Galaxy Films")
    work = rights.work(studio, "Star Wars", policy="allowed")
    rights.services.workers.stop()  # hold the queue
    alice = api.signup("alice")
    video_id = api.submit("alice", "a star wars duel in the desert")["id"]
    api.client.patch(f"/api/rights/works/{work['id']}", json={"policy": "opt_out"}, headers=studio)
    assert rights.services.workers.run_once("w")
    video = api.client.get(f"/api/videos/{video_id}", headers=alice).json()
    assert video["status"] == "blocked" and "Star Wars" in video["error"]
    stats = api.client.get(f"/api/rights/works/{work['id']}/stats", headers=studio).json()
    assert stats["refusals"]["total"] == 1 and stats["refusals"]["by_stage"] == {"prompt": 1}


def test_licensed_work_is_allowed_and_credited(api: Api, rights: Rights) -> None:
    studio = rights.holder("studio", "Fumetti Srl")
    rights.work(studio, "Lupo Alberto", policy="licensed")
    api.signup("alice")
    video = api.ready_clip("alice", "Lupo Alberto walking in the snow", publish=True)
    assert video["credits"] == [{"work": "Lupo Alberto", "holder": "Fumetti Srl"}]
    plain = api.ready_clip("alice", "a fox walking in the snow")
    assert plain["credits"] == []


def test_refusal_counts_are_dates_only_and_for_the_holder_alone(api: Api, rights: Rights) -> None:
    studio = rights.holder("studio", "Kyoto Games")
    other = rights.holder("other", "Other Studio")
    work = rights.work(studio, "Pikachu")
    alice = api.signup("alice")
    for prompt in ("Pikachu eating", "P1kachu running", "p i k a c h u"):
        assert_error(api.client.post("/api/videos", json={"prompt": prompt}, headers=alice), 422, "rights_blocked")

    listed = api.client.get("/api/rights/works", headers=studio).json()
    assert listed["items"][0]["refusals"] == 3 and listed["items"][0]["last_refused_at"]
    stats = api.client.get(f"/api/rights/works/{work['id']}/stats", headers=studio)
    assert stats.status_code == 200
    body = stats.json()
    assert body["refusals"]["total"] == 3 and sum(d["count"] for d in body["refusals"]["by_day"]) == 3
    assert "Pikachu eating" not in stats.text and "alice" not in stats.text  # no prompts, no users

    assert_error(api.client.get(f"/api/rights/works/{work['id']}/stats", headers=other), 404, "not_found")
    assert api.client.get("/api/rights/works", headers=other).json()["items"] == []
    assert_error(api.client.get(f"/api/rights/works/{work['id']}/stats", headers=alice), 403, "forbidden")
    assert_error(api.client.get(f"/api/rights/works/{work['id']}/stats"), 401, "unauthenticated")


def test_another_process_sees_a_change_on_its_next_check(api: Api, rights: Rights) -> None:
    """A worker in another process has its own index; the version counter in the database tells it."""
    from sqlalchemy import create_engine

    from figment.db import make_session_factory
    from figment.errors import RightsBlocked
    from figment.rights.screening import RightsScreen

    studio = rights.holder("studio", "Galaxy Films")
    work = rights.work(studio, "Star Wars", policy="allowed")
    engine = create_engine(rights.services.settings.resolved_database_url)
    other = RightsScreen(session_factory=make_session_factory(engine), mode="opt_out", embedder=None)
    try:
        with other.session_factory() as session:
            other.check_prompt(session, None, "starwars at dawn")  # type: ignore[arg-type]
        api.client.patch(f"/api/rights/works/{work['id']}", json={"policy": "opt_out"}, headers=studio)
        with other.session_factory() as session, pytest.raises(RightsBlocked) as refused:
            other.check_prompt(session, None, "starwars at dawn")  # type: ignore[arg-type]
        assert refused.value.details["work"] == "Star Wars"
    finally:
        engine.dispose()


def test_an_estate_blocks_a_deceased_persons_likeness(api: Api, rights: Rights) -> None:
    """Issue 6: estates add a deceased person through the rights registry (kind `estate`)."""
    estate = rights.holder("curtis_estate", "Estate of Antonio de Curtis")
    rights.work(estate, "Totò", kind="estate", aliases=[{"text": "Antonio de Curtis", "lang": "it"}])
    alice = api.signup("alice")
    for prompt in ("Toto dancing in Naples", "antonio de curtis sings at the theatre"):
        error = assert_error(api.client.post("/api/videos", json={"prompt": prompt}, headers=alice), 422,
                             "rights_blocked")  # fmt: skip
        assert error["details"]["holder"] == "Estate of Antonio de Curtis"
    assert api.client.post("/api/videos", json={"prompt": "a totem pole in a forest"}, headers=alice).status_code == 202

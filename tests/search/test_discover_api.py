"""GET /api/discover: trending tags, clips of the day, new creators and usable characters, each with a
reason; works logged out; never shows what the viewer may not see."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import update

from figment.db import session_scope, utcnow
from figment.likeness.models import Likeness
from figment.videos.models import Visibility
from search_support import make_clip, services_of
from support import Api


def _character(api: Api, owner: str, handle: str, permission: str) -> None:
    body = {"handle": handle, "description": f"{handle}, a small brave character", "permission": permission}
    response = api.client.post("/api/characters", json=body, headers=api.auth(owner))
    assert response.status_code == 201, response.text


def _discover(api: Api, headers: dict[str, str] | None = None) -> dict[str, Any]:
    response = api.client.get("/api/discover", headers=headers or {})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_discover_rows_carry_their_reasons_and_work_logged_out(api: Api) -> None:
    api.signup("luna")
    api.signup("marco")
    for i in range(3):
        make_clip(api.client, "luna", f"kites over the beach #kites #sea {i}", likes=i)
    make_clip(api.client, "marco", "a quiet #sea at night", likes=10)
    make_clip(api.client, "marco", "an old #sea shanty", age=timedelta(days=3))  # not today
    make_clip(api.client, "marco", "a secret #drafted idea", visibility=Visibility.draft)
    _character(api, "luna", "biscuit", "everyone")
    _character(api, "luna", "pepper", "only_me")

    page = _discover(api)
    tags = {t["name"]: t["reason"] for t in page["tags"]}
    assert list(tags) == ["sea", "kites"]
    assert tags["sea"] == {"code": "trending_today", "counts": {"clips": 4}, "text": "Trending: 4 clips today"}
    assert "drafted" not in tags
    clips = page["clips"]
    assert clips[0]["clip"]["prompt"] == "a quiet #sea at night"
    assert clips[0]["reason"]["code"] == "clip_of_the_day" and clips[0]["reason"]["counts"]["likes"] == 10
    assert all("shanty" not in c["clip"]["prompt"] and "secret" not in c["clip"]["prompt"] for c in clips)
    creators = {c["handle"]: c["reason"] for c in page["creators"]}
    assert creators["luna"]["code"] == "new_creator" and creators["luna"]["counts"] == {"days": 0, "clips": 3}
    assert [c["handle"] for c in page["characters"]] == ["biscuit"]
    assert page["characters"][0]["owner"] == "luna"
    assert page["characters"][0]["reason"]["code"] == "character_everyone"


def test_characters_follow_consent_and_blocks_hide_everything(api: Api) -> None:
    luna = api.signup("luna")
    friend = api.signup("friend")
    stranger = api.signup("stranger")
    teen = date(utcnow().year - 15, 1, 1).isoformat()
    api.signup("young", birthdate=teen)
    _character(api, "luna", "mochi", "mutuals")
    # A teen's "everyone" (set before the birthdate was known) acts as "mutuals"
    # (likeness.consent.effective_permission): not for strangers or the logged out.
    _character(api, "young", "sprout", "mutuals")
    with session_scope(services_of(api.client).session_factory) as session:
        session.execute(update(Likeness).where(Likeness.handle == "sprout").values(permission="everyone"))
    api.client.post("/api/users/luna/follow", headers=friend)
    api.client.post("/api/users/friend/follow", headers=luna)
    make_clip(api.client, "luna", "a #lantern festival")

    assert [c["handle"] for c in _discover(api)["characters"]] == []
    assert [c["handle"] for c in _discover(api, stranger)["characters"]] == []
    found = _discover(api, friend)["characters"]
    assert [(c["handle"], c["reason"]["code"]) for c in found] == [("mochi", "character_mutuals")]
    assert [c["handle"] for c in _discover(api, luna)["characters"]] == ["mochi"]  # her own

    assert api.client.post("/api/users/luna/block", headers=stranger).status_code == 204
    page = _discover(api, stranger)
    assert page["tags"] == [] and page["clips"] == [] and page["creators"] == [] and page["characters"] == []

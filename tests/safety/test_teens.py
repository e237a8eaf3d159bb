"""Teen accounts: no personalised ranking by default, a daily feed limit, a guardian link."""

from __future__ import annotations

from datetime import date

from sqlalchemy import update

from figment.accounts.models import User
from figment.db import session_scope
from figment.safety.teens import age_on
from support import Api, assert_error


def _teen_birthdate() -> str:
    today = date.today()
    return date(today.year - 15, 1, 1).isoformat()


def test_age_counts_the_birthday() -> None:
    assert age_on(date(2008, 6, 2), date(2026, 6, 1)) == 17
    assert age_on(date(2008, 6, 2), date(2026, 6, 2)) == 18


def test_teens_start_unpersonalised_and_a_guardian_can_lock_it(api: Api) -> None:
    teen = api.signup("teeny", birthdate=_teen_birthdate())
    adult = api.signup("grownup", birthdate="1990-01-01")
    prefs = api.client.get("/api/me/feed-preferences", headers=teen).json()
    assert prefs == {
        "text": "",
        "personalised": False,
        "endless_scroll": True,
        "teen": True,
        "guardian_locked": False,
    }
    assert api.client.get("/api/me/feed-preferences", headers=adult).json()["personalised"] is True
    assert_error(api.client.post("/api/me/guardian-link", headers=adult), 403, "forbidden")

    on = api.client.patch("/api/me/feed-preferences", json={"personalised": True}, headers=teen)
    assert on.json()["personalised"] is True  # enabled by the teen: allowed until a guardian says no
    link = api.client.post("/api/me/guardian-link", headers=teen).json()
    off = api.client.post(link["path"], json={"personalised": False, "endless_scroll": False})
    assert off.json() == {"personalised": False, "endless_scroll": False, "teen": True, "guardian_locked": True}
    again = api.client.patch("/api/me/feed-preferences", json={"personalised": True}, headers=teen)
    assert_error(again, 403, "forbidden")
    assert_error(api.client.post("/api/guardian/not-a-token", json={"personalised": False}), 404, "not_found")


def test_without_endless_scroll_the_feed_is_one_page(api: Api) -> None:
    api.signup("maker")
    for _ in range(3):
        api.ready_clip("maker", publish=True)
    teen = api.signup("teeny", birthdate=_teen_birthdate())
    assert api.client.get("/api/feed?limit=2", headers=teen).json()["next_cursor"] is not None
    api.client.patch("/api/me/feed-preferences", json={"endless_scroll": False}, headers=teen)
    assert api.client.get("/api/feed?limit=2", headers=teen).json()["next_cursor"] is None


def test_teens_reach_a_daily_feed_limit(api: Api) -> None:
    api.signup("maker")
    video = api.ready_clip("maker", publish=True)
    teen = api.signup("teeny", birthdate=_teen_birthdate())
    services = api.client.app.state.services  # type: ignore[attr-defined]
    services.settings.teen_daily_feed_items = 1
    assert api.client.get("/api/feed", headers=teen).status_code == 200
    assert api.client.post(f"/api/videos/{video['id']}/view", json={"watched_ms": 3000}, headers=teen).status_code < 300
    response = api.client.get("/api/feed", headers=teen)
    assert assert_error(response, 429, "rate_limited")["details"]["reason"] == "teen_daily_feed_limit"
    assert int(response.headers["retry-after"]) > 0
    with session_scope(services.session_factory) as session:
        session.execute(update(User).where(User.handle == "teeny").values(birthdate=date(1990, 1, 1)))
    assert api.client.get("/api/feed", headers=teen).status_code == 200  # adults have no limit

"""Teen accounts: no personalised ranking by default, a daily feed limit, a guardian link."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import update

from figment.accounts.models import User
from figment.db import session_scope
from figment.likeness.service import permission_choices
from figment.safety.teens import age_on, is_teen
from figment.services import build_services
from support import Api, api_over, assert_error, make_settings


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


def _years_ago(years: int, *, days: int = 0) -> str:
    today = date.today()
    try:
        then = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        then = today.replace(year=today.year - years, day=28)
    return (then + timedelta(days=days)).isoformat()


def _signup_body(handle: str, **extra: Any) -> dict[str, Any]:
    return {"handle": handle, "email": f"{handle}@example.com", "password": "longenough", **extra}


def test_signup_needs_a_birthdate_and_the_minimum_age(api: Api) -> None:
    missing = assert_error(api.client.post("/api/auth/signup", json=_signup_body("kid")), 422, "validation_error")
    assert missing["details"]["field"] == "birthdate"
    young = api.client.post("/api/auth/signup", json=_signup_body("kid", birthdate=_years_ago(13, days=1)))
    error = assert_error(young, 422, "validation_error")
    assert error["details"] == {"field": "birthdate", "reason": "under_min_age", "min_age": 13}
    assert "at least 13" in error["message"]
    future = api.client.post("/api/auth/signup", json=_signup_body("kid", birthdate=_years_ago(-1)))
    assert assert_error(future, 422, "validation_error")["details"]["reason"] == "future"
    # Thirteen today is old enough, and a teen.
    api.signup("kid", birthdate=_years_ago(13))
    assert api.client.get("/api/me/feed-preferences", headers=api.auth("kid")).json()["teen"] is True


def test_the_minimum_age_is_configurable(tmp_path: Path, sqlite_url: str) -> None:
    with api_over(build_services(make_settings(tmp_path / "data", sqlite_url, min_age=14))) as api:
        response = api.client.post("/api/auth/signup", json=_signup_body("kid", birthdate=_years_ago(13)))
        assert assert_error(response, 422, "validation_error")["details"]["min_age"] == 14
        api.signup("kid", birthdate=_years_ago(14))


def test_an_account_without_a_birthdate_is_a_teen_until_it_adds_one(api: Api) -> None:
    headers = api.signup("old_account")
    services = api.client.app.state.services  # type: ignore[attr-defined]
    with session_scope(services.session_factory) as session:  # made before signup asked for one
        session.execute(update(User).where(User.handle == "old_account").values(birthdate=None))
    assert api.client.get("/api/me", headers=headers).json()["birthdate"] is None
    prefs = api.client.get("/api/me/feed-preferences", headers=headers).json()
    assert prefs["teen"] is True and prefs["personalised"] is False
    assert api.client.post("/api/me/guardian-link", headers=headers).status_code == 201

    too_young = api.client.put("/api/me/birthdate", json={"birthdate": _years_ago(12)}, headers=headers)
    assert assert_error(too_young, 422, "validation_error")["details"]["reason"] == "under_min_age"
    assert api.client.get("/api/me", headers=headers).json()["birthdate"] is None

    added = api.client.put("/api/me/birthdate", json={"birthdate": "1990-05-01"}, headers=headers)
    assert added.status_code == 200, added.text
    assert added.json() == {"birthdate": "1990-05-01", "teen": False}
    assert api.client.get("/api/me/feed-preferences", headers=headers).json()["teen"] is False
    # Once given it stays: a teen cannot write themselves into adulthood.
    again = api.client.put("/api/me/birthdate", json={"birthdate": "1980-05-01"}, headers=headers)
    assert assert_error(again, 409, "conflict")["details"]["reason"] == "birthdate_set"
    same = api.client.put("/api/me/birthdate", json={"birthdate": "1990-05-01"}, headers=headers)
    assert same.status_code == 200


def test_a_likeness_without_a_known_age_is_never_open_to_everyone() -> None:
    def user(birthdate: date | None) -> User:
        return User(handle="x", handle_skeleton="x", email="x@x.org", password_hash="-", birthdate=birthdate)

    assert is_teen(user(None))
    assert "everyone" not in permission_choices(owner=user(None))
    assert "everyone" in permission_choices(owner=user(date(1990, 1, 1)))

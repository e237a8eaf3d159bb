"""Rate limits shared by every app process through Redis (FIGMENT_SHARED_STATE=redis): hit alternately
on two app instances, a limit trips at its configured count, not at twice it; a failed-login pause set
on one holds on the other; without Redis each process still limits on its own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from figment.errors import RateLimited
from figment.safety.ratelimit import AbuseLimits
from figment.services import build_services
from support import REDIS_URL, Api, api_over, assert_error, make_settings


@pytest.fixture
def two_processes(tmp_path: Path, sqlite_url: str, redis_prefix: str) -> Iterator[tuple[Api, Api]]:
    """Two app instances over one database and one Redis, as two web processes or hosts would be."""
    settings = make_settings(
        tmp_path / "data",
        sqlite_url,
        workers=0,
        signup_per_hour=3,
        login_per_minute=3,
        login_failures_before_pause=2,
        shared_state="redis",
        redis_url=REDIS_URL,
        shared_state_prefix=redis_prefix,
    )
    with ExitStack() as stack:
        apis = []
        for _ in range(2):
            services = build_services(settings)
            stack.callback(services.close)
            apis.append(stack.enter_context(api_over(services)))
        yield apis[0], apis[1]


def _signup(api: Api, handle: str) -> int:
    body = {
        "handle": handle,
        "email": f"{handle}@example.com",
        "password": "correct horse battery",
        "birthdate": "1990-01-01",
    }
    return int(api.client.post("/api/auth/signup", json=body).status_code)


def test_signups_trip_at_the_configured_count_across_processes(two_processes: tuple[Api, Api]) -> None:
    one, two = two_processes
    assert [_signup(api, f"amy{n}") for n, api in enumerate((one, two, one))] == [201, 201, 201]
    body = {
        "handle": "amy9",
        "email": "amy9@example.com",
        "password": "correct horse battery",
        "birthdate": "1990-01-01",
    }
    response = two.client.post("/api/auth/signup", json=body)
    assert_error(response, 429, "rate_limited")
    assert 0 < int(response.headers["retry-after"]) <= 3600
    assert _signup(one, "amy10") == 429


def test_logins_and_pauses_are_shared(two_processes: tuple[Api, Api]) -> None:
    one, two = two_processes
    one.signup("alice")
    wrong = {"login": "alice", "password": "wrong password!"}
    assert one.client.post("/api/auth/login", json=wrong).status_code == 401
    assert two.client.post("/api/auth/login", json=wrong).status_code == 401  # the second failure: paused
    right = {"login": "alice", "password": "correct horse battery"}
    paused = one.client.post("/api/auth/login", json=right)
    assert_error(paused, 429, "rate_limited")
    assert int(paused.headers["retry-after"]) >= 29
    assert "failed logins" in assert_error(paused, 429, "rate_limited")["message"]
    # Three login attempts a minute from this address, counted across both processes: the fourth waits.
    window = assert_error(two.client.post("/api/auth/login", json=right), 429, "rate_limited")
    assert "login attempts from this address" in window["message"]


def test_without_redis_each_process_still_limits(caplog: pytest.LogCaptureFixture) -> None:
    limits = AbuseLimits(
        signup_per_hour=2, login_per_minute=0, failures_before_pause=1, redis_url="redis://127.0.0.1:1/0"
    )
    limits.signup.hit("1.2.3.4")
    limits.signup.hit("1.2.3.4")
    with pytest.raises(RateLimited):
        limits.signup.hit("1.2.3.4")
    limits.throttle.failed("bob")
    with pytest.raises(RateLimited):
        limits.throttle.before("bob")
    limits.throttle.succeeded("bob")
    limits.throttle.before("bob")
    assert "unreachable" in caplog.text

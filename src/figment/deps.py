"""The only place with Depends(): request-scoped wiring for routes."""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterator
from typing import Annotated, TypeVar

from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.accounts.service import user_for_token
from figment.db import session_scope
from figment.errors import Forbidden, Unauthenticated
from figment.services import Services

SESSION_COOKIE = "figment_session"
CSRF_COOKIE = "figment_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
T = TypeVar("T")


# Dependencies that do no I/O are `async def`: FastAPI runs a plain `def` dependency in the thread
# pool, and each such hop costs more than the dependency itself on every request.
async def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated[Services, Depends(get_services)]


def get_session(services: ServicesDep) -> Iterator[Session]:
    session = services.session_factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


async def in_session(services: Services, work: Callable[[Session], T]) -> T:
    """Run `work` with a session in a single worker-thread hop, committing when it returns.

    For the busiest read paths: SessionDep plus OptionalUser plus a sync endpoint cost four hops
    between the event loop and the thread pool per request, and each hop costs about as much as a query.
    """

    def run() -> T:
        with session_scope(services.session_factory) as session:
            return work(session)

    return await run_in_threadpool(run)


# scope="function": commit right after the endpoint returns and before the response goes out,
# so a client never sees a success whose data is not yet stored.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


def _token_from(request: Request) -> tuple[str | None, bool]:
    """The presented token and whether it came from the cookie (which then needs CSRF protection)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None, False
    cookie = request.cookies.get(SESSION_COOKIE)
    return (cookie, True) if cookie else (None, False)


def _check_csrf(request: Request) -> None:
    # Double-submit: a cross-site form can send the cookie but cannot read it to copy it into the header.
    cookie = request.cookies.get(CSRF_COOKIE, "")
    header = request.headers.get(CSRF_HEADER, "")
    if not cookie or not header or not hmac.compare_digest(cookie, header):
        raise Forbidden("Missing or wrong CSRF token: send the figment_csrf cookie's value in the X-CSRF-Token header.")


def authenticate(request: Request, session: Session) -> User | None:
    """The logged-in user (None when anonymous): bearer token or session cookie, CSRF for cookie writes."""
    token, from_cookie = _token_from(request)
    if token is None:
        return None
    user = user_for_token(session=session, token=token)
    if user is None:
        if from_cookie:
            return None  # a stale cookie behaves as logged out
        raise Unauthenticated("The bearer token is not valid; log in again.")
    if user.banned_at is not None:
        raise Forbidden("This account was banned by an operator.")
    if from_cookie and request.method not in SAFE_METHODS:
        _check_csrf(request)
    return user


def get_optional_user(request: Request, session: SessionDep) -> User | None:
    return authenticate(request, session)


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


async def get_current_user(user: OptionalUser) -> User:
    if user is None:
        raise Unauthenticated("Log in to do this.")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


async def get_admin(user: CurrentUser) -> User:
    if not user.is_admin:
        raise Forbidden("Only operators can do this.")
    return user


AdminUser = Annotated[User, Depends(get_admin)]

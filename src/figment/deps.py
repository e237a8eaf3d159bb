"""The only place with Depends(): request-scoped wiring for routes."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.accounts.service import user_for_token
from figment.errors import Forbidden, Unauthenticated
from figment.services import Services

SESSION_COOKIE = "figment_session"
CSRF_COOKIE = "figment_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_services(request: Request) -> Services:
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


def get_optional_user(request: Request, session: SessionDep) -> User | None:
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


OptionalUser = Annotated[User | None, Depends(get_optional_user)]


def get_current_user(user: OptionalUser) -> User:
    if user is None:
        raise Unauthenticated("Log in to do this.")
    return user


CurrentUser = Annotated[User, Depends(get_current_user)]


def get_admin(user: CurrentUser) -> User:
    if not user.is_admin:
        raise Forbidden("Only operators can do this.")
    return user


AdminUser = Annotated[User, Depends(get_admin)]

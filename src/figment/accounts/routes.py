from __future__ import annotations

import secrets

from fastapi import APIRouter, Request, Response

from figment.accounts import service
from figment.accounts.models import User
from figment.accounts.schemas import AuthOut, LoginIn, MeOut, SignupIn
from figment.deps import CSRF_COOKIE, SESSION_COOKIE, CurrentUser, OptionalUser, ServicesDep, SessionDep
from figment.errors import Unauthenticated
from figment.jobs.purge import queue_purge
from figment.likeness import service as likeness_service
from figment.profiles import avatars
from figment.profiles import service as profiles
from figment.rights import service as rights
from figment.safety import teens
from figment.schemas import errors
from figment.videos import service as videos
from figment.videos.schemas import VideoList, videos_out

router = APIRouter(prefix="/api", tags=["accounts"])
SESSION_MAX_AGE = 60 * 60 * 24 * 30


def _me(session: SessionDep, user: User) -> MeOut:
    followers, following = service.follow_counts(session=session, user_id=user.id)
    return MeOut(
        handle=user.handle,
        email=user.email,
        created_at=user.created_at,
        is_admin=user.is_admin,
        follower_count=followers,
        following_count=following,
        birthdate=user.birthdate,
        display_name=user.display_name,
        avatar_url=avatars.url(handle=user.handle, still=avatars.current(session=session, user_id=user.id)),
    )


def _set_cookies(response: Response, token: str, services: ServicesDep) -> None:
    # SameSite=Lax, not Strict: a link to a clip from another site opens signed in (a top-level GET),
    # while cross-site POST/PUT/DELETE and subresource requests go without the cookie; writes need the
    # X-CSRF-Token echo as well (deps). Strict would show every shared link signed out. Secure (and HSTS,
    # web.security) with FIGMENT_COOKIE_SECURE=1.
    secure = services.settings.cookie_secure
    response.set_cookie(SESSION_COOKIE, token, max_age=SESSION_MAX_AGE, httponly=True, samesite="lax", secure=secure)
    # Readable by the page's script, which echoes it in X-CSRF-Token.
    response.set_cookie(
        CSRF_COOKIE, secrets.token_urlsafe(24), max_age=SESSION_MAX_AGE, httponly=False, samesite="lax", secure=secure
    )


def _client_ip(request: Request) -> str:
    # The direct peer: behind a proxy, run uvicorn with --proxy-headers so this is the real client.
    return request.client.host if request.client else "unknown"


@router.post("/auth/signup", status_code=201, response_model=AuthOut, responses=errors(409, 429))
def signup(body: SignupIn, session: SessionDep, services: ServicesDep, request: Request, response: Response) -> AuthOut:
    services.abuse.signup.hit(_client_ip(request))
    teens.check_birthdate(body.birthdate, min_age=services.settings.min_age)
    issued = service.signup(
        session=session, handle=body.handle, email=body.email, password=body.password, birthdate=body.birthdate
    )
    _set_cookies(response, issued.token, services)
    return AuthOut(user=_me(session, issued.user), token=issued.token)


@router.post("/auth/login", response_model=AuthOut, responses=errors(401, 403, 429))
def login(body: LoginIn, session: SessionDep, services: ServicesDep, request: Request, response: Response) -> AuthOut:
    services.abuse.login.hit(_client_ip(request))
    services.abuse.throttle.before(body.login)
    try:
        issued = service.login(session=session, login=body.login, password=body.password)
    except Unauthenticated:
        services.abuse.throttle.failed(body.login)
        raise
    services.abuse.throttle.succeeded(body.login)
    _set_cookies(response, issued.token, services)
    return AuthOut(user=_me(session, issued.user), token=issued.token)


@router.post("/auth/logout", status_code=204)
def logout(request: Request, session: SessionDep, user: OptionalUser, response: Response) -> Response:
    header = request.headers.get("authorization", "")
    token = header[7:].strip() if header.lower().startswith("bearer ") else request.cookies.get(SESSION_COOKIE)
    if token and user is not None:
        service.logout(session=session, token=token)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return response


@router.get("/me", response_model=MeOut)
def me(session: SessionDep, user: CurrentUser) -> MeOut:
    return _me(session, user)


@router.delete("/me", status_code=204)
def delete_me(session: SessionDep, user: CurrentUser) -> Response:
    """The account's rows go now; its stored objects (clips, posters, face crops, reference images) in
    a purge job queued in the same transaction, so a crash can neither keep them nor lose the rows' news."""
    keys = videos.delete_all_by(session=session, author=user)
    keys += rights.delete_holder_data(session=session, user=user)
    keys += likeness_service.purge_all_of(session=session, owner=user)
    queue_purge(session=session, keys=keys, reason="account deleted")
    session.delete(user)
    response = Response(status_code=204)
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)
    return response


@router.get("/users/{handle}/videos", response_model=VideoList)
def user_videos(handle: str, session: SessionDep, viewer: OptionalUser) -> VideoList:
    user = profiles.visible_profile(session=session, handle=handle, viewer=viewer)
    items = videos.published_by(session=session, author=user)
    return VideoList(items=videos_out(session, items, viewer=viewer))


@router.post("/users/{handle}/follow", status_code=204)
def follow(handle: str, session: SessionDep, user: CurrentUser) -> Response:
    target = service.get_by_handle(session=session, handle=handle)
    service.follow(session=session, actor=user, target=target)
    return Response(status_code=204)


@router.delete("/users/{handle}/follow", status_code=204)
def unfollow(handle: str, session: SessionDep, services: ServicesDep, user: CurrentUser) -> Response:
    target = service.get_by_handle(session=session, handle=handle)
    service.unfollow(session=session, actor=user, target=target)
    # Mutuals may have just stopped being mutuals: clips waiting on that permission stop now.
    session.flush()
    services.likeness.reconsider_between(session=session, a=user, b=target)
    return Response(status_code=204)


@router.post("/users/{handle}/block", status_code=204)
def block(handle: str, session: SessionDep, services: ServicesDep, user: CurrentUser) -> Response:
    target = service.get_by_handle(session=session, handle=handle)
    service.block(session=session, actor=user, target=target)
    session.flush()
    services.likeness.reconsider_between(session=session, a=user, b=target)
    return Response(status_code=204)


@router.delete("/users/{handle}/block", status_code=204)
def unblock(handle: str, session: SessionDep, user: CurrentUser) -> Response:
    target = service.get_by_handle(session=session, handle=handle)
    service.unblock(session=session, actor=user, target=target)
    return Response(status_code=204)

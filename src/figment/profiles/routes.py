from __future__ import annotations

from fastapi import APIRouter, Response

from figment.accounts import service as accounts
from figment.accounts.models import User
from figment.deps import CurrentUser, OptionalUser, ServicesDep, SessionDep
from figment.errors import NotFound
from figment.profiles import avatars, service
from figment.profiles.schemas import (
    AvatarIn,
    AvatarOut,
    AvatarRenderOut,
    CameoEntryOut,
    CameoOut,
    ProfileIn,
    ProfileOut,
)
from figment.profiles.service import CameoEntry
from figment.schemas import errors
from figment.videos import service as videos
from figment.videos.routes import media_response
from figment.videos.schemas import videos_out

router = APIRouter(prefix="/api", tags=["profiles"])


def _cameo(entry: CameoEntry) -> CameoEntryOut:
    return CameoEntryOut(
        handle=entry.handle,
        kind=entry.kind,
        permission=entry.permission,
        approval_required=entry.approval_required,
        usable_by_me=entry.usable_by_viewer,
    )


def profile_out(session: SessionDep, user: User, viewer: User | None) -> ProfileOut:
    followers, following = accounts.follow_counts(session=session, user_id=user.id)
    cameo = service.cameo_status(session=session, owner=user, viewer=viewer)
    return ProfileOut(
        handle=user.handle,
        display_name=user.display_name,
        bio=user.bio,
        avatar_url=avatars.url(handle=user.handle, still=avatars.current(session=session, user_id=user.id)),
        created_at=user.created_at,
        follower_count=followers,
        following_count=following,
        video_count=videos.count_published(session=session, author_id=user.id),
        likes_received=service.likes_received(session=session, user_id=user.id),
        followed_by_me=viewer is not None
        and accounts.is_following(session=session, follower_id=viewer.id, followee_id=user.id),
        is_me=viewer is not None and viewer.id == user.id,
        pinned=videos_out(session, service.pinned(session=session, user_id=user.id), viewer=viewer),
        cameo=CameoOut(
            person=_cameo(cameo.person) if cameo.person else None,
            characters=[_cameo(c) for c in cameo.characters],
        ),
    )


@router.get("/users/{handle}", response_model=ProfileOut)
def profile(handle: str, session: SessionDep, viewer: OptionalUser) -> ProfileOut:
    user = service.visible_profile(session=session, handle=handle, viewer=viewer)
    return profile_out(session, user, viewer)


@router.patch("/me", response_model=ProfileOut)
def update_profile(body: ProfileIn, session: SessionDep, user: CurrentUser) -> ProfileOut:
    sent = body.model_fields_set
    changes = {name: getattr(body, name) for name in ("display_name", "bio", "pinned") if name in sent}
    service.update(session=session, user=user, **changes)
    return profile_out(session, user, user)


def _avatar_out(session: SessionDep, user: User) -> AvatarOut:
    pending = avatars.latest_request(session=session, user_id=user.id)
    return AvatarOut(
        avatar_url=avatars.url(handle=user.handle, still=avatars.current(session=session, user_id=user.id)),
        pending=AvatarRenderOut(
            id=pending.id, prompt=pending.prompt, status=pending.status, progress=pending.progress, error=pending.error
        )
        if pending is not None
        else None,
    )


@router.get("/me/avatar", response_model=AvatarOut)
def avatar_status(session: SessionDep, user: CurrentUser) -> AvatarOut:
    return _avatar_out(session, user)


@router.post("/me/avatar", status_code=202, response_model=AvatarOut, responses=errors(409, 429))
def request_avatar(body: AvatarIn, session: SessionDep, services: ServicesDep, user: CurrentUser) -> AvatarOut:
    avatars.request(
        session=session,
        user=user,
        prompt=body.prompt,
        limits=services.submit_limits(),
        checks=services.checks,
        hooks=services.likeness,
    )
    return _avatar_out(session, user)


@router.delete("/me/avatar", status_code=204)
def remove_avatar(session: SessionDep, user: CurrentUser) -> Response:
    avatars.remove(session=session, user=user)
    return Response(status_code=204)


@router.get("/users/{handle}/avatar.jpg", include_in_schema=False)
def avatar_file(handle: str, session: SessionDep, services: ServicesDep, viewer: OptionalUser) -> Response:
    user = service.visible_profile(session=session, handle=handle, viewer=viewer)
    still = avatars.current(session=session, user_id=user.id)
    if still is None or not still.poster_key:
        raise NotFound(f"@{user.handle} has no avatar.")
    # Public like a published clip: each avatar has its own URL (?v=), so it may be cached.
    return media_response(services, still.poster_key, media_type="image/jpeg", public=True)

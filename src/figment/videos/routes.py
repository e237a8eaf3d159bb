from __future__ import annotations

from fastapi import APIRouter, Response
from fastapi.responses import FileResponse, RedirectResponse

from figment.accounts.models import User
from figment.deps import CurrentUser, OptionalUser, ServicesDep, SessionDep
from figment.errors import NotFound
from figment.schemas import UserRef, errors
from figment.storage.base import attachment
from figment.videos import selection, service
from figment.videos.models import Video, Visibility
from figment.videos.schemas import (
    BackendList,
    BackendOut,
    CommentIn,
    CommentList,
    CommentOut,
    LikeOut,
    ShareOut,
    SubmitIn,
    VideoList,
    VideoOut,
    ViewIn,
    videos_out,
)

router = APIRouter(prefix="/api", tags=["videos"])


def _one(session: SessionDep, video: Video, viewer: User | None) -> VideoOut:
    return videos_out(session, [video], viewer=viewer)[0]


@router.post("/videos", status_code=202, response_model=VideoOut, responses=errors(409, 429))
def submit(body: SubmitIn, session: SessionDep, services: ServicesDep, user: CurrentUser) -> VideoOut:
    video = service.submit(
        session=session,
        author=user,
        prompt=body.prompt,
        duration_s=body.duration_s,
        remix_of=body.remix_of,
        limits=services.submit_limits(body.backend),
        checks=services.checks,
        hooks=services.likeness,
    )
    services.recommender.store_embedding(session=session, video=video)
    return _one(session, video, user)


@router.get("/backends", response_model=BackendList)
def backends(services: ServicesDep) -> BackendList:
    """The video models an author may pick on this server, the default first, with their limits."""
    return BackendList(items=[BackendOut(**choice) for choice in selection.choices(services)])


@router.get("/videos/{video_id}", response_model=VideoOut)
def get_video(video_id: str, session: SessionDep, services: ServicesDep, viewer: OptionalUser) -> VideoOut:
    video = service.get_visible(session=session, video_id=video_id, viewer=viewer, hooks=services.likeness)
    return _one(session, video, viewer)


@router.post("/videos/{video_id}/publish", response_model=VideoOut, responses=errors(409))
def publish(video_id: str, session: SessionDep, services: ServicesDep, user: CurrentUser) -> VideoOut:
    video = service.publish(session=session, video_id=video_id, actor=user, hooks=services.likeness)
    return _one(session, video, user)


@router.post("/videos/{video_id}/unpublish", response_model=VideoOut, responses=errors(409))
def unpublish(video_id: str, session: SessionDep, services: ServicesDep, user: CurrentUser) -> VideoOut:
    """Back to the author's drafts (visible to them and to people whose likeness is in it)."""
    video = service.unpublish(session=session, video_id=video_id, actor=user, hooks=services.likeness)
    return _one(session, video, user)


@router.delete("/videos/{video_id}", status_code=204)
def delete(video_id: str, session: SessionDep, services: ServicesDep, user: CurrentUser) -> Response:
    service.delete_video(
        session=session, video_id=video_id, actor=user, storage=services.storage, hooks=services.likeness
    )
    return Response(status_code=204)


@router.get("/me/drafts", response_model=VideoList)
def drafts(session: SessionDep, user: CurrentUser) -> VideoList:
    return VideoList(items=videos_out(session, service.drafts(session=session, actor=user), viewer=user))


@router.post("/videos/{video_id}/like", response_model=LikeOut, responses=errors(409))
def like(video_id: str, session: SessionDep, services: ServicesDep, user: CurrentUser) -> LikeOut:
    video = service.like(session=session, video_id=video_id, actor=user, hooks=services.likeness)
    return LikeOut(like_count=video.like_count, liked_by_me=True)


@router.post("/videos/{video_id}/share", response_model=ShareOut, responses=errors(409))
def share(video_id: str, session: SessionDep, services: ServicesDep, user: CurrentUser) -> ShareOut:
    video = service.share(session=session, video_id=video_id, actor=user, hooks=services.likeness)
    return ShareOut(share_count=video.share_count)


@router.delete("/videos/{video_id}/like", response_model=LikeOut, responses=errors(409))
def unlike(video_id: str, session: SessionDep, services: ServicesDep, user: CurrentUser) -> LikeOut:
    video = service.unlike(session=session, video_id=video_id, actor=user, hooks=services.likeness)
    return LikeOut(like_count=video.like_count, liked_by_me=False)


@router.get("/videos/{video_id}/comments", response_model=CommentList)
def list_comments(video_id: str, session: SessionDep, services: ServicesDep, viewer: OptionalUser) -> CommentList:
    items = service.comments(session=session, video_id=video_id, viewer=viewer, hooks=services.likeness)
    handles = {u.id: u.handle for u in session.query(User).filter(User.id.in_({c.author_id for c in items}))}
    return CommentList(
        items=[
            CommentOut(
                id=c.id, author=UserRef(handle=handles.get(c.author_id, "")), body=c.body, created_at=c.created_at
            )
            for c in items
        ]
    )


@router.post("/videos/{video_id}/comments", status_code=201, response_model=CommentOut, responses=errors(409))
def add_comment(
    video_id: str, body: CommentIn, session: SessionDep, services: ServicesDep, user: CurrentUser
) -> CommentOut:
    comment = service.add_comment(
        session=session, video_id=video_id, actor=user, body=body.body, hooks=services.likeness
    )
    return CommentOut(
        id=comment.id, author=UserRef(handle=user.handle), body=comment.body, created_at=comment.created_at
    )


@router.post("/videos/{video_id}/view", status_code=204, responses=errors(409))
def view(video_id: str, body: ViewIn, session: SessionDep, services: ServicesDep, user: CurrentUser) -> Response:
    # Checked now, written later in a batch (feed.signals): a burst of views costs one read each.
    video = service.get_visible(session=session, video_id=video_id, viewer=user, hooks=services.likeness)
    services.recommender.signals.record_view(
        user_id=user.id, video_id=video.id, watched_ms=service.clamp_watched(body.watched_ms), completed=body.completed
    )
    return Response(status_code=204)


@router.post("/videos/{video_id}/see-less", status_code=204, responses=errors(409))
def see_less(video_id: str, session: SessionDep, services: ServicesDep, user: CurrentUser) -> Response:
    service.see_less(session=session, video_id=video_id, actor=user, hooks=services.likeness)
    return Response(status_code=204)


def _media(
    video_id: str,
    session: SessionDep,
    services: ServicesDep,
    viewer: User | None,
    which: str,
    *,
    download: bool = False,
) -> Response:
    video = service.get_visible(session=session, video_id=video_id, viewer=viewer, hooks=services.likeness)
    key = video.video_key if which == "video" else video.poster_key
    if not key:
        raise NotFound("This clip has no media yet.")
    # A download is the very file that plays (watermarked, C2PA-signed), saved under a telling name.
    filename = download_name(session, video) if download else None
    media_type = "video/mp4" if which == "video" else "image/jpeg"
    return media_response(
        services, key, media_type=media_type, public=video.visibility == Visibility.published, filename=filename
    )


def media_response(
    services: ServicesDep, key: str, *, media_type: str, public: bool, filename: str | None = None
) -> Response:
    """A stored file the caller was just allowed to see: from the folder (with Range requests), or a 307 to
    a short-lived presigned URL of the bucket. `public`: immutable under its URL, cacheable by anyone."""
    # Drafts must never sit in a shared cache; published clips are immutable under their URL.
    cache = "public, max-age=86400" if public else "private, no-store"
    path = services.storage.local_path(key)
    if path is not None:
        headers = {"Cache-Control": cache}
        if filename is not None:
            headers["Content-Disposition"] = attachment(filename)
        # FileResponse answers Range requests (206), which video seeking needs.
        return FileResponse(path, media_type=media_type, headers=headers)
    # A bucket: the viewer was allowed just now, so send them to a short-lived presigned URL; the
    # store answers Range requests itself. The redirect is kept for less time than the URL works.
    ttl = services.settings.s3_url_ttl_s
    url = services.storage.url(key, expires_s=ttl, cache_control=cache, download_as=filename)
    if url is None:
        raise NotFound("This clip has no media yet.")
    redirect_cache = f"public, max-age={ttl // 3}" if public else "private, no-store"
    return RedirectResponse(url, status_code=307, headers={"Cache-Control": redirect_cache})


def download_name(session: SessionDep, video: Video) -> str:
    author = session.get(User, video.author_id)
    return f"figment-{author.handle if author else 'clip'}-{video.id}.mp4"


@router.get("/videos/{video_id}/clip.mp4", include_in_schema=False)
def clip_file(
    video_id: str, session: SessionDep, services: ServicesDep, viewer: OptionalUser, download: bool = False
) -> Response:
    """The clip; `?download=1` answers with `Content-Disposition: attachment` (same file, same access)."""
    return _media(video_id, session, services, viewer, "video", download=download)


@router.get("/videos/{video_id}/poster.jpg", include_in_schema=False)
def poster_file(video_id: str, session: SessionDep, services: ServicesDep, viewer: OptionalUser) -> Response:
    return _media(video_id, session, services, viewer, "poster")

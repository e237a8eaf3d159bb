"""How a clip is shown in responses (shared/API.md): VideoOut and the batch shaping behind every list of clips."""

from __future__ import annotations

from collections.abc import Mapping, Set
from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.accounts.service import followee_ids
from figment.generation.types import MAX_DURATION_S
from figment.jobs.models import Job
from figment.likeness.models import cast_of
from figment.rights.credits import credits_for
from figment.schemas import Strict, UserRef, text_rules
from figment.videos.models import Video, VideoStatus
from figment.videos.service import MAX_COMMENT, MAX_PROMPT, MIN_DURATION_S, liked_ids
from figment.videos.standing import standings


class AuthorRef(UserRef):
    # None when nobody is logged in.
    followed_by_me: bool | None = None


class RemixRef(BaseModel):
    id: str
    author: UserRef
    prompt: str


class CastRef(UserRef):
    """A likeness in a clip: a person (their account's handle) or a character (its own handle)."""

    kind: str


class CreditRef(BaseModel):
    """A licensed work the clip uses, credited to its rights holder."""

    work: str
    holder: str


class VideoUrls(BaseModel):
    video: str | None
    poster: str | None


class VideoOut(BaseModel):
    id: str
    status: str
    visibility: str
    prompt: str
    author: AuthorRef
    duration_s: float
    width: int
    height: int
    urls: VideoUrls
    likeness: list[CastRef]
    remix_of: RemixRef | None
    progress: int
    queue_position: int | None = Field(
        default=None,
        ge=1,
        description="For a queued clip, its place in its job queue: 1 = the next one a worker takes "
        "(higher priority first, then the oldest). Null once it renders, and for a finished clip.",
    )
    eta_s: int | None = Field(
        default=None,
        ge=0,
        description="For a queued or rendering clip, the estimated seconds until it is ready, from how long "
        "this server's recent clips of the same model took (a published figure until there are any). Null "
        "for a finished clip.",
    )
    error: str | None
    # Why a blocked clip was refused, as the stable error code (rights_blocked, output_blocked, ...), so
    # a client can say it in its reader's language; `error` is the English sentence.
    error_code: str | None = None
    created_at: datetime
    published_at: datetime | None
    like_count: int
    comment_count: int
    share_count: int
    liked_by_me: bool
    plan: dict[str, Any] | None
    # For You only: a stable code (following, similar, collaborative, steered, ...) and the sentence to show.
    reason: str | None = None
    credits: list[CreditRef] = []
    reason_text: str | None = None
    # What the reason is about ("a rocket launching into space", "cooking"): clients write the sentence
    # in the viewer's language from `reason` and this; `reason_text` is the English sentence.
    reason_subject: str | None = None


def video_urls(video: Video) -> VideoUrls:
    if video.status != VideoStatus.ready or not video.video_key:
        return VideoUrls(video=None, poster=None)
    # The version suffix busts caches if a clip is ever re-rendered under the same id.
    version = int(video.created_at.timestamp())
    return VideoUrls(
        video=f"/api/videos/{video.id}/clip.mp4?v={version}",
        poster=f"/api/videos/{video.id}/poster.jpg?v={version}",
    )


def refusal_codes(*, session: Session, video_ids: list[str]) -> dict[str, str]:
    """The error code each blocked clip's render job ended with (generation.worker._block records it)."""
    if not video_ids:
        return {}
    rows = session.execute(select(Job.video_id, Job.last_error).where(Job.video_id.in_(video_ids)))
    return {vid: code for vid, code in rows if vid and code and code.isidentifier()}


def videos_out(
    session: Session,
    videos: list[Video],
    *,
    viewer: User | None = None,
    reasons: dict[str, str] | None = None,
    following: Set[str] | None = None,
    handles: Mapping[str, str] | None = None,
    liked: Set[str] | None = None,
) -> list[VideoOut]:
    """Shape many videos with a fixed number of queries, not a few per video.

    A caller that already loaded the viewer's followees, the authors' handles or the viewer's likes
    (the feed does, in its own queries) passes them and saves those round trips.
    """
    if liked is None:
        liked = liked_ids(session=session, user=viewer, video_ids=[v.id for v in videos])
    if following is None:
        following = followee_ids(session=session, user_id=viewer.id) if viewer is not None else set()
    follows = following
    remix_ids = {v.remix_of_id for v in videos if v.remix_of_id}
    originals = {v.id: v for v in session.scalars(select(Video).where(Video.id.in_(remix_ids)))} if remix_ids else {}
    known = dict(handles or {})
    missing = ({v.author_id for v in videos} | {o.author_id for o in originals.values()}) - known.keys()
    if missing:
        known.update(session.execute(select(User.id, User.handle).where(User.id.in_(missing))).all())
    handles = known
    reasons = reasons or {}
    credits = credits_for(session=session, video_ids=[v.id for v in videos])
    cast = cast_of(session=session, video_ids=[v.id for v in videos])
    refusals = refusal_codes(session=session, video_ids=[v.id for v in videos if v.status == VideoStatus.blocked])
    standing = standings(session=session, videos=videos)
    out = []
    for video in videos:
        original = originals.get(video.remix_of_id) if video.remix_of_id else None
        remix = (
            RemixRef(id=original.id, author=UserRef(handle=handles.get(original.author_id, "")), prompt=original.prompt)
            if original is not None and original.visibility == "published"
            else None
        )
        out.append(
            VideoOut(
                id=video.id,
                status=video.status,
                visibility=video.visibility,
                prompt=video.prompt,
                author=AuthorRef(
                    handle=handles.get(video.author_id, ""),
                    followed_by_me=(video.author_id in follows) if viewer is not None else None,
                ),
                duration_s=video.duration_s,
                width=video.width,
                height=video.height,
                urls=video_urls(video),
                likeness=[CastRef(handle=h, kind=k) for h, k in cast.get(video.id, [])],
                remix_of=remix,
                progress=video.progress,
                queue_position=standing[video.id].queue_position if video.id in standing else None,
                eta_s=standing[video.id].eta_s if video.id in standing else None,
                error=video.error,
                error_code=refusals.get(video.id),
                created_at=video.created_at,
                published_at=video.published_at,
                like_count=video.like_count,
                comment_count=video.comment_count,
                share_count=video.share_count,
                liked_by_me=video.id in liked,
                plan=video.plan,
                reason=reasons.get(video.id),
                credits=[CreditRef(work=work, holder=holder) for work, holder in credits.get(video.id, [])],
            )
        )
    return out


class VideoList(BaseModel):
    items: list[VideoOut]


class SubmitIn(Strict):
    prompt: str = Field(max_length=20_000, json_schema_extra=text_rules(MAX_PROMPT))
    duration_s: float | None = Field(
        default=None, json_schema_extra={"minimum": MIN_DURATION_S, "maximum": MAX_DURATION_S}
    )
    remix_of: str | None = Field(default=None, max_length=64)
    # One of the server's enabled video models (GET /api/backends); None: the server's default. The
    # document lists the enabled names as this server's enum (videos.selection.document_backends).
    backend: str | None = Field(default=None, max_length=32)


class BackendOut(BaseModel):
    """A video model an author may pick, and its limits (the create page offers only what it makes)."""

    name: str = Field(description="What the create API takes as `backend`: procedural, openai-videos, veo, ...")
    default: bool = Field(description="The server's default (FIGMENT_BACKEND).")
    available: bool = Field(description="Whether it can render now; when false, clips asking for it are refused.")
    hosted: bool = Field(description="The prompt is sent to another company's servers to be rendered.")
    max_duration_s: float = Field(gt=0, le=MAX_DURATION_S)
    sizes: list[str] = Field(description="The clip sizes it makes, WIDTHxHEIGHT (9:16).")
    supports_likeness: bool = Field(description="Whether a clip may show a consenting person's @tagged face.")


class BackendList(BaseModel):
    items: list[BackendOut]


class CommentIn(Strict):
    body: str = Field(max_length=20_000, json_schema_extra=text_rules(MAX_COMMENT))


class CommentOut(BaseModel):
    id: str
    author: UserRef
    body: str
    created_at: datetime


class CommentList(BaseModel):
    items: list[CommentOut]


class LikeOut(BaseModel):
    like_count: int
    liked_by_me: bool


class ShareOut(BaseModel):
    share_count: int


class ViewIn(Strict):
    watched_ms: int = Field(ge=0, le=2**31 - 1)
    completed: bool = False

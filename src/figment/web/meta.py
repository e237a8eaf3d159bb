"""Link previews: Open Graph and Twitter card tags rendered into the shell for crawlers (they run no JS).

Only what an anonymous visitor may see gets its own tags: a published, rendered clip and a profile that
is not banned. Drafts, removed or missing clips and unknown or banned accounts get the generic tags, so a
preview never leaks a prompt or an account's existence. Tags are computed as for a visitor without a
session (a crawler has none), so a viewer's own drafts are not previewed either.

Absolute URLs start at FIGMENT_PUBLIC_URL, or at the request's own base URL when it is not set. The
image and video URLs are the media routes, which serve a published clip to anyone (a local file, or a
307 to a presigned URL on S3 that crawlers follow).
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.orm import Session

from figment.accounts import service as accounts
from figment.accounts.models import User
from figment.errors import NotFound
from figment.profiles import avatars
from figment.settings import Settings
from figment.videos.models import Video, VideoStatus, Visibility

TITLE_MAX = 70
DESCRIPTION_MAX = 200
ICON_PATH = "/static/icons/icon-512.png"

_TEXT = {
    "en": {
        "site": "Figment: an open short-video network where every clip starts as a sentence.",
        "clip": "A clip by @{handle} on Figment. Every clip starts as a sentence.",
        "profile": "@{handle} on Figment: {count} published clips.",
        "profile_one": "@{handle} on Figment: 1 published clip.",
    },
    "it": {
        "site": "Figment: una rete aperta di brevi video in cui ogni clip nasce da una frase.",
        "clip": "Una clip di @{handle} su Figment. Ogni clip nasce da una frase.",
        "profile": "@{handle} su Figment: {count} clip pubblicate.",
        "profile_one": "@{handle} su Figment: 1 clip pubblicata.",
    },
}


@dataclass(frozen=True)
class Tag:
    attr: str  # "property" (Open Graph) or "name" (Twitter)
    key: str
    content: str


@dataclass(frozen=True)
class PageMeta:
    title: str
    description: str
    tags: tuple[Tag, ...]


def public_base(request: Request, settings: Settings) -> str:
    """The origin (and path prefix) that absolute links start with."""
    return (settings.public_url or str(request.base_url)).rstrip("/")


def trim(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0] if " " in flat[: limit - 1] else flat[: limit - 1]
    return cut.rstrip(" ,.;:") + "…"


def _page(
    *, base: str, path: str, kind: str, title: str, description: str, image: str | None, extra: tuple[Tag, ...] = ()
) -> PageMeta:
    image_url = image or base + ICON_PATH
    tags = [
        Tag("property", "og:site_name", "Figment"),
        Tag("property", "og:type", kind),
        Tag("property", "og:url", base + path),
        Tag("property", "og:title", title),
        Tag("property", "og:description", description),
        Tag("property", "og:image", image_url),
        *extra,
        Tag("name", "twitter:card", "summary_large_image" if image else "summary"),
        Tag("name", "twitter:title", title),
        Tag("name", "twitter:description", description),
        Tag("name", "twitter:image", image_url),
    ]
    return PageMeta(title=title, description=description, tags=tuple(tags))


def generic(*, base: str, path: str, lang: str) -> PageMeta:
    text = _TEXT[lang]
    return _page(base=base, path=path, kind="website", title="Figment", description=text["site"], image=None)


def for_video(*, session: Session, video_id: str, base: str, lang: str) -> PageMeta:
    path = f"/v/{video_id}"
    video = session.get(Video, video_id) if len(video_id) <= 64 else None
    public = (
        video is not None
        and video.visibility == Visibility.published
        and video.status == VideoStatus.ready
        and bool(video.video_key)
        and bool(video.poster_key)
    )
    author = session.get(User, video.author_id) if video is not None and public else None
    if video is None or author is None or author.banned_at is not None:
        return generic(base=base, path=path, lang=lang)
    media = f"{base}/api/videos/{video.id}"
    poster = f"{media}/poster.jpg"
    size = (str(video.width), str(video.height))
    extra = (
        Tag("property", "og:image:type", "image/jpeg"),
        Tag("property", "og:image:width", size[0]),
        Tag("property", "og:image:height", size[1]),
        Tag("property", "og:video", f"{media}/clip.mp4"),
        Tag("property", "og:video:secure_url", f"{media}/clip.mp4") if base.startswith("https://") else None,
        Tag("property", "og:video:type", "video/mp4"),
        Tag("property", "og:video:width", size[0]),
        Tag("property", "og:video:height", size[1]),
    )
    return _page(
        base=base,
        path=path,
        kind="video.other",
        title=trim(video.prompt, TITLE_MAX),
        description=trim(_TEXT[lang]["clip"].format(handle=author.handle), DESCRIPTION_MAX),
        image=poster,
        extra=tuple(tag for tag in extra if tag is not None),
    )


def for_profile(*, session: Session, handle: str, base: str, lang: str) -> PageMeta:
    try:
        user = accounts.get_by_handle(session=session, handle=handle)
    except NotFound:
        user = None
    if user is None or user.banned_at is not None:
        return generic(base=base, path=f"/@{handle[:40]}", lang=lang)
    path = f"/@{user.handle}"
    published = (Video.author_id == user.id, Video.visibility == Visibility.published, Video.poster_key.is_not(None))
    latest = session.scalars(select(Video).where(*published).order_by(Video.published_at.desc()).limit(1)).first()
    from figment.videos.service import count_published

    count = count_published(session=session, author_id=user.id)
    text = _TEXT[lang]
    description = (text["profile_one"] if count == 1 else text["profile"]).format(handle=user.handle, count=count)
    if user.bio:  # what they say about themselves, then the count
        description = trim(f"{user.bio} · {description}".replace("\n", " "), DESCRIPTION_MAX)
    name = f"{user.display_name} (@{user.handle})" if user.display_name else f"@{user.handle}"
    # Their generated avatar is the picture of a profile; without one, their latest clip's poster.
    avatar_url = avatars.url(handle=user.handle, still=avatars.current(session=session, user_id=user.id))
    image = f"{base}/api/videos/{latest.id}/poster.jpg" if latest is not None else None
    return _page(
        base=base,
        path=path,
        kind="profile",
        title=trim(f"{name} · Figment", TITLE_MAX),
        description=description,
        image=f"{base}{avatar_url}" if avatar_url else image,
        extra=(Tag("property", "profile:username", user.handle),),
    )

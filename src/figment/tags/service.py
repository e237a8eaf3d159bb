"""Tags stored with their clips, and a tag's page of clips (newest first, keyset cursor)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.errors import ValidationFailed
from figment.feed import cursor as cursors
from figment.search.visibility import Viewer, listed_clip
from figment.tags.models import ClipTag, Hashtag
from figment.tags.names import extract_tags, parse_tag_name
from figment.videos.models import Video

MAX_LIMIT = 50


def record_for_clip(*, session: Session, video: Video) -> list[str]:
    """Store the tags of a clip's prompt (idempotent: a repeat inserts nothing)."""
    tags = extract_tags(video.prompt)
    if not tags:
        return []
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # INSERT .. ON CONFLICT DO NOTHING: two clips naming a new tag at once both succeed.
    session.execute(insert(Hashtag).values([{"name": t} for t in tags]).on_conflict_do_nothing())
    session.execute(insert(ClipTag).values([{"video_id": video.id, "tag": t} for t in tags]).on_conflict_do_nothing())
    return tags


@dataclass(frozen=True)
class TagPage:
    tag: str
    items: list[Video]
    next_cursor: str | None


def clips_for_tag(
    *, session: Session, viewer: Viewer, name: str, cursor: str | None, limit: int, secret: str
) -> TagPage:
    tag = parse_tag_name(name)
    if not 1 <= limit <= MAX_LIMIT:
        raise ValidationFailed(f"limit must be between 1 and {MAX_LIMIT} but is {limit}.", field="limit")
    query = (
        select(Video)
        .join(ClipTag, ClipTag.video_id == Video.id)
        .join(User, User.id == Video.author_id)
        .where(ClipTag.tag == tag, listed_clip(viewer))
        .order_by(Video.published_at.desc(), Video.id.desc())
        .limit(limit + 1)
    )
    if cursor:
        state = cursors.decode(cursor, secret=secret)
        try:
            if state.get("tag") != tag:
                raise ValueError("another tag")
            at, last = datetime.fromisoformat(str(state["t"])), str(state["i"])
        except (KeyError, ValueError) as exc:
            raise ValidationFailed("The cursor is not valid: start again from the first page.", field="cursor") from exc
        query = query.where((Video.published_at < at) | ((Video.published_at == at) & (Video.id < last)))
    rows = list(session.scalars(query))
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = None
    if more and rows and rows[-1].published_at is not None:
        next_cursor = cursors.encode(
            {"tag": tag, "t": rows[-1].published_at.isoformat(), "i": rows[-1].id}, secret=secret
        )
    return TagPage(tag=tag, items=rows, next_cursor=next_cursor)

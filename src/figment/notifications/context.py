"""What a notification is about, shown with it: the clip (poster and prompt), the comment's text, and
which of the recipient's likenesses or characters a `cameo_*` notification concerns.

Read for a page of notifications at once (a query per kind of fact, not per row). A clip is shown only
while the recipient may still see it (videos.service.can_view: a draft of someone else's stays hidden
unless the recipient is in it, a removed clip is gone), so a notification never leaks a clip.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.likeness.models import Appearance, Likeness
from figment.notifications.models import Notification, NotificationKind
from figment.videos.hooks import ClipHooks
from figment.videos.models import Comment, Video
from figment.videos.schemas import video_urls
from figment.videos.service import can_view

# The likeness concerned belongs to the recipient (someone used it) or to the actor (its owner decided).
_OWNER_IS_RECIPIENT = {NotificationKind.cameo_used, NotificationKind.cameo_published}
_OWNER_IS_ACTOR = {
    NotificationKind.cameo_approved,
    NotificationKind.cameo_refused,
    NotificationKind.cameo_stopped,
    NotificationKind.cameo_removed,
}
PROMPT_SHOWN = 140


@dataclass
class Context:
    video_id: str | None = None
    prompt: str | None = None
    poster: str | None = None
    comment: str | None = None
    # (handle, kind) of each likeness the notification concerns: "person" or "character".
    likenesses: list[tuple[str, str]] = field(default_factory=list)


def contexts(*, session: Session, rows: list[Notification], recipient: User, hooks: ClipHooks) -> dict[str, Context]:
    out = {n.id: Context() for n in rows}
    video_ids = {n.subject_id for n in rows if n.subject_type == "video"}
    if not video_ids:
        return out
    videos = {v.id: v for v in session.scalars(select(Video).where(Video.id.in_(video_ids)))}
    visible = {
        vid for vid, video in videos.items() if can_view(session=session, video=video, viewer=recipient, hooks=hooks)
    }
    comments: dict[tuple[str, str], str] = {}
    commented = {n.subject_id for n in rows if n.kind == NotificationKind.comment and n.subject_id in visible}
    if commented:
        # The newest visible comment of each (clip, person): the notification is one per clip and person.
        for video_id, author_id, body in session.execute(
            select(Comment.video_id, Comment.author_id, Comment.body)
            .where(Comment.video_id.in_(commented), Comment.hidden.is_(False))
            .order_by(Comment.created_at)
        ):
            comments[(video_id, author_id)] = body
    cast: dict[str, list[tuple[str, str, str]]] = {}
    if any(str(n.kind).startswith("cameo_") for n in rows):
        for video_id, owner_id, handle, kind in session.execute(
            select(Appearance.video_id, Appearance.owner_id, Likeness.handle, Likeness.kind)
            .join(Likeness, Likeness.id == Appearance.likeness_id)
            .where(Appearance.video_id.in_(video_ids))
            .order_by(Appearance.position)
        ):
            cast.setdefault(video_id, []).append((owner_id, handle, str(kind)))
    for n in rows:
        if n.subject_type != "video":
            continue
        context = out[n.id]
        video = videos.get(n.subject_id)
        if video is not None and n.subject_id in visible:
            context.video_id = video.id
            context.prompt = video.prompt[:PROMPT_SHOWN]
            context.poster = video_urls(video).poster
        if n.kind == NotificationKind.comment:
            context.comment = comments.get((n.subject_id, n.actor_id))
        owner = n.recipient_id if n.kind in _OWNER_IS_RECIPIENT else n.actor_id if n.kind in _OWNER_IS_ACTOR else None
        if owner is not None:
            context.likenesses = [(h, k) for o, h, k in cast.get(n.subject_id, []) if o == owner]
    return out

"""Search: people by handle (and display name, where accounts have one) by prefix, clips by meaning,
tags by prefix; typo-tolerant; never anything the viewer may not see (search.visibility).

Clips are found by the meaning of their prompt: the query is embedded with the app's multilingual
embedder and looked up in the same faiss index For You uses for similar clips (feed.vector_index), so
"gatto" finds "a cat on a piano" and a typo costs a little similarity rather than the match. The
nearest clips are then checked against the database in one query (published, rendered, author not
banned or blocked), which also drops clips removed since the index last read the table.

Pages: a cursor carries the query, the type and an offset into at most MAX_RESULTS results, which are
computed again per page (cheap, and no state is kept per searcher).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal, get_args

import numpy as np
from sqlalchemy import func, literal, select, union_all
from sqlalchemy.orm import Session, sessionmaker

from figment.accounts.handles import handle_skeleton
from figment.accounts.models import User
from figment.embeddings import Embedder
from figment.errors import ValidationFailed
from figment.feed import cursor as cursors
from figment.feed.vector_index import VectorIndex
from figment.search.names import NameDirectory
from figment.search.visibility import Viewer, listed_clip, listed_user
from figment.tags.models import ClipTag, Hashtag
from figment.tags.names import fold_confusables, fold_tag
from figment.videos.models import Video

SearchType = Literal["users", "clips", "tags"]
TYPES: tuple[str, ...] = get_args(SearchType)
MAX_QUERY = 100
MAX_LIMIT = 50
MAX_RESULTS = 200
# Cosine similarity of the query's and the prompt's embeddings under which a clip is not a result.
# Multilingual USE: a word and a prompt about it (also across English and Italian) score 0.35-0.7;
# unrelated prompts 0.0-0.25.
MIN_CLIP_SIMILARITY = 0.3
# Tag counts stop here ("100+"): counting every clip of a popular tag would cost more than the page.
COUNT_CAP = 100


@dataclass(frozen=True)
class UserHit:
    user: User
    match: str  # prefix | name | similar


@dataclass(frozen=True)
class TagHit:
    name: str
    clip_count: int
    match: str  # exact | prefix | similar


@dataclass
class SearchResult:
    type: str
    query: str
    users: list[UserHit] = field(default_factory=list)
    clips: list[tuple[Video, float]] = field(default_factory=list)
    tags: list[TagHit] = field(default_factory=list)
    next_cursor: str | None = None


def _display_name_column() -> object | None:
    # The profiles feature adds `users.display_name`; until then people are found by handle alone.
    return getattr(User, "display_name", None)


def _people(session: Session) -> Iterable[tuple[str, str]]:
    column = _display_name_column()
    if column is None:
        rows = session.execute(select(User.handle_skeleton, User.handle).where(User.banned_at.is_(None)))
        return ((skeleton, handle) for skeleton, handle in rows)
    rows3 = session.execute(select(User.handle_skeleton, User.handle, column).where(User.banned_at.is_(None)))  # type: ignore[call-overload]
    out: list[tuple[str, str]] = []
    for skeleton, handle, display_name in rows3:
        out.append((skeleton, handle))
        for word in fold_confusables(display_name or "").split():
            out.append((word, handle))  # each word of a display name is a prefix to find it by
    return out


def _tags(session: Session) -> Iterable[tuple[str, str]]:
    return ((name, name) for name in session.scalars(select(Hashtag.name)))


@dataclass
class Searcher:
    embedder: Embedder
    index: VectorIndex
    session_factory: sessionmaker[Session]
    people: NameDirectory = field(init=False)
    tag_names: NameDirectory = field(init=False)

    def __post_init__(self) -> None:
        self.people = NameDirectory(_people, session_factory=self.session_factory)
        self.tag_names = NameDirectory(_tags, session_factory=self.session_factory)

    def search(
        self,
        *,
        session: Session,
        viewer: Viewer,
        q: str,
        type: str,
        cursor: str | None,
        limit: int,
        secret: str,
    ) -> SearchResult:
        query, kind, offset = self._parse(q=q, type=type, cursor=cursor, limit=limit, secret=secret)
        want = min(MAX_RESULTS, offset + limit + 1)
        result = SearchResult(type=kind, query=query)
        found: list[object]
        if kind == "users":
            result.users = self._users(session, viewer, query, want)
            found = list(result.users)
        elif kind == "clips":
            result.clips = self._clips(session, viewer, query, want)
            found = list(result.clips)
        else:
            result.tags = self._tags(session, viewer, query, want)
            found = list(result.tags)
        more = len(found) > offset + limit and offset + limit < MAX_RESULTS
        result.users = result.users[offset : offset + limit]
        result.clips = result.clips[offset : offset + limit]
        page = result.tags[offset : offset + limit]
        counts = self.count_listed(session, viewer, [t.name for t in page])
        result.tags = [TagHit(t.name, counts.get(t.name, 1), t.match) for t in page]
        if more:
            result.next_cursor = cursors.encode({"q": query, "t": kind, "o": offset + limit}, secret=secret)
        return result

    @staticmethod
    def _parse(*, q: str, type: str, cursor: str | None, limit: int, secret: str) -> tuple[str, str, int]:
        if type not in TYPES:
            raise ValidationFailed(f"type must be one of {', '.join(TYPES)} but is '{str(type)[:40]}'.", field="type")
        if "\x00" in (q or ""):
            # PostgreSQL text cannot hold U+0000; no name or prompt contains it either.
            raise ValidationFailed("q must not contain the NUL character (U+0000).", field="q")
        query = " ".join(unicodedata.normalize("NFKC", q or "").split())
        if not query:
            raise ValidationFailed("q must say what to look for; it is empty.", field="q")
        if len(query) > MAX_QUERY:
            raise ValidationFailed(f"q must be at most {MAX_QUERY} characters but has {len(query)}.", field="q")
        if not 1 <= limit <= MAX_LIMIT:
            raise ValidationFailed(f"limit must be between 1 and {MAX_LIMIT} but is {limit}.", field="limit")
        offset = 0
        if cursor:
            state = cursors.decode(cursor, secret=secret)
            if state.get("q") != query or state.get("t") != type:
                raise ValidationFailed(
                    "The cursor belongs to another search: start again from the first page.", field="cursor"
                )
            offset = state.get("o", 0)
            if not isinstance(offset, int) or not 0 <= offset < MAX_RESULTS:
                raise ValidationFailed("The cursor is not valid: start again from the first page.", field="cursor")
        return query, type, offset

    # --- people ---------------------------------------------------------------------------------

    def _users(self, session: Session, viewer: Viewer, query: str, want: int) -> list[UserHit]:
        text = fold_confusables(query.lstrip("@")).replace(" ", "")
        if not text:
            return []
        skeleton = handle_skeleton(text)
        hits: dict[str, UserHit] = {}
        # Prefix of the handle as typed, then of its skeleton (so 'pau1' finds @paul): both indexed.
        for column, prefix in ((User.handle, text), (User.handle_skeleton, skeleton)):
            if not prefix:
                continue
            rows = session.scalars(
                select(User)
                .where(column >= prefix, column < prefix + "\U0010ffff", listed_user(viewer))
                .order_by(func.length(User.handle), User.handle)
                .limit(want)
            )
            for user in rows:
                # The range is the index's; a database collation other than C may let in names that only
                # sort near the prefix (PostgreSQL's en_US ignores '_' at first), so check it here.
                if getattr(user, column.key).startswith(prefix):
                    hits.setdefault(user.handle, UserHit(user, "prefix"))
        if len(hits) < want:
            self.people.ensure_loaded(session)
            extra: list[tuple[str, str]] = []
            if _display_name_column() is not None:
                extra += [(h, "name") for h in self.people.starting_with(fold_confusables(query), limit=want)]
            extra += [(h, "similar") for h, _score in self.people.similar(skeleton, limit=want)]
            missing = [h for h, _ in extra if h not in hits]
            if missing:
                users = {
                    u.handle: u
                    for u in session.scalars(select(User).where(User.handle.in_(missing), listed_user(viewer)))
                }
                for handle, how in extra:
                    if handle in users and handle not in hits:
                        hits[handle] = UserHit(users[handle], how)
        # Whom the viewer follows first among equals: the person they most likely mean.
        ordered = sorted(
            hits.values(),
            key=lambda hit: (hit.user.handle != text, hit.match != "prefix", hit.user.id not in viewer.following),
        )
        return ordered[:want]

    # --- clips ----------------------------------------------------------------------------------

    def _clips(self, session: Session, viewer: Viewer, query: str, want: int) -> list[tuple[Video, float]]:
        vector = np.asarray(self.embedder.embed([query.lstrip("#")]), dtype=np.float32)
        self.index.ensure_loaded(session)
        # More than wanted: some of the nearest are filtered out below (blocked authors, removed clips).
        nearest = [
            (vid, score)
            for vid, score, _q in self.index.search(vector, min(MAX_RESULTS * 2, want * 3 + 20))
            if score >= MIN_CLIP_SIMILARITY
        ]
        if not nearest:
            return []
        rows = {
            video.id: video
            for video in session.scalars(
                select(Video)
                .join(User, User.id == Video.author_id)
                .where(Video.id.in_([vid for vid, _ in nearest]), listed_clip(viewer))
            )
        }
        return [(rows[vid], score) for vid, score in nearest if vid in rows][:want]

    # --- tags -----------------------------------------------------------------------------------

    def _tags(self, session: Session, viewer: Viewer, query: str, want: int) -> list[TagHit]:
        prefix = fold_tag(query.lstrip("#").replace(" ", ""))
        if not prefix:
            raise ValidationFailed(f"A tag search needs letters, digits or '_' but '{query[:60]}' has none.", field="q")
        names = list(
            session.scalars(
                select(Hashtag.name)
                .where(Hashtag.name >= prefix, Hashtag.name < prefix + "\U0010ffff")
                .order_by(func.length(Hashtag.name), Hashtag.name)
                .limit(want * 2)
            )
        )
        names = [name for name in names if name.startswith(prefix)]  # as for people: the collation
        how = {name: ("exact" if name == prefix else "prefix") for name in names}
        if len(names) < want:
            self.tag_names.ensure_loaded(session)
            for name, _score in self.tag_names.similar(prefix, limit=want):
                if name not in how:
                    names.append(name)
                    how[name] = "similar"
        # A tag whose clips are all drafts or hidden says nothing about them: one query keeps the names
        # that have a clip this viewer may see (EXISTS stops at the first). Counting waits for the page.
        listed = select(ClipTag.video_id).join(Video, Video.id == ClipTag.video_id)
        shown = set(
            session.scalars(
                select(Hashtag.name).where(
                    Hashtag.name.in_(names),
                    listed.where(ClipTag.tag == Hashtag.name, listed_clip(viewer, author_joined=False)).exists(),
                )
            )
        )
        return [TagHit(name, 1, how[name]) for name in names if name in shown][:want]

    @staticmethod
    def count_listed(session: Session, viewer: Viewer, tags: list[str], *, cap: int = COUNT_CAP) -> dict[str, int]:
        """Each tag's clips this viewer may see, each count stopping at `cap`, in one statement."""
        if not tags:
            return {}
        parts = []
        for tag in tags:
            capped = (
                select(ClipTag.video_id)
                .join(Video, Video.id == ClipTag.video_id)
                .where(ClipTag.tag == tag, listed_clip(viewer, author_joined=False))
                .limit(cap)
                .subquery()
            )
            parts.append(select(literal(tag).label("tag"), func.count().label("n")).select_from(capped))
        return {tag: int(n) for tag, n in session.execute(union_all(*parts))}

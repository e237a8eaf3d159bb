"""Response shapes of search, the tag page and Discover."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from figment.videos.schemas import VideoOut


class PersonOut(BaseModel):
    handle: str
    display_name: str | None = Field(default=None, description="Once accounts have one (profiles).")
    followed_by_me: bool | None = Field(default=None, description="None when nobody is logged in.")
    match: Literal["prefix", "name", "similar"] = Field(
        description="How the query found them: handle prefix, display-name word, or a near spelling."
    )


class TagOut(BaseModel):
    name: str = Field(description="Lower-case and confusable-folded, without '#'.")
    clip_count: int = Field(ge=1, le=100, description="Published clips you may see, counted up to 100 (100 = 100+).")
    match: Literal["exact", "prefix", "similar"]


class SearchOut(BaseModel):
    type: Literal["users", "clips", "tags"]
    q: str = Field(description="The query as searched (spaces collapsed, NFKC).")
    users: list[PersonOut]
    clips: list[VideoOut] = Field(description="Closest in meaning first (any language the embedder reads).")
    tags: list[TagOut]
    next_cursor: str | None


class TagClipsOut(BaseModel):
    tag: str
    items: list[VideoOut] = Field(description="Published clips carrying the tag, newest first.")
    next_cursor: str | None


class ReasonOut(BaseModel):
    code: str = Field(
        description="trending_today | trending_week | clip_of_the_day | clip_of_the_week | new_creator | "
        "character_everyone | character_mutuals | character_approved | character_owner"
    )
    counts: dict[str, int] = Field(description="What the reason counts: clips, likes, views, shares, days.")
    text: str = Field(description="The reason in English; the web client words it from `code` and `counts`.")


class TrendingTagOut(BaseModel):
    name: str
    reason: ReasonOut


class DiscoverClipOut(BaseModel):
    clip: VideoOut
    reason: ReasonOut


class CreatorOut(BaseModel):
    handle: str
    display_name: str | None = None
    reason: ReasonOut


class CharacterOut(BaseModel):
    handle: str
    owner: str = Field(description="The handle of the account that made the character.")
    description: str
    reason: ReasonOut


class DiscoverOut(BaseModel):
    tags: list[TrendingTagOut]
    clips: list[DiscoverClipOut]
    creators: list[CreatorOut]
    characters: list[CharacterOut]

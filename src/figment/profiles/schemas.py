"""Request and response shapes of the profiles routes."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from figment.profiles.service import MAX_PINS
from figment.profiles.text import MAX_BIO, MAX_DISPLAY_NAME
from figment.schemas import Strict, text_rules
from figment.videos.schemas import VideoOut
from figment.videos.service import MAX_PROMPT


class CameoEntryOut(BaseModel):
    handle: str
    kind: str = Field(description="`person` (the account's own face) or `character`.")
    permission: str = Field(
        description="Who may tag it: only_me, approved, mutuals or everyone (a teen's everyone is shown as mutuals)."
    )
    approval_required: bool = Field(description="The owner approves each clip before it is published.")
    usable_by_me: bool | None = Field(description="Whether the caller may tag it now; null when not logged in.")


class CameoOut(BaseModel):
    person: CameoEntryOut | None = Field(description="The account's verified face; null: nobody can tag them.")
    characters: list[CameoEntryOut]


class ProfileOut(BaseModel):
    handle: str
    display_name: str | None
    bio: str | None = Field(description="Plain text; clients link @handles and #tags themselves.")
    avatar_url: str | None = Field(description="The generated avatar (JPEG); null: none, show the initial.")
    created_at: datetime
    follower_count: int
    following_count: int
    video_count: int
    likes_received: int
    followed_by_me: bool
    is_me: bool
    pinned: list[VideoOut] = Field(description=f"Up to {MAX_PINS} published clips, in the owner's order.")
    cameo: CameoOut


class ProfileIn(Strict):
    """Fields left out stay as they are; null (or "") clears a field."""

    display_name: str | None = Field(
        default=None, max_length=2000, json_schema_extra=text_rules(MAX_DISPLAY_NAME, required=False)
    )
    bio: str | None = Field(default=None, max_length=20_000, json_schema_extra=text_rules(MAX_BIO, required=False))
    pinned: list[str] | None = Field(
        default=None,
        max_length=50,
        json_schema_extra={"maxItems": MAX_PINS, "uniqueItems": True},
        description="Ids of your own published clips, in the order to show them; [] or null unpins all.",
    )


class AvatarIn(Strict):
    prompt: str = Field(max_length=20_000, json_schema_extra=text_rules(MAX_PROMPT))


class AvatarRenderOut(BaseModel):
    id: str
    prompt: str
    status: str = Field(description="queued, rendering, ready, failed or blocked (the reason is in `error`).")
    progress: int
    error: str | None


class AvatarOut(BaseModel):
    avatar_url: str | None = Field(description="The avatar shown now.")
    pending: AvatarRenderOut | None = Field(
        description="The newest request that has not become the avatar: being made, failed or refused."
    )

"""Request and response shapes of the feed routes."""

from __future__ import annotations

from pydantic import BaseModel, Field

from figment.feed.steering import MAX_TEXT
from figment.schemas import Strict
from figment.videos.schemas import VideoOut


class FeedOut(BaseModel):
    items: list[VideoOut]
    next_cursor: str | None


class PreferencesIn(Strict):
    text: str = Field(max_length=5000, json_schema_extra={"maxLength": MAX_TEXT})


class PreferencesPatch(Strict):
    text: str | None = Field(default=None, max_length=5000, json_schema_extra={"maxLength": MAX_TEXT})
    personalised: bool | None = None
    endless_scroll: bool | None = None


class PreferencesOut(BaseModel):
    """Steering text plus the account's feed rules (teens and guardians: safety.teens)."""

    text: str
    personalised: bool
    endless_scroll: bool
    teen: bool
    guardian_locked: bool

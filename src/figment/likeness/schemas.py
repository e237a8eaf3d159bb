"""Request and response shapes of the likeness routes (shared/API.md, Likeness)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, Field

from figment.likeness.models import Permission
from figment.likeness.restrictions import MAX_RESTRICTION_CHARS, MAX_RESTRICTIONS
from figment.likeness.service import LOOK_SHAPE, MAX_DESCRIPTION
from figment.schemas import HANDLE_RULES, Strict, text_rules
from figment.videos.schemas import VideoOut

# What likeness.service and likeness.restrictions check, in their own words (see figment.schemas).
Restriction = Annotated[str, Field(max_length=1000, json_schema_extra=text_rules(MAX_RESTRICTION_CHARS))]
RESTRICTION_LIST: dict[str, Any] = {"maxItems": MAX_RESTRICTIONS}
DESCRIPTION = text_rules(MAX_DESCRIPTION)
LOOK: dict[str, Any] = {
    "pattern": f"^{LOOK_SHAPE.pattern}$",
    "description": "A sprite of GET /api/cameo/looks, optionally '/' and one of its styles.",
}


class ChallengeOut(BaseModel):
    digits: str
    head_turns: list[str]


class VerificationOut(BaseModel):
    id: str
    challenge: ChallengeOut
    expires_at: datetime


class ReasonOut(BaseModel):
    code: str
    message: str


class RecordingOut(BaseModel):
    # checking (the verdict is on its way: poll GET /api/cameo/verification/{id}) | verified | rejected
    # | failed (the check broke, not the recording: try a new challenge) | pending | expired
    status: str
    reasons: list[ReasonOut]


class CameoOut(BaseModel):
    handle: str
    verified: bool
    verified_at: datetime | None
    permission: str
    restrictions: list[str]
    approval_required: bool
    approved: list[str]
    # The levels this account may choose (accounts under 18 cannot choose everyone).
    permission_choices: list[str]
    references: int


class CameoPatch(Strict):
    permission: Permission | None = None
    restrictions: list[Restriction] | None = Field(default=None, max_length=50, json_schema_extra=RESTRICTION_LIST)
    approval_required: bool | None = None


class HandleIn(Strict):
    handle: str = Field(max_length=64, json_schema_extra=HANDLE_RULES)


class AppearanceOut(BaseModel):
    video: VideoOut
    likeness: str
    approval: str
    author: str


class AppearanceList(BaseModel):
    items: list[AppearanceOut]


class ChainOut(BaseModel):
    intact: bool
    length: int
    head: str
    broken_at: int | None


class LedgerOut(BaseModel):
    entries: list[dict[str, Any]]
    chain: ChainOut


class PurgeOut(BaseModel):
    clips_removed: int


class CharacterIn(Strict):
    handle: str = Field(max_length=64, json_schema_extra=HANDLE_RULES)
    description: str = Field(max_length=1000, json_schema_extra=DESCRIPTION)
    look: str | None = Field(default=None, max_length=40, json_schema_extra=LOOK)
    permission: Permission | None = None
    restrictions: list[Restriction] | None = Field(default=None, max_length=50, json_schema_extra=RESTRICTION_LIST)
    approval_required: bool = False


class CharacterPatch(Strict):
    description: str | None = Field(default=None, max_length=1000, json_schema_extra=DESCRIPTION)
    look: str | None = Field(default=None, max_length=40, json_schema_extra=LOOK)
    permission: Permission | None = None
    restrictions: list[Restriction] | None = Field(default=None, max_length=50, json_schema_extra=RESTRICTION_LIST)
    approval_required: bool | None = None


class CharacterOut(BaseModel):
    handle: str
    owner: str
    description: str
    look: str | None
    permission: str
    # Only for the owner: restrictions and the approved list are the owner's business.
    restrictions: list[str] | None = None
    approval_required: bool | None = None
    approved: list[str] | None = None


class CharacterList(BaseModel):
    items: list[CharacterOut]


class UsableOut(BaseModel):
    handle: str
    kind: str
    description: str
    allowed: bool
    rule: str
    message: str


class UsableList(BaseModel):
    items: list[UsableOut]


class FlagOut(BaseModel):
    id: str
    handle: str
    matched_handle: str
    distance: float
    created_at: datetime


class LooksOut(BaseModel):
    """The character looks the configured video backend can draw (BackendCapabilities.looks)."""

    # Every sprite a look may name; `suggested` are those a picker offers, in its order.
    sprites: list[str]
    suggested: list[str]
    # Styles a look may add after '/' ("dog/neon").
    styles: list[str]

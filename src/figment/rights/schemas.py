"""Request and response shapes of the rights routes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from figment.rights.models import Policy, WorkKind
from figment.rights.service import MAX_ALIASES, MAX_DESCRIPTION, MAX_STATEMENT, MAX_TITLE
from figment.schemas import Strict, text_rules

ALIAS_LIST: dict[str, Any] = {"maxItems": MAX_ALIASES}
# An alias given as plain text.
Alias = Annotated[str, Field(max_length=1000, json_schema_extra=text_rules(MAX_TITLE))]


class HolderIn(Strict):
    organisation: str = Field(max_length=1000, json_schema_extra=text_rules(200))
    contact: str = Field(max_length=1000, json_schema_extra=text_rules(320))
    statement: str = Field(default="", max_length=20_000, json_schema_extra=text_rules(MAX_STATEMENT, required=False))


class HolderOut(BaseModel):
    id: str
    organisation: str
    contact: str
    statement: str
    status: str
    handle: str | None = None
    created_at: datetime


class AliasIn(Strict):
    text: str = Field(max_length=1000, json_schema_extra=text_rules(MAX_TITLE))
    lang: str | None = Field(default=None, max_length=16)


class WorkIn(Strict):
    title: str = Field(max_length=1000, json_schema_extra=text_rules(MAX_TITLE))
    aliases: list[AliasIn | Alias] = Field(
        default_factory=list, max_length=200, json_schema_extra={"maxItems": MAX_ALIASES}
    )
    kind: WorkKind
    policy: Policy
    description: str = Field(
        default="", max_length=20_000, json_schema_extra=text_rules(MAX_DESCRIPTION, required=False)
    )


class WorkPatch(Strict):
    title: str | None = Field(default=None, max_length=1000, json_schema_extra=text_rules(MAX_TITLE))
    aliases: list[AliasIn | Alias] | None = Field(
        default=None, max_length=200, json_schema_extra={"maxItems": MAX_ALIASES}
    )
    kind: WorkKind | None = None
    policy: Policy | None = None
    description: str | None = Field(
        default=None, max_length=20_000, json_schema_extra=text_rules(MAX_DESCRIPTION, required=False)
    )


class AliasOut(BaseModel):
    text: str
    lang: str | None


class ImageOut(BaseModel):
    id: str
    width: int
    height: int
    created_at: datetime


class WorkOut(BaseModel):
    id: str
    title: str
    aliases: list[AliasOut]
    kind: str
    policy: str
    # What the policy means under the platform's mode right now: refuse, licensed or none.
    screening: str
    description: str
    images: list[ImageOut]
    refusals: int
    last_refused_at: datetime | None
    takedowns: int
    updated_at: datetime


class WorkList(BaseModel):
    items: list[WorkOut]
    mode: str


class ImportOut(BaseModel):
    created: int
    works: list[WorkOut]
    errors: list[dict[str, Any]]


class ImportJobOut(BaseModel):
    """A CSV import queued as a job: `state` queued | running | done | failed; `result` once done;
    `error` (a sentence) once failed, when nothing was imported."""

    id: str
    state: str
    result: ImportOut | None = None
    error: str | None = None


class TakedownIn(Strict):
    video_id: str = Field(max_length=64)
    work_id: str = Field(max_length=64)
    statement: str = Field(max_length=20_000, json_schema_extra=text_rules(MAX_STATEMENT))


class CounterIn(Strict):
    statement: str = Field(max_length=20_000, json_schema_extra=text_rules(MAX_STATEMENT))


class ResolveIn(Strict):
    decision: Literal["restore", "remove"]
    note: str = Field(default="", max_length=20_000, json_schema_extra=text_rules(MAX_STATEMENT, required=False))


class AuditOut(BaseModel):
    action: str
    actor: str | None
    note: str
    created_at: datetime


class TakedownOut(BaseModel):
    id: str
    status: str
    work: dict[str, str]
    holder: str
    video_id: str | None
    author: str | None
    statement: str
    counter_statement: str | None
    resolution_note: str | None
    created_at: datetime
    countered_at: datetime | None
    resolved_at: datetime | None
    role: str | None = None
    audit: list[AuditOut] | None = None


class TakedownList(BaseModel):
    items: list[TakedownOut]


class StatsOut(BaseModel):
    work_id: str
    title: str
    refusals: dict[str, Any]
    takedowns: list[TakedownOut]


class ContestOut(BaseModel):
    work: str
    holder: str
    contact: str
    policy: str

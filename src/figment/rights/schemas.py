"""Request and response shapes of the rights routes."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from figment.schemas import Strict


class HolderIn(Strict):
    organisation: str = Field(max_length=1000)
    contact: str = Field(max_length=1000)
    statement: str = Field(default="", max_length=20_000)


class HolderOut(BaseModel):
    id: str
    organisation: str
    contact: str
    statement: str
    status: str
    handle: str | None = None
    created_at: datetime


class AliasIn(Strict):
    text: str = Field(max_length=1000)
    lang: str | None = Field(default=None, max_length=16)


class WorkIn(Strict):
    title: str = Field(max_length=1000)
    aliases: list[AliasIn | str] = Field(default_factory=list, max_length=200)
    kind: str = Field(max_length=40)
    policy: str = Field(max_length=40)
    description: str = Field(default="", max_length=20_000)


class WorkPatch(Strict):
    title: str | None = Field(default=None, max_length=1000)
    aliases: list[AliasIn | str] | None = Field(default=None, max_length=200)
    kind: str | None = Field(default=None, max_length=40)
    policy: str | None = Field(default=None, max_length=40)
    description: str | None = Field(default=None, max_length=20_000)


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
    statement: str = Field(max_length=20_000)


class CounterIn(Strict):
    statement: str = Field(max_length=20_000)


class ResolveIn(Strict):
    decision: Literal["restore", "remove"]
    note: str = Field(default="", max_length=20_000)


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

"""Request and response shapes of the safety routes."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from figment.safety.reports import MAX_NOTE, Action, ReportReason, Subject
from figment.schemas import Strict


class ReportIn(Strict):
    subject_type: Subject
    subject_id: str = Field(max_length=64)
    reason: ReportReason
    note: str = Field(default="", max_length=2000, json_schema_extra={"maxLength": MAX_NOTE})


class ReportOut(BaseModel):
    id: str
    subject_type: str
    subject_id: str
    reason: str
    note: str
    created_at: datetime


class DecisionIn(Strict):
    action: Action
    subject_type: Subject
    subject_id: str = Field(max_length=64)
    note: str = Field(default="", max_length=2000, json_schema_extra={"maxLength": MAX_NOTE})


class DecisionOut(BaseModel):
    id: str
    operator_id: str | None
    action: str
    subject_type: str
    subject_id: str
    note: str
    created_at: datetime


class ReportList(BaseModel):
    items: list[ReportOut]


class DecisionList(BaseModel):
    items: list[DecisionOut]


class FeedPreferencesIn(Strict):
    personalised: bool | None = None
    endless_scroll: bool | None = None


class FeedPreferencesOut(BaseModel):
    personalised: bool
    endless_scroll: bool
    teen: bool
    guardian_locked: bool


class BirthdateIn(Strict):
    birthdate: date


class BirthdateOut(BaseModel):
    birthdate: date
    teen: bool


class GuardianLinkOut(BaseModel):
    token: str
    path: str

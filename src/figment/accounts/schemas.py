"""Request and response shapes of the accounts routes."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from figment.accounts.service import EMAIL_RE, MAX_PASSWORD, MIN_PASSWORD
from figment.schemas import HANDLE_RULES, Strict


class SignupIn(Strict):
    handle: str = Field(max_length=200, json_schema_extra=HANDLE_RULES)
    email: str = Field(max_length=300, json_schema_extra={"maxLength": 254, "pattern": EMAIL_RE.pattern})
    password: str = Field(max_length=1000, json_schema_extra={"minLength": MIN_PASSWORD, "maxLength": MAX_PASSWORD})
    # Required: the minimum age and the teen rules depend on it (safety.teens).
    birthdate: date


class LoginIn(Strict):
    login: str = Field(max_length=300)
    password: str = Field(max_length=1000)


class MeOut(BaseModel):
    handle: str
    email: str
    created_at: datetime
    is_admin: bool
    follower_count: int
    following_count: int
    birthdate: date | None
    display_name: str | None = None
    avatar_url: str | None = None


class AuthOut(BaseModel):
    user: MeOut
    token: str

"""Request and response shapes of the accounts routes."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from figment.schemas import Strict


class SignupIn(Strict):
    handle: str = Field(max_length=200)
    email: str = Field(max_length=300)
    password: str = Field(max_length=1000)
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


class AuthOut(BaseModel):
    user: MeOut
    token: str


class ProfileOut(BaseModel):
    handle: str
    created_at: datetime
    follower_count: int
    following_count: int
    video_count: int
    followed_by_me: bool
    is_me: bool

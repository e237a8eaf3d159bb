"""Imports every feature's models so `Base.metadata` is complete (Alembic and tests use it)."""

from figment.accounts.models import AuthToken, Block, Follow, User
from figment.db import Base
from figment.jobs.models import Job
from figment.notifications.models import Notification
from figment.safety.reports import ModerationDecision, Report
from figment.videos.models import Comment, Like, SeeLess, Video, ViewEvent

__all__ = [
    "AuthToken",
    "Base",
    "Block",
    "Comment",
    "Follow",
    "Job",
    "Like",
    "ModerationDecision",
    "Notification",
    "Report",
    "SeeLess",
    "User",
    "Video",
    "ViewEvent",
]

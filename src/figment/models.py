"""Imports every feature's models so `Base.metadata` is complete (Alembic and tests use it)."""

from figment.accounts.models import AuthToken, Block, Follow, User
from figment.db import Base
from figment.feed.models import FeedPreference, VideoEmbedding
from figment.jobs.models import Job
from figment.likeness.models import (
    Appearance,
    ApprovedUser,
    DuplicateFaceFlag,
    FaceReference,
    LedgerEntry,
    Likeness,
    VerificationAttempt,
)
from figment.notifications.models import Notification
from figment.profiles.models import ProfilePin
from figment.provenance.models import ProvenanceRecord
from figment.rights.models import (
    Refusal,
    RightsAudit,
    RightsHolder,
    RightsVersion,
    Takedown,
    VideoCredit,
    Work,
    WorkImage,
)
from figment.safety.reports import ModerationDecision, Report
from figment.tags.models import ClipTag, Hashtag
from figment.videos.models import Comment, Like, SeeLess, Share, Video, ViewEvent

__all__ = [
    "Appearance",
    "ApprovedUser",
    "DuplicateFaceFlag",
    "FaceReference",
    "LedgerEntry",
    "Likeness",
    "VerificationAttempt",
    "AuthToken",
    "Base",
    "Block",
    "ClipTag",
    "Comment",
    "FeedPreference",
    "Follow",
    "Hashtag",
    "Job",
    "Like",
    "Share",
    "ModerationDecision",
    "Notification",
    "ProfilePin",
    "ProvenanceRecord",
    "Refusal",
    "RightsAudit",
    "RightsHolder",
    "RightsVersion",
    "Report",
    "SeeLess",
    "Takedown",
    "User",
    "VideoEmbedding",
    "Video",
    "VideoCredit",
    "ViewEvent",
    "Work",
    "WorkImage",
]

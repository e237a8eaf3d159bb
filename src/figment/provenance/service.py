"""Did Figment make this file? Content credentials first, the invisible watermark as the fallback.

A file whose C2PA manifest was stripped (any re-upload does that) is still recognised by the
watermark in its frames; a file whose manifest no longer matches its bytes reports invalid
credentials, and the watermark still says where it came from.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import av
import numpy as np
from PIL import Image, UnidentifiedImageError
from sqlalchemy import select
from sqlalchemy.orm import Session

from figment.errors import ValidationFailed
from figment.media.watermark_invisible import DECODE_FRAMES, Detection, detect
from figment.provenance import records
from figment.provenance.credentials import ContentCredentials, CredentialReport
from figment.videos.models import Video, Visibility

# What the check concludes, in the words the page shows (web/static/provenance.js):
MADE_HERE = "made_here"  # this instance made it, and the clip is still here
REMOVED = "removed"  # this instance made it; the clip was since deleted, taken down or purged
CREDENTIALS_ONLY = "credentials_only"  # trusted credentials name a Figment clip this instance has no record of
NOT_MADE_HERE = "not_made_here"


@dataclass(frozen=True)
class ProvenanceResult:
    state: str
    video_id: str | None
    credentials: CredentialReport
    watermark: Detection
    made_at: datetime | None = None
    removed_at: datetime | None = None

    @property
    def made_here(self) -> bool:
        return self.state in (MADE_HERE, REMOVED)

    def as_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "made_here": self.made_here,
            "state": self.state,
            "made_at": self.made_at.isoformat() if self.made_at else None,
            "removed_at": self.removed_at.isoformat() if self.removed_at else None,
            "c2pa": {
                "present": self.credentials.present,
                "valid": self.credentials.valid,
                "trusted": self.credentials.trusted,
                "state": self.credentials.state,
                "claims": self.credentials.claims,
            },
            "watermark": {"found": self.watermark.found, "id": self.watermark.watermark_id},
        }
        if self.video_id is not None:
            body["video_id"] = self.video_id
        return body


def sniff_mime(data: bytes) -> str:
    if len(data) >= 12 and data[4:8] == b"ftyp":
        return "video/mp4"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    raise ValidationFailed("file must be an MP4 video or a JPEG or PNG image.", field="file")


def sampled_frames(data: bytes, *, limit: int = DECODE_FRAMES) -> list[np.ndarray]:
    """About `limit` RGB frames spread over the whole video."""
    try:
        with av.open(io.BytesIO(data), mode="r") as container:
            if not container.streams.video:
                return []
            stream = container.streams.video[0]
            step = max(1, (stream.frames or limit) // limit)
            return [
                frame.to_ndarray(format="rgb24")
                for index, frame in enumerate(container.decode(stream))
                if index % step == 0
            ]
    except (av.error.FFmpegError, ValueError) as error:
        raise ValidationFailed(f"file could not be decoded as video: {error}", field="file") from error


def image_frame(data: bytes) -> list[np.ndarray]:
    try:
        with Image.open(io.BytesIO(data)) as image:
            return [np.asarray(image.convert("RGB"))]
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationFailed(f"file could not be decoded as an image: {error}", field="file") from error


def check(*, session: Session, credentials: ContentCredentials, data: bytes) -> ProvenanceResult:
    """Made here (still here, or since removed: the provenance record outlives the clip), or not.

    Never contradicts the credential result: trusted credentials that name a Figment clip this instance
    has no record of say exactly that (`credentials_only`), not "not made here"."""
    if not data:
        raise ValidationFailed("file is empty.", field="file")
    mime = sniff_mime(data)
    report = credentials.read(data, mime=mime)
    frames = sampled_frames(data) if mime == "video/mp4" else image_frame(data)
    mark = detect(frames)
    claimed = report.claims.get("video_id") if report.trusted else None
    claimed_id = claimed if isinstance(claimed, str) else None
    video: Video | None = None
    if mark.found:
        video = session.scalars(select(Video).where(Video.watermark_id == mark.watermark_id)).first()
    if video is None and claimed_id is not None:
        video = session.get(Video, claimed_id)
    record = records.find(
        session,
        watermark_id=video.watermark_id if video is not None else mark.watermark_id if mark.found else None,
        video_id=video.id if video is not None else claimed_id,
    )
    # A CRC-passing mark that names no clip, here or gone, is noise, not Figment's.
    known = video is not None or record is not None
    watermark = mark if known or not mark.found else Detection(False, None, mark.strength, mark.frames)
    if video is not None and video.visibility != Visibility.removed:
        state = MADE_HERE
    elif known:
        state = REMOVED
    elif claimed_id is not None:
        state = CREDENTIALS_ONLY
    else:
        state = NOT_MADE_HERE
    public = video is not None and video.visibility == Visibility.published
    return ProvenanceResult(
        state=state,
        video_id=video.id if public and video is not None else None,
        credentials=report,
        watermark=watermark,
        made_at=record.made_at if record is not None else video.created_at if video is not None else None,
        removed_at=record.removed_at if record is not None and state == REMOVED else None,
    )

"""After rendering: any face in the sampled frames that matches a verified likeness must be one the
clip was allowed to show. A match with someone who did not consent blocks the clip and tells them.

A backend may draw a real person's face without an @tag (a video model that learned a celebrity, a
prompt that describes someone closely); this is the net under the tag-based consent check.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from figment.accounts.models import User
from figment.db import session_scope
from figment.errors import CameoPermissionDenied
from figment.likeness import ledger
from figment.likeness.models import Appearance, FaceReference, Likeness, LikenessKind
from figment.notifications.models import NotificationKind
from figment.notifications.service import notify
from figment.videos.models import Video

# Faces smaller than this (pixels, box side) are too small to identify anyone reliably.
MIN_FACE_PX = 40


class FaceScreen:
    def __init__(self, *, session_factory: sessionmaker[Session], every_nth: int = 2, upsample: int = 0) -> None:
        self.session_factory = session_factory
        # 0: faces from 80 px, about a quarter of the time of 1 (40 px); a face the procedural renderer
        # puts on a character in a 720x1280 clip is larger than that (bench/consent.py measures it).
        self.upsample = upsample
        # The sampler gives about one frame a second; every 2nd keeps the cost near 1 s per clip at 720p.
        self.every_nth = max(1, every_nth)

    def faces_in(self, frames: list[np.ndarray]) -> np.ndarray:
        # biometrics loads OpenCV and dlib's models: only when frames are screened, not at app start.
        from figment.likeness.biometrics import detect_faces, embed

        vectors = []
        for frame in frames[:: self.every_nth]:
            for face in detect_faces(frame, upsample=self.upsample):
                x0, y0, x1, y1 = face.box
                if min(x1 - x0, y1 - y0) >= MIN_FACE_PX:
                    vectors.append(embed(frame, face))
        return np.stack(vectors).astype(np.float32) if vectors else np.zeros((0, 128), np.float32)

    def check(self, session: Session, video: Video, frames: list[np.ndarray]) -> None:
        from figment.likeness.biometrics import SAME_PERSON_DISTANCE

        found = self.faces_in(frames)
        if not len(found):
            return
        rows = session.execute(
            select(Likeness.id, FaceReference.embedding)
            .join(Likeness, Likeness.id == FaceReference.likeness_id)
            .where(Likeness.kind == LikenessKind.person, Likeness.verified_at.is_not(None))
        ).all()
        if not rows:
            return
        bank = np.stack([np.frombuffer(r[1], dtype="<f4") for r in rows])
        distances = np.linalg.norm(bank[:, None, :] - found[None, :, :], axis=2).min(axis=1)
        matched = {rows[int(i)][0] for i in np.flatnonzero(distances < SAME_PERSON_DISTANCE)}
        allowed = set(session.scalars(select(Appearance.likeness_id).where(Appearance.video_id == video.id)))
        intruders = sorted(matched - allowed)
        if not intruders:
            return
        self._tell_owners(video_id=video.id, author_id=video.author_id, likeness_ids=intruders)
        raise CameoPermissionDenied(
            "The rendered clip shows the face of a verified Figment member who did not consent to this clip, "
            "so it was blocked. They have been told.",
            details={"rule": "face_in_output"},
        )

    def _tell_owners(self, *, video_id: str, author_id: str, likeness_ids: list[str]) -> None:
        # Its own transaction: the caller's is rolled back when the refusal propagates, and the owner
        # must hear of it regardless.
        with session_scope(self.session_factory) as session:
            author = session.get(User, author_id)
            for likeness_id in likeness_ids:
                likeness = session.get(Likeness, likeness_id)
                if likeness is None:
                    continue
                ledger.append(
                    session=session,
                    owner_id=likeness.owner_id,
                    action="blocked",
                    likeness_handle=likeness.handle,
                    actor_handle=author.handle if author else None,
                    video_id=video_id,
                    details={"reason": "face found in a clip without consent"},
                )
                notify(
                    session=session,
                    recipient_id=likeness.owner_id,
                    actor_id=author_id,
                    kind=NotificationKind.cameo_face_blocked,
                    subject_type="video",
                    subject_id=video_id,
                )

"""A likeness in a clip's life: submit, the re-check before rendering, render, publish, who sees a
draft, deletion, and consent withdrawn while a job waits. Each step writes the owner's ledger; the
owner is notified of every use. `LikenessUses` is the implementation of `videos.hooks.ClipHooks`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import numpy as np
from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from figment.accounts.models import User
from figment.db import session_scope
from figment.errors import CameoPermissionDenied, CameoRestricted, Conflict, DomainError, Forbidden, ValidationFailed
from figment.generation.types import LikenessRef
from figment.jobs import service as jobs
from figment.likeness import consent, ledger
from figment.likeness.models import Appearance, ApprovalState, Likeness, LikenessKind
from figment.likeness.restrictions import RestrictionMatcher
from figment.notifications.models import NotificationKind
from figment.notifications.service import notify
from figment.storage.base import BlobStore
from figment.videos.hooks import Cast, RenderCast, RenderOutcome
from figment.videos.models import Video, VideoStatus

PROMPT_IN_LEDGER = 300


def cutout_key(likeness_id: str) -> str:
    return f"likeness/{likeness_id}/cutout.png"


@dataclass
class LikenessUses:
    matcher: RestrictionMatcher
    storage: BlobStore
    # Refusals are written to the owner's ledger in their own transaction: the request's is rolled back.
    session_factory: sessionmaker[Session]
    # Whether the configured video backend can put a face in a clip; if not, tags are refused at submit.
    backend_supports_likeness: bool = True

    # ---- submit -------------------------------------------------------------------------------

    def check_submit(self, *, session: Session, author: User, prompt: str) -> Cast:
        try:
            likenesses = consent.check_prompt(session=session, author=author, prompt=prompt, matcher=self.matcher)
        except (CameoPermissionDenied, CameoRestricted) as refusal:
            self._record_refusal(author_handle=author.handle, prompt=prompt, error=refusal)
            raise
        if any(lk.kind == LikenessKind.person for lk in likenesses) and not self.backend_supports_likeness:
            raise ValidationFailed(
                "This server's video model cannot put a person's likeness in a clip; remove the @tag.",
                field="prompt",
            )
        return Cast(likeness_ids=tuple(lk.id for lk in likenesses))

    def record_submit(self, *, session: Session, video: Video, author: User, cast: Cast) -> None:
        # The rows were just read by check_submit: session.get finds them in the identity map.
        likenesses = [lk for lk in (session.get(Likeness, i) for i in cast.likeness_ids) if lk is not None]
        for position, likeness in enumerate(likenesses):
            own = likeness.owner_id == author.id
            session.add(
                Appearance(
                    video_id=video.id,
                    likeness_id=likeness.id,
                    owner_id=likeness.owner_id,
                    position=position,
                    approval=ApprovalState.pending
                    if likeness.approval_required and not own
                    else ApprovalState.not_needed,
                )
            )
            ledger.append(
                session=session,
                owner_id=likeness.owner_id,
                action="request",
                likeness_handle=likeness.handle,
                actor_handle=author.handle,
                video_id=video.id,
                details={"prompt": video.prompt[:PROMPT_IN_LEDGER]},
            )
            if not own:
                notify(
                    session=session,
                    recipient_id=likeness.owner_id,
                    actor_id=author.id,
                    kind=NotificationKind.cameo_used,
                    subject_type="video",
                    subject_id=video.id,
                )
        session.flush()

    def _record_refusal(self, *, author_handle: str, prompt: str, error: DomainError) -> None:
        """A refused use is written to the owner's ledger too: they see who tried, and why it failed."""
        handle = error.details.get("handle")
        if not handle:
            return
        with session_scope(self.session_factory) as session:
            likeness = session.scalars(select(Likeness).where(Likeness.handle == handle)).first()
            if likeness is None:
                return
            owner = session.get(User, likeness.owner_id)
            if owner is None or owner.handle == author_handle:
                return
            ledger.append(
                session=session,
                owner_id=likeness.owner_id,
                action="refused",
                likeness_handle=likeness.handle,
                actor_handle=author_handle,
                details={"rule": error.details.get("rule", error.code), "prompt": prompt[:PROMPT_IN_LEDGER]},
            )

    # ---- worker -------------------------------------------------------------------------------

    def appearances(self, session: Session, video_id: str) -> list[tuple[Appearance, Likeness]]:
        rows = session.execute(
            select(Appearance, Likeness)
            .join(Likeness, Likeness.id == Appearance.likeness_id)
            .where(Appearance.video_id == video_id)
            .order_by(Appearance.position)
        ).all()
        return [(a, lk) for a, lk in rows]

    def prepare_render(self, *, session: Session, video: Video, author: User) -> RenderCast:
        """Check consent again (it may have changed while the job waited) and load the faces.

        Returns the prompt the backend reads and the faces in cast order; raises the refusal.
        """
        cast = self.appearances(session, video.id)
        likenesses = [lk for _, lk in cast]
        for likeness in likenesses:
            consent.check_use(
                session=session, author=author, likeness=likeness, prompt=video.prompt, matcher=self.matcher
            )
        faces: list[LikenessRef] = []
        for likeness in likenesses:
            if likeness.kind != LikenessKind.person:
                continue
            try:
                data = self.storage.read_bytes(cutout_key(likeness.id))
            except FileNotFoundError:
                raise CameoPermissionDenied(
                    f"@{likeness.handle}'s likeness is no longer available.",
                    details={"handle": likeness.handle, "rule": "revoked"},
                ) from None
            face = np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))
            faces.append(LikenessRef(handle=likeness.handle, face=face))
        return RenderCast(prompt=consent.render_prompt(video.prompt, likenesses), faces=tuple(faces))

    def record_outcome(
        self, *, session: Session, video: Video, outcome: RenderOutcome, reason: str | None = None
    ) -> None:
        """`render` or `blocked`: one ledger entry per owner whose likeness was in the clip."""
        author = session.get(User, video.author_id)
        self._log_each(
            session,
            video,
            action=outcome,
            actor_handle=author.handle if author else None,
            details={"reason": reason} if reason else {},
        )

    # ---- publish ------------------------------------------------------------------------------

    def check_publish(self, *, session: Session, video: Video) -> None:
        for appearance, likeness in self.appearances(session, video.id):
            if appearance.approval == ApprovalState.refused:
                raise Forbidden(
                    f"@{likeness.handle} refused to let this clip be published.",
                    details={"handle": likeness.handle, "rule": "approval_refused"},
                )
            if appearance.approval == ApprovalState.pending:
                raise Conflict(
                    f"@{likeness.handle} asked to approve clips with their likeness first; "
                    "they have been notified and you will be told when they decide.",
                    details={"handle": likeness.handle, "rule": "approval_pending"},
                )

    def record_publish(self, *, session: Session, video: Video, author: User) -> None:
        for likeness in self._log_each(session, video, action="publish", actor_handle=author.handle):
            if likeness.owner_id != author.id:
                notify(
                    session=session,
                    recipient_id=likeness.owner_id,
                    actor_id=author.id,
                    kind=NotificationKind.cameo_published,
                    subject_type="video",
                    subject_id=video.id,
                )

    # ---- who sees a draft, deletion ----------------------------------------------------------------

    def can_view_draft(self, *, session: Session, video: Video, viewer: User) -> bool:
        return (
            session.scalars(
                select(Appearance.id).where(Appearance.video_id == video.id, Appearance.owner_id == viewer.id).limit(1)
            ).first()
            is not None
        )

    def record_unpublish(self, *, session: Session, video: Video, by: User) -> None:
        """Each owner's ledger records that the clip with their likeness is no longer public."""
        self._log_each(session, video, action="unpublish", actor_handle=by.handle)

    def record_deletion(self, *, session: Session, video: Video, by: User) -> None:
        """Each owner's ledger records that the clip with their likeness is gone, and who did it."""
        self._log_each(session, video, action="deletion", actor_handle=by.handle, details={"by": "author"})

    def _log_each(
        self,
        session: Session,
        video: Video,
        *,
        action: str,
        actor_handle: str | None,
        details: dict[str, object] | None = None,
    ) -> list[Likeness]:
        """One ledger entry in each owner's chain for a step of this clip; the likenesses in it."""
        likenesses = [likeness for _appearance, likeness in self.appearances(session, video.id)]
        for likeness in likenesses:
            ledger.append(
                session=session,
                owner_id=likeness.owner_id,
                action=action,
                likeness_handle=likeness.handle,
                actor_handle=actor_handle,
                video_id=video.id,
                details=details or {},
            )
        return likenesses

    # ---- consent withdrawn --------------------------------------------------------------------

    def stop_waiting_jobs(self, *, session: Session, likeness: Likeness, owner: User) -> int:
        """After a permission change: clips not yet rendered that no longer pass are stopped now.

        The worker checks again before rendering anyway; this makes the stop immediate and visible.
        """
        waiting = session.execute(
            select(Video, Appearance)
            .join(Appearance, Appearance.video_id == Video.id)
            .where(
                Appearance.likeness_id == likeness.id,
                Video.status.in_([VideoStatus.queued, VideoStatus.rendering]),
            )
        ).all()
        stopped = 0
        for video, _appearance in waiting:
            author = session.get(User, video.author_id)
            if author is None:
                continue
            try:
                consent.check_use(
                    session=session, author=author, likeness=likeness, prompt=video.prompt, matcher=self.matcher
                )
                continue
            except DomainError as error:
                message = error.message
            jobs.cancel_for_video(session=session, video_id=video.id)
            video.status = VideoStatus.blocked
            video.error = message
            video.progress = 0
            ledger.append(
                session=session,
                owner_id=owner.id,
                action="blocked",
                likeness_handle=likeness.handle,
                actor_handle=author.handle,
                video_id=video.id,
                details={"reason": "consent withdrawn before rendering"},
            )
            notify(
                session=session,
                recipient_id=author.id,
                actor_id=owner.id,
                kind=NotificationKind.cameo_stopped,
                subject_type="video",
                subject_id=video.id,
            )
            stopped += 1
        return stopped

    def reconsider_between(self, *, session: Session, a: User, b: User) -> int:
        """After an unfollow or a block between a and b: stop the waiting clips that no longer pass."""
        stopped = 0
        for owner in (a, b):
            for likeness in session.scalars(select(Likeness).where(Likeness.owner_id == owner.id)):
                stopped += self.stop_waiting_jobs(session=session, likeness=likeness, owner=owner)
        return stopped

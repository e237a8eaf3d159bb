"""Verifying a person's likeness: a single-use challenge, the recording that answers it, and what is kept.

The liveness judgement itself (faces, head turns, digits, same person) is `likeness.liveness`; this
module owns the records around it: challenges expire after 5 minutes and take one recording; a face
already verified by another account is refused and flagged for an operator, never merged; on success
a few reference crops and their embeddings are kept as private blobs and rows.

The upload only takes the challenge and stores the recording (a private blob); the judging, about
1.2 s of CPU, is a `verify_likeness` job on the cpu queue (any worker host), which records the verdict
and notifies the person (`cameo_checked`) for a page that waits on it.
"""

from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased, sessionmaker

from figment.accounts.models import User
from figment.db import session_scope, utcnow
from figment.errors import Conflict, NotFound, RateLimited
from figment.jobs import service as jobs
from figment.jobs.models import PRIORITY_INTERACTIVE, JobKind, Queue
from figment.likeness import ledger
from figment.likeness.models import DuplicateFaceFlag, FaceReference, Likeness, LikenessKind, VerificationAttempt
from figment.likeness.service import ensure_own_likeness
from figment.likeness.uses import cutout_key
from figment.notifications.models import NotificationKind
from figment.notifications.service import notify
from figment.storage.base import BlobStore

if TYPE_CHECKING:
    from figment.likeness.liveness import Verification

CHALLENGE_TTL = timedelta(minutes=5)
MAX_CHALLENGES_PER_HOUR = 10
REFERENCE_CROPS = 3
# An attempt's states: pending (challenge issued), checking (recording stored, its job queued), then
# verified, rejected, failed (the check broke on every try) or expired.
CHECKING = "checking"
# Tries of the check job: a worker lost mid-check, or the store briefly unreachable, is tried again.
VERIFY_ATTEMPTS = 3


def issue_challenge(*, session: Session, user: User) -> VerificationAttempt:
    # liveness and biometrics load PyAV, OpenCV and dlib: imported where a recording is judged, so that
    # the likeness feature (settings, consent, the ledger) imports without them.
    from figment.likeness.liveness import Challenge

    since = utcnow() - timedelta(hours=1)
    recent = session.scalar(
        select(func.count())
        .select_from(VerificationAttempt)
        .where(VerificationAttempt.user_id == user.id, VerificationAttempt.created_at >= since)
    )
    if int(recent or 0) >= MAX_CHALLENGES_PER_HOUR:
        raise RateLimited(
            f"At most {MAX_CHALLENGES_PER_HOUR} verification attempts an hour; try again later.",
            details={"retry_after_s": 3600},
            headers={"Retry-After": "3600"},
        )
    challenge = Challenge.new()
    attempt = VerificationAttempt(
        user_id=user.id,
        digits=challenge.digits,
        head_turns=",".join(challenge.head_turns),
        expires_at=utcnow() + CHALLENGE_TTL,
    )
    session.add(attempt)
    session.flush()
    return attempt


def own_attempt(*, session: Session, user: User, attempt_id: str) -> VerificationAttempt:
    """One of this person's attempts; someone else's is as unknown as a missing one."""
    attempt = session.get(VerificationAttempt, str(attempt_id)[:64])
    if attempt is None or attempt.user_id != user.id:
        raise NotFound("No such verification; start a new one.")
    return attempt


def _claim(*, session: Session, user: User, attempt_id: str) -> VerificationAttempt:
    """Take the challenge for this one recording, or say why it cannot be used."""
    attempt = own_attempt(session=session, user=user, attempt_id=attempt_id)
    if attempt.status != "pending":
        raise Conflict(
            "This challenge was already used; start a new verification for a new one.",
            details={"reason": "challenge_used"},
        )
    if attempt.expires_at <= utcnow():
        attempt.status = "expired"
        raise Conflict(
            "This challenge expired (they last 5 minutes); start a new verification.",
            details={"reason": "challenge_expired"},
        )
    # Conditional update: of two uploads racing for one challenge, exactly one gets it.
    claimed = session.execute(
        update(VerificationAttempt)
        .where(VerificationAttempt.id == attempt.id, VerificationAttempt.status == "pending")
        .values(status=CHECKING)
        .execution_options(synchronize_session=False)
    )
    if not getattr(claimed, "rowcount", 0):
        raise Conflict("This challenge was already used.", details={"reason": "challenge_used"})
    session.refresh(attempt)
    return attempt


def _png(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()


def nearest_other_face(*, session: Session, user: User, embeddings: np.ndarray) -> tuple[str, float] | None:
    """The closest verified face of any *other* account: (user id, distance)."""
    rows = session.execute(
        select(Likeness.owner_id, FaceReference.embedding)
        .join(Likeness, Likeness.id == FaceReference.likeness_id)
        .where(Likeness.owner_id != user.id, Likeness.kind == LikenessKind.person)
    ).all()
    if not rows or not len(embeddings):
        return None
    owners = [r[0] for r in rows]
    bank = np.stack([np.frombuffer(r[1], dtype="<f4") for r in rows])
    distances = np.linalg.norm(bank[:, None, :] - embeddings[None, :, :], axis=2).min(axis=1)
    best = int(np.argmin(distances))
    return owners[best], float(distances[best])


def recording_key(attempt_id: str) -> str:
    """Where an uploaded recording waits for its check: a private blob (never given a URL), deleted once
    the check is recorded."""
    return f"verification/{attempt_id}/recording"


def submit_recording(
    *, session: Session, user: User, attempt_id: str, data: bytes, storage: BlobStore
) -> VerificationAttempt:
    """Take the challenge for this recording. A file that cannot be a recording (too large, not a video)
    is refused at once, as the verifier would; any other is kept for the check and a `verify_likeness`
    job is queued in this transaction: the attempt is `checking` until the job records the verdict."""
    from figment.likeness.recording import precheck

    attempt = _claim(session=session, user=user, attempt_id=attempt_id)
    problem = precheck(data)
    if problem is not None:
        attempt.finished_at = utcnow()
        attempt.reasons = [{"code": problem.code, "message": problem.message}]
        attempt.status = "rejected"
        return attempt
    # Stored before the commit: if the commit fails the attempt stays pending, and a retry of this
    # upload writes the same key again, so nothing is orphaned for long.
    storage.put_bytes(recording_key(attempt.id), data, content_type="application/octet-stream")
    jobs.enqueue(
        session=session,
        kind=JobKind.verify_likeness,
        queue=Queue.cpu,
        priority=PRIORITY_INTERACTIVE,
        max_attempts=VERIFY_ATTEMPTS,
        payload={"attempt_id": attempt.id},
    )
    return attempt


def outcome(attempt: VerificationAttempt) -> dict[str, object]:
    """What a client is told about an attempt: its status and, once checked, every reason."""
    return {"status": attempt.status, "reasons": list(attempt.reasons or [])}


def check_recording(
    *, session_factory: sessionmaker[Session], storage: BlobStore, attempt_id: str
) -> dict[str, object]:
    """The `verify_likeness` job: judge the stored recording and record the verdict as the upload used to
    (the attempt, any duplicate-face flag, the references and the ledger), then tell the person.

    Idempotent: a retry after a crash that came after the verdict was recorded finds the attempt
    decided and only deletes the recording. The judging (seconds of CPU) holds no database connection.
    """
    from figment.likeness.liveness import Challenge, verify_recording

    key = recording_key(attempt_id)
    with session_scope(session_factory) as session:
        attempt = session.get(VerificationAttempt, attempt_id)
        if attempt is None:  # the account was deleted meanwhile
            storage.delete(key)
            return {"status": "gone", "reasons": []}
        if attempt.status != CHECKING:
            storage.delete(key)
            return outcome(attempt)
        challenge = Challenge(digits=attempt.digits, head_turns=tuple(attempt.head_turns.split(",")))
    data = storage.read_bytes(key)  # FileNotFoundError or a store's error: retried
    result = verify_recording(data, challenge)
    with session_scope(session_factory) as session:
        attempt = session.get(VerificationAttempt, attempt_id)
        user = session.get(User, attempt.user_id) if attempt is not None else None
        if attempt is None or user is None:
            storage.delete(key)
            return {"status": "gone", "reasons": []}
        if attempt.status != CHECKING:  # another worker recorded it while this one judged
            storage.delete(key)
            return outcome(attempt)
        _record_verdict(session=session, user=user, attempt=attempt, result=result, storage=storage)
        _tell(session=session, attempt=attempt)
        found = outcome(attempt)
    storage.delete(key)
    return found


def check_failed(*, session: Session, storage: BlobStore, attempt_id: str) -> None:
    """The check itself broke, every try (not the recording's fault): say so on the attempt, so the page
    stops waiting and offers a new challenge, and drop the recording. The job row keeps the error."""
    storage.delete(recording_key(attempt_id))
    attempt = session.get(VerificationAttempt, attempt_id)
    if attempt is None or attempt.status != CHECKING:
        return
    attempt.status = "failed"
    attempt.finished_at = utcnow()
    attempt.reasons = [
        {
            "code": "check_failed",
            "message": "We could not check your recording this time, through no fault of yours: "
            "try again with a new challenge.",
        }
    ]
    _tell(session=session, attempt=attempt)


def _tell(*, session: Session, attempt: VerificationAttempt) -> None:
    """Push the news to the person's open pages (notifications stream), whatever the verdict."""
    notify(
        session=session,
        recipient_id=attempt.user_id,
        actor_id=attempt.user_id,
        kind=NotificationKind.cameo_checked,
        subject_type="verification",
        subject_id=attempt.id,
    )


def _record_verdict(
    *, session: Session, user: User, attempt: VerificationAttempt, result: Verification, storage: BlobStore
) -> None:
    from figment.likeness.biometrics import SAME_PERSON_DISTANCE

    reasons = [{"code": r.code, "message": r.message} for r in result.reasons]
    if not reasons:
        duplicate = nearest_other_face(session=session, user=user, embeddings=result.embeddings)
        if duplicate is not None and duplicate[1] < SAME_PERSON_DISTANCE:
            session.add(DuplicateFaceFlag(user_id=user.id, matched_user_id=duplicate[0], distance=duplicate[1]))
            reasons.append(
                {
                    "code": "already_verified",
                    "message": "This face is already verified on another account. An operator will review it; "
                    "nothing was merged or changed.",
                }
            )
    attempt.finished_at = utcnow()
    attempt.reasons = reasons
    if reasons:
        attempt.status = "rejected"
        return
    attempt.status = "verified"
    _keep_references(session=session, user=user, result=result, storage=storage)


def _keep_references(*, session: Session, user: User, result: Verification, storage: BlobStore) -> None:
    crops, embeddings, cutout = result.crops[:REFERENCE_CROPS], result.embeddings, result.cutout
    likeness = ensure_own_likeness(session=session, owner=user)
    old_keys = list(session.scalars(select(FaceReference.crop_key).where(FaceReference.likeness_id == likeness.id)))
    for row in session.scalars(select(FaceReference).where(FaceReference.likeness_id == likeness.id)):
        session.delete(row)
    new_keys: list[str] = []
    try:
        for index, crop in enumerate(crops):
            key = f"likeness/{likeness.id}/crop-{secrets.token_hex(6)}.png"
            storage.put_bytes(key, _png(crop), content_type="image/png")
            new_keys.append(key)
            vector = embeddings[min(index, len(embeddings) - 1)]
            session.add(
                FaceReference(likeness_id=likeness.id, crop_key=key, embedding=np.asarray(vector, "<f4").tobytes())
            )
        if cutout is not None:
            storage.put_bytes(cutout_key(likeness.id), _png(cutout), content_type="image/png")
        session.flush()
    except BaseException:
        for key in new_keys:  # a half-kept verification leaves no orphan blobs behind
            storage.delete(key)
        raise
    likeness.verified_at = utcnow()
    ledger.append(
        session=session,
        owner_id=user.id,
        action="verified",
        likeness_handle=likeness.handle,
        actor_handle=user.handle,
        details={"references": len(new_keys)},
    )
    for key in old_keys:
        storage.delete(key)


# ---- operators -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenFlag:
    flag: DuplicateFaceFlag
    handle: str  # the account whose verification was refused
    matched_handle: str  # the account that had verified that face first


def open_flags(*, session: Session) -> list[OpenFlag]:
    """Duplicate-face flags no operator has resolved yet, oldest first."""
    flagged, matched = aliased(User), aliased(User)
    rows = session.execute(
        select(DuplicateFaceFlag, flagged.handle, matched.handle)
        .outerjoin(flagged, flagged.id == DuplicateFaceFlag.user_id)
        .outerjoin(matched, matched.id == DuplicateFaceFlag.matched_user_id)
        .where(DuplicateFaceFlag.resolved_at.is_(None))
        .order_by(DuplicateFaceFlag.created_at)
    ).all()
    return [OpenFlag(flag=flag, handle=handle or "", matched_handle=other or "") for flag, handle, other in rows]

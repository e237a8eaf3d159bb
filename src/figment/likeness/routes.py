"""HTTP routes of the likeness feature (shared/API.md, Likeness): verification, the owner's settings,
approved people, appearances, the ledger, purge, characters and their looks, and who a tag may name."""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Query, Response, UploadFile
from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.deps import AdminUser, CurrentUser, ServicesDep, SessionDep
from figment.likeness import consent, ledger, service, verification
from figment.likeness.models import Likeness
from figment.likeness.recording import MAX_BYTES
from figment.likeness.schemas import (
    AppearanceList,
    AppearanceOut,
    CameoOut,
    CameoPatch,
    ChainOut,
    ChallengeOut,
    CharacterIn,
    CharacterList,
    CharacterOut,
    CharacterPatch,
    FlagOut,
    HandleIn,
    LedgerOut,
    LooksOut,
    PurgeOut,
    ReasonOut,
    RecordingOut,
    UsableList,
    UsableOut,
    VerificationOut,
)
from figment.schemas import errors
from figment.videos.schemas import videos_out

router = APIRouter(prefix="/api", tags=["likeness"])


# ---- verification --------------------------------------------------------------------------------


@router.post("/cameo/verification", status_code=201, response_model=VerificationOut, responses=errors(409, 429))
def start_verification(session: SessionDep, user: CurrentUser) -> VerificationOut:
    attempt = verification.issue_challenge(session=session, user=user)
    return VerificationOut(
        id=attempt.id,
        challenge=ChallengeOut(digits=attempt.digits, head_turns=attempt.head_turns.split(",")),
        expires_at=attempt.expires_at,
    )


@router.post(
    "/cameo/verification/{attempt_id}/recording",
    status_code=202,
    response_model=RecordingOut,
    responses={
        200: {"model": RecordingOut, "description": "Refused at once: too large, or not a video."},
        **errors(409),
    },
)
def upload_recording(
    attempt_id: str, file: UploadFile, response: Response, session: SessionDep, services: ServicesDep, user: CurrentUser
) -> RecordingOut:
    """202 and `checking`: the recording is stored and a worker judges it (a `verify_likeness` job);
    poll `GET /api/cameo/verification/{id}` or wait for the `cameo_checked` notification. A file that
    cannot be a recording is refused at once: 200 with the verdict, as a check would give it."""
    # One byte past the limit is enough to know it is too large; the rest is never read.
    data = file.file.read(MAX_BYTES + 1)
    attempt = verification.submit_recording(
        session=session,
        user=user,
        attempt_id=attempt_id,
        data=data,
        storage=services.storage,
    )
    if attempt.status != verification.CHECKING:
        response.status_code = 200
    return RecordingOut(status=attempt.status, reasons=[ReasonOut(**r) for r in attempt.reasons])


@router.get("/cameo/verification/{attempt_id}", response_model=RecordingOut)
def get_verification(attempt_id: str, session: SessionDep, user: CurrentUser) -> RecordingOut:
    """An attempt's state: `checking` until its verdict, then the verdict and every reason."""
    attempt = verification.own_attempt(session=session, user=user, attempt_id=attempt_id)
    return RecordingOut(status=attempt.status, reasons=[ReasonOut(**r) for r in attempt.reasons or []])


# ---- settings --------------------------------------------------------------------------------------


def _cameo_out(session: Session, user: User, likeness: Likeness) -> CameoOut:
    return CameoOut(
        handle=likeness.handle,
        verified=likeness.verified_at is not None,
        verified_at=likeness.verified_at,
        permission=likeness.permission,
        restrictions=list(likeness.restrictions or []),
        approval_required=likeness.approval_required,
        approved=service.approved_handles(session=session, likeness=likeness),
        permission_choices=service.permission_choices(owner=user),
        references=service.reference_count(session=session, likeness=likeness),
    )


@router.get("/cameo", response_model=CameoOut)
def get_cameo(session: SessionDep, user: CurrentUser) -> CameoOut:
    return _cameo_out(session, user, service.ensure_own_likeness(session=session, owner=user))


@router.patch("/cameo", response_model=CameoOut, responses=errors(409))
def patch_cameo(body: CameoPatch, session: SessionDep, services: ServicesDep, user: CurrentUser) -> CameoOut:
    likeness = service.ensure_own_likeness(session=session, owner=user)
    service.update_settings(
        session=session,
        owner=user,
        likeness=likeness,
        changes=body.model_dump(exclude_unset=True),
        uses=services.likeness,
        looks=services.backend.capabilities.looks,
    )
    return _cameo_out(session, user, likeness)


@router.post("/cameo/approved", response_model=CameoOut, responses=errors(404, 409))
def approve(body: HandleIn, session: SessionDep, user: CurrentUser) -> CameoOut:
    likeness = service.ensure_own_likeness(session=session, owner=user)
    service.approve_user(session=session, owner=user, likeness=likeness, handle=body.handle)
    return _cameo_out(session, user, likeness)


@router.delete("/cameo/approved/{handle}", response_model=CameoOut)
def unapprove(handle: str, session: SessionDep, services: ServicesDep, user: CurrentUser) -> CameoOut:
    likeness = service.ensure_own_likeness(session=session, owner=user)
    service.unapprove_user(session=session, owner=user, likeness=likeness, handle=handle, uses=services.likeness)
    return _cameo_out(session, user, likeness)


@router.delete("/cameo", response_model=PurgeOut)
def delete_cameo(session: SessionDep, services: ServicesDep, user: CurrentUser) -> PurgeOut:
    likeness = service.own_likeness(session=session, owner=user)
    if likeness is None:
        return PurgeOut(clips_removed=0)
    return PurgeOut(clips_removed=service.purge(session=session, owner=user, likeness=likeness))


# ---- appearances -----------------------------------------------------------------------------------


@router.get("/cameo/appearances", response_model=AppearanceList)
def list_appearances(session: SessionDep, user: CurrentUser) -> AppearanceList:
    rows = service.appearances(session=session, owner=user)
    shaped = {v.id: v for v in videos_out(session, [row.video for row in rows], viewer=user)}
    return AppearanceList(
        items=[
            AppearanceOut(
                video=shaped[row.video.id],
                likeness=row.likeness.handle,
                approval=row.appearance.approval,
                author=row.author,
            )
            for row in rows
        ]
    )


@router.delete("/cameo/appearances/{video_id}", status_code=204)
def delete_appearance(video_id: str, session: SessionDep, services: ServicesDep, user: CurrentUser) -> Response:
    service.delete_appearance(session=session, owner=user, video_id=video_id, storage=services.storage)
    return Response(status_code=204)


@router.post("/cameo/appearances/{video_id}/approve", status_code=204, responses=errors(409))
def approve_publication(video_id: str, session: SessionDep, user: CurrentUser) -> Response:
    service.decide_publication(session=session, owner=user, video_id=video_id, approve=True)
    return Response(status_code=204)


@router.post("/cameo/appearances/{video_id}/refuse", status_code=204, responses=errors(409))
def refuse_publication(video_id: str, session: SessionDep, user: CurrentUser) -> Response:
    service.decide_publication(session=session, owner=user, video_id=video_id, approve=False)
    return Response(status_code=204)


# ---- ledger ----------------------------------------------------------------------------------------


@router.get("/cameo/ledger", response_model=LedgerOut)
def get_ledger(session: SessionDep, user: CurrentUser, download: bool = False) -> Any:
    chain = ledger.entries(session=session, owner_id=user.id)
    check = ledger.verify(chain)
    body = LedgerOut(
        entries=[ledger.as_json(e) for e in chain],
        chain=ChainOut(intact=check.intact, length=check.length, head=check.head, broken_at=check.broken_at),
    )
    if not download:
        return body
    return Response(
        json.dumps(body.model_dump(), indent=2, ensure_ascii=False),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="figment-likeness-ledger-{user.handle}.json"'},
    )


# ---- who a tag may name ----------------------------------------------------------------------------


@router.get("/cameo/usable", response_model=UsableList)
def usable(session: SessionDep, user: CurrentUser, q: str = Query(default="", max_length=30)) -> UsableList:
    """For @autocomplete: likenesses whose handle starts with `q`, and whether this user may use each."""
    found = consent.usable(session=session, author=user, prefix=q.strip().lstrip("@").lower())
    return UsableList(
        items=[
            UsableOut(
                handle=item.handle,
                kind=item.kind,
                description=item.description,
                allowed=item.decision.allowed,
                rule=item.decision.rule,
                message=item.decision.message,
            )
            for item in found
        ]
    )


# ---- characters ------------------------------------------------------------------------------------


@router.get("/cameo/looks", response_model=LooksOut)
def character_looks(services: ServicesDep) -> LooksOut:
    """What a character's `look` may be on this server: the configured video backend says."""
    looks = services.backend.capabilities.looks
    return LooksOut(sprites=list(looks.sprites), suggested=list(looks.suggested), styles=list(looks.styles))


def _character_out(session: Session, likeness: Likeness, viewer: User) -> CharacterOut:
    mine = likeness.owner_id == viewer.id
    return CharacterOut(
        handle=likeness.handle,
        owner=service.owner_handle(session=session, likeness=likeness),
        description=likeness.description,
        look=likeness.look,
        permission=likeness.permission,
        restrictions=list(likeness.restrictions or []) if mine else None,
        approval_required=likeness.approval_required if mine else None,
        approved=service.approved_handles(session=session, likeness=likeness) if mine else None,
    )


@router.post("/characters", status_code=201, response_model=CharacterOut, responses=errors(409))
def create_character(body: CharacterIn, session: SessionDep, services: ServicesDep, user: CurrentUser) -> CharacterOut:
    likeness = service.create_character(
        session=session, owner=user, body=body.model_dump(), looks=services.backend.capabilities.looks
    )
    return _character_out(session, likeness, user)


@router.get("/characters", response_model=CharacterList)
def my_characters(session: SessionDep, user: CurrentUser) -> CharacterList:
    return CharacterList(
        items=[_character_out(session, c, user) for c in service.characters_of(session=session, owner=user)]
    )


@router.get("/characters/{handle}", response_model=CharacterOut)
def get_character(handle: str, session: SessionDep, user: CurrentUser) -> CharacterOut:
    likeness = service.visible_character(session=session, viewer=user, handle=handle)
    return _character_out(session, likeness, user)


@router.patch("/characters/{handle}", response_model=CharacterOut)
def patch_character(
    handle: str, body: CharacterPatch, session: SessionDep, services: ServicesDep, user: CurrentUser
) -> CharacterOut:
    likeness = service.get_own_character(session=session, owner=user, handle=handle)
    service.update_settings(
        session=session,
        owner=user,
        likeness=likeness,
        changes=body.model_dump(exclude_unset=True),
        uses=services.likeness,
        looks=services.backend.capabilities.looks,
    )
    return _character_out(session, likeness, user)


@router.post("/characters/{handle}/approved", response_model=CharacterOut, responses=errors(409))
def approve_for_character(handle: str, body: HandleIn, session: SessionDep, user: CurrentUser) -> CharacterOut:
    likeness = service.get_own_character(session=session, owner=user, handle=handle)
    service.approve_user(session=session, owner=user, likeness=likeness, handle=body.handle)
    return _character_out(session, likeness, user)


@router.delete("/characters/{handle}/approved/{approved_handle}", response_model=CharacterOut)
def unapprove_for_character(
    handle: str, approved_handle: str, session: SessionDep, services: ServicesDep, user: CurrentUser
) -> CharacterOut:
    likeness = service.get_own_character(session=session, owner=user, handle=handle)
    service.unapprove_user(
        session=session, owner=user, likeness=likeness, handle=approved_handle, uses=services.likeness
    )
    return _character_out(session, likeness, user)


@router.delete("/characters/{handle}", response_model=PurgeOut)
def delete_character(handle: str, session: SessionDep, services: ServicesDep, user: CurrentUser) -> PurgeOut:
    likeness = service.get_own_character(session=session, owner=user, handle=handle)
    return PurgeOut(clips_removed=service.purge(session=session, owner=user, likeness=likeness))


# ---- operators -------------------------------------------------------------------------------------


@router.get("/admin/cameo/flags", response_model=list[FlagOut])
def duplicate_flags(session: SessionDep, _admin: AdminUser) -> list[FlagOut]:
    return [
        FlagOut(
            id=row.flag.id,
            handle=row.handle,
            matched_handle=row.matched_handle,
            distance=row.flag.distance,
            created_at=row.flag.created_at,
        )
        for row in verification.open_flags(session=session)
    ]

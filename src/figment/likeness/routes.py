"""HTTP routes of the likeness feature (shared/API.md, Likeness): verification, the owner's settings,
approved people, appearances, the ledger, purge, characters and their looks, and who a tag may name."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Query, Response, UploadFile
from pydantic import BaseModel, Field
from sqlalchemy import func, select

from figment.accounts.models import User
from figment.deps import AdminUser, CurrentUser, ServicesDep, SessionDep
from figment.errors import NotFound
from figment.likeness import consent, ledger, service, verification
from figment.likeness.models import DuplicateFaceFlag, FaceReference, Likeness, LikenessKind, Permission
from figment.safety.teens import is_teen
from figment.schemas import Strict, VideoOut, videos_out

router = APIRouter(prefix="/api", tags=["likeness"])


class ChallengeOut(BaseModel):
    digits: str
    head_turns: list[str]


class VerificationOut(BaseModel):
    id: str
    challenge: ChallengeOut
    expires_at: datetime


class ReasonOut(BaseModel):
    code: str
    message: str


class RecordingOut(BaseModel):
    status: str  # verified | rejected
    reasons: list[ReasonOut]


class CameoOut(BaseModel):
    handle: str
    verified: bool
    verified_at: datetime | None
    permission: str
    restrictions: list[str]
    approval_required: bool
    approved: list[str]
    # The levels this account may choose (accounts under 18 cannot choose everyone).
    permission_choices: list[str]
    references: int


class CameoPatch(Strict):
    permission: str | None = Field(default=None, max_length=16)
    restrictions: list[str] | None = Field(default=None, max_length=50)
    approval_required: bool | None = None


class HandleIn(Strict):
    handle: str = Field(max_length=64)


class AppearanceOut(BaseModel):
    video: VideoOut
    likeness: str
    approval: str
    author: str


class AppearanceList(BaseModel):
    items: list[AppearanceOut]


class ChainOut(BaseModel):
    intact: bool
    length: int
    head: str
    broken_at: int | None


class LedgerOut(BaseModel):
    entries: list[dict[str, Any]]
    chain: ChainOut


class PurgeOut(BaseModel):
    clips_removed: int


class CharacterIn(Strict):
    handle: str = Field(max_length=64)
    description: str = Field(max_length=1000)
    look: str | None = Field(default=None, max_length=40)
    permission: str | None = Field(default=None, max_length=16)
    restrictions: list[str] | None = Field(default=None, max_length=50)
    approval_required: bool = False


class CharacterPatch(Strict):
    description: str | None = Field(default=None, max_length=1000)
    look: str | None = Field(default=None, max_length=40)
    permission: str | None = Field(default=None, max_length=16)
    restrictions: list[str] | None = Field(default=None, max_length=50)
    approval_required: bool | None = None


class CharacterOut(BaseModel):
    handle: str
    owner: str
    description: str
    look: str | None
    permission: str
    # Only for the owner: restrictions and the approved list are the owner's business.
    restrictions: list[str] | None = None
    approval_required: bool | None = None
    approved: list[str] | None = None


class CharacterList(BaseModel):
    items: list[CharacterOut]


class UsableOut(BaseModel):
    handle: str
    kind: str
    description: str
    allowed: bool
    rule: str
    message: str


class UsableList(BaseModel):
    items: list[UsableOut]


class LooksOut(BaseModel):
    """The character looks the configured video backend can draw (BackendCapabilities.looks)."""

    # Every sprite a look may name; `suggested` are those a picker offers, in its order.
    sprites: list[str]
    suggested: list[str]
    # Styles a look may add after '/' ("dog/neon").
    styles: list[str]


class FlagOut(BaseModel):
    id: str
    handle: str
    matched_handle: str
    distance: float
    created_at: datetime


# ---- verification --------------------------------------------------------------------------------


@router.post("/cameo/verification", status_code=201, response_model=VerificationOut)
def start_verification(session: SessionDep, user: CurrentUser) -> VerificationOut:
    attempt = verification.issue_challenge(session=session, user=user)
    return VerificationOut(
        id=attempt.id,
        challenge=ChallengeOut(digits=attempt.digits, head_turns=attempt.head_turns.split(",")),
        expires_at=attempt.expires_at,
    )


@router.post("/cameo/verification/{attempt_id}/recording", response_model=RecordingOut)
def upload_recording(
    attempt_id: str, file: UploadFile, session: SessionDep, services: ServicesDep, user: CurrentUser
) -> RecordingOut:
    """Synchronous on purpose: judging a recording is seconds of CPU, so it runs in the thread pool."""
    from figment.likeness.liveness import MAX_BYTES

    # One byte past the limit is enough to know it is too large; the rest is never read.
    data = file.file.read(MAX_BYTES + 1)
    attempt = verification.submit_recording(
        session=session,
        user=user,
        attempt_id=attempt_id,
        data=data,
        storage=services.storage,
    )
    return RecordingOut(status=attempt.status, reasons=[ReasonOut(**r) for r in attempt.reasons])


# ---- settings --------------------------------------------------------------------------------------


def _cameo_out(session: SessionDep, user: User, likeness: Likeness) -> CameoOut:
    references = session.scalar(
        select(func.count()).select_from(FaceReference).where(FaceReference.likeness_id == likeness.id)
    )
    choices = [p for p in Permission if not (p == Permission.everyone and is_teen(user))]
    return CameoOut(
        handle=likeness.handle,
        verified=likeness.verified_at is not None,
        verified_at=likeness.verified_at,
        permission=likeness.permission,
        restrictions=list(likeness.restrictions or []),
        approval_required=likeness.approval_required,
        approved=service.approved_handles(session=session, likeness=likeness),
        permission_choices=[str(c) for c in choices],
        references=int(references or 0),
    )


@router.get("/cameo", response_model=CameoOut)
def get_cameo(session: SessionDep, user: CurrentUser) -> CameoOut:
    return _cameo_out(session, user, service.ensure_own_likeness(session=session, owner=user))


@router.patch("/cameo", response_model=CameoOut)
def patch_cameo(body: CameoPatch, session: SessionDep, services: ServicesDep, user: CurrentUser) -> CameoOut:
    likeness = service.ensure_own_likeness(session=session, owner=user)
    service.update_settings(
        session=session,
        owner=user,
        likeness=likeness,
        changes=body.model_dump(exclude_unset=True),
        uses=services.likeness,
    )
    return _cameo_out(session, user, likeness)


@router.post("/cameo/approved", response_model=CameoOut)
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
    return PurgeOut(
        clips_removed=service.purge(session=session, owner=user, likeness=likeness, storage=services.storage)
    )


# ---- appearances -----------------------------------------------------------------------------------


@router.get("/cameo/appearances", response_model=AppearanceList)
def list_appearances(session: SessionDep, user: CurrentUser) -> AppearanceList:
    rows = service.appearances(session=session, owner=user)
    shaped = {v.id: v for v in videos_out(session, [video for _, _, video in rows], viewer=user)}
    authors = dict(
        session.execute(select(User.id, User.handle).where(User.id.in_({v.author_id for *_, v in rows}))).all()
    )
    return AppearanceList(
        items=[
            AppearanceOut(
                video=shaped[video.id],
                likeness=likeness.handle,
                approval=appearance.approval,
                author=authors[video.author_id],
            )
            for appearance, likeness, video in rows
        ]
    )


@router.delete("/cameo/appearances/{video_id}", status_code=204)
def delete_appearance(video_id: str, session: SessionDep, services: ServicesDep, user: CurrentUser) -> Response:
    service.delete_appearance(session=session, owner=user, video_id=video_id, storage=services.storage)
    return Response(status_code=204)


@router.post("/cameo/appearances/{video_id}/approve", status_code=204)
def approve_publication(video_id: str, session: SessionDep, user: CurrentUser) -> Response:
    service.decide_publication(session=session, owner=user, video_id=video_id, approve=True)
    return Response(status_code=204)


@router.post("/cameo/appearances/{video_id}/refuse", status_code=204)
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
    prefix = q.strip().lstrip("@").lower()
    query = select(Likeness).order_by(Likeness.handle).limit(20)
    if prefix:
        query = query.where(Likeness.handle.startswith(prefix, autoescape=True))
    items = []
    for likeness in session.scalars(query):
        if likeness.kind == LikenessKind.person and likeness.verified_at is None:
            continue
        decision = consent.decide(session=session, author=user, likeness=likeness)
        if decision.rule == "blocked":
            continue  # blocked people do not even show up
        items.append(
            UsableOut(
                handle=likeness.handle,
                kind=likeness.kind,
                description=likeness.description,
                allowed=decision.allowed,
                rule=decision.rule,
                message=decision.message,
            )
        )
    items.sort(key=lambda item: (not item.allowed, item.handle))
    return UsableList(items=items)


# ---- characters ------------------------------------------------------------------------------------


@router.get("/cameo/looks", response_model=LooksOut)
def character_looks(services: ServicesDep) -> LooksOut:
    """What a character's `look` may be on this server: the configured video backend says."""
    looks = services.backend.capabilities.looks
    return LooksOut(sprites=list(looks.sprites), suggested=list(looks.suggested), styles=list(looks.styles))


def _character_out(session: SessionDep, likeness: Likeness, viewer: User) -> CharacterOut:
    owner = session.get(User, likeness.owner_id)
    mine = likeness.owner_id == viewer.id
    return CharacterOut(
        handle=likeness.handle,
        owner=owner.handle if owner else "",
        description=likeness.description,
        look=likeness.look,
        permission=likeness.permission,
        restrictions=list(likeness.restrictions or []) if mine else None,
        approval_required=likeness.approval_required if mine else None,
        approved=service.approved_handles(session=session, likeness=likeness) if mine else None,
    )


@router.post("/characters", status_code=201, response_model=CharacterOut)
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
    likeness = service.get_character(session=session, handle=handle)
    if (
        likeness.owner_id != user.id
        and consent.decide(session=session, author=user, likeness=likeness).rule == "blocked"
    ):
        raise NotFound(f"No character @{handle[:40]}.")
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


@router.post("/characters/{handle}/approved", response_model=CharacterOut)
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
    return PurgeOut(
        clips_removed=service.purge(session=session, owner=user, likeness=likeness, storage=services.storage)
    )


# ---- operators -------------------------------------------------------------------------------------


@router.get("/admin/cameo/flags", response_model=list[FlagOut])
def duplicate_flags(session: SessionDep, _admin: AdminUser) -> list[FlagOut]:
    rows = session.scalars(
        select(DuplicateFaceFlag).where(DuplicateFaceFlag.resolved_at.is_(None)).order_by(DuplicateFaceFlag.created_at)
    ).all()
    handles = dict(
        session.execute(
            select(User.id, User.handle).where(
                User.id.in_({r.user_id for r in rows} | {r.matched_user_id for r in rows})
            )
        ).all()
    )
    return [
        FlagOut(
            id=r.id,
            handle=handles.get(r.user_id, ""),
            matched_handle=handles.get(r.matched_user_id, ""),
            distance=r.distance,
            created_at=r.created_at,
        )
        for r in rows
    ]

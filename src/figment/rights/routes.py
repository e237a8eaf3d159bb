from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Response, UploadFile

from figment.deps import AdminUser, CurrentUser, ServicesDep, SessionDep
from figment.errors import NotFound, ValidationFailed
from figment.jobs.models import Job, JobState
from figment.rights import audit, service, takedowns
from figment.rights.imports import start_import, visible_import
from figment.rights.models import HolderStatus, RightsHolder, Takedown
from figment.rights.schemas import (
    AliasIn,
    AuditOut,
    ContestOut,
    CounterIn,
    HolderIn,
    HolderOut,
    ImageOut,
    ImportJobOut,
    ImportOut,
    ResolveIn,
    StatsOut,
    TakedownIn,
    TakedownList,
    TakedownOut,
    WorkIn,
    WorkList,
    WorkOut,
    WorkPatch,
)
from figment.rights.views import works_out
from figment.schemas import errors

router = APIRouter(prefix="/api", tags=["rights"])


def _holder_out(holder: RightsHolder, handle: str | None = None) -> HolderOut:
    return HolderOut(
        id=holder.id,
        organisation=holder.organisation,
        contact=holder.contact,
        statement=holder.statement,
        status=holder.status,
        handle=handle,
        created_at=holder.created_at,
    )


def _takedowns_out(
    session: SessionDep, items: list[Takedown], *, role: str | None = None, with_audit: bool = False
) -> list[TakedownOut]:
    ctx = takedowns.takedown_context(session=session, takedowns=items)
    out = []
    for t in items:
        trail = (
            [
                AuditOut(action=row.action, actor=handle, note=row.note, created_at=row.created_at)
                for row, handle in audit.trail(session=session, takedown=t)
            ]
            if with_audit
            else None
        )
        out.append(
            TakedownOut(
                id=t.id,
                status=t.status,
                work={"id": t.work_id, "title": ctx["works"].get(t.work_id, "")},
                holder=ctx["holders"].get(t.holder_id, ""),
                video_id=t.video_id,
                author=ctx["handles"].get(t.author_id) if t.author_id else None,
                statement=t.statement,
                counter_statement=t.counter_statement,
                resolution_note=t.resolution_note,
                created_at=t.created_at,
                countered_at=t.countered_at,
                resolved_at=t.resolved_at,
                role=role,
                audit=trail,
            )
        )
    return out


async def _read_upload(file: UploadFile, *, limit: int) -> bytes:
    data = await file.read(limit + 1)
    if not data:
        raise ValidationFailed("The uploaded file is empty.", field="file")
    if len(data) > limit:
        raise ValidationFailed(f"The uploaded file is larger than {limit} bytes.", field="file")
    return data


# ---- holders --------------------------------------------------------------------------------------


@router.post("/rights/holders", status_code=201, response_model=HolderOut, responses=errors(409))
def apply(body: HolderIn, session: SessionDep, user: CurrentUser) -> HolderOut:
    holder = service.apply_holder(
        session=session, user=user, organisation=body.organisation, contact=body.contact, statement=body.statement
    )
    return _holder_out(holder, user.handle)


@router.get("/rights/holders/me", response_model=HolderOut, responses=errors(404))
def my_holder(session: SessionDep, user: CurrentUser) -> HolderOut:
    holder = service.holder_of(session=session, user=user)
    if holder is None:
        raise NotFound("You have not applied as a rights holder.")
    return _holder_out(holder, user.handle)


@router.get("/admin/rights/holders", response_model=list[HolderOut])
def admin_holders(session: SessionDep, _admin: AdminUser, status: HolderStatus | None = None) -> list[HolderOut]:
    return [_holder_out(h, handle) for h, handle in service.list_holders(session=session, status=status)]


@router.post("/admin/rights/holders/{holder_id}/approve", response_model=HolderOut, responses=errors(409))
def approve(holder_id: str, session: SessionDep, admin: AdminUser) -> HolderOut:
    return _holder_out(service.decide_holder(session=session, holder_id=holder_id, actor=admin, approve=True))


@router.post("/admin/rights/holders/{holder_id}/reject", response_model=HolderOut, responses=errors(409))
def reject(holder_id: str, session: SessionDep, admin: AdminUser) -> HolderOut:
    return _holder_out(service.decide_holder(session=session, holder_id=holder_id, actor=admin, approve=False))


# ---- works ----------------------------------------------------------------------------------------


def _alias_dicts(aliases: list[AliasIn | str] | None) -> list[dict[str, Any]] | None:
    if aliases is None:
        return None
    return [{"text": a, "lang": None} if isinstance(a, str) else a.model_dump() for a in aliases]


@router.get("/rights/works", response_model=WorkList)
def list_works(session: SessionDep, services: ServicesDep, user: CurrentUser) -> WorkList:
    holder = service.approved_holder(session=session, user=user)
    mode = services.settings.rights_default
    return WorkList(items=works_out(session, service.list_works(session=session, holder=holder), mode), mode=mode)


@router.post("/rights/works", status_code=201, response_model=WorkOut, responses=errors(409))
def create_work(body: WorkIn, session: SessionDep, services: ServicesDep, user: CurrentUser) -> WorkOut:
    holder = service.approved_holder(session=session, user=user)
    data = service.check_work(
        title=body.title,
        aliases=_alias_dicts(body.aliases),
        kind=body.kind,
        policy=body.policy,
        description=body.description,
    )
    work = service.create_work(session=session, holder=holder, actor=user, data=data, embedder=services.embedder)
    return works_out(session, [work], services.settings.rights_default)[0]


@router.patch("/rights/works/{work_id}", response_model=WorkOut, responses=errors(409))
def update_work(
    work_id: str, body: WorkPatch, session: SessionDep, services: ServicesDep, user: CurrentUser
) -> WorkOut:
    changes = body.model_dump(exclude_unset=True)
    if "aliases" in changes:
        changes["aliases"] = _alias_dicts(body.aliases)
    if any(v is None for v in changes.values()):
        raise ValidationFailed(
            "A field given in the change must have a value.", field=next(k for k, v in changes.items() if v is None)
        )
    work = service.update_work(session=session, user=user, work_id=work_id, changes=changes, embedder=services.embedder)
    return works_out(session, [work], services.settings.rights_default)[0]


@router.delete("/rights/works/{work_id}", status_code=204)
def delete_work(work_id: str, session: SessionDep, services: ServicesDep, user: CurrentUser) -> Response:
    service.delete_work(session=session, user=user, work_id=work_id, storage=services.storage)
    return Response(status_code=204)


@router.post("/rights/works/import", status_code=202, response_model=ImportJobOut)
async def import_works(file: UploadFile, session: SessionDep, services: ServicesDep, user: CurrentUser) -> ImportJobOut:
    """Checks the file at once (UTF-8, the header) and queues the import (an `import_rights` job): 202 with
    the job; `GET /api/rights/imports/{id}` gives the ImportOut once it is done."""
    data = await _read_upload(file, limit=services.settings.max_body_bytes)
    job = start_import(session=session, user=user, data=data)
    return _import_out(job)


@router.get("/rights/imports/{job_id}", response_model=ImportJobOut)
def get_import(job_id: str, session: SessionDep, user: CurrentUser) -> ImportJobOut:
    """An import's state, and its result once done: only for whoever started it, or an operator."""
    return _import_out(visible_import(session=session, user=user, job_id=job_id))


def _import_out(job: Job) -> ImportJobOut:
    return ImportJobOut(
        id=job.id,
        state=job.state,
        result=ImportOut.model_validate(job.result) if job.state == JobState.done and job.result else None,
        error=job.last_error if job.state == JobState.failed else None,
    )


@router.post("/rights/works/{work_id}/images", status_code=201, response_model=ImageOut, responses=errors(409))
async def add_image(
    work_id: str, file: UploadFile, session: SessionDep, services: ServicesDep, user: CurrentUser
) -> ImageOut:
    data = await _read_upload(file, limit=services.settings.max_body_bytes)
    image = service.add_image(session=session, user=user, work_id=work_id, data=data, storage=services.storage)
    return ImageOut(id=image.id, width=image.width, height=image.height, created_at=image.created_at)


@router.delete("/rights/works/{work_id}/images/{image_id}", status_code=204)
def delete_image(
    work_id: str, image_id: str, session: SessionDep, services: ServicesDep, user: CurrentUser
) -> Response:
    service.delete_image(session=session, user=user, work_id=work_id, image_id=image_id, storage=services.storage)
    return Response(status_code=204)


@router.get("/rights/works/{work_id}/stats", response_model=StatsOut)
def stats(work_id: str, session: SessionDep, user: CurrentUser) -> StatsOut:
    data = service.work_stats(session=session, user=user, work_id=work_id)
    return StatsOut(
        work_id=data["work_id"],
        title=data["title"],
        refusals=data["refusals"],
        takedowns=_takedowns_out(session, data["takedowns"], role="holder"),
    )


@router.get("/rights/contest/{work_id}", response_model=ContestOut)
def contest(work_id: str, session: SessionDep, _user: CurrentUser) -> ContestOut:
    """Who to write to about a refusal: what the refusal itself already named, nothing more."""
    work, holder = service.contest_info(session=session, work_id=work_id)
    return ContestOut(work=work.title, holder=holder.organisation, contact=holder.contact, policy=work.policy)


# ---- takedowns ------------------------------------------------------------------------------------


@router.post("/rights/takedowns", status_code=201, response_model=TakedownOut, responses=errors(404, 409))
def file_takedown(body: TakedownIn, session: SessionDep, user: CurrentUser) -> TakedownOut:
    takedown = takedowns.file_takedown(
        session=session, user=user, video_id=body.video_id, work_id=body.work_id, statement=body.statement
    )
    return _takedowns_out(session, [takedown], role="holder", with_audit=True)[0]


@router.get("/rights/takedowns", response_model=TakedownList)
def list_takedowns(
    session: SessionDep, user: CurrentUser, scope: Literal["holder", "author", "all"] = "holder"
) -> TakedownList:
    items = takedowns.list_takedowns(session=session, user=user, scope=scope)
    return TakedownList(items=_takedowns_out(session, items))


@router.get("/rights/takedowns/{takedown_id}", response_model=TakedownOut)
def get_takedown(takedown_id: str, session: SessionDep, user: CurrentUser) -> TakedownOut:
    takedown, role = takedowns.get_takedown(session=session, user=user, takedown_id=takedown_id)
    return _takedowns_out(session, [takedown], role=role, with_audit=True)[0]


@router.post("/rights/takedowns/{takedown_id}/counter", response_model=TakedownOut, responses=errors(409))
def counter(takedown_id: str, body: CounterIn, session: SessionDep, user: CurrentUser) -> TakedownOut:
    takedown = takedowns.counter_notice(session=session, user=user, takedown_id=takedown_id, statement=body.statement)
    return _takedowns_out(session, [takedown], role="author", with_audit=True)[0]


@router.post("/rights/takedowns/{takedown_id}/resolve", response_model=TakedownOut, responses=errors(409))
def resolve(
    takedown_id: str, body: ResolveIn, session: SessionDep, services: ServicesDep, admin: AdminUser
) -> TakedownOut:
    takedown = takedowns.resolve(
        session=session,
        actor=admin,
        takedown_id=takedown_id,
        decision=body.decision,
        note=body.note,
        hooks=services.likeness,
    )
    return _takedowns_out(session, [takedown], role="operator", with_audit=True)[0]

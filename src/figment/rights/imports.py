"""CSV imports as jobs: the upload is checked at once and queued (`import_rights`, cpu queue); a worker
imports it in one transaction with the job's result (jobs.runner.atomic_task_handler), so a worker lost
part-way imports nothing and a retry never imports twice. The CSV text travels in the job's payload
(at most the request body limit) and is dropped from the row once the job is finished."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.embeddings import Embedder
from figment.errors import Forbidden, NotFound
from figment.jobs import service as jobs
from figment.jobs.models import PRIORITY_IMPORT, Job, JobKind, Queue
from figment.rights.csv_import import check_file, import_text
from figment.rights.models import HolderStatus, RightsHolder
from figment.rights.schemas import ImportOut
from figment.rights.service import approved_holder
from figment.rights.views import works_out

IMPORT_ATTEMPTS = 3


def start_import(*, session: Session, user: User, data: bytes) -> Job:
    """Queue an import of `data` for the user's approved holder; a file that is not UTF-8 or whose
    header is wrong is refused now (ValidationFailed), as before."""
    holder = approved_holder(session=session, user=user)
    text = check_file(data)
    return jobs.enqueue(
        session=session,
        kind=JobKind.import_rights,
        queue=Queue.cpu,
        priority=PRIORITY_IMPORT,
        max_attempts=IMPORT_ATTEMPTS,
        payload={"holder_id": holder.id, "actor_id": user.id, "csv": text},
    )


def run_import(session: Session, payload: dict[str, Any], *, embedder: Embedder, mode: str) -> dict[str, Any]:
    """The job: import the rows, and say what was imported as the upload used to (ImportOut)."""
    holder = session.get(RightsHolder, str(payload.get("holder_id")))
    actor = session.get(User, str(payload.get("actor_id")))
    if holder is None or actor is None:
        raise NotFound("The rights holder that started this import is gone; nothing was imported.")
    if holder.status != HolderStatus.approved:
        raise Forbidden("The rights holder is no longer approved; nothing was imported.")
    result = import_text(session=session, holder=holder, actor=actor, text=str(payload["csv"]), embedder=embedder)
    session.flush()
    out = ImportOut(created=len(result.created), works=works_out(session, result.created, mode), errors=result.errors)
    return out.model_dump(mode="json")


def spent(payload: dict[str, Any]) -> dict[str, Any]:
    """What a finished import's row keeps: who, not the file."""
    return {key: payload[key] for key in ("holder_id", "actor_id") if key in payload}


def visible_import(*, session: Session, user: User, job_id: str) -> Job:
    """An import job for whoever started it, or an operator; anyone else learns nothing about it."""
    job = session.get(Job, str(job_id)[:64])
    if (
        job is None
        or job.kind != JobKind.import_rights
        or (not user.is_admin and (job.payload or {}).get("actor_id") != user.id)
    ):
        raise NotFound("No such import.")
    return job

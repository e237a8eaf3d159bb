"""Deleting stored objects (clips, posters, face crops, cutouts, reference images) as a `purge_blobs`
job, queued in the same transaction that deletes the rows pointing at them.

Deleting the blobs inline, before the commit, could lose them while the rows stayed (a failed commit)
or fail the whole request on a store hiccup; after the commit, a crash in between left them orphaned
for ever. As a job the deletion is durable with the rows: a store error is retried, deleting a blob
that is already gone is fine, and the request that deleted an account or a likeness returns at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from figment.jobs import service as jobs
from figment.jobs.models import PRIORITY_BACKGROUND, Job, JobKind, Queue
from figment.storage.base import BlobStore, check_key

# A store that is down for a while: tried again by the sweeper's schedule, many times before giving up.
PURGE_ATTEMPTS = 10


def queue_purge(*, session: Session, keys: Iterable[str], reason: str) -> Job | None:
    """Queue the deletion of `keys` (committed with the caller's transaction); None when there are none."""
    unique = sorted({check_key(key) for key in keys})
    if not unique:
        return None
    return jobs.enqueue(
        session=session,
        kind=JobKind.purge_blobs,
        queue=Queue.cpu,
        priority=PRIORITY_BACKGROUND,
        max_attempts=PURGE_ATTEMPTS,
        payload={"keys": unique, "reason": reason},
    )


def purge(storage: BlobStore, payload: dict[str, Any]) -> dict[str, Any]:
    """The job: delete every key (idempotent; a store error raises and the job is retried whole)."""
    keys = [str(key) for key in payload.get("keys", [])]
    for key in keys:
        storage.delete(key)
    return {"deleted": len(keys)}

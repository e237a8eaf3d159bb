"""The likeness ledger: per owner, an append-only hash chain of every request, render, publish,
approval, deletion and permission change that touched their likeness.

Each entry's hash covers the previous entry's hash and the entry's own canonical JSON, so changing,
removing or reordering any past entry breaks every hash after it; `verify` recomputes the chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from figment.db import utcnow
from figment.likeness.models import LedgerEntry

GENESIS = "0" * 64
ACTIONS = frozenset(
    {
        "verified",
        "request",
        "refused",
        "render",
        "blocked",
        "publish",
        "unpublish",
        "approval",
        "deletion",
        "permission_change",
        "purge",
        "character_created",
        "character_deleted",
    }
)


def _body(entry: LedgerEntry) -> dict[str, Any]:
    """What an entry says: the part its hash covers."""
    return {
        "seq": entry.seq,
        "action": entry.action,
        "likeness": entry.likeness_handle,
        "actor": entry.actor_handle,
        "video_id": entry.video_id,
        "details": entry.details,
        "at": entry.created_at.isoformat(timespec="microseconds"),
    }


def canonical(entry: LedgerEntry) -> bytes:
    return json.dumps(_body(entry), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def chain_hash(prev_hash: str, entry: LedgerEntry) -> str:
    return hashlib.sha256(prev_hash.encode() + canonical(entry)).hexdigest()


def append(
    *,
    session: Session,
    owner_id: str,
    action: str,
    likeness_handle: str,
    actor_handle: str | None = None,
    video_id: str | None = None,
    details: dict[str, Any] | None = None,
) -> LedgerEntry:
    if action not in ACTIONS:
        raise ValueError(f"unknown ledger action {action!r}")
    # Two writers appending for one owner race for the same seq; the unique (owner, seq) index
    # turns the loser into a retry instead of a fork in the chain.
    for _ in range(5):
        last = session.scalars(
            select(LedgerEntry).where(LedgerEntry.owner_id == owner_id).order_by(LedgerEntry.seq.desc()).limit(1)
        ).first()
        entry = LedgerEntry(
            owner_id=owner_id,
            seq=(last.seq + 1) if last else 1,
            action=action,
            likeness_handle=likeness_handle,
            actor_handle=actor_handle,
            video_id=video_id,
            details=details or {},
            # Both databases keep microseconds, so the time read back hashes like the time written.
            created_at=utcnow(),
            prev_hash=last.hash if last else GENESIS,
            hash="",
        )
        entry.hash = chain_hash(entry.prev_hash, entry)
        try:
            with session.begin_nested():
                session.add(entry)
            return entry
        except IntegrityError:
            continue
    raise RuntimeError(f"could not append to the ledger of {owner_id} after 5 tries")


@dataclass(frozen=True)
class ChainCheck:
    intact: bool
    length: int
    head: str
    # The first entry (seq) whose hash does not follow, when broken.
    broken_at: int | None = None


def entries(*, session: Session, owner_id: str, limit: int | None = None) -> list[LedgerEntry]:
    query = select(LedgerEntry).where(LedgerEntry.owner_id == owner_id).order_by(LedgerEntry.seq.asc())
    if limit is not None:
        query = query.limit(limit)
    return list(session.scalars(query))


def verify(chain: list[LedgerEntry]) -> ChainCheck:
    prev = GENESIS
    for expected_seq, entry in enumerate(chain, start=1):
        if entry.seq != expected_seq or entry.prev_hash != prev or chain_hash(prev, entry) != entry.hash:
            return ChainCheck(intact=False, length=len(chain), head=prev, broken_at=entry.seq)
        prev = entry.hash
    return ChainCheck(intact=True, length=len(chain), head=prev)


def count(*, session: Session, owner_id: str) -> int:
    total = session.scalar(select(func.count()).select_from(LedgerEntry).where(LedgerEntry.owner_id == owner_id))
    return int(total or 0)


def as_json(entry: LedgerEntry) -> dict[str, Any]:
    return {**_body(entry), "prev_hash": entry.prev_hash, "hash": entry.hash}

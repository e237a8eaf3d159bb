"""Screening: the prompt and frame checks that refuse registered works (registered in services.build_services).

The index (rights.matching) is rebuilt from the registry whenever rights_version moved; a refusal names
the work, its holder and how to contest it, and is counted (never the prompt or the user).
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from figment.accounts.models import User
from figment.db import session_scope, utcnow
from figment.embeddings import Embedder
from figment.errors import RightsBlocked
from figment.rights import credits
from figment.rights import frames as frame_matching
from figment.rights.matching import Alias, Hit, RightsIndex, WorkEntry
from figment.rights.models import HolderStatus, Policy, Refusal, RightsHolder, RightsVersion, Work, WorkImage
from figment.videos.models import Video

log = logging.getLogger(__name__)

CONTEST_PATH = "/rights"


def effective_policy(policy: str, mode: str) -> str | None:
    """'refuse', 'licensed' or None (not screened) for a work's policy under the platform mode."""
    if policy == Policy.opt_out:
        return "refuse"
    if policy == Policy.licensed:
        return "licensed"
    if policy == Policy.catalogue:
        return "refuse" if mode == "opt_in" else None
    return None


@dataclass
class _Snapshot:
    version: int
    index: RightsIndex
    references: list[frame_matching.Reference]
    contacts: dict[str, str]
    policies: dict[str, str]  # work id -> stored policy (for the error's details)


class RightsScreen:
    """The registered prompt and frame checks. Reads the version counter on every call (one indexed
    row) and rebuilds its in-memory index when the counter moved, so changes apply to the next
    submission in this and every other process."""

    def __init__(self, *, session_factory: sessionmaker[Session], mode: str, embedder: Embedder | None) -> None:
        # embedder: the app's one (descriptions of works are matched by meaning); None: names only.
        self.session_factory = session_factory
        self.mode = mode
        self.embedder = embedder
        self._lock = threading.Lock()
        self._snapshot: _Snapshot | None = None

    def snapshot(self, session: Session) -> _Snapshot:
        version = session.scalar(select(RightsVersion.version).where(RightsVersion.id == 1)) or 0
        current = self._snapshot
        if current is not None and current.version == version:
            return current
        with self._lock:
            current = self._snapshot
            if current is None or current.version != version:
                current = self._build(session, version)
                self._snapshot = current
            return current

    def _build(self, session: Session, version: int) -> _Snapshot:
        rows = session.execute(
            select(Work, RightsHolder.organisation, RightsHolder.contact)
            .join(RightsHolder, RightsHolder.id == Work.holder_id)
            .where(RightsHolder.status == HolderStatus.approved)
        ).all()
        entries, contacts, policies = [], {}, {}
        for work, organisation, contact in rows:
            effective = effective_policy(work.policy, self.mode)
            if effective is None:
                continue
            entries.append(
                WorkEntry(
                    id=work.id,
                    title=work.title,
                    aliases=tuple(Alias(a["text"], a.get("lang")) for a in work.aliases or []),
                    description=work.description,
                    holder=organisation,
                    policy=effective,
                    kind=work.kind,
                    vector=np.frombuffer(work.vector, dtype=np.float32) if work.vector else None,
                )
            )
            contacts[work.id] = contact
            policies[work.id] = work.policy
        refused = {e.id for e in entries if e.policy == "refuse"}
        references = (
            [
                frame_matching.reference(image.work_id, image.id, image.phash, image.descriptors)
                for image in session.scalars(select(WorkImage).where(WorkImage.work_id.in_(refused)))
            ]
            if refused
            else []
        )
        index = RightsIndex.build(entries, embedder=self.embedder)
        return _Snapshot(version, index, references, contacts, policies)

    def screen(self, session: Session, prompt: str) -> list[Hit]:
        return self.snapshot(session).index.match(prompt)

    def check_prompt(self, session: Session, _author: User, prompt: str) -> None:
        snapshot = self.snapshot(session)
        hits = snapshot.index.match(prompt)
        refused = sorted((h for h in hits if h.work.policy == "refuse"), key=lambda h: -h.score)
        if refused:
            hit = refused[0]
            self._record(hit.work.id, "prompt")
            raise self._error(snapshot, hit.work, hit.rule)

    def check_frames(self, session: Session, video: Video, frames: list[np.ndarray]) -> None:
        snapshot = self.snapshot(session)
        found = frame_matching.match_frames(frames, snapshot.references)
        if found is not None:
            work = next(e for e in snapshot.index.works if e.id == found.work_id)
            self._record(work.id, "frames")
            raise self._error(snapshot, work, found.rule)
        # Licensed works the clip used are credited on it.
        licensed = [
            h.work.id for h in snapshot.index.match(video.prompt, semantic=False) if h.work.policy == "licensed"
        ]
        credits.credit(session=session, video_id=video.id, work_ids=licensed)

    def _error(self, snapshot: _Snapshot, work: WorkEntry, rule: str) -> RightsBlocked:
        contact = snapshot.contacts.get(work.id, "")
        return RightsBlocked(
            f"'{work.title}' is registered by {work.holder}, who does not allow clips of it. "
            f"Think this is wrong? Write to {contact or work.holder}.",
            details={
                "work": work.title,
                "work_id": work.id,
                "holder": work.holder,
                "policy": snapshot.policies.get(work.id, "opt_out"),
                "rule": rule,
                "contest": {
                    "url": f"{CONTEST_PATH}?contest={work.id}",
                    "contact": contact,
                    "text": f"If this is wrong (your own work, parody, a licence), write to {work.holder} at "
                    f"{contact} naming '{work.title}'.",
                },
            },
        )

    def _record(self, work_id: str, stage: str) -> None:
        # Its own transaction: the caller's rolls back with the refusal. Counts and dates only.
        try:
            with session_scope(self.session_factory) as session:
                session.add(Refusal(work_id=work_id, stage=stage, created_at=utcnow()))
        except Exception:  # a lost count must never turn a refusal into an internal error
            log.exception("could not record a refusal for work %s", work_id)

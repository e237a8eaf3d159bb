"""The questions a clip's life asks of the features that guard it: the consent seam.

`videos/` owns the steps (submit, render, publish, who sees a draft, deletion); `likeness/` answers
for the people and characters in a clip (`figment.likeness.uses.LikenessUses`). Every caller that
creates, renders, publishes, shows or deletes a clip (routes, the worker, demo, CLI, operators) must
hand an implementation in: the argument has no default, so a forgotten consent check is a TypeError
and a mypy error, never a silently skipped check. `figment.testing.hooks.RecordingHooks` is the fake
for tests that are not about likeness.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.generation.types import LikenessRef
from figment.videos.models import Video

RenderOutcome = Literal["render", "blocked"]


@dataclass(frozen=True)
class Cast:
    """Who a prompt puts in the clip, in tag order: likeness row ids (people and characters)."""

    likeness_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class RenderCast:
    """What the backend is given: the prompt it reads (tags rewritten) and the consented faces."""

    prompt: str
    faces: tuple[LikenessRef, ...] = ()


class ClipHooks(Protocol):
    def check_submit(self, *, session: Session, author: User, prompt: str) -> Cast:
        """May the author make this clip? Raises the refusal, naming whose consent and which rule;
        a refusal is recorded where the owner sees it even though the request's transaction rolls back."""
        ...

    def record_submit(self, *, session: Session, video: Video, author: User, cast: Cast) -> None:
        """The clip row exists: remember who is in it and tell them (drafts included)."""
        ...

    def prepare_render(self, *, session: Session, video: Video, author: User) -> RenderCast:
        """Just before rendering: consent again (it may have been withdrawn while queued) and the faces."""
        ...

    def record_outcome(
        self, *, session: Session, video: Video, outcome: RenderOutcome, reason: str | None = None
    ) -> None:
        """The render finished (`render`) or a check refused it (`blocked`, with the reason code)."""
        ...

    def check_publish(self, *, session: Session, video: Video) -> None:
        """May this finished draft become public? Raises the refusal (an approval pending or refused)."""
        ...

    def record_publish(self, *, session: Session, video: Video, author: User) -> None:
        """The clip is public now: remember it and tell the people in it."""
        ...

    def can_view_draft(self, *, session: Session, video: Video, viewer: User) -> bool:
        """Besides its author, who may see a draft: the people in it."""
        ...

    def record_unpublish(self, *, session: Session, video: Video, by: User) -> None:
        """The author took the published clip back to drafts: the people in it can see that it left."""
        ...

    def record_deletion(self, *, session: Session, video: Video, by: User) -> None:
        """The clip is about to be deleted by `by`: the people in it learn that it is gone."""
        ...

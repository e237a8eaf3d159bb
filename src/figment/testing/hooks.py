"""A `ClipHooks` for tests that are not about likeness: it records every question it is asked and
refuses on demand, so a test can prove that an entry point asked (and obeyed) the consent seam."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.errors import DomainError
from figment.videos.hooks import Cast, RenderCast, RenderOutcome
from figment.videos.models import Video


@dataclass
class RecordingHooks:
    """Allows everything unless told to refuse; `calls` lists (hook name, video id or prompt) in order."""

    refuse_submit: DomainError | None = None
    refuse_render: DomainError | None = None
    refuse_publish: DomainError | None = None
    # User ids who may see any draft, as the people in a clip may.
    draft_viewers: set[str] = field(default_factory=set)
    calls: list[tuple[str, str]] = field(default_factory=list)

    def asked(self, name: str) -> list[str]:
        """What the hook `name` was asked about, in order."""
        return [subject for hook, subject in self.calls if hook == name]

    def check_submit(self, *, session: Session, author: User, prompt: str) -> Cast:
        self.calls.append(("check_submit", prompt))
        if self.refuse_submit is not None:
            raise self.refuse_submit
        return Cast()

    def record_submit(self, *, session: Session, video: Video, author: User, cast: Cast) -> None:
        self.calls.append(("record_submit", video.id))

    def prepare_render(self, *, session: Session, video: Video, author: User) -> RenderCast:
        self.calls.append(("prepare_render", video.id))
        if self.refuse_render is not None:
            raise self.refuse_render
        return RenderCast(prompt=video.prompt)

    def record_outcome(
        self, *, session: Session, video: Video, outcome: RenderOutcome, reason: str | None = None
    ) -> None:
        self.calls.append((f"record_outcome:{outcome}", video.id))

    def check_publish(self, *, session: Session, video: Video) -> None:
        self.calls.append(("check_publish", video.id))
        if self.refuse_publish is not None:
            raise self.refuse_publish

    def record_publish(self, *, session: Session, video: Video, author: User) -> None:
        self.calls.append(("record_publish", video.id))

    def can_view_draft(self, *, session: Session, video: Video, viewer: User) -> bool:
        self.calls.append(("can_view_draft", video.id))
        return viewer.id in self.draft_viewers

    def record_unpublish(self, *, session: Session, video: Video, by: User) -> None:
        self.calls.append(("record_unpublish", video.id))

    def record_deletion(self, *, session: Session, video: Video, by: User) -> None:
        self.calls.append(("record_deletion", video.id))

"""Checks that may refuse a clip, run at submit, again before rendering, and on the rendered frames.

A check raises a `DomainError` subclass (RightsBlocked, ModerationBlocked, CameoPermissionDenied, ...)
naming its reason. At submit the error goes straight back to the author; in the worker it turns the
video `blocked` with that reason, before anything is rendered or stored.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy.orm import Session

from figment.accounts.models import User
from figment.videos.models import Video

# (session, author, prompt): consent may change while a job waits, so these run twice.
PromptCheck = Callable[[Session, User, str], None]
# (session, video, sampled RGB frames, about one per second).
FrameCheck = Callable[[Session, Video, list[np.ndarray]], None]


@dataclass
class Checks:
    prompt: list[PromptCheck] = field(default_factory=list)
    frames: list[FrameCheck] = field(default_factory=list)

    def check_prompt(self, *, session: Session, author: User, prompt: str) -> None:
        for check in self.prompt:
            check(session, author, prompt)

    def check_frames(self, *, session: Session, video: Video, frames: list[np.ndarray]) -> None:
        for check in self.frames:
            check(session, video, frames)


class FrameSampler:
    """A frame filter for the encoder that keeps a copy of about one frame per second."""

    def __init__(self, *, fps: int) -> None:
        self.every = max(1, fps)
        self.frames: list[np.ndarray] = []

    def __call__(self, frame: np.ndarray, index: int) -> np.ndarray:
        if index % self.every == 0:
            self.frames.append(frame.copy())
        return frame

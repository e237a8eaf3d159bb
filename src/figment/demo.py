"""Demo content so a fresh install never shows an empty feed.

Clips go through the real pipeline (job rows, the worker, the encoder); only the waiting is done in
the foreground with a progress bar. Running it again skips what already exists.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from figment.accounts import service as accounts
from figment.accounts.models import User
from figment.db import session_scope, utcnow
from figment.likeness import service as likeness_service
from figment.likeness.models import Likeness
from figment.profiles import avatars
from figment.profiles import service as profiles
from figment.services import Services
from figment.videos import service as videos
from figment.videos.models import Video, VideoStatus, Visibility

DEMO_PASSWORD = "figment-demo"  # nosec B105  # the demo accounts' published password (README)
DEMO_USERS = ("luna", "marco", "giulia", "kai", "noor")


@dataclass(frozen=True)
class DemoClip:
    handle: str
    prompt: str
    duration_s: float
    # The prompt of the demo clip this one remixes (the remix credit on the card links to it).
    remix_of: str | None = None


@dataclass(frozen=True)
class DemoProfile:
    display_name: str
    bio: str
    # The avatar is generated like any (no uploads): this prompt, through the clip path's checks.
    avatar: str
    # Prompts of the author's clips to pin, in order.
    pins: tuple[str, ...] = ()


DEMO_CLIPS = (
    DemoClip("luna", "a cat dancing on the beach at sunset", 8),
    DemoClip("marco", "una macchina rossa che corre in città di notte sotto la pioggia", 8),
    DemoClip("giulia", "un gatto che balla sulla spiaggia al tramonto", 6),
    DemoClip("kai", "an astronaut floating in outer space among the stars", 8),
    DemoClip("noor", 'a fox in a snowy forest says "hello winter"', 8),
    DemoClip("luna", "three dolphins jumping in the ocean on a sunny day", 6),
    DemoClip("marco", "un cane che corre nel parco di mattina", 6),
    DemoClip("giulia", "a rocket flying over the mountains at dawn, epic", 8),
    DemoClip("kai", "a spooky ghost floating in a dark forest at night with fog", 8),
    DemoClip("noor", "a yellow taxi driving down a city street in the rain", 6),
    DemoClip("luna", "un pesce che nuota sott'acqua tra le bolle", 6),
    DemoClip("marco", 'a robot on a stage singing "la la la" under neon lights', 8),
    DemoClip("giulia", "a horse running through the countryside on a windy day", 6),
    DemoClip("kai", "a camel walking in the desert under a hot sun", 6),
    DemoClip("noor", "una torta di compleanno con le candeline in cucina", 6),
    DemoClip("luna", "a penguin sliding on a snowfield, happy", 6),
    DemoClip("marco", "fireworks over the city skyline at night, romantic", 8),
    DemoClip("giulia", "un orso che dorme nella foresta sotto la neve", 6),
    DemoClip("kai", "a bicycle riding through a park in spring with birds", 6),
    DemoClip("noor", 'a parrot on a pirate ship says "ahoy!" at sunset', 8),
    # Luna's character (a likeness with no biometrics): tagged by someone else, so luna's likeness
    # page shows an appearance and a ledger from the first run.
    DemoClip("kai", "@biscuit chasing a red ball in the park", 6),
    DemoClip("giulia", "a cat dancing on the beach under the moon", 6, remix_of="a cat dancing on the beach at sunset"),
)
DEMO_PROFILES = {
    "luna": DemoProfile(
        "Luna Rossi",
        "Cats, beaches and small animals 🐾\nBiscuit's human. Remix me, tag @biscuit! #cats #sunset",
        "a cat under the moon at night, portrait",
        pins=("a cat dancing on the beach at sunset", "a penguin sliding on a snowfield, happy"),
    ),
    "marco": DemoProfile(
        "Marco B.", "Città di notte, motori e fuochi d'artificio. #notte #milano", "a red car in the city at night"
    ),
    "giulia": DemoProfile(
        "Giulia", "Animali, montagne e un po' di @luna. #natura", "a horse in the countryside on a sunny day"
    ),
    "kai": DemoProfile("Kai", "Space, ghosts and bikes. #space", "an astronaut floating among the stars"),
    "noor": DemoProfile("Noor", "Foxes, parrots and birthday cakes 🎂 #winter", "a fox in a snowy forest"),
}
DEMO_CHARACTER = {
    "handle": "biscuit",
    "description": "a small golden puppy with floppy ears",
    "look": "dog",
    "permission": "everyone",
}


def _ensure_users(services: Services) -> dict[str, str]:
    ids: dict[str, str] = {}
    with session_scope(services.session_factory) as session:
        for handle in DEMO_USERS:
            user = session.scalars(select(User).where(User.handle == handle)).first()
            if user is None:
                user = accounts.signup(
                    session=session,
                    handle=handle,
                    email=f"{handle}@demo.figment.local",
                    password=DEMO_PASSWORD,
                    birthdate=date(1990, 1, 1),
                ).user
            ids[handle] = user.id
        # Demo people follow each other a little, so Following is not empty for them.
        users = {h: session.get(User, i) for h, i in ids.items()}
        for a, b in zip(DEMO_USERS, DEMO_USERS[1:] + DEMO_USERS[:1], strict=True):
            ua, ub = users[a], users[b]
            if ua and ub and not accounts.is_following(session=session, follower_id=ua.id, followee_id=ub.id):
                accounts.follow(session=session, actor=ua, target=ub)
        luna = users["luna"]
        if luna is not None and not session.scalars(select(Likeness).where(Likeness.handle == "biscuit")).first():
            # The looks of the engine that renders the demo (seed); a model that draws no looks gets the
            # character as its description only.
            looks = services.backends.get("procedural", services.backend).capabilities.looks
            body = {k: v for k, v in DEMO_CHARACTER.items() if k != "look" or looks.sprites}
            likeness_service.create_character(session=session, owner=luna, body=body, looks=looks)
    return ids


def missing_clips(services: Services) -> list[DemoClip]:
    with session_scope(services.session_factory) as session:
        existing = {
            (handle, prompt)
            for handle, prompt in session.execute(
                select(User.handle, Video.prompt)
                .join(Video, Video.author_id == User.id)
                .where(User.handle.in_(DEMO_USERS))
            )
        }
    return [clip for clip in DEMO_CLIPS if (clip.handle, clip.prompt) not in existing]


def seed(
    services: Services,
    *,
    on_clip_done: Callable[[DemoClip], None] | None = None,
    clips: tuple[DemoClip, ...] | None = None,
) -> int:
    """Create demo users and render + publish the demo clips that do not exist yet. Returns how many."""
    ids = _ensure_users(services)
    todo = [c for c in missing_clips(services) if clips is None or c in clips]
    # Demo clips are the instance's own: no daily quota, and made by the built-in engine whenever authors
    # may use it, so a hosted default does not bill the provider for every demo clip (docs/MODELS.md).
    engine = "procedural" if "procedural" in services.backends else None
    limits = dataclasses.replace(services.submit_limits(engine), daily_quota=0)
    worker_id = f"{services.workers.base_id}:demo"
    now = utcnow()
    for index, clip in enumerate(todo):
        with session_scope(services.session_factory) as session:
            author = session.get(User, ids[clip.handle])
            assert author is not None
            original = (
                session.scalars(
                    select(Video.id).where(Video.prompt == clip.remix_of, Video.visibility == Visibility.published)
                ).first()
                if clip.remix_of
                else None
            )
            video = videos.submit(
                session=session,
                author=author,
                prompt=clip.prompt,
                duration_s=clip.duration_s,
                remix_of=original,
                limits=limits,
                checks=services.checks,
                hooks=services.likeness,
            )
            services.recommender.store_embedding(session=session, video=video)
            video_id = video.id
        while services.workers.run_once(worker_id):
            pass
        with session_scope(services.session_factory) as session:
            done = session.get(Video, video_id)
            if done is not None and done.status == VideoStatus.ready:
                author = session.get(User, ids[clip.handle])
                assert author is not None
                videos.publish(session=session, video_id=done.id, actor=author, hooks=services.likeness)
                # Spread publication times so the feed's freshness ranking has something to order.
                done.published_at = now - timedelta(minutes=7 * (len(todo) - index))
        if on_clip_done:
            on_clip_done(clip)
    _profiles(services, ids, limits, worker_id)
    return len(todo)


def _profiles(services: Services, ids: dict[str, str], limits: videos.SubmitLimits, worker_id: str) -> None:
    """Display names, bios, pins, and avatars made through the real avatar path; what is set stays."""
    for handle, demo in DEMO_PROFILES.items():
        with session_scope(services.session_factory) as session:
            user = session.get(User, ids[handle])
            if user is None or user.display_name is not None:
                continue
            pins = [
                video_id
                for prompt in demo.pins
                for video_id in session.scalars(
                    select(Video.id).where(
                        Video.author_id == user.id, Video.prompt == prompt, Video.visibility == Visibility.published
                    )
                )
            ]
            profiles.update(session=session, user=user, display_name=demo.display_name, bio=demo.bio, pinned=pins)
            if avatars.current(session=session, user_id=user.id) is None:
                avatars.request(
                    session=session,
                    user=user,
                    prompt=demo.avatar,
                    limits=limits,
                    checks=services.checks,
                    hooks=services.likeness,
                )
        while services.workers.run_once(worker_id):
            pass
    _likes(services, ids)


def _likes(services: Services, ids: dict[str, str]) -> None:
    """Each demo person likes the clips of the one before, so counts and "likes received" are not all 0
    (liking twice is a no-op, so a second run changes nothing)."""
    with session_scope(services.session_factory) as session:
        for fan, author in zip(DEMO_USERS, DEMO_USERS[1:] + DEMO_USERS[:1], strict=True):
            actor, made_by = session.get(User, ids[fan]), session.get(User, ids[author])
            if actor is None or made_by is None:
                continue
            for video in videos.published_by(session=session, author=made_by):
                videos.like(session=session, video_id=video.id, actor=actor, hooks=services.likeness)

"""Consent check at submit (issue 4): `python -m bench --only consent`.

What `POST /api/videos` adds for tagged likenesses, measured in process on the real code path
(`LikenessUses.check_submit`: parse tags, resolve handles, permission level, approved list, mutual
follows, blocks, restrictions with the multilingual matcher) against a database of 2,000 accounts,
500 verified likenesses with 5 restrictions each, 400-person approved lists and a follow graph.
Reported per prompt shape, p50/p99 over N checks, on SQLite and, when reachable, PostgreSQL.
"""

from __future__ import annotations

import os
import random
import tempfile
import time
from pathlib import Path

from bench.__main__ import percentile, table

ACCOUNTS = 2_000
LIKENESSES = 500
APPROVED_PER_LIKENESS = 400
RESTRICTIONS = ["no political content", "never in swimwear", "niente alcolici", "no violence", "no kissing"]
WORDS = ["slowly", "again", "together", "happily", "tonight", "forever", "outside", "quietly"]
PROMPTS = {
    "no tag": "a red car driving through a city at night in the rain",
    "1 tag, everyone": "@u0001 dancing in the rain on a rooftop at night",
    "3 tags (everyone, mutuals, approved)": "@u0001 @u0002 and @u0003 share a pizza on a boat at sunset",
    "1 tag, refused (restriction)": "@u0001 giving a speech at an election rally",
}


def _populate(url: str) -> None:
    from sqlalchemy import insert

    from figment.accounts.handles import handle_skeleton
    from figment.accounts.models import Follow, User
    from figment.db import make_engine, new_id, utcnow
    from figment.likeness.models import ApprovedUser, Likeness
    from figment.migrate import upgrade

    upgrade(url)
    engine = make_engine(url)
    rng = random.Random(7)
    now = utcnow()
    users = [
        {
            "id": new_id(),
            "handle": f"u{i:04d}",
            "handle_skeleton": handle_skeleton(f"u{i:04d}"),
            "email": f"u{i}@example.com",
            "password_hash": "x",
            "created_at": now,
        }
        for i in range(ACCOUNTS)
    ]
    ids = [u["id"] for u in users]
    levels = ["everyone", "mutuals", "approved", "only_me"]
    likenesses = [
        {
            "id": new_id(),
            "owner_id": ids[i],
            "kind": "person",
            "handle": users[i]["handle"],
            "handle_skeleton": users[i]["handle_skeleton"],
            "permission": levels[(i - 1) % 4] if i else "everyone",
            "restrictions": RESTRICTIONS,
            "approval_required": False,
            "verified_at": now,
            "description": "",
            "created_at": now,
            "updated_at": now,
        }
        for i in range(1, LIKENESSES + 1)
    ]
    approved = [
        {"id": new_id(), "likeness_id": lk["id"], "user_id": uid, "created_at": now}
        for lk in likenesses
        for uid in rng.sample(ids, APPROVED_PER_LIKENESS)
        if uid != lk["owner_id"] and uid != ids[0]
    ]
    author = ids[0]
    for lk in likenesses[:3]:  # the author is approved by the third tag
        if lk["permission"] == "approved":
            approved.append({"id": new_id(), "likeness_id": lk["id"], "user_id": author, "created_at": now})
    follows = {(rng.choice(ids), rng.choice(ids)) for _ in range(ACCOUNTS * 20)}
    follows |= {(author, likenesses[1]["owner_id"]), (likenesses[1]["owner_id"], author)}  # mutuals
    rows = [{"id": new_id(), "follower_id": a, "followee_id": b, "created_at": now} for a, b in follows if a != b]
    with engine.begin() as conn:
        conn.execute(insert(User), users)
        conn.execute(insert(Likeness), likenesses)
        for start in range(0, len(approved), 20_000):
            conn.execute(insert(ApprovedUser), approved[start : start + 20_000])
        conn.execute(insert(Follow), rows)
    engine.dispose()


def _measure(url: str, checks: int) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from figment.accounts.models import User
    from figment.db import make_engine, make_session_factory
    from figment.embeddings import make_embedder
    from figment.errors import DomainError
    from figment.likeness.restrictions import RestrictionMatcher
    from figment.likeness.uses import LikenessUses
    from figment.storage.local import LocalBlobStore

    engine = make_engine(url)
    factory = make_session_factory(engine)
    with tempfile.TemporaryDirectory() as tmp:
        uses = LikenessUses(
            matcher=RestrictionMatcher(make_embedder("use")), storage=LocalBlobStore(Path(tmp)), session_factory=factory
        )
        rows = []
        with factory() as session:
            author = session.scalars(select(User).where(User.handle == "u0000")).one()
            for name, prompt in PROMPTS.items():
                times = []
                for i in range(checks + 10):
                    # A new word each time: every prompt is new to the embedding cache, as in real use.
                    varied = f"{prompt} {WORDS[i % len(WORDS)]}{i}"
                    start = time.perf_counter()
                    try:
                        uses.check_submit(session=session, author=author, prompt=varied)
                    except DomainError:
                        pass
                    times.append((time.perf_counter() - start) * 1000)
                times = times[10:]  # warm-up: model load, statement cache
                rows.append((f"{name}: p50 / p99 (ms)", f"{percentile(times, 50):.2f} / {percentile(times, 99):.2f}"))
    engine.dispose()
    return rows


def main(*, quick: bool = False) -> None:
    checks = 100 if quick else 500
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/consent.db"
        _populate(url)
        table(f"Consent check at submit, SQLite ({checks} checks per prompt)", _measure(url, checks))
    admin_url = os.environ.get("FIGMENT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    try:
        from sqlalchemy import create_engine, text

        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text("DROP DATABASE IF EXISTS figment_bench_consent"))
            conn.execute(text("CREATE DATABASE figment_bench_consent"))
        admin.dispose()
    except Exception as error:  # no local PostgreSQL: the SQLite table stands alone
        print(f"\n(PostgreSQL not reachable for the consent benchmark: {str(error).splitlines()[0]})")
        return
    url = admin_url.rsplit("/", 1)[0] + "/figment_bench_consent"
    _populate(url)
    table(f"Consent check at submit, PostgreSQL ({checks} checks per prompt)", _measure(url, checks))


def output_check(*, quick: bool = False) -> None:
    """The face screen after rendering: time on a 10 s 720x1280 clip's ~1 fps samples, and whether it
    finds the likeness face the procedural renderer composited onto a character."""
    from skimage import data

    from figment.generation.backends.procedural import ProceduralBackend
    from figment.generation.checks import FrameSampler
    from figment.generation.types import GenerationRequest, LikenessRef
    from figment.likeness.biometrics import detect_faces, distance, embed, face_cutout
    from figment.likeness.output_check import FaceScreen

    photo = data.astronaut()
    [face] = detect_faces(photo)
    reference = embed(photo, face)
    ref = LikenessRef(handle="olga", face=face_cutout(photo, face))
    rows = []
    for prompt in ('a person waves on the beach and says "hello everyone"', "a person dancing in the city at night"):
        request = GenerationRequest(prompt=prompt, seed=1, duration_s=4.0 if quick else 10.0, likeness=(ref,))
        clip = ProceduralBackend().generate(request)
        sampler = FrameSampler(fps=clip.fps)
        for index, frame in enumerate(clip.frames):
            sampler(frame, index)
        screen = FaceScreen(session_factory=None, every_nth=2)  # type: ignore[arg-type]
        start = time.perf_counter()
        found = screen.faces_in(sampler.frames)
        elapsed = time.perf_counter() - start
        matches = sum(1 for vector in found if distance(vector, reference) < 0.6)
        rows.append((f"{prompt[:38]}: time (s) / faces / matching", f"{elapsed:.2f} / {len(found)} / {matches}"))
    table(f"Output face check on the ~1 fps samples (every 2nd frame), {'4' if quick else '10'} s 720x1280", rows)

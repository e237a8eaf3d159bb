"""Search benchmark (`python -m bench search`): p50/p95/p99 of GET /api/search's work over mixed queries.

100k users and 1M published clips, synthetic, in a fresh SQLite database made by the migrations (rows
by direct INSERTs: users with syllable handles, clips with prompts from 200 topics and Zipf-used
#tags). The clips' prompt embeddings are the topics' real multilingual USE embeddings (512-d) plus
noise, put straight into the app's faiss index (feed.vector_index: IVF + 8-bit codes at this size),
not into video_embeddings: 1M x 2 KB of rows would only make the set-up slower, and the index is
what a search reads.

A query runs what the route runs, in process, minus HTTP: the teen allowance check, the search
service (the real USE embedder on the query text, faiss, the visibility query, prefix queries, the
rapidfuzz directories) and the shaping of clips (videos_out), for a logged-in adult who blocked 20
people. One third each: people (prefixes of 2-7 letters, a third of them with a typo), clips (English
and Italian phrases, never the same text twice so the embedder's memo does not help) and tags.
"""

from __future__ import annotations

import os
import resource
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

SYLLABLES = "lu na ma ro ki to sa be ri po la mi ze da fe go ta ne vi so ca re pi mo".split()
SUBJECTS = [
    ("a cat", "un gatto"),
    ("a dog", "un cane"),
    ("a red car", "una macchina rossa"),
    ("a robot", "un robot"),
    ("a dragon", "un drago"),
    ("two friends dancing", "due amici che ballano"),
    ("a chef cooking pasta", "uno chef che cucina la pasta"),
    ("a horse", "un cavallo"),
    ("a small boat", "una piccola barca"),
    ("an astronaut", "un astronauta"),
    ("a fox", "una volpe"),
    ("an old lighthouse", "un vecchio faro"),
    ("a child flying a kite", "un bambino con un aquilone"),
    ("a jazz band", "una band jazz"),
    ("a waterfall", "una cascata"),
    ("a bakery", "una panetteria"),
    ("a football match", "una partita di calcio"),
    ("a snowman", "un pupazzo di neve"),
    ("an owl", "un gufo"),
    ("a train", "un treno"),
]
SCENES = [
    ("on the beach at sunset", "sulla spiaggia al tramonto"),
    ("in the rain at night", "sotto la pioggia di notte"),
    ("in snowy mountains", "in montagne innevate"),
    ("in a busy city street", "in una strada affollata"),
    ("in a quiet forest", "in un bosco tranquillo"),
    ("in space among the stars", "nello spazio tra le stelle"),
    ("in a small kitchen", "in una piccola cucina"),
    ("under water", "sott'acqua"),
    ("in a desert", "nel deserto"),
    ("at a summer festival", "a una festa d'estate"),
]


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def _handles(rng: np.random.Generator, n: int) -> list[str]:
    seen: set[str] = set()
    out = []
    while len(out) < n:
        handle = "".join(rng.choice(SYLLABLES, int(rng.integers(2, 5))))
        if rng.random() < 0.3:
            handle += str(int(rng.integers(0, 100)))
        if handle in seen:
            handle += f"_{len(out)}"
        seen.add(handle)
        out.append(handle)
    return out


def _typo(rng: np.random.Generator, word: str) -> str:
    i = int(rng.integers(1, len(word))) if len(word) > 1 else 0
    return word[:i] + str(rng.choice(list("aeiou"))) + word[i + 1 :]


def build(
    db_url: str, *, users: int, clips: int, seed: int = 0
) -> tuple[list[str], list[str], np.ndarray, list[str], dict[str, float]]:
    """Fill the database; returns handles, clip ids, clip vectors, tag names and the set-up times."""
    import sqlite3

    from figment.accounts.handles import handle_skeleton
    from figment.embeddings import make_embedder

    rng = np.random.default_rng(seed)
    timings: dict[str, float] = {}
    # Plain sqlite3 with the journal off while loading: a million rows through the ORM's bind
    # processing takes minutes; the rows are the same (timestamps in SQLAlchemy's SQLite format).
    conn = sqlite3.connect(db_url.removeprefix("sqlite:///"))
    conn.execute("PRAGMA synchronous=OFF")
    now = datetime.now(UTC)

    def stamp(moment: datetime) -> str:
        return moment.strftime("%Y-%m-%d %H:%M:%S.%f")

    start = time.perf_counter()
    handles = _handles(rng, users)
    user_ids = [f"{i:032x}" for i in range(users)]
    joined = now - timedelta(days=60)
    conn.executemany(
        "INSERT INTO users (id, handle, handle_skeleton, email, password_hash, is_admin, endless_scroll,"
        " guardian_locked, created_at) VALUES (?, ?, ?, ?, 'x', 0, 1, 0, ?)",
        # A skeleton is unique in the table (look-alikes are refused at signup): made so here with the row number.
        [
            (user_ids[i], h, f"{handle_skeleton(h)}#{i}", f"u{i}@example.com", stamp(joined + timedelta(seconds=i)))
            for i, h in enumerate(handles)
        ],
    )
    conn.commit()
    timings["users"] = time.perf_counter() - start

    start = time.perf_counter()
    tag_names = sorted(set(_handles(rng, 5_000)))
    topics = [(en_s + " " + en_p, it_s + " " + it_p) for en_s, it_s in SUBJECTS for en_p, it_p in SCENES]
    embedder = make_embedder("use")
    centres = embedder.embed([en for en, _ in topics])
    topic_of = rng.integers(0, len(topics), clips)
    tag_of = np.minimum(rng.zipf(1.4, clips) - 1, len(tag_names) - 1)
    second_tag = rng.integers(0, len(tag_names), clips)
    authors = rng.integers(0, users, clips)
    age_s = rng.uniform(0, 30 * 86400, clips)
    clip_ids = [f"{users + i:032x}" for i in range(clips)]
    conn.executemany("INSERT INTO hashtags (name, created_at) VALUES (?, ?)", [(t, stamp(now)) for t in tag_names])
    for lo in range(0, clips, 100_000):
        hi = min(clips, lo + 100_000)
        rows = []
        tags = []
        for i in range(lo, hi):
            first, second = tag_names[tag_of[i]], tag_names[second_tag[i]]
            published = stamp(now - timedelta(seconds=float(age_s[i])))
            rows.append(
                (
                    clip_ids[i],
                    user_ids[authors[i]],
                    f"{topics[topic_of[i]][0]} #{first} #{second}",
                    i,
                    int(i % 17),
                    published,
                    published,
                )
            )
            tags.append((clip_ids[i], first))
            if second != first:
                tags.append((clip_ids[i], second))
        conn.executemany(
            "INSERT INTO videos (id, author_id, prompt, duration_s, seed, width, height, status, visibility,"
            " progress, backend, like_count, comment_count, view_count, share_count, created_at, published_at)"
            " VALUES (?, ?, ?, 10.0, ?, 720, 1280, 'ready', 'published', 100, 'procedural', ?, 0, 0, 0, ?, ?)",
            rows,
        )
        conn.executemany("INSERT INTO clip_tags (video_id, tag) VALUES (?, ?)", tags)
        conn.commit()
    conn.execute("PRAGMA optimize")
    conn.close()
    timings["clips and tags (rows)"] = time.perf_counter() - start

    start = time.perf_counter()
    # Around each topic's real embedding: a clip's prompt sits ~0.7 cosine from its topic's centre.
    vectors = np.empty((clips, centres.shape[1]), dtype=np.float32)
    for lo in range(0, clips, 100_000):
        hi = min(clips, lo + 100_000)
        noise = rng.standard_normal((hi - lo, centres.shape[1])).astype(np.float32) / np.sqrt(centres.shape[1])
        chunk = centres[topic_of[lo:hi]] + noise
        vectors[lo:hi] = chunk / np.linalg.norm(chunk, axis=1, keepdims=True)
    timings["vectors"] = time.perf_counter() - start
    return handles, clip_ids, vectors, tag_names, timings


def queries(rng: np.random.Generator, handles: list[str], tag_names: list[str], n: int) -> list[tuple[str, str]]:
    words_it = [w for s, p in SUBJECTS + SCENES for w in p.split() if len(w) > 3]
    words_en = [w for s, _ in SUBJECTS + SCENES for w in s.split() if len(w) > 3]
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    while len(out) < n:
        kind = ("users", "clips", "tags")[len(out) % 3]
        if kind == "users":
            h = str(rng.choice(handles))
            q = h[: int(rng.integers(2, min(8, len(h)) + 1))]
            if rng.random() < 1 / 3 and len(q) > 3:
                q = _typo(rng, q)
        elif kind == "tags":
            t = str(rng.choice(tag_names))
            q = "#" + t[: int(rng.integers(1, min(6, len(t)) + 1))]
            if rng.random() < 1 / 3 and len(q) > 4:
                q = "#" + _typo(rng, q[1:])
        else:
            pool = words_it if rng.random() < 0.5 else words_en
            q = " ".join(str(w) for w in rng.choice(pool, int(rng.integers(1, 4)), replace=False))
            if q in seen:
                q += f" {len(out)}"  # never the same text twice: no help from the embedder's memo
            seen.add(q)
        out.append((kind, q))
    return out


def run(*, quick: bool = False) -> None:
    from bench.__main__ import table
    from figment.accounts.models import Block, User
    from figment.db import session_scope
    from figment.migrate import upgrade
    from figment.search.routes import _search
    from figment.services import build_services
    from support import make_settings

    users, clips, n_queries = (2_000, 20_000, 90) if quick else (100_000, 1_000_000, 900)
    rng = np.random.default_rng(1)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/search.db"
        upgrade(url)
        handles, clip_ids, vectors, tag_names, timings = build(url, users=users, clips=clips)
        settings = make_settings(Path(tmp) / "data", url, workers=0)
        services = build_services(settings)
        start = time.perf_counter()
        index = services.search.index
        index.max_age_s = 1e9  # the index is given its vectors here, not read from video_embeddings
        index.set(clip_ids, vectors)
        timings["faiss index build"] = time.perf_counter() - start
        index_mb = index._index.sa_code_size() * len(clip_ids) / 2**20 if clips > 50_000 else vectors.nbytes / 2**20
        del vectors
        with session_scope(services.session_factory) as session:
            viewer = session.get(User, f"{0:032x}")
            assert viewer is not None
            viewer.birthdate = datetime(1990, 1, 1).date()
            for other in rng.choice(users, 20, replace=False):
                if int(other):
                    session.add(Block(blocker_id=viewer.id, blocked_id=f"{int(other):032x}"))
        mixed = queries(rng, handles, tag_names, n_queries + 60)
        times: dict[str, list[float]] = {"users": [], "clips": [], "tags": []}
        found: dict[str, int] = {"users": 0, "clips": 0, "tags": 0}

        def one(kind: str, q: str) -> Callable[[], object]:
            def call() -> object:
                with session_scope(services.session_factory) as session:
                    user = session.get(User, f"{0:032x}")
                    return _search(session, services, user, q, kind, None, 20)

            return call

        for kind, q in mixed[:60]:  # warm: the directories' first load, the embedder's weights
            one(kind, q)()
        load = os.getloadavg()
        for kind, q in mixed[60:]:
            start = time.perf_counter()
            out = one(kind, q)()
            times[kind].append((time.perf_counter() - start) * 1000)
            found[kind] += bool(getattr(out, kind))
        load_after = os.getloadavg()
        services.close()
    every = [t for values in times.values() for t in values]
    rows = [
        ("data: users / clips / tags", f"{users:,} / {clips:,} / {len(tag_names):,}"),
        *[(f"set-up: {name} (s)", f"{value:.1f}") for name, value in timings.items()],
        ("faiss index: vectors held (MB)", f"{index_mb:.0f}"),
        ("peak RSS (MB)", f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}"),
        ("load average 1 min, before / after", f"{load[0]:.2f} / {load_after[0]:.2f}"),
    ]
    for kind in ("users", "clips", "tags"):
        values = times[kind]
        rows.append(
            (
                f"{kind}: p50 / p95 / p99 (ms), {len(values)} queries, {found[kind]} with results",
                f"{_pct(values, 50):.1f} / {_pct(values, 95):.1f} / {_pct(values, 99):.1f}",
            )
        )
    rows.append(
        (
            f"all mixed: p50 / p95 / p99 (ms), {len(every)} queries",
            f"{_pct(every, 50):.1f} / {_pct(every, 95):.1f} / {_pct(every, 99):.1f}",
        )
    )
    table(f"Search, in process ({users:,} users, {clips:,} clips, synthetic; goal p99 <= 50 ms)", rows)

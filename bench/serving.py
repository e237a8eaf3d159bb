"""Serving benchmark for For You (`python -m bench --only serving`).

In process: 100k users and 1M clips, synthetic (64-d prompt embeddings around 200 topics), the app's
faiss index (feed.vector_index: IVF at this size) for nearest-neighbour retrieval. A cold page
retrieves ~500 candidates (similar to liked clips, followed authors, trending, fresh), ranks them
with the real ForYouRanker, filters watched clips and caches the ranked list; a warm page is served
from that cached list.
Over HTTP: the real app started by `figment run` (1 or 2 processes) on a fresh PostgreSQL database.
"""

from __future__ import annotations

import dataclasses
import json
import os
import resource
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import numpy as np


def _pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_in_process(
    *, users: int = 100_000, clips: int = 1_000_000, viewers: int = 300, seed: int = 0
) -> list[tuple[str, str]]:
    from figment.feed.cache import MemoryFeedCache, RankedList
    from figment.feed.ranking import Candidate, ForYouRanker, Topic, ViewerContext
    from figment.feed.vector_index import VectorIndex

    rng = np.random.default_rng(seed)
    dim, topics = 64, 200
    start = time.perf_counter()
    centroids = rng.standard_normal((topics, dim)).astype(np.float32)
    clip_topic = np.minimum(rng.zipf(1.3, clips) - 1, topics - 1)
    vectors = centroids[clip_topic] + 0.6 * rng.standard_normal((clips, dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    author = rng.integers(0, users, clips)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    age_s = rng.uniform(0, 30 * 86400, clips)
    likes = rng.poisson(3, clips) * (rng.random(clips) < 0.2)
    ids = np.array([f"{i:032x}" for i in range(clips)])
    by_author = np.argsort(author, kind="stable")
    author_start = np.searchsorted(author[by_author], np.arange(users + 1))
    trending = np.argsort(-(likes * np.exp(-age_s / 86400 / 2)))[:100]
    fresh = np.argsort(age_s)[:100]
    # The app's own index (feed.vector_index): IVF at this size, one thread per search.
    index = VectorIndex()
    index.set(ids.tolist(), vectors)
    build_s = time.perf_counter() - start
    data_mb = (vectors.nbytes + author.nbytes + age_s.nbytes + likes.nbytes + ids.nbytes) / 2**20

    ranker = ForYouRanker()
    cache = MemoryFeedCache()
    cold: list[float] = []
    warm: list[float] = []
    for v in rng.choice(users, viewers, replace=False):
        liked = rng.choice(clips, 10, replace=False)
        followees = rng.choice(users, 20, replace=False)
        watched = set(rng.choice(clips, 200, replace=False).tolist())
        t0 = time.perf_counter()
        pool: dict[int, set[str]] = {}
        for vid, _sim, _q in index.search(vectors[liked], 30):
            pool.setdefault(int(vid, 16), set()).add("similar")
        for f in followees:
            for i in by_author[author_start[f] : author_start[f + 1]][-5:]:
                pool.setdefault(int(i), set()).add("following")
        for i in trending:
            pool.setdefault(int(i), set()).add("trending")
        for i in fresh:
            pool.setdefault(int(i), set()).add("fresh")
        candidates = [
            Candidate(
                video_id=str(ids[i]),
                author_id=str(author[i]),
                published_at=now - timedelta(seconds=float(age_s[i])),
                like_count=int(likes[i]),
                comment_count=0,
                view_count=0,
                embedding=vectors[i],
                sources=frozenset(src),
            )
            for i, src in pool.items()
            if i not in watched
        ]
        context = ViewerContext(
            viewer_id=str(v),
            now=now,
            followee_ids=frozenset(str(f) for f in followees),
            liked=tuple(Topic(label=f"clip {i}", vector=vectors[i]) for i in liked),
        )
        ranked = ranker.rank(context, candidates)[:400]
        entry = RankedList(
            version=0,
            built_at=time.time(),
            session="s",
            ids=[r.video_id for r in ranked],
            reasons=[r.reason for r in ranked],
            details=[r.detail for r in ranked],
        )
        entry.served = entry.ids[:10]
        cache.put(str(v), entry)
        cold.append((time.perf_counter() - t0) * 1000)
        # Warm: the next page from the cached list (skip what was served, take 10, remember them).
        t1 = time.perf_counter()
        got = cache.get(str(v))
        assert got is not None
        served = set(got.served)
        page = [i for i in got.ids if i not in served][:10]
        cache.add_served(str(v), page)
        warm.append((time.perf_counter() - t1) * 1000)
    return [
        ("synthetic data + faiss index build, IVF 1000 lists (s)", f"{build_s:.1f}"),
        ("clip arrays in memory (MiB)", f"{data_mb:.0f} (+ faiss index ~{vectors.nbytes / 2**20:.0f})"),
        ("process peak RSS (MiB)", f"{_rss_mb():.0f}"),
        (
            f"cold page: retrieve ~500, rank, filter, cache, p50 / p99 (ms, {viewers} viewers)",
            f"{_pct(cold, 50):.1f} / {_pct(cold, 99):.1f}",
        ),
        ("warm page from the cached list, p50 / p99 (ms)", f"{_pct(warm, 50):.3f} / {_pct(warm, 99):.3f}"),
        (
            "cached list per viewer (items / bytes as JSON)",
            f"400 / {len(json.dumps(dataclasses.asdict(entry), separators=(',', ':')))}",
        ),
    ]


@contextmanager
def feed_database(
    *, clips: int, authors: int = 500, viewers: int = 8, embedder: str = "hash"
) -> Iterator[tuple[str, list[str]]]:
    """A fresh PostgreSQL database with `clips` published clips (and their prompt vectors from
    `embedder`, the app's FIGMENT_EMBEDDER) by `authors` authors and `viewers` signed-up accounts
    (handles viewer0.., password "longenough"); yields (url, viewer tokens), dropped after."""
    from sqlalchemy import create_engine, insert, text
    from sqlalchemy.engine import make_url

    from figment.accounts import service as accounts
    from figment.accounts.models import User
    from figment.db import make_engine, make_session_factory, new_id, session_scope, utcnow
    from figment.embeddings import make_embedder, to_bytes
    from figment.feed.models import VideoEmbedding
    from figment.migrate import upgrade
    from figment.videos.models import Video

    admin_url = os.environ.get("FIGMENT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    name = f"figment_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        engine = make_engine(url)
        factory = make_session_factory(engine)
        with session_scope(factory) as session:
            # Authors never log in: rows without argon2 hashing keep the setup quick.
            author_rows = [
                User(handle=f"author{i}", handle_skeleton=f"author{i}", email=f"a{i}@example.com", password_hash="-")
                for i in range(authors)
            ]
            session.add_all(author_rows)
            session.flush()
            author_ids = [u.id for u in author_rows]
            tokens = [
                accounts.signup(
                    session=session,
                    handle=f"viewer{i}",
                    email=f"v{i}@example.com",
                    password="longenough",
                    birthdate=date(1990, 1, 1),
                ).token
                for i in range(viewers)
            ]
        now = utcnow()
        model = make_embedder(embedder)
        words = ["cooking", "cats", "space", "horror", "football", "music", "dance", "city", "ocean", "robots"]
        rng = np.random.default_rng(0)
        rows, prompts = [], []
        for i in range(clips):
            vid = new_id()
            prompt = f"{words[i % 10]} {words[(i * 7) % 10]} clip {i}"
            rows.append(
                dict(
                    id=vid,
                    author_id=author_ids[i % authors],
                    prompt=prompt,
                    duration_s=10.0,
                    seed=i,
                    width=720,
                    height=1280,
                    status="ready",
                    visibility="published",
                    progress=100,
                    backend="procedural",
                    video_key=f"videos/{vid}/clip.mp4",
                    poster_key=f"videos/{vid}/poster.jpg",
                    like_count=int(rng.poisson(2)),
                    comment_count=0,
                    view_count=0,
                    created_at=now - timedelta(minutes=i),
                    published_at=now - timedelta(minutes=i),
                )
            )
            prompts.append(prompt)
        vectors = model.embed(prompts)
        vecs = [
            dict(video_id=row["id"], model=model.name, vector=to_bytes(vector))
            for row, vector in zip(rows, vectors, strict=True)
        ]
        with engine.begin() as conn:
            conn.execute(insert(Video), rows)
            conn.execute(insert(VideoEmbedding), vecs)
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            # What autovacuum would do within a minute of a bulk load: without statistics the planner
            # believes the tables are empty and scans the whole feed index for a page of 20 ids.
            conn.execute(text("ANALYZE"))
        engine.dispose()
        yield url, tokens
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def bench_http_postgres(
    *, clips: int = 20_000, authors: int = 500, seconds: float = 15.0, threads: int = 8, workers: int = 1
) -> list[tuple[str, str]]:
    import http.client
    import socket

    with feed_database(clips=clips, authors=authors, viewers=threads) as (url, tokens):
        name = url.rsplit("/", 1)[-1]
        proc: subprocess.Popen[bytes] | None = None
        try:
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = int(sock.getsockname()[1])
            env = dict(
                os.environ,
                FIGMENT_DATABASE_URL=url,
                FIGMENT_DEMO="false",
                FIGMENT_WORKERS="0",
                FIGMENT_EMBEDDER="hash",
                FIGMENT_DATA_DIR=f"/tmp/{name}",
                FIGMENT_ENV="test",
                FIGMENT_SECRET_KEY="bench",
                # More than one process must share ranked lists (and signal versions) through Redis.
                FIGMENT_FEED_CACHE="redis" if workers > 1 else "memory",
            )
            # The product's own launcher (`figment run`, web_server.serve), as a deployment would run it.
            env["FIGMENT_PORT"] = str(port)
            env["FIGMENT_WEB_PROCESSES"] = str(workers)
            log = Path(f"/tmp/{name}.log")
            proc = subprocess.Popen(
                [sys.executable, "-c", "from figment.cli import main; main()", "run"],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=log.open("wb"),
            )
            deadline = time.monotonic() + 30
            while True:
                try:
                    http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/api/feed?limit=1")
                    break
                except OSError:
                    if time.monotonic() > deadline or proc.poll() is not None:
                        raise RuntimeError(f"the app did not start: {log.read_text()[-2000:]}") from None
                    time.sleep(0.2)
            latencies: list[float] = []
            lock = threading.Lock()
            stop = time.monotonic() + seconds

            def worker(token: str) -> None:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                headers = {"Authorization": f"Bearer {token}"}
                cursor: str | None = None
                mine: list[float] = []
                n = 0
                while time.monotonic() < stop:
                    path = "/api/feed?limit=10" + (f"&cursor={cursor}" if cursor and n % 20 else "")
                    t0 = time.perf_counter()
                    conn.request("GET", path, headers=headers)
                    response = conn.getresponse()
                    body = response.read()
                    mine.append((time.perf_counter() - t0) * 1000)
                    assert response.status == 200, body[:200]
                    cursor = json.loads(body)["next_cursor"]
                    n += 1
                with lock:
                    latencies.extend(mine)

            for token in tokens:  # warm each viewer's list once (cold pages are measured in process)
                worker_conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                worker_conn.request("GET", "/api/feed?limit=10", headers={"Authorization": f"Bearer {token}"})
                worker_conn.getresponse().read()
            started = time.monotonic()
            pool = [threading.Thread(target=worker, args=(t,)) for t in tokens]
            for t in pool:
                t.start()
            for t in pool:
                t.join()
            elapsed = time.monotonic() - started
            ps = subprocess.run(
                ["ps", "-o", "rss=", "--ppid", str(proc.pid), "-p", str(proc.pid)], capture_output=True, text=True
            )
            rss = sum(int(x) for x in ps.stdout.split())
            return [
                (
                    f"pages/s ({threads} client threads, {workers} app process(es), {clips:,} clips, {seconds:.0f} s)",
                    f"{len(latencies) / elapsed:.0f}",
                ),
                ("page p50 / p99 (ms)", f"{_pct(latencies, 50):.1f} / {_pct(latencies, 99):.1f}"),
                ("server RSS, all processes (MiB)", f"{rss / 1024:.0f}"),
            ]
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)


def run(quick: bool = False) -> None:
    from bench.__main__ import table

    table(
        "For You serving, in process (100k users, 1M clips, synthetic)"
        if not quick
        else "For You serving, in process (quick)",
        bench_in_process(
            users=10_000 if quick else 100_000, clips=100_000 if quick else 1_000_000, viewers=50 if quick else 300
        ),
    )
    for workers in (1, 2):
        table(
            f"For You over HTTP with PostgreSQL, warm lists, {workers} worker(s)"
            + (" sharing lists through Redis" if workers > 1 else ""),
            bench_http_postgres(clips=2_000 if quick else 20_000, seconds=5 if quick else 15, workers=workers),
        )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    run("--quick" in sys.argv)

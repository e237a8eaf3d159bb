"""`make bench`: Figment's speed figures, printed as tables.

1. render + encode of a 10 s 720x1280 clip (procedural backend), median and p95 of 5 runs
2. submit -> ready over HTTP (real app, one in-process worker), p50 over 5 clips
3. feed page over HTTP with 10,000 published clips, p50/p99 over 300 requests
4. rights screening per prompt with 10,000 registered works (bench/rights.py)
5. For You serving: 1M clips in process (cold and cached pages), and pages/s over HTTP with PostgreSQL
6. safety and provenance (bench/provenance.py); consent check at submit (bench/consent.py)
7. likeness verification of a 6 s recording, per stage (bench/likeness.py)
8. job dispatch from a web process to a worker, lease loop and Procrastinate (bench/jobs.py)
9. scale-out load run: locust readers and generators against 2 web processes and 2 workers (bench/load.py)
10. search: people, clips by meaning and tags with 100k users and 1M clips (bench/search.py)

Everything runs on this machine only (127.0.0.1).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def table(title: str, rows: list[tuple[str, str]]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"\n{title}")
    print(f"| {'measure'.ljust(width)} | value |")
    print(f"|{'-' * (width + 2)}|-------|")
    for name, value in rows:
        print(f"| {name.ljust(width)} | {value} |")
    sys.stdout.flush()


def bench_render(runs: int) -> None:
    from figment.generation.backends.procedural import render_to_file

    times = []
    with tempfile.TemporaryDirectory() as tmp:
        render_to_file("warm up", out=Path(tmp) / "warm.mp4", duration_s=1.0)
        for i in range(runs):
            start = time.perf_counter()
            render_to_file(
                f'a red car driving through a city at night in the rain, then a cat says "hello" {i}',
                out=Path(tmp) / f"clip{i}.mp4",
                seed=i,
                duration_s=10.0,
            )
            times.append(time.perf_counter() - start)
    table(
        f"Render + encode, 10 s 720x1280 24 fps with audio ({runs} runs)",
        [
            ("median (s)", f"{statistics.median(times):.2f}"),
            ("p95 (s)", f"{percentile(times, 95):.2f}"),
            ("min / max (s)", f"{min(times):.2f} / {max(times):.2f}"),
        ],
    )


def _live(settings_kwargs: dict[str, object], body: Callable[[str, str], None]) -> None:
    """Run `body(base_url, database_url)` against the real app under uvicorn on 127.0.0.1."""
    from figment.migrate import upgrade
    from support import make_settings, run_live_server

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        upgrade(url)
        settings = make_settings(Path(tmp) / "data", url, **settings_kwargs)
        gen = run_live_server(settings)
        server = next(gen)
        try:
            body(server.url, url)
        finally:
            gen.close()


def bench_submit(clips: int) -> None:
    import httpx2 as httpx

    def body(base: str, _db: str) -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            token = http.post(
                "/api/auth/signup",
                json={
                    "handle": "bench",
                    "email": "bench@example.com",
                    "password": "longenough",
                    "birthdate": "1990-01-01",
                },
            ).json()["token"]
            http.cookies.clear()
            headers = {"Authorization": f"Bearer {token}"}
            latencies = []
            for i in range(clips):
                start = time.perf_counter()
                video = http.post(
                    "/api/videos", json={"prompt": f"a dog running on the beach at sunset {i}"}, headers=headers
                ).json()
                while video["status"] not in ("ready", "failed"):
                    time.sleep(0.05)
                    video = http.get(f"/api/videos/{video['id']}", headers=headers).json()
                assert video["status"] == "ready", video
                latencies.append(time.perf_counter() - start)
        table(
            f"Submit -> ready over HTTP, 10 s 720x1280 clips, one worker ({clips} clips, one at a time)",
            [
                ("p50 (s)", f"{statistics.median(latencies):.2f}"),
                ("max (s)", f"{max(latencies):.2f}"),
            ],
        )

    _live({"video_width": 720, "video_height": 1280, "workers": 1}, body)


def bench_feed(clips: int, requests: int) -> None:
    import httpx2 as httpx
    from sqlalchemy import insert

    from figment.accounts import service as accounts
    from figment.db import make_engine, make_session_factory, new_id, session_scope, utcnow
    from figment.videos.models import Video

    def body(base: str, db_url: str) -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            token = http.post(
                "/api/auth/signup",
                json={
                    "handle": "viewer",
                    "email": "viewer@example.com",
                    "password": "longenough",
                    "birthdate": "1990-01-01",
                },
            ).json()["token"]
            http.cookies.clear()
            headers = {"Authorization": f"Bearer {token}"}
            engine = make_engine(db_url)
            factory = make_session_factory(engine)
            with session_scope(factory) as session:
                authors = [
                    accounts.signup(
                        session=session,
                        handle=f"author{i}",
                        email=f"a{i}@example.com",
                        password="longenough",
                        birthdate=date(1990, 1, 1),
                    ).user.id
                    for i in range(50)
                ]
            now = utcnow()

            rows = [
                {
                    "id": new_id(),
                    "author_id": authors[i % len(authors)],
                    "prompt": f"clip number {i}",
                    "duration_s": 10.0,
                    "seed": i,
                    "width": 720,
                    "height": 1280,
                    "status": "ready",
                    "visibility": "published",
                    "progress": 100,
                    "backend": "procedural",
                    "video_key": f"videos/x{i}/clip.mp4",
                    "poster_key": f"videos/x{i}/poster.jpg",
                    "like_count": i % 17,
                    "comment_count": i % 5,
                    "view_count": i % 101,
                    "created_at": now - timedelta(minutes=i),
                    "published_at": now - timedelta(minutes=i),
                }
                for i in range(clips)
            ]
            with engine.begin() as conn:
                conn.execute(insert(Video), rows)
            engine.dispose()
            for _ in range(10):
                http.get("/api/feed?limit=10", headers=headers)
            times = []
            cursor = None
            for i in range(requests):
                query = "/api/feed?limit=10" + (f"&cursor={cursor}" if cursor and i % 10 else "")
                start = time.perf_counter()
                response = http.get(query, headers=headers)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.text
                cursor = response.json()["next_cursor"]
        table(
            f"Feed page over HTTP (For You, 10 items, {clips:,} published clips, {requests} requests)",
            [
                ("p50 (ms)", f"{percentile(times, 50):.1f}"),
                ("p99 (ms)", f"{percentile(times, 99):.1f}"),
            ],
        )

    _live({"workers": 0}, body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer runs, for a smoke check")
    choices = [
        "render",
        "submit",
        "feed",
        "rights",
        "serving",
        "provenance",
        "moderation",
        "consent",
        "likeness",
        "jobs",
        "load",
        "search",
    ]
    parser.add_argument("--only", choices=choices)
    parser.add_argument("what", nargs="?", choices=choices, help="the same as --only: `python -m bench search`")
    args = parser.parse_args()
    args.only = args.only or args.what
    runs = 2 if args.quick else 5
    if args.only in (None, "render"):
        bench_render(runs)
    if args.only in (None, "submit"):
        bench_submit(2 if args.quick else 5)
    if args.only in (None, "feed"):
        bench_feed(10_000, 60 if args.quick else 300)
    if args.only in (None, "rights"):
        from bench import rights

        rights.main(works=1_000 if args.quick else 10_000)
    if args.only in (None, "serving"):
        from bench import serving

        serving.run(quick=args.quick)
    if args.only in (None, "provenance", "moderation"):
        from bench import provenance

        provenance.main(quick=args.quick, only=args.only)
    if args.only in (None, "consent"):
        from bench import consent

        consent.main(quick=args.quick)
        consent.output_check(quick=args.quick)
    if args.only in (None, "likeness"):
        from bench import likeness

        likeness.main(quick=args.quick)
    if args.only in (None, "jobs"):
        from bench import jobs

        jobs.main(quick=args.quick)
    if args.only in (None, "load"):
        from bench import load

        load.main(["--run-time", "20", "--clips", "1000"] if args.quick else [])
    if args.only in (None, "search"):
        from bench import search

        search.run(quick=args.quick)


if __name__ == "__main__":
    main()

"""Scale-out load run (issue 14): `python -m bench.load` (or `python -m bench --only load`).

On this machine only (127.0.0.1), with PostgreSQL and Redis running locally:
- a fresh PostgreSQL database (dropped at the end) with `--clips` published clips and their prompt
  vectors (bench/serving.feed_database), a Redis key prefix of the run's own (deleted at the end) and
  the S3 test server (moto, in this process) with a new bucket: media live only in the bucket;
- two web processes (`figment run`, FIGMENT_WORKERS=0, each its own data folder and port) and two
  `figment worker` processes, as separate hosts run them (tests/test_hosts.py), real 720x1280 clips
  and the real sentence embedder (FIGMENT_EMBEDDER=use) unless told otherwise;
- one clip submitted through each web process and published before the clock starts, so both web
  processes have loaded the embedder and both workers have rendered once (no first-use stalls);
- locust, headless, for `--run-time` seconds (bench/locustfile.py): `--readers` users paging For You
  and sending views and likes, `--generators` users submitting, polling and publishing clips, each
  kind spread over both web processes;
- a sampler that looks at the jobs table every 0.2 s, so feed latencies can be split into "while a
  clip renders" and "while no clip renders".
Every process it starts is stopped at the end, on failure and on Ctrl+C too.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

REDIS_URL = os.environ.get("FIGMENT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SETTLE_S = 10.0
FEED_P99_GOAL_MS = 50.0  # docs/BENCHMARKS.md, issue 7: HTTP + PostgreSQL, 2 processes, p99 <= 50 ms per page
CLK_TCK = os.sysconf("SC_CLK_TCK")


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _md(title: str, header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    print(f"\n{title}")
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) + " |")
    sys.stdout.flush()


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log: Path


@dataclass
class Cluster:
    web: list[str] = field(default_factory=list)
    processes: list[Process] = field(default_factory=list)

    def stop(self) -> None:
        for p in self.processes:
            if p.popen.poll() is None:
                p.popen.terminate()
        for p in self.processes:
            try:
                p.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.popen.kill()
                p.popen.wait(timeout=10)


def _tree(pid: int) -> list[int]:
    """pid and its live descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def _cpu_s(pid: int, *, tree: bool = True) -> float:
    """CPU seconds (user + system, all threads) used so far by pid and, with tree, its live descendants."""
    total = 0
    for p in _tree(pid) if tree else [pid]:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLK_TCK


def _postgres_cpu_s() -> float:
    """CPU seconds used so far by the live PostgreSQL server processes (the app's pooled backends)."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if stat.split("(", 1)[1].startswith("postgres)"):
            fields = stat.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / CLK_TCK


def _machine_busy() -> tuple[float, float]:
    """(busy, total) jiffies of all cores since boot, from /proc/stat."""
    values = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return float(sum(values) - idle), float(sum(values))


@contextmanager
def s3_bucket() -> Iterator[tuple[str, str]]:
    """The S3 test server (moto, as tests/conftest.py's s3_endpoint) in this process, with a new bucket."""
    import logging

    from moto.server import ThreadedMotoServer

    from figment.storage.s3 import make_client

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per PUT on stdout
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        endpoint = f"http://127.0.0.1:{port}"
        bucket = f"figment-load-{uuid.uuid4().hex[:8]}"
        make_client(endpoint=endpoint, region="us-east-1", access_key="test", secret_key="test").create_bucket(
            Bucket=bucket
        )
        yield endpoint, bucket
    finally:
        server.stop()


@contextmanager
def redis_prefix() -> Iterator[str]:
    import redis

    prefix = f"figment:load:{uuid.uuid4().hex[:8]}:"
    try:
        yield prefix
    finally:
        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(match=prefix + "*", count=1000))
        if keys:
            client.delete(*keys)
        client.close()


def _start(name: str, args: list[str], env: dict[str, str], root: Path) -> Process:
    log = root / f"{name}.log"
    with log.open("wb") as out:
        # The installed `figment` command, as an operator runs it on each host.
        command = str(Path(sys.executable).parent / "figment")
        return Process(name, subprocess.Popen([command, *args], env=env, stdout=out, stderr=out), log)


def _wait_until_up(url: str, process: Process) -> None:
    import httpx2 as httpx

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(f"{process.name} exited: {process.log.read_text()[-3000:]}")
        try:
            if httpx.get(url + "/api/feed?tab=for_you", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{url} did not start: {process.log.read_text()[-3000:]}")


@contextmanager
def cluster(
    *, root: Path, database_url: str, prefix: str, storage: tuple[str, str], size: tuple[int, int], embedder: str
) -> Iterator[Cluster]:
    endpoint, bucket = storage
    shared = {
        **os.environ,
        "FIGMENT_ENV": "test",
        "FIGMENT_SECRET_KEY": "load-secret",
        "FIGMENT_DATABASE_URL": database_url,
        "FIGMENT_DEMO": "false",
        "FIGMENT_VIDEO_WIDTH": str(size[0]),
        "FIGMENT_VIDEO_HEIGHT": str(size[1]),
        # Quotas and sign-in limits would refuse a load generator that is one IP doing many users' work.
        "FIGMENT_DAILY_QUOTA": "0",
        "FIGMENT_SIGNUP_PER_HOUR": "0",
        "FIGMENT_LOGIN_PER_MINUTE": "0",
        "FIGMENT_EMBEDDER": embedder,
        "FIGMENT_REDIS_URL": REDIS_URL,
        "FIGMENT_FEED_CACHE": "redis",
        "FIGMENT_FEED_CACHE_PREFIX": prefix + "feed:",
        "FIGMENT_SHARED_STATE": "redis",
        "FIGMENT_JOBS": "procrastinate",  # the scale-out transport (docs/DEPLOY.md)
        "FIGMENT_SHARED_STATE_PREFIX": prefix,
        # Separate hosts share media through the bucket (local storage is one host's folder).
        "FIGMENT_STORAGE": "s3",
        "FIGMENT_S3_ENDPOINT": endpoint,
        "FIGMENT_S3_BUCKET": bucket,
        "FIGMENT_S3_ACCESS_KEY": "test",
        "FIGMENT_S3_SECRET_KEY": "test",
    }
    result = Cluster()
    try:
        for name in ("web-a", "web-b"):
            port = _free_port()
            env = {**shared, "FIGMENT_DATA_DIR": str(root / name), "FIGMENT_PORT": str(port), "FIGMENT_WORKERS": "0"}
            result.processes.append(_start(name, ["run"], env, root))
            result.web.append(f"http://127.0.0.1:{port}")
        for name in ("worker-a", "worker-b"):
            result.processes.append(_start(name, ["worker"], {**shared, "FIGMENT_DATA_DIR": str(root / name)}, root))
        for url, process in zip(result.web, result.processes, strict=False):
            _wait_until_up(url, process)
        yield result
    finally:
        result.stop()


def _warm_up(web: list[str], handle: str, clip_s: float) -> None:
    """One clip through each web process, rendered and published, before the clock starts."""
    import httpx2 as httpx

    ids = []
    for i, url in enumerate(web):
        with httpx.Client(base_url=url, timeout=120) as http:
            token = http.post("/api/auth/login", json={"login": handle, "password": "longenough"}).json()["token"]
            headers = {"Authorization": f"Bearer {token}"}
            http.get("/api/feed?tab=for_you&limit=8", headers=headers).raise_for_status()
            response = http.post(
                "/api/videos",
                json={"prompt": f"a dog running on the beach at sunset {i}", "duration_s": clip_s},
                headers=headers,
            )
            response.raise_for_status()
            ids.append((url, headers, response.json()["id"]))
    deadline = time.monotonic() + 300
    for url, headers, video_id in ids:
        while True:
            video = httpx.get(f"{url}/api/videos/{video_id}", headers=headers, timeout=30).json()
            if video["status"] == "ready":
                break
            if video["status"] == "failed" or time.monotonic() > deadline:
                raise RuntimeError(f"warm-up clip did not render: {video}")
            time.sleep(0.5)
        httpx.post(f"{url}/api/videos/{video_id}/publish", headers=headers, timeout=30).raise_for_status()


class RenderSampler(threading.Thread):
    """How many jobs are running, every 0.2 s, from the jobs table."""

    def __init__(self, database_url: str) -> None:
        super().__init__(daemon=True)
        from sqlalchemy import create_engine

        self.engine = create_engine(database_url, pool_size=1)
        self.samples: list[tuple[float, int]] = []
        self.done = threading.Event()

    def run(self) -> None:
        from sqlalchemy import text

        with self.engine.connect() as conn:
            while not self.done.is_set():
                running = conn.execute(text("SELECT count(*) FROM jobs WHERE state = 'running'")).scalar_one()
                conn.commit()
                self.samples.append((time.time(), int(running)))
                self.done.wait(0.2)

    def stop(self) -> None:
        self.done.set()
        self.join(timeout=10)
        self.engine.dispose()

    def rendering_at(self, times: np.ndarray) -> np.ndarray:
        """For each time, whether the last sample before it saw a running job."""
        at = np.asarray([s[0] for s in self.samples])
        running = np.asarray([s[1] for s in self.samples]) > 0
        index = np.clip(np.searchsorted(at, times) - 1, 0, len(at) - 1)
        return running[index]


def _run_locust(
    *,
    web: list[str],
    readers: int,
    generators: int,
    run_time: int,
    think_s: float,
    clip_s: float,
    signals: bool,
    out: Path,
) -> tuple[list[dict[str, str]], list[tuple[float, float, bool]], int]:
    env = {
        **os.environ,
        "FIGMENT_LOAD_HOSTS": ",".join(web),
        "FIGMENT_LOAD_READERS": str(readers),
        "FIGMENT_LOAD_GENERATORS": str(generators),
        "FIGMENT_LOAD_THINK_S": str(think_s),
        "FIGMENT_LOAD_CLIP_S": str(clip_s),
        "FIGMENT_LOAD_SIGNALS": "1" if signals else "0",
        "FIGMENT_LOAD_SAMPLES": str(out / "feed.json"),
    }
    users = readers + generators
    classes = ["Reader"] + (["Generator"] if generators else [])
    command = [
        sys.executable, "-m", "locust", "-f", str(Path(__file__).with_name("locustfile.py")),
        "--headless", "-u", str(users), "-r", str(users), "--run-time", f"{run_time}s", "--stop-timeout", "5",
        "--csv", str(out / "locust"), "--only-summary", "--loglevel", "WARNING", *classes,
    ]  # fmt: skip
    log = out / "locust.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(command, env=env, stdout=sink, stderr=sink)
        try:
            code = process.wait(timeout=run_time + 180)
        finally:
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=20)
    stats_path = out / "locust_stats.csv"
    if not stats_path.exists():
        raise RuntimeError(f"locust wrote no stats (exit {code}): {log.read_text()[-3000:]}")
    with stats_path.open() as f:
        stats = list(csv.DictReader(f))
    samples_path = out / "feed.json"
    samples = [tuple(s) for s in json.loads(samples_path.read_text())] if samples_path.exists() else []
    return stats, samples, code  # type: ignore[return-value]


def run(
    *,
    readers: int = 8,
    generators: int = 2,
    run_time: int = 60,
    clips: int = 3_000,
    think_s: float = 1.0,
    clip_s: float = 5.0,
    size: tuple[int, int] = (720, 1280),
    embedder: str = "use",
    signals: bool = True,
    keep: Path | None = None,
) -> bool:
    from sqlalchemy import create_engine, text

    from bench.serving import feed_database

    root = Path(tempfile.mkdtemp(prefix="figment-load-"))
    load_before = os.getloadavg()
    try:
        with (
            s3_bucket() as storage,
            redis_prefix() as prefix,
            feed_database(clips=clips, authors=200, viewers=readers + generators + 1, embedder=embedder) as (url, _),
            cluster(root=root, database_url=url, prefix=prefix, storage=storage, size=size, embedder=embedder) as hosts,
        ):
            _warm_up(hosts.web, f"viewer{readers + generators}", clip_s)
            cpu_before = {p.name: _cpu_s(p.popen.pid) for p in hosts.processes}
            cpu_before["PostgreSQL"] = _postgres_cpu_s()
            cpu_before["this process (S3 server, sampler)"] = _cpu_s(os.getpid(), tree=False)
            children_before = resource.getrusage(resource.RUSAGE_CHILDREN)
            machine_before = _machine_busy()
            sampler = RenderSampler(url)
            sampler.start()
            started_at = time.time()
            wall = time.monotonic()
            try:
                stats, samples, code = _run_locust(
                    web=hosts.web,
                    readers=readers,
                    generators=generators,
                    run_time=run_time,
                    think_s=think_s,
                    clip_s=clip_s,
                    signals=signals,
                    out=root,
                )
            finally:
                sampler.stop()
            wall = time.monotonic() - wall
            cpu = {p.name: _cpu_s(p.popen.pid) - cpu_before[p.name] for p in hosts.processes}
            cpu["PostgreSQL"] = _postgres_cpu_s() - cpu_before["PostgreSQL"]
            cpu["this process (S3 server, sampler)"] = (
                _cpu_s(os.getpid(), tree=False) - cpu_before["this process (S3 server, sampler)"]
            )
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            # locust is the only child waited for so far
            cpu["locust"] = children.ru_utime + children.ru_stime - children_before.ru_utime - children_before.ru_stime
            machine_after = _machine_busy()
            machine = (machine_after[0] - machine_before[0]) / (machine_after[1] - machine_before[1])
            # What the rest of the machine did meanwhile (other people's tests share these cores).
            cpu["other processes on the machine"] = max(
                0.0, machine * (machine_after[1] - machine_before[1]) / CLK_TCK - sum(cpu.values())
            )
            engine = create_engine(url)
            with engine.connect() as conn:
                states = dict(
                    conn.execute(
                        text("SELECT status, count(*) FROM videos WHERE created_at >= :t GROUP BY status"),
                        {"t": _utc(started_at)},
                    ).all()
                )
                published = conn.execute(
                    text("SELECT count(*) FROM videos WHERE published_at >= :t"), {"t": _utc(started_at)}
                ).scalar_one()
            engine.dispose()
            server_errors = {p.name: p.log.read_text(errors="replace").count("Traceback") for p in hosts.processes}
            return _report(
                readers=readers,
                generators=generators,
                run_time=run_time,
                clips=clips,
                think_s=think_s,
                clip_s=clip_s,
                size=size,
                embedder=embedder,
                signals=signals,
                stats=stats,
                samples=samples,
                sampler=sampler,
                states=states,
                published=int(published),
                cpu=cpu,
                wall=wall,
                started_at=started_at,
                machine=machine,
                load_before=load_before,
                server_errors=server_errors,
                locust_exit=code,
            )
    finally:
        if keep is not None:
            shutil.copytree(root, keep, dirs_exist_ok=True)
        shutil.rmtree(root, ignore_errors=True)


def _utc(epoch: float) -> Any:
    from datetime import UTC, datetime

    return datetime.fromtimestamp(epoch, UTC)


def _report(
    *,
    readers: int,
    generators: int,
    run_time: int,
    clips: int,
    think_s: float,
    clip_s: float,
    size: tuple[int, int],
    embedder: str,
    signals: bool,
    stats: list[dict[str, str]],
    samples: list[tuple[float, float, bool]],
    sampler: RenderSampler,
    states: dict[str, int],
    published: int,
    cpu: dict[str, float],
    wall: float,
    started_at: float,
    machine: float,
    load_before: tuple[float, float, float],
    server_errors: dict[str, int],
    locust_exit: int,
) -> bool:
    setting = (
        f"{readers} readers (think {think_s:g} s{'' if signals else ', no views or likes'}), "
        f"{generators} generators ({clip_s:g} s {size[0]}x{size[1]} clips), "
        f"{run_time} s, {clips:,} published clips, 2 web + 2 workers, "
        f"S3 (moto), FIGMENT_EMBEDDER={embedder}"
    )
    rows = []
    for s in stats:
        rows.append(
            [
                s["Type"] if s["Name"] != "Aggregated" else "",
                s["Name"],
                s["Request Count"],
                s["Failure Count"],
                s["50%"],
                s["95%"],
                s["99%"],
                s["Max Response Time"].split(".")[0],
                f"{float(s['Requests/s']):.1f}",
            ]
        )
    _md(
        f"Scale-out load run: {setting}",
        ["type", "endpoint", "requests", "failures", "p50 ms", "p95 ms", "p99 ms", "max ms", "req/s"],
        rows,
    )

    # The first SETTLE_S of the run are the users logging in (argon2) and their first, cold pages:
    # locust's table above has them, the split below does not.
    samples = [s for s in samples if s[0] >= started_at + SETTLE_S]
    times = np.asarray([s[0] for s in samples])
    latency = np.asarray([s[1] for s in samples])
    ok = np.asarray([s[2] for s in samples], dtype=bool)
    rendering = sampler.rendering_at(times) if len(times) and sampler.samples else np.zeros(len(times), dtype=bool)
    busy = np.mean([s[1] > 0 for s in sampler.samples]) if sampler.samples else 0.0
    mean_running = np.mean([s[1] for s in sampler.samples]) if sampler.samples else 0.0

    def pct(values: np.ndarray, q: float) -> str:
        return f"{np.percentile(values, q):.1f}" if len(values) else "-"

    split = [
        ["all", str(len(latency)), pct(latency, 50), pct(latency, 95), pct(latency, 99)],
        [
            "while >= 1 clip rendered",
            str(int(rendering.sum())),
            pct(latency[rendering], 50),
            pct(latency[rendering], 95),
            pct(latency[rendering], 99),
        ],
        [
            "while no clip rendered",
            str(int((~rendering).sum())),
            pct(latency[~rendering], 50),
            pct(latency[~rendering], 95),
            pct(latency[~rendering], 99),
        ],
    ]
    _md(
        f"Feed pages (/api/feed) after the first {SETTLE_S:g} s, exact latencies from locust's request events",
        ["when", "pages", "p50 ms", "p95 ms", "p99 ms"],
        split,
    )

    rendered = states.get("ready", 0)
    failed_clips = states.get("failed", 0)
    cores = os.cpu_count() or 1
    _md(
        "Clips and machine",
        ["measure", "value"],
        [
            ["clips submitted during the run", str(sum(states.values()))],
            ["rendered (ready) / published", f"{rendered} / {published}"],
            ["clips by status at the end", ", ".join(f"{k} {v}" for k, v in sorted(states.items())) or "-"],
            ["time with >= 1 job running (of 0.2 s samples)", f"{busy:.0%}"],
            ["jobs running at once, mean", f"{mean_running:.2f}"],
            *[[f"CPU {name} (% of one core)", f"{100 * seconds / wall:.0f}"] for name, seconds in cpu.items()],
            [f"machine CPU busy, all processes (% of {cores} cores)", f"{100 * machine:.0f}"],
            ["load average before the run (1 / 5 / 15 min)", " / ".join(f"{x:.2f}" for x in load_before)],
            ["tracebacks in the app's logs", ", ".join(f"{k} {v}" for k, v in server_errors.items())],
        ],
    )  # fmt: skip

    aggregated = next((s for s in stats if s["Name"] == "Aggregated"), None)
    failures = int(aggregated["Failure Count"]) if aggregated else -1
    errors_ok = failures == 0 and failed_clips == 0 and sum(server_errors.values()) == 0 and bool(samples)
    # Without generators nothing renders: the baseline is judged on every page instead.
    during = latency[rendering] if generators else latency
    when = "while clips render" if generators else "(baseline: no generators, nothing renders)"
    p99_during = float(np.percentile(during, 99)) if len(during) else float("nan")
    p99_ok = bool(len(during)) and p99_during <= FEED_P99_GOAL_MS and bool(ok.all())
    print()
    print(
        f"{'PASS' if errors_ok else 'FAIL'}: 0 errors "
        f"({failures} failed requests, {failed_clips} failed clips, {sum(server_errors.values())} tracebacks)"
    )
    print(
        f"{'PASS' if p99_ok else 'FAIL'}: feed p99 <= {FEED_P99_GOAL_MS:g} ms {when} "
        f"(p99 {p99_during:.1f} ms over {len(during)} pages)"
    )
    if locust_exit not in (0, 1):
        print(f"locust exited with {locust_exit}")
    sys.stdout.flush()
    return errors_ok and p99_ok


def main(argv: list[str] | None = None) -> bool:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--readers", type=int, default=8, help="feed reader users (default 8)")
    parser.add_argument("--generators", type=int, default=2, help="clip generator users (default 2)")
    parser.add_argument("--run-time", type=int, default=60, help="seconds of load (default 60)")
    parser.add_argument("--clips", type=int, default=3_000, help="published clips seeded (default 3000)")
    parser.add_argument("--think", type=float, default=1.0, help="mean seconds between a reader's pages (default 1)")
    parser.add_argument("--clip-seconds", type=float, default=5.0, help="length generators ask for (5, 8 or 10)")
    parser.add_argument("--size", default="720x1280", help="clip size WxH (default 720x1280)")
    parser.add_argument("--embedder", choices=["use", "hash"], default="use")
    parser.add_argument(
        "--no-signals",
        action="store_true",
        help="readers only page (no views or likes), so their ranked lists stay cached (as bench/serving.py)",
    )
    parser.add_argument("--keep", type=Path, help="copy the logs and locust's CSV files here")
    args = parser.parse_args(argv)
    width, height = (int(x) for x in args.size.lower().split("x"))

    def stop(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt(f"signal {signum}")

    signal.signal(signal.SIGTERM, stop)
    return run(
        readers=args.readers,
        generators=args.generators,
        run_time=args.run_time,
        clips=args.clips,
        think_s=args.think,
        clip_s=args.clip_seconds,
        size=(width, height),
        embedder=args.embedder,
        signals=not args.no_signals,
        keep=args.keep,
    )


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    sys.exit(0 if main() else 1)

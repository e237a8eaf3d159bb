"""`figment run | migrate | worker | demo | admin ...`"""

from __future__ import annotations

import logging
import signal
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click
from sqlalchemy.orm import Session

from figment.settings import Settings


def _settings() -> Settings:
    try:
        return Settings()
    except Exception as exc:  # pydantic's message names the bad variable
        raise click.ClickException(f"Bad configuration: {exc}") from exc


@click.group()
def main() -> None:
    """Figment: prompt-generated short videos, with consent for every face."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    # Alembic announces every plugin it loads; only the migrations it runs are worth reading.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


@main.command()
def migrate() -> None:
    """Create or upgrade the database schema."""
    from figment.migrate import upgrade_for

    settings = _settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade_for(settings)
    click.echo(f"Database is up to date ({_safe_url(settings.resolved_database_url)}).")


def _safe_url(url: str) -> str:
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return url


def _seed_demo(settings: Settings) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from figment.demo import DEMO_CLIPS, missing_clips, seed
    from figment.services import build_services

    services = build_services(settings)
    try:
        todo = missing_clips(services)
        if not todo:
            click.echo(f"Demo content present ({len(DEMO_CLIPS)} clips).")
            return
        with Progress(
            TextColumn("[bold]Rendering demo clips"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.description}"),
        ) as progress:
            task = progress.add_task("", total=len(todo))

            def done(clip: object) -> None:
                progress.update(task, advance=1, description=getattr(clip, "prompt", "")[:40])

            seed(services, on_clip_done=done)
    finally:
        services.close()


@main.command()
def demo() -> None:
    """Create demo users and clips (skips what exists)."""
    settings = _settings()
    from figment.migrate import upgrade_for

    upgrade_for(settings)
    _seed_demo(settings)


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


@main.command()
def run() -> None:
    """Migrate, seed demo content (unless FIGMENT_DEMO=0) and serve the app."""
    from figment.migrate import upgrade_for
    from figment.web_server import serve

    settings = _settings()
    if not _port_free(settings.host, settings.port):
        raise click.ClickException(
            f"Port {settings.port} on {settings.host} is in use; stop the other server or set FIGMENT_PORT."
        )
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade_for(settings)
    if settings.demo:
        _seed_demo(settings)
    processes = f", {settings.web_processes} processes" if settings.web_processes > 1 else ""
    click.echo(f"Figment is running on http://{settings.host}:{settings.port}{processes}  (Ctrl+C stops it)")
    serve(settings)


@main.command()
@click.option("--once", is_flag=True, help="Run until the queue is empty, then exit.")
@click.option(
    "--queue",
    "queues",
    multiple=True,
    metavar="NAME",
    help="Take jobs from this queue only (repeatable: cpu, gpu, hosted). Default: the enabled backends' queues.",
)
def worker(once: bool, queues: tuple[str, ...]) -> None:
    """Run jobs in this process (workers on any host that reaches the database)."""
    from figment.migrate import upgrade_for
    from figment.services import build_services

    settings = _settings()
    if settings.workers == 0:
        settings = settings.model_copy(update={"workers": 1})  # a worker process exists to run jobs
    # Idempotent, and one host at a time: a worker may start before the web processes.
    upgrade_for(settings)
    services = build_services(settings, worker_queues=list(queues) or None)
    worker_id = f"{services.workers.base_id}:cli"
    try:
        if once:
            while services.workers.run_once(worker_id):
                pass
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        services.start()  # worker threads; they survive database restarts and network cuts
        served = ", ".join(services.workers.queues or ()) or "every queue"
        click.echo(f"Figment worker {worker_id} ({settings.jobs}) serving: {served}")
        stop.wait()
    finally:
        services.close()


@main.command()
def backends() -> None:
    """List every video backend: enabled here or not, whether it can run, and why not.

    Exits 1 when an enabled backend cannot run (clips asking for it are refused)."""
    from figment.generation.registry import KNOWN_BACKENDS, backend_availability

    settings = _settings()
    enabled = settings.enabled_backends
    rows = [("backend", "enabled", "can run", "why not")]
    broken = []
    for name in KNOWN_BACKENDS:
        state = backend_availability(name, settings)
        role = "default" if name == settings.backend else "yes" if name in enabled else "no"
        rows.append((name, role, "yes" if state.can_run else "no", state.reason))
        if name in enabled and not state.can_run:
            broken.append(name)
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        line = "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True))
        click.echo(f"{line}  {row[3]}".rstrip())
    if broken:
        raise click.ClickException(f"enabled but cannot run: {', '.join(broken)}")


@main.command()
@click.argument("prompt")
@click.option("-o", "--out", type=click.Path(dir_okay=False, path_type=Path), default=Path("clip.mp4"))
@click.option("--seed", type=int, default=0)
@click.option("--duration", type=float, default=10.0)
@click.option(
    "--plan", "show_plan", is_flag=True, help="Only print what the engine understood (a dry run: nothing is rendered)."
)
def render(prompt: str, out: Path, seed: int, duration: float, show_plan: bool) -> None:
    """Render PROMPT to an MP4 with the procedural engine (no server, no database)."""
    if show_plan:
        import json

        from figment.generation.backends.procedural.plan import plan_scene

        # Only the reading of the prompt: no frames, no soundtrack, no file (it used to render twice).
        click.echo(json.dumps(plan_scene(prompt=prompt, seed=seed).to_dict(), indent=2, ensure_ascii=False))
        return
    from figment.generation.backends.procedural import render_to_file

    started = time.perf_counter()
    media = render_to_file(prompt, out=out, seed=seed, duration_s=duration)
    click.echo(
        f"Wrote {out} ({media.size_bytes / 1e6:.1f} MB, {media.duration_s:.1f} s) "
        f"in {time.perf_counter() - started:.1f} s"
    )


@main.group()
def admin() -> None:
    """Operators' tasks."""


@contextmanager
def _admin_session() -> Iterator[Session]:
    """A database session for one operator command; domain errors become clean CLI errors."""
    from figment.db import make_engine, make_session_factory, session_scope
    from figment.errors import DomainError

    engine = make_engine(_settings().resolved_database_url)
    try:
        with session_scope(make_session_factory(engine)) as session:
            yield session
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        engine.dispose()


@admin.command("make-admin")
@click.argument("handle")
def make_admin(handle: str) -> None:
    """Give HANDLE operator rights."""
    from figment.accounts.service import make_admin as promote

    with _admin_session() as session:
        user = promote(session=session, handle=handle)
        click.echo(f"@{user.handle} is now an operator.")


@admin.command("approve-holder")
@click.argument("handle")
def approve_holder(handle: str) -> None:
    """Approve HANDLE's application as a rights holder (they may then register works and file takedowns)."""
    from figment.rights.service import approve_by_handle

    with _admin_session() as session:
        holder = approve_by_handle(session=session, handle=handle)
        click.echo(f"@{handle.lstrip('@')} is now an approved rights holder ({holder.organisation}).")

"""`figment run | migrate | worker | demo | render | models | admin ...`"""

from __future__ import annotations

import dataclasses
import logging
import signal
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

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
@click.option(
    "--backend",
    type=click.Choice(["procedural", "ltx2", "wan"]),
    default="procedural",
    show_default=True,
    help="The video model: the built-in renderer, or a diffusers model (needs the `models` extra).",
)
@click.option(
    "--tiny",
    is_flag=True,
    help="ltx2/wan: a tiny random-weight model of the same architecture, built in memory (no download). "
    "Checks an install and a GPU end to end; the picture is noise by design.",
)
def render(prompt: str, out: Path, seed: int, duration: float, show_plan: bool, backend: str, tiny: bool) -> None:
    """Render PROMPT to an MP4 (no server, no database): 720x1280, H.264 with AAC sound."""
    if show_plan:
        import json

        from figment.generation.backends.procedural.plan import plan_scene

        # Only the reading of the prompt: no frames, no soundtrack, no file (it used to render twice).
        click.echo(json.dumps(plan_scene(prompt=prompt, seed=seed).to_dict(), indent=2, ensure_ascii=False))
        return
    if tiny and backend == "procedural":
        raise click.UsageError("--tiny is for the model backends: --backend ltx2 or --backend wan.")
    started = time.perf_counter()
    if backend == "procedural":
        from figment.generation.backends.procedural import render_to_file

        media = render_to_file(prompt, out=out, seed=seed, duration_s=duration)
    else:
        media = _render_with_model(prompt, out=out, seed=seed, duration=duration, backend=backend, tiny=tiny)
    click.echo(
        f"Wrote {out} ({media.size_bytes / 1e6:.1f} MB, {media.duration_s:.1f} s) "
        f"in {time.perf_counter() - started:.1f} s"
    )


def _render_with_model(prompt: str, *, out: Path, seed: int, duration: float, backend: str, tiny: bool) -> Any:
    from figment.generation.backends.diffusion import runtime

    if runtime.missing_packages():
        raise click.ClickException(runtime.missing_packages_message(backend))
    from figment.errors import DomainError
    from figment.generation.registry import load_backend
    from figment.generation.types import BackendFailure, GenerationRequest
    from figment.media.encode import encode_clip

    if tiny:
        from figment.generation.backends.diffusion.ltx2 import Ltx2Backend
        from figment.generation.backends.diffusion.wan import WanBackend

        run = runtime.ModelRun.for_tiny()
        model: Any = Ltx2Backend(run) if backend == "ltx2" else WanBackend(run)
    else:
        model = load_backend(backend, _settings())
    try:
        request = GenerationRequest(prompt=prompt, seed=seed, duration_s=duration)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--duration") from exc
    last = {"p": -10}

    def progress(percent: int) -> None:
        if percent - last["p"] >= 10 or percent == 100:
            last["p"] = percent
            click.echo(f"  model {percent}%", err=True)

    try:
        clip = model.generate(dataclasses.replace(request, progress=progress))
        return encode_clip(clip, video_path=out, poster_path=out.with_suffix(".jpg"))
    except (DomainError, BackendFailure) as exc:
        raise click.ClickException(str(exc)) from exc


@main.group()
def models() -> None:
    """Video model weights (FIGMENT_MODELS_DIR)."""


@models.command("pull")
@click.argument("name", type=click.Choice(["ltx2", "wan"]))
@click.option(
    "--from",
    "source_dir",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Copy from this diffusers model folder (a mirror, a carried disk) instead of downloading.",
)
def models_pull(name: str, source_dir: Path | None) -> None:
    """Download NAME's weights (tens of GB) into FIGMENT_MODELS_DIR/NAME; run again to resume."""
    from figment.generation.backends.diffusion.weights import PullFailed, model_sources, pull

    settings = _settings()
    source = model_sources(settings)[name]
    origin = source_dir or f"{settings.models_hub_url.rstrip('/')}/{source.repo}"
    click.echo(f"Pulling {name} ({source.repo}) from {origin} into {settings.resolved_models_dir / name}")
    shown: dict[str, int] = {}

    def progress(path: str, done: int, total: int) -> None:
        step = max(total // 10, 256 << 20) if total else 256 << 20
        if done >= total or done - shown.get(path, -step) >= step:
            shown[path] = done
            of = f" of {total / 1e9:.2f} GB" if total else ""
            click.echo(f"  {path}: {done / 1e9:.2f} GB{of}")

    try:
        result = pull(settings, name, source_dir=source_dir, progress=progress)
    except PullFailed as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(
        f"{name} is ready in {result.directory}: {result.files} files, {result.fetched} fetched now "
        f"({result.bytes_fetched / 1e9:.2f} GB)."
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

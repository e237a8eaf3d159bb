"""Model weights on disk: where each model's live, whether they are complete, and how they get there.

A backend never downloads at run time: an operator pulls the weights once (`figment models pull NAME`)
into FIGMENT_MODELS_DIR/NAME, from the model hub over HTTP or from a folder (a mirror, a disk carried
to an offline host). Files land under temporary names and are renamed when complete and verified; a
marker file written last says the whole set is there, so a pull cut short is never mistaken for a model.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import shutil
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from figment.settings import Settings

COMPLETE_MARKER = ".figment-complete.json"
# The diffusers layout: model_index.json and one folder per component. Repositories also hold single-file
# checkpoints of tens of GB at their root (for other tools); those are not pulled.
DIFFUSERS_LAYOUT = ("model_index.json", "*/*")
CHUNK = 1 << 20
TIMEOUT_S = 60.0

# (downloaded file's path in the repository, bytes done, bytes expected or 0 when unknown)
PullProgress = Callable[[str, int, int], None]


class PullFailed(Exception):
    """A pull that cannot finish; the message says why and what to do. Files already complete stay."""


@dataclass(frozen=True, kw_only=True)
class ModelSource:
    name: str
    repo: str
    revision: str = "main"
    include: tuple[str, ...] = DIFFUSERS_LAYOUT


@dataclass(frozen=True, kw_only=True)
class RemoteFile:
    path: str
    size: int  # 0: unknown
    sha256: str  # "": not published (small files outside LFS)


@dataclass(frozen=True, kw_only=True)
class PullResult:
    directory: Path
    files: int
    fetched: int  # files transferred this time (the others were already complete)
    bytes_fetched: int


def model_sources(settings: Settings) -> dict[str, ModelSource]:
    return {
        "ltx2": ModelSource(name="ltx2", repo=settings.ltx2_repo),
        "wan": ModelSource(name="wan", repo=settings.wan_repo),
    }


def weights_dir(settings: Settings, name: str) -> Path:
    return settings.resolved_models_dir / name


def weights_ready(settings: Settings, name: str) -> bool:
    return (weights_dir(settings, name) / COMPLETE_MARKER).is_file()


def missing_weights_message(settings: Settings, name: str) -> str:
    return (
        f"The {name} model's weights are not in {weights_dir(settings, name)}. "
        f"Run `figment models pull {name}` (or point FIGMENT_MODELS_DIR at the folder that holds {name}/)."
    )


def _included(path: str, include: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatchcase(path, pattern) for pattern in include)


def _safe_relative(path: str) -> PurePosixPath:
    """A repository path as a relative path that cannot climb out of the model's folder."""
    rel = PurePosixPath(path)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts:
        raise PullFailed(f"The model hub listed an unsafe file name: {path!r}.")
    return rel


def pull(
    settings: Settings, name: str, *, source_dir: Path | None = None, progress: PullProgress | None = None
) -> PullResult:
    """Bring model `name`'s weights into FIGMENT_MODELS_DIR/name: from `source_dir` when given, else the hub."""
    sources = model_sources(settings)
    if name not in sources:
        raise PullFailed(f"There is no model called {name!r}; models: {', '.join(sorted(sources))}.")
    source = sources[name]
    target = weights_dir(settings, name)
    target.mkdir(parents=True, exist_ok=True)
    # A new pull makes the set incomplete until it ends: a crash half-way must not leave the old marker.
    (target / COMPLETE_MARKER).unlink(missing_ok=True)
    if source_dir is not None:
        files, fetched, size, revision = _copy_from_folder(source, source_dir, target, progress)
    else:
        files, fetched, size, revision = _download(settings, source, target, progress)
    marker = {"repo": source.repo, "revision": revision, "files": files, "pulled_at": int(time.time())}
    (target / COMPLETE_MARKER).write_text(json.dumps(marker, indent=2))
    return PullResult(directory=target, files=len(files), fetched=fetched, bytes_fetched=size)


def _copy_from_folder(
    source: ModelSource, folder: Path, target: Path, progress: PullProgress | None
) -> tuple[list[str], int, int, str]:
    if not (folder / "model_index.json").is_file():
        raise PullFailed(f"{folder} holds no model_index.json: it is not a diffusers model folder.")
    files = sorted(
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and _included(p.relative_to(folder).as_posix(), source.include)
    )
    fetched = size = 0
    for rel in files:
        src, dst = folder / rel, target / _safe_relative(rel)
        length = src.stat().st_size
        if dst.is_file() and dst.stat().st_size == length:
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        part = dst.with_name(dst.name + ".part")
        shutil.copyfile(src, part)
        part.replace(dst)
        fetched, size = fetched + 1, size + length
        if progress is not None:
            progress(rel, length, length)
    return files, fetched, size, f"folder:{folder}"


def _request(settings: Settings, url: str) -> urllib.request.Request:
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise PullFailed(f"Only http(s) addresses are fetched, not {url!r}.")
    headers = {"User-Agent": "figment-models-pull"}
    if settings.models_hub_token:
        headers["Authorization"] = f"Bearer {settings.models_hub_token}"
    return urllib.request.Request(url, headers=headers)  # noqa: S310 (scheme checked above)


def _open(settings: Settings, url: str) -> BinaryIO:
    try:
        # The scheme is checked in _request: only http(s) to the configured hub.
        answer: BinaryIO = urllib.request.urlopen(_request(settings, url), timeout=TIMEOUT_S)  # nosec B310  # http(s)
        return answer
    except urllib.error.HTTPError as exc:
        hint = " Set FIGMENT_MODELS_HUB_TOKEN for a gated model." if exc.code in (401, 403) else ""
        raise PullFailed(f"The model hub answered {exc.code} for {url}.{hint}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise PullFailed(f"Could not reach the model hub at {url}: {exc}.") from exc


def remote_files(settings: Settings, source: ModelSource) -> tuple[list[RemoteFile], str]:
    """The repository's files that `source` includes, with sizes and hashes, and the commit they are at."""
    base = settings.models_hub_url.rstrip("/")
    repo = urllib.parse.quote(source.repo, safe="/")
    url = f"{base}/api/models/{repo}/revision/{urllib.parse.quote(source.revision, safe='')}?blobs=true"
    with _open(settings, url) as answer:
        try:
            info = json.loads(answer.read())
        except ValueError as exc:
            raise PullFailed(f"The model hub's answer for {source.repo} is not JSON.") from exc
    files = []
    for sibling in info.get("siblings", []):
        path = str(sibling.get("rfilename", ""))
        if not path or not _included(path, source.include):
            continue
        lfs = sibling.get("lfs") or {}
        files.append(
            RemoteFile(
                path=path, size=int(sibling.get("size") or lfs.get("size") or 0), sha256=str(lfs.get("sha256", ""))
            )
        )
    if not any(f.path == "model_index.json" for f in files):
        raise PullFailed(f"{source.repo} has no model_index.json: it is not a diffusers model.")
    return sorted(files, key=lambda f: f.path), str(info.get("sha") or source.revision)


def _download(
    settings: Settings, source: ModelSource, target: Path, progress: PullProgress | None
) -> tuple[list[str], int, int, str]:
    files, revision = remote_files(settings, source)
    base = settings.models_hub_url.rstrip("/")
    repo = urllib.parse.quote(source.repo, safe="/")
    fetched = total = 0
    for remote in files:
        dst = target / _safe_relative(remote.path)
        if dst.is_file() and (remote.size == 0 or dst.stat().st_size == remote.size):
            continue  # complete from an earlier pull: files are renamed into place only when whole
        dst.parent.mkdir(parents=True, exist_ok=True)
        url = f"{base}/{repo}/resolve/{urllib.parse.quote(revision, safe='')}/{urllib.parse.quote(remote.path)}"
        total += _fetch(settings, url, remote, dst, progress)
        fetched += 1
    return [f.path for f in files], fetched, total, revision


def _fetch(settings: Settings, url: str, remote: RemoteFile, dst: Path, progress: PullProgress | None) -> int:
    part = dst.with_name(dst.name + ".part")
    digest = hashlib.sha256()
    done = 0
    try:
        with _open(settings, url) as answer, part.open("wb") as out:
            while chunk := answer.read(CHUNK):
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(remote.path, done, remote.size)
        if remote.size and done != remote.size:
            raise PullFailed(f"{remote.path}: got {done} bytes of {remote.size}; run the pull again to resume.")
        if remote.sha256 and digest.hexdigest() != remote.sha256:
            raise PullFailed(f"{remote.path} does not match its published SHA-256; it was not kept.")
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    part.replace(dst)
    return done

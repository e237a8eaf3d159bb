"""The web client's pages: one HTML shell; the client routes with the History API."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from figment import __version__
from figment.deps import ServicesDep, SessionDep
from figment.web import meta

WEB_DIR = Path(__file__).parent
STATIC_DIR = WEB_DIR / "static"
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
router = APIRouter(include_in_schema=False)

PAGE_PATHS = (
    "/",
    "/following",
    "/create",
    "/drafts",
    "/notifications",
    "/login",
    "/signup",
    "/rights",
    "/likeness",
    "/admin",
    "/provenance",
    "/admin/moderation",
)


def _language(request: Request, default: str) -> str:
    if request.query_params.get("lang") in ("en", "it"):
        return str(request.query_params["lang"])
    accept = request.headers.get("accept-language", "")
    if accept:
        first = accept.split(",")[0].strip().lower()
        if first.startswith("it"):
            return "it"
        if first.startswith("en"):
            return "en"
    return default


@functools.cache
def asset_version() -> str:
    """Changes whenever a static file changes, so browsers never run a stale mix of modules."""
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(STATIC_DIR.rglob("*")):
        if path.is_file():
            stat = path.stat()
            digest.update(f"{path.name}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


@functools.cache
def importmap() -> str:
    """The shell's import map: every module URL carries the version, so a deploy never mixes old and new
    modules. Every module in the folder, so a new one can never miss its versioned URL. It is the page's
    only inline script; the Content-Security-Policy allows it by this exact text's hash (web.security)."""
    version = asset_version()
    modules = sorted(path.stem for path in STATIC_DIR.glob("*.js"))
    imports = {f"/static/{m}.js": f"/static/{m}.js?v={version}" for m in modules}
    return json.dumps({"imports": imports}, indent=1)


def _render(request: Request, services: ServicesDep, lang: str, page: meta.PageMeta | None) -> HTMLResponse:
    return templates.TemplateResponse(
        request,
        "app.html",
        {
            "lang": lang,
            "static_url": "/static",
            "version": asset_version(),
            "importmap": importmap(),
            "meta": page
            or meta.generic(base=meta.public_base(request, services.settings), path=request.url.path, lang=lang),
        },
    )


def _shell(request: Request, services: ServicesDep) -> HTMLResponse:
    return _render(request, services, _language(request, services.settings.language), None)


for _path in PAGE_PATHS:
    router.add_api_route(_path, _shell, methods=["GET"], response_class=HTMLResponse)


@router.get("/@{handle}", response_class=HTMLResponse)
def profile_page(handle: str, request: Request, services: ServicesDep, session: SessionDep) -> HTMLResponse:
    lang = _language(request, services.settings.language)
    base = meta.public_base(request, services.settings)
    return _render(request, services, lang, meta.for_profile(session=session, handle=handle, base=base, lang=lang))


@router.get("/v/{video_id}", response_class=HTMLResponse)
def video_page(video_id: str, request: Request, services: ServicesDep, session: SessionDep) -> HTMLResponse:
    lang = _language(request, services.settings.language)
    base = meta.public_base(request, services.settings)
    return _render(request, services, lang, meta.for_video(session=session, video_id=video_id, base=base, lang=lang))

"""The web client's pages: one HTML shell; the client routes with the History API."""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
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
    "/search",
    "/discover",
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


NOT_FOUND_TITLE = {"en": "Page not found · Figment", "it": "Pagina non trovata · Figment"}
# Paths whose 404 stays the API's JSON (or a bare 404 for a missing file), never the app's page.
NOT_PAGES = ("/api/", "/static/")


def is_page_path(path: str) -> bool:
    return not path.startswith(NOT_PAGES) and path not in ("/api", "/static")


def not_found_page(request: Request) -> HTMLResponse:
    """An unknown address outside the API: the shell, whose router shows the app's own "page not found"
    (in the viewer's language), with a 404 status so that crawlers and link checkers see it too."""
    services = request.app.state.services
    lang = _language(request, services.settings.language)
    generic = meta.generic(base=meta.public_base(request, services.settings), path=request.url.path, lang=lang)
    page = meta.PageMeta(title=NOT_FOUND_TITLE[lang], description=generic.description, tags=())
    response = _render(request, services, lang, page)
    response.status_code = 404
    return response


for _path in PAGE_PATHS:
    router.add_api_route(_path, _shell, methods=["GET"], response_class=HTMLResponse)


@router.get("/@{handle}", response_class=HTMLResponse)
def profile_page(handle: str, request: Request, services: ServicesDep, session: SessionDep) -> HTMLResponse:
    lang = _language(request, services.settings.language)
    base = meta.public_base(request, services.settings)
    return _render(request, services, lang, meta.for_profile(session=session, handle=handle, base=base, lang=lang))


@router.get("/tag/{name}", response_class=HTMLResponse)
def tag_page(name: str, request: Request, services: ServicesDep) -> HTMLResponse:
    """A tag's page (the client lists its clips from /api/tags/{name}/clips)."""
    return _shell(request, services)


@router.get("/v/{video_id}", response_class=HTMLResponse)
def video_page(video_id: str, request: Request, services: ServicesDep, session: SessionDep) -> HTMLResponse:
    lang = _language(request, services.settings.language)
    base = meta.public_base(request, services.settings)
    return _render(request, services, lang, meta.for_video(session=session, video_id=video_id, base=base, lang=lang))


THEME_COLOUR = "#000000"
_MANIFEST_TEXT = {
    "en": "An open short-video network where every clip starts as a sentence.",
    "it": "Una rete aperta di brevi video in cui ogni clip nasce da una frase.",
}


@router.get("/manifest.webmanifest")
def manifest(request: Request, services: ServicesDep) -> JSONResponse:
    """The web app manifest: what a browser needs to install Figment as an app."""
    lang = _language(request, services.settings.language)
    icons = [
        {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
        {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any"},
        {"src": "/static/icons/icon-maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
    ]
    body = {
        "id": "/",
        "name": "Figment",
        "short_name": "Figment",
        "description": _MANIFEST_TEXT[lang],
        "lang": lang,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": THEME_COLOUR,
        "theme_color": THEME_COLOUR,
        "categories": ["entertainment", "social"],
        "icons": icons,
    }
    return JSONResponse(body, media_type="application/manifest+json", headers={"Cache-Control": "public, max-age=3600"})


def shell_urls() -> list[str]:
    """What the service worker keeps for an offline start: every versioned module, the styles, the icon."""
    version = asset_version()
    modules = json.loads(importmap())["imports"].values()
    return [*modules, f"/static/app.css?v={version}", f"/static/icon.svg?v={version}"]


@functools.cache
def service_worker_source() -> str:
    source = (WEB_DIR / "sw.js").read_text(encoding="utf-8")
    return source.replace("__RELEASE__", asset_version()).replace("__SHELL__", json.dumps(shell_urls()))


@router.get("/sw.js")
def service_worker() -> Response:
    """At the root, so that its scope is the whole app. Never cached by HTTP: a new release must reach
    browsers at their next visit (they check it themselves, too)."""
    return Response(service_worker_source(), media_type="text/javascript", headers={"Cache-Control": "no-cache"})

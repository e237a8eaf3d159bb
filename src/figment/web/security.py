"""HTTP hardening headers on every response (docs/SECURITY.md).

Pages (text/html) get a Content-Security-Policy that allows only Figment's own scripts and styles,
plus the hash of the one inline script the shell has (its import map: browsers take no `src` for
one). Media may come from the S3 endpoint (clips and posters are 307s to presigned URLs there), so
that origin is added to media-src and img-src when FIGMENT_STORAGE=s3. Everything else (JSON,
media, static files) gets `default-src 'none'`: none of it is meant to run as a document.

Camera and microphone are allowed only on the likeness page, which records the verification clip;
the client reloads the document when it enters or leaves that page (router.js), because a
Permissions-Policy belongs to the document, not to a History API route.
"""

from __future__ import annotations

import base64
import functools
import hashlib
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from figment.settings import Settings

# The one page whose document may use the camera and microphone (likeness verification).
CAMERA_PATHS = frozenset({"/likeness"})
# FastAPI's interactive API docs load Swagger/ReDoc from their CDN and configure them inline.
API_DOCS_PATHS = frozenset({"/docs", "/redoc", "/docs/oauth2-redirect"})
API_DOCS_CDN = "https://cdn.jsdelivr.net"

NON_DOCUMENT_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# The service worker's own policy (a worker takes its CSP from its script's response): it fetches only
# the app's own shell files.
SERVICE_WORKER_PATH = "/sw.js"
SERVICE_WORKER_POLICY = "default-src 'none'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
HSTS = "max-age=31536000"
# Features nobody needs; camera and microphone are set per page.
_DENIED_FEATURES = (
    "geolocation=()",
    "payment=()",
    "usb=()",
    "serial=()",
    "hid=()",
    "midi=()",
    "display-capture=()",
)


def script_hash(text: str) -> str:
    """The CSP source expression for an inline script whose body is exactly `text`."""
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def media_origins(settings: Settings) -> tuple[str, ...]:
    """Origins besides our own that clips and posters load from: the S3 endpoint when storage is s3.

    Taken from the same boto3 client the storage signs with, so the policy and the presigned URLs
    always agree (AWS without an endpoint: the regional S3 host, path-style URLs)."""
    if settings.storage != "s3":
        return ()
    from figment.storage.s3 import make_client

    client = make_client(
        endpoint=settings.s3_endpoint or None, region=settings.s3_region, access_key=None, secret_key=None
    )
    parts = urlsplit(str(client.meta.endpoint_url))
    return (f"{parts.scheme}://{parts.netloc}",)


def page_policy(*, inline_script_hashes: tuple[str, ...], media: tuple[str, ...]) -> str:
    extra = "".join(f" {origin}" for origin in media)
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' {' '.join(inline_script_hashes)}".rstrip(),
            "style-src 'self'",
            # data: for the select arrow drawn in app.css.
            f"img-src 'self' data:{extra}",
            f"media-src 'self'{extra}",
            "connect-src 'self'",
            "font-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
            "frame-src 'none'",
            "worker-src 'self'",
            "manifest-src 'self'",
        )
    )


def api_docs_policy() -> str:
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'unsafe-inline' {API_DOCS_CDN}",
            f"style-src 'self' 'unsafe-inline' {API_DOCS_CDN}",
            "img-src 'self' data: https://fastapi.tiangolo.com",
            "worker-src 'self' blob:",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        )
    )


def permissions_policy(path: str) -> str:
    allowed = "(self)" if path in CAMERA_PATHS else "()"
    return ", ".join((f"camera={allowed}", f"microphone={allowed}", *_DENIED_FEATURES))


class SecurityHeaders:
    """Pure ASGI middleware (no body buffering, so streams and ranges pass through untouched)."""

    def __init__(self, app: ASGIApp, *, settings: Settings) -> None:
        self.app = app
        self.hsts = settings.cookie_secure
        self.media = media_origins(settings)

    @functools.cached_property
    def page_csp(self) -> str:
        from figment.web.routes import importmap

        return page_policy(inline_script_hashes=(script_hash(importmap()),), media=self.media)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", "")).rstrip("/") or "/"

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                self.apply(headers, path)
            await send(message)

        await self.app(scope, receive, with_headers)

    def apply(self, headers: MutableHeaders, path: str) -> None:
        html = headers.get("content-type", "").startswith("text/html")
        if "content-security-policy" not in headers:
            if path in API_DOCS_PATHS:
                headers["Content-Security-Policy"] = api_docs_policy()
            elif path == SERVICE_WORKER_PATH:
                headers["Content-Security-Policy"] = SERVICE_WORKER_POLICY
            else:
                headers["Content-Security-Policy"] = self.page_csp if html else NON_DOCUMENT_POLICY
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["X-Frame-Options"] = "DENY"  # frame-ancestors for browsers that predate it
        headers["Permissions-Policy"] = permissions_policy(path)
        if self.hsts:
            headers["Strict-Transport-Security"] = HSTS

"""create_app(settings): routers, the error -> HTTP mapping, and the lifespan that builds Services."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from figment import __version__
from figment.accounts.routes import router as accounts_router
from figment.errors import DomainError
from figment.feed.routes import router as feed_router
from figment.likeness.routes import router as likeness_router
from figment.notifications.routes import router as notifications_router
from figment.openapi import install_openapi
from figment.profiles.routes import router as profiles_router
from figment.provenance.routes import MAX_UPLOAD_BYTES
from figment.provenance.routes import router as provenance_router
from figment.rights.routes import router as rights_router
from figment.safety.routes import router as safety_router
from figment.search.routes import router as search_router
from figment.services import Services, build_services
from figment.settings import Settings
from figment.storage.base import StorageUnavailable, is_disk_full
from figment.tags.routes import router as tags_router
from figment.videos import selection
from figment.videos.routes import router as videos_router
from figment.web.routes import STATIC_DIR, is_page_path, not_found_page
from figment.web.routes import router as web_router
from figment.web.security import SecurityHeaders

log = logging.getLogger(__name__)

_HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
}


UNREADABLE_MESSAGE = "The request body could not be read: send UTF-8 JSON, or a well-formed multipart form."


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}


# A 503 says "not now" and a 500 says "broken": clients and load balancers retry the first only.
RETRY_AFTER_S = 2


def unavailable(service: str, message: str) -> JSONResponse:
    return JSONResponse(
        error_body("unavailable", message, {"service": service}),
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_S)},
    )


def insufficient_storage(message: str) -> JSONResponse:
    """507: the server has no room to store what the request brought. Not a 503: a full disk is not
    over in the seconds a Retry-After names (an operator must free space), and monitoring should tell it
    from a restart. Nothing was stored, so the same request can be sent again later."""
    return JSONResponse(error_body("insufficient_storage", message), status_code=507)


DISK_FULL_MESSAGE = "The server ran out of disk space, so nothing was saved; try again later."

# SQLite result codes (the low byte of sqlite_errorcode) that mean "not now", not "broken".
_SQLITE_BUSY, _SQLITE_LOCKED, _SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 5, 6, 8, 10, 13, 14
_SQLITE_MESSAGES = {
    _SQLITE_BUSY: "The database is busy with another write; try again.",
    _SQLITE_LOCKED: "The database is busy with another write; try again.",
    _SQLITE_READONLY: "The database is read-only, so changes cannot be saved right now; reading still works.",
    _SQLITE_IOERR: "The database file cannot be read or written right now; try again.",
    _SQLITE_CANTOPEN: "The database file cannot be opened right now; try again.",
}


def _sqlite_code(exc: Exception) -> int | None:
    orig = getattr(exc, "orig", None)
    if not isinstance(orig, sqlite3.Error):
        return None
    return int(getattr(orig, "sqlite_errorcode", -1)) & 0xFF


def _database_unavailable(exc: Exception) -> str | None:
    """A lost or refused connection, a busy, locked or read-only database, a full pool: worth a retry,
    not a bug; the sentence to answer with. None for other driver errors (a broken constraint, bad SQL,
    SQLite's "no such table"), which stay 500s."""
    code = _sqlite_code(exc)
    if code is not None:
        return _SQLITE_MESSAGES.get(code) if isinstance(exc, OperationalError) else None
    if isinstance(exc, PoolTimeout | OperationalError) or (isinstance(exc, DBAPIError) and exc.connection_invalidated):
        return "The database is unavailable; try again."
    return None


# 20 MB of recording plus the multipart envelope.
RECORDING_BODY_BYTES = 20 * 1024 * 1024 + 64 * 1024


def _size(limit: int) -> str:
    return f"{limit / 2**20:.0f} MB" if limit >= 2**20 else f"{limit} bytes"


class BodySizeLimit:
    """Refuse request bodies over the limit before reading them into memory (413, documented shape)."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        max_bytes: int,
        per_path: dict[str, int] | None = None,
        per_suffix: dict[str, int] | None = None,
    ) -> None:
        self.app = app
        self.default_max = max_bytes
        self.max_bytes = max_bytes
        self.per_path = per_path or {}
        self.per_suffix = per_suffix or {}

    def limit_for(self, path: str) -> int:
        if path in self.per_path:
            return self.per_path[path]
        for suffix, limit in self.per_suffix.items():
            if path.endswith(suffix):
                return limit
        return self.default_max

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope.get("path", ""))
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            await self._refuse(send, limit)
            return
        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _TooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not response_started:
                await self._refuse(send, limit)

    async def _refuse(self, send: Send, limit: int) -> None:
        response = JSONResponse(
            error_body("payload_too_large", f"The request body is larger than {_size(limit)}."),
            status_code=413,
        )
        await response({"type": "http"}, _empty_receive, send)


class RejectNul:
    """A NUL character (%00) in the path or query is refused before any route sees it: PostgreSQL text
    cannot hold U+0000, and an id or handle carrying one failed as a 500 (found by the API fuzzer)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and ("\x00" in scope.get("path", "") or b"%00" in scope.get("query_string", b"")):
            response = JSONResponse(
                error_body(
                    "validation_error", "The address must not contain the NUL character (%00).", {"field": "path"}
                ),
                status_code=422,
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class _TooLarge(Exception):
    pass


async def _empty_receive() -> Message:
    return {"type": "http.disconnect"}


def _validation_message(errors: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    first = errors[0] if errors else {}
    location = [str(part) for part in first.get("loc", ()) if part not in ("body", "query", "path")]
    field = ".".join(location) or "body"
    message = first.get("msg", "Invalid request.")
    if first.get("type") == "json_invalid":
        return "The request body is not valid JSON.", {"field": "body"}
    return f"{field}: {message}", {
        "field": field,
        "errors": [{"field": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg")} for e in errors],
    }


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(_request: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse(error_body(exc.code, exc.message, exc.details), status_code=exc.status, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        message, details = _validation_message(list(exc.errors()))
        return JSONResponse(error_body("validation_error", message, details), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 400:
            # Only body parsing raises a bare 400 (FastAPI: bytes that are not UTF-8; Starlette: a multipart
            # form without its boundary): the same answer as any other unreadable body (found by the fuzzer).
            return JSONResponse(error_body("validation_error", UNREADABLE_MESSAGE, {"field": "body"}), status_code=422)
        if exc.status_code == 404 and request.method in ("GET", "HEAD") and is_page_path(request.url.path):
            return not_found_page(request)
        code = _HTTP_CODES.get(exc.status_code, "error")
        message = exc.detail if isinstance(exc.detail, str) else "Request failed."
        if exc.status_code == 404:
            message = "Nothing here: check the address."
        return JSONResponse(error_body(code, message), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(DBAPIError)
    @app.exception_handler(PoolTimeout)
    async def _database(_request: Request, exc: Exception) -> JSONResponse:
        if _sqlite_code(exc) == _SQLITE_FULL:
            log.warning("database disk full: %s", str(exc).splitlines()[0])
            return insufficient_storage(DISK_FULL_MESSAGE)
        message = _database_unavailable(exc)
        if message is None:
            return _internal_error(exc)
        # The transaction was rolled back (deps.get_session) and the pool drops the dead connection.
        log.warning("database unavailable: %s", str(exc).splitlines()[0])
        return unavailable("database", message)

    @app.exception_handler(StorageUnavailable)
    async def _storage(_request: Request, exc: StorageUnavailable) -> JSONResponse:
        log.warning("%s", exc)
        return unavailable("storage", "Media storage is unavailable; try again.")

    @app.exception_handler(OSError)
    async def _os_error(_request: Request, exc: OSError) -> JSONResponse:
        if not is_disk_full(exc):
            return _internal_error(exc)
        # Stores write a temp file and rename it, and the transaction was rolled back: nothing is half-saved.
        log.warning("disk full: %s", exc)
        return insufficient_storage(DISK_FULL_MESSAGE)

    @app.exception_handler(Exception)
    async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
        return _internal_error(exc)


def _internal_error(exc: Exception) -> JSONResponse:
    log.exception("unhandled error", exc_info=exc)
    return JSONResponse(
        error_body("internal_error", "Something went wrong on our side; nothing was changed. Try again."),
        status_code=500,
    )


def create_app(settings: Settings | None = None, *, services: Services | None = None) -> FastAPI:
    """Build the app. Services are created in the lifespan (or passed in by tests), never at import."""
    settings = settings or (services.settings if services else Settings())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        owned = services is None
        app.state.services = services or build_services(settings)
        app.state.services.start()
        try:
            yield
        finally:
            if owned:
                app.state.services.close()
            else:
                app.state.services.workers.stop()

    app = FastAPI(title="Figment", version=__version__, lifespan=lifespan)
    install_error_handlers(app)
    for router in (
        accounts_router,
        profiles_router,
        videos_router,
        feed_router,
        notifications_router,
        rights_router,
        provenance_router,
        safety_router,
        likeness_router,
        search_router,
        tags_router,
        web_router,
    ):
        app.include_router(router)
    install_openapi(app, adjust=lambda document: selection.state_backends(document, list(settings.enabled_backends)))
    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    app.add_middleware(
        BodySizeLimit,
        max_bytes=settings.max_body_bytes,
        per_path={"/api/provenance/check": max(settings.max_body_bytes, MAX_UPLOAD_BYTES)},
        # A verification recording may be up to 20 MB (the verifier names the reason when it is more).
        per_suffix={"/recording": max(settings.max_body_bytes, RECORDING_BODY_BYTES)},
    )
    app.add_middleware(RejectNul)
    # Outermost, so refusals of the size limit carry the headers too.
    app.add_middleware(SecurityHeaders, settings=settings)
    return app

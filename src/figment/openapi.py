"""The OpenAPI document tells the truth about who may call each operation and how it can fail.

FastAPI writes the shapes; this adds what it cannot see:

- security: a bearer token (`Authorization: Bearer ...`) or the session cookie, and with the cookie the
  `X-CSRF-Token` header on writes (deps.authenticate). Optional-login operations also list `{}`.
- errors: every operation's error answers use the one error body (schemas.ErrorOut). The ones that follow
  from the wiring are added here (a login: 401/403; a path id: 404; any parameter or body: 422; a body:
  413; the database: 503); the ones that follow from the feature are on the route (`responses=errors(...)`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute, iter_route_contexts

from figment.deps import CSRF_HEADER, SAFE_METHODS, SESSION_COOKIE, get_admin, get_current_user, get_optional_user
from figment.deps import get_session as get_session_dep
from figment.schemas import ErrorOut, errors

F = TypeVar("F", bound=Callable[..., Any])
AUTH_ATTRIBUTE = "__figment_auth__"
REF = "#/components/schemas/"

SECURITY_SCHEMES: dict[str, dict[str, Any]] = {
    "bearer": {"type": "http", "scheme": "bearer", "description": "The `token` from signup or login."},
    "session": {
        "type": "apiKey",
        "in": "cookie",
        "name": SESSION_COOKIE,
        "description": "Set by signup and login for the web client.",
    },
    "csrf": {
        "type": "apiKey",
        "in": "header",
        "name": CSRF_HEADER,
        "description": "With the session cookie, writes echo the `figment_csrf` cookie's value here.",
    },
}


def optional_login(endpoint: F) -> F:
    """Marks an endpoint that authenticates in its own body (deps.authenticate inside deps.in_session)."""
    setattr(endpoint, AUTH_ATTRIBUTE, "optional")
    return endpoint


def _calls(dependant: Dependant) -> set[Callable[..., Any]]:
    found: set[Callable[..., Any]] = set()
    stack = [dependant]
    while stack:
        current = stack.pop()
        if current.call is not None:
            found.add(current.call)
        stack.extend(current.dependencies)
    return found


def auth_of(route: APIRoute) -> str | None:
    """'operator', 'user' (logged in), 'optional' (anyone, a login changes the answer) or None."""
    calls = _calls(route.dependant)
    if get_admin in calls:
        return "operator"
    if get_current_user in calls:
        return "user"
    if get_optional_user in calls:
        return "optional"
    marked: str | None = getattr(route.endpoint, AUTH_ATTRIBUTE, None)
    return marked


def _security(auth: str, method: str) -> list[dict[str, list[str]]]:
    cookie: dict[str, list[str]] = {"session": []} if method.upper() in SAFE_METHODS else {"session": [], "csrf": []}
    options: list[dict[str, list[str]]] = [{"bearer": []}, cookie]
    if auth == "optional":
        options.append({})
    return options


def _error_response(status: int) -> dict[str, Any]:
    entry = dict(errors(status)[status])
    entry.pop("model")
    entry["content"] = {"application/json": {"schema": {"$ref": f"{REF}ErrorOut"}}}
    return entry


def wired_errors(route: APIRoute) -> list[int]:
    """The error answers that follow from how the route is wired."""
    auth = auth_of(route)
    calls = _calls(route.dependant)
    statuses: list[int] = []
    if auth is not None:
        statuses += [401, 403]
    if route.dependant.path_params:
        statuses.append(404)
    if route.dependant.path_params or route.dependant.query_params or route.body_field is not None:
        statuses.append(422)
    if route.body_field is not None:
        statuses.append(413)
    if get_session_dep in calls or auth is not None:
        statuses.append(503)
    return statuses


def api_routes(app: FastAPI) -> list[tuple[APIRoute, str, set[str]]]:
    """Each operation in the document: its route, path and methods."""
    found = []
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if isinstance(route, APIRoute) and route.include_in_schema:
            found.append((route, str(context.path_format), set(context.methods or ())))
    return found


def build_document(app: FastAPI) -> dict[str, Any]:
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = schema.setdefault("components", {})
    components["securitySchemes"] = SECURITY_SCHEMES
    models = components.setdefault("schemas", {})
    error_schema = ErrorOut.model_json_schema(ref_template=REF + "{model}")
    for name, definition in error_schema.pop("$defs").items():
        models.setdefault(name, definition)
    models.setdefault("ErrorOut", error_schema)
    for route, path, methods in api_routes(app):
        auth = auth_of(route)
        for method in methods:
            operation = schema["paths"][path][method.lower()]
            responses = operation["responses"]
            for status in wired_errors(route):
                current = responses.get(str(status), {})
                fastapi_default = "HTTPValidationError" in str(current)
                if not current or fastapi_default:
                    responses[str(status)] = _error_response(status)
            if auth is not None:
                operation["security"] = _security(auth, method)
    # The app never answers in FastAPI's own validation shape (app._validation rewrites it).
    assert "HTTPValidationError" not in str(schema["paths"]), "an operation still documents FastAPI's 422 shape"
    models.pop("HTTPValidationError", None)
    models.pop("ValidationError", None)
    return schema


def install_openapi(app: FastAPI, *, adjust: Callable[[dict[str, Any]], None] | None = None) -> None:
    """`adjust`: what only this server's settings know (the enabled video models) written into the document."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = build_document(app)
            if adjust is not None:
                adjust(document)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

"""HTTP hardening headers (web.security): pages, API JSON and media, local and S3 storage."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from figment.app import create_app
from figment.settings import Settings
from figment.web.routes import STATIC_DIR, WEB_DIR
from figment.web.security import NON_DOCUMENT_POLICY, media_origins, script_hash
from support import Api, make_settings

COMMON = {"x-content-type-options": "nosniff", "referrer-policy": "same-origin", "x-frame-options": "DENY"}


def _directives(policy: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


def _common(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    for name, value in COMMON.items():
        assert headers[name] == value, (name, headers.get(name))
    assert "strict-transport-security" not in headers


def test_pages_allow_only_own_scripts_and_the_import_map_by_hash(client: TestClient) -> None:
    for path in ("/", "/v/abc", "/@someone", "/provenance", "/login", "/signup", "/rights"):
        response = client.get(path)
        assert response.status_code == 200, path
        _common(response)
        policy = _directives(response.headers["content-security-policy"])
        inline = re.findall(r"<script type=\"importmap\">(.*?)</script>", response.text, re.S)
        assert len(inline) == 1
        assert policy["script-src"] == ["'self'", script_hash(inline[0])]
        assert policy["style-src"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'none'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["media-src"] == ["'self'"]
        assert "'unsafe-inline'" not in response.headers["content-security-policy"]
        assert "camera=()" in response.headers["permissions-policy"]
        assert "microphone=()" in response.headers["permissions-policy"]


def test_camera_and_microphone_only_on_the_likeness_page(client: TestClient) -> None:
    allowed = client.get("/likeness").headers["permissions-policy"]
    assert "camera=(self)" in allowed and "microphone=(self)" in allowed
    assert "geolocation=()" in allowed
    for path in ("/", "/create", "/api/me", "/static/app.js"):
        denied = client.get(path).headers["permissions-policy"]
        assert "camera=()" in denied and "microphone=()" in denied, path


def test_api_json_static_and_errors_are_not_documents(client: TestClient, api: Api) -> None:
    api.signup("alice")
    for response in (
        client.get("/api/me", headers=api.auth("alice")),
        client.get("/api/me"),  # 401
        client.get("/api/nothing-here"),  # 404
        client.post("/api/auth/login", content=b"x" * (3 * 1024 * 1024)),  # 413 from the size limit
        client.get("/static/app.js"),
    ):
        _common(response)
        assert response.headers["content-security-policy"] == NON_DOCUMENT_POLICY, response.request.url


def test_media_responses_carry_the_headers(client: TestClient, api: Api) -> None:
    api.signup("alice")
    video = api.ready_clip("alice", publish=True)
    for url in (video["urls"]["video"], video["urls"]["poster"]):
        response = client.get(url)
        assert response.status_code == 200, url
        _common(response)
        assert response.headers["content-security-policy"] == NON_DOCUMENT_POLICY


def test_hsts_only_with_secure_cookies(tmp_path: Path, sqlite_url: str) -> None:
    settings = make_settings(tmp_path / "data", sqlite_url, cookie_secure=True)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        for path in ("/", "/api/me"):
            assert client.get(path).headers["strict-transport-security"] == "max-age=31536000"
        response = client.post(
            "/api/auth/signup",
            json={"handle": "alice", "email": "a@example.com", "password": "longenough", "birthdate": "1990-01-01"},
        )
        cookies = response.headers.get_list("set-cookie")
        assert cookies and all("secure" in c.lower() and "samesite=lax" in c.lower() for c in cookies)
        assert any("httponly" in c.lower() for c in cookies if c.startswith("figment_session="))


@pytest.fixture
def s3_client(tmp_path: Path, sqlite_url: str, s3_endpoint: str, s3_bucket: str) -> Iterator[TestClient]:
    settings = make_settings(
        tmp_path / "data",
        sqlite_url,
        storage="s3",
        s3_endpoint=s3_endpoint,
        s3_bucket=s3_bucket,
        s3_access_key="test",
        s3_secret_key="test",
    )
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client


def test_s3_media_redirects_land_on_an_origin_the_page_allows(s3_client: TestClient) -> None:
    api = Api(s3_client)
    api.signup("alice")
    video = api.ready_clip("alice", publish=True)
    policy = _directives(s3_client.get("/").headers["content-security-policy"])
    for url, directive in ((video["urls"]["video"], "media-src"), (video["urls"]["poster"], "img-src")):
        response = s3_client.get(url, follow_redirects=False)
        assert response.status_code == 307
        _common(response)
        target = urlsplit(response.headers["location"])
        assert f"{target.scheme}://{target.netloc}" in policy[directive], (directive, policy[directive])


def test_media_origin_on_aws_is_the_regional_endpoint() -> None:
    settings = Settings(storage="s3", s3_bucket="clips", s3_region="eu-south-1", secret_key="x")
    assert media_origins(settings) == ("https://s3.eu-south-1.amazonaws.com",)
    assert media_origins(Settings(secret_key="x")) == ()


def test_no_inline_script_or_event_handler_in_the_shell_or_modules() -> None:
    template = (WEB_DIR / "templates" / "app.html").read_text()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", template) == ['<script type="importmap">']
    assert not re.search(r"\son[a-z]+\s*=", template)
    assert not re.search(r"\sstyle\s*=", template)
    for module in STATIC_DIR.glob("*.js"):
        source = module.read_text()
        # Markup built from strings would need 'unsafe-inline' for handlers or style attributes.
        assert not re.search(r"""\son[a-z]+=["']""", source), module.name
        assert not re.search(r"""setAttribute\(\s*['"](style|on[a-z]+)['"]""", source), module.name
        assert "eval(" not in source and "new Function(" not in source, module.name

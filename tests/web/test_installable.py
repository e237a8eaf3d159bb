"""The installable app: the web app manifest, its icons and the service worker's script and policy."""

from __future__ import annotations

import io
import json
import re

from fastapi.testclient import TestClient
from PIL import Image

from figment.web.routes import STATIC_DIR, shell_urls
from figment.web.security import SERVICE_WORKER_POLICY


def test_the_manifest_describes_an_installable_app(client: TestClient) -> None:
    page = client.get("/").text
    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == manifest["short_name"] == "Figment"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/" and manifest["display"] == "standalone"
    assert re.fullmatch(r"#[0-9a-f]{6}", manifest["theme_color"]) and manifest["background_color"]
    sizes = set()
    for icon in manifest["icons"]:
        image = client.get(icon["src"])
        assert image.status_code == 200 and image.headers["content-type"] == "image/png", icon
        with Image.open(io.BytesIO(image.content)) as png:
            assert png.format == "PNG" and f"{png.width}x{png.height}" == icon["sizes"], icon
        sizes.add((icon["sizes"], icon["purpose"]))
    # Chrome installs with a 192 and a 512 icon; Android crops the maskable one.
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    assert client.get("/manifest.webmanifest?lang=it").json()["lang"] == "it"


def test_the_service_worker_is_served_from_the_root_with_its_own_policy(client: TestClient) -> None:
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache"
    assert response.headers["content-security-policy"] == SERVICE_WORKER_POLICY
    source = response.text
    assert "__RELEASE__" not in source and "__SHELL__" not in source
    shell = json.loads(re.search(r"const SHELL = (\[.*?\]);", source).group(1))  # type: ignore[union-attr]
    assert shell == shell_urls()
    for url in shell:
        assert url.startswith("/static/") and "?v=" in url
        assert client.get(url).status_code == 200, url
    assert {f"/static/{path.name}" for path in STATIC_DIR.glob("*.js")} <= {u.split("?")[0] for u in shell}
    # Nothing private is ever kept: API answers and media pass by.
    assert "url.pathname.startsWith('/api/')) return;" in source

"""An unknown address: the app's own "page not found" for pages, the JSON error for the API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from support import assert_error


def test_an_unknown_page_is_the_apps_own_not_found_page(client: TestClient) -> None:
    for path in ("/nowhere", "/v/abc/extra", "/settings/deep/path", "/@"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html")
        assert '<script type="module" src="/static/app.js' in response.text  # the client shows the page
        assert "<title>Page not found · Figment</title>" in response.text
        # The page's policy, not the JSON's: the shell must be able to run.
        assert "script-src 'self'" in response.headers["content-security-policy"]
    italian = client.get("/nowhere", headers={"Accept-Language": "it-IT,it;q=0.9"})
    assert italian.status_code == 404 and '<html lang="it">' in italian.text
    assert "<title>Pagina non trovata · Figment</title>" in italian.text


def test_unknown_api_paths_and_files_stay_plain_404s(client: TestClient) -> None:
    for path in ("/api/nowhere", "/api", "/api/videos/x/nothing"):
        assert_error(client.get(path), 404, "not_found")
    missing = client.get("/static/nothing.js")
    assert missing.status_code == 404 and not missing.headers["content-type"].startswith("text/html")
    # Only GET and HEAD get the page; other methods on an unknown path keep the JSON answer.
    assert client.post("/nowhere").headers["content-type"].startswith("application/json")

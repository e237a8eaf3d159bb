"""Downloading a clip to post elsewhere: `?download=1` on the clip route is the same watermarked,
C2PA-signed file with `Content-Disposition: attachment`, under the same access rules as playing it."""

from __future__ import annotations

from support import Api


def test_a_published_clip_downloads_as_an_attachment_for_anyone(api: Api) -> None:
    api.signup("maker")
    clip = api.ready_clip("maker", "a lighthouse in a storm", publish=True)
    played = api.client.get(f"/api/videos/{clip['id']}/clip.mp4")
    response = api.client.get(f"/api/videos/{clip['id']}/clip.mp4?download=1")
    assert response.status_code == 200
    assert response.headers["content-type"] == "video/mp4"
    assert response.headers["content-disposition"] == f'attachment; filename="figment-maker-{clip["id"]}.mp4"'
    assert response.content == played.content  # the very file that plays: watermark and credentials
    assert b"c2pa" in response.content
    assert "content-disposition" not in played.headers


def test_a_draft_downloads_only_for_its_author(api: Api) -> None:
    api.signup("maker")
    api.signup("other")
    draft = api.ready_clip("maker", "a private draft of a lighthouse")
    url = f"/api/videos/{draft['id']}/clip.mp4?download=1"
    own = api.client.get(url, headers=api.auth("maker"))
    assert own.status_code == 200 and own.headers["content-disposition"].startswith("attachment;")
    assert own.headers["cache-control"] == "private, no-store"
    assert api.client.get(url, headers=api.auth("other")).status_code == 404
    assert api.client.get(url).status_code == 404

"""Frame screening: reference images against rendered frames (perceptual hash + ORB features)."""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image
from rights_helpers import Rights
from sqlalchemy import select, update

from figment.rights.frames import analyse, match_frames, reference
from figment.videos.models import Video
from support import Api, assert_error


def _artwork(seed: int, size: int = 240) -> np.ndarray:
    """A made-up character sheet: shapes and texture with plenty of corners for ORB."""
    rng = np.random.default_rng(seed)
    image = np.full((size, size, 3), 235, np.uint8)
    for _ in range(40):
        colour = tuple(int(c) for c in rng.integers(0, 255, 3))
        x, y = (int(v) for v in rng.integers(0, size, 2))
        if rng.random() < 0.5:
            cv2.rectangle(image, (x, y), (x + int(rng.integers(8, 50)), y + int(rng.integers(8, 50))), colour, -1)
        else:
            cv2.circle(image, (x, y), int(rng.integers(5, 30)), colour, -1)
    return image


def _ref(image: np.ndarray, work_id: str = "w") -> list:
    analysed = analyse(image)
    return [reference(work_id, "i", analysed.phash, analysed.descriptors)]


def test_reference_found_rescaled_and_placed_in_a_larger_frame() -> None:
    art = _artwork(1)
    frame = np.full((512, 288, 3), 30, np.uint8)
    frame[150:330, 40:220] = cv2.resize(art, (180, 180))
    found = match_frames([np.zeros_like(frame), frame], _ref(art))
    assert found is not None and found.work_id == "w" and "frame 2" in found.rule
    # Exactly the picture, recompressed: the perceptual hash alone catches it.
    as_jpeg = np.asarray(Image.open(io.BytesIO(cv2.imencode(".jpg", art)[1].tobytes())))
    assert "perceptual hash" in match_frames([as_jpeg], _ref(art)).rule  # type: ignore[union-attr]


def test_unrelated_frames_pass() -> None:
    frame = np.full((512, 288, 3), 30, np.uint8)
    frame[150:330, 40:220] = cv2.resize(_artwork(2), (180, 180))
    assert match_frames([frame, _artwork(3)], _ref(_artwork(1))) is None
    assert match_frames([frame], []) is None


def test_a_rendered_frame_matching_a_reference_blocks_the_clip(api: Api, rights: Rights) -> None:
    studio = rights.holder("studio", "Still Life Inc")
    work = rights.work(studio, "Midnight Car")
    api.signup("alice")
    first = api.ready_clip("alice", "a red car in the city at night")
    poster = api.client.get(first["urls"]["poster"], headers=api.auth("alice")).content
    uploaded = api.client.post(
        f"/api/rights/works/{work['id']}/images", files={"file": ("ref.jpg", poster, "image/jpeg")}, headers=studio
    )
    assert uploaded.status_code == 201, uploaded.text
    # The same picture again (same prompt and seed): nothing in the prompt names the work, the frames do.
    services = rights.services
    services.workers.stop()
    second = api.submit("alice", "a red car in the city at night")
    with services.session_factory() as session, session.begin():
        seed = session.scalars(select(Video.seed).where(Video.id == first["id"])).one()
        session.execute(update(Video).where(Video.id == second["id"]).values(seed=seed))
    assert services.workers.run_once("w")
    video = api.wait("alice", second["id"])
    assert video["status"] == "blocked" and "Midnight Car" in video["error"], video
    stats = api.client.get(f"/api/rights/works/{work['id']}/stats", headers=studio).json()
    assert stats["refusals"]["by_stage"] == {"frames": 1}
    other = api.submit("alice", "green hills with sheep under a blue sky")["id"]
    assert services.workers.run_once("w")
    assert api.wait("alice", other)["status"] == "ready"
    # Reference images are never served publicly: there is no route, and the work lists only their sizes.
    listed = api.client.get("/api/rights/works", headers=studio).json()["items"][0]
    assert listed["images"][0]["width"] > 0 and "key" not in listed["images"][0]


def test_bad_reference_uploads(api: Api, rights: Rights) -> None:
    studio = rights.holder("studio", "Still Life Inc")
    work = rights.work(studio, "Midnight Car")
    url = f"/api/rights/works/{work['id']}/images"
    error = assert_error(
        api.client.post(url, files={"file": ("x.png", b"not an image", "image/png")}, headers=studio),
        422,
        "validation_error",
    )
    assert error["details"]["field"] == "file"
    assert_error(api.client.post(url, files={"file": ("x.png", b"", "image/png")}, headers=studio), 422,
                 "validation_error")  # fmt: skip
    assert_error(api.client.post(url, headers=studio), 422, "validation_error")
    api.signup("bob")
    png = io.BytesIO()
    Image.fromarray(_artwork(1)).save(png, format="PNG")
    assert_error(
        api.client.post(url, files={"file": ("x.png", png.getvalue(), "image/png")}, headers=api.auth("bob")),
        403,
        "forbidden",
    )


def test_deleting_a_holder_account_purges_works_and_reference_images(api: Api, rights: Rights) -> None:
    studio = rights.holder("studio", "Still Life Inc")
    work = rights.work(studio, "Midnight Car")
    png = io.BytesIO()
    Image.fromarray(_artwork(2)).save(png, format="PNG")
    url = f"/api/rights/works/{work['id']}/images"
    assert (
        api.client.post(url, files={"file": ("a.png", png.getvalue(), "image/png")}, headers=studio).status_code == 201
    )
    media = rights.services.settings.media_dir
    assert [p for p in media.rglob("*") if p.is_file()]
    api.signup("alice")
    assert api.client.post("/api/videos", json={"prompt": "midnight car"}, headers=api.auth("alice")).status_code == 422

    assert api.client.delete("/api/me", headers=studio).status_code == 204
    api.settle()  # the reference images go in a purge job
    assert not [p for p in media.rglob("*") if p.is_file()]
    # The work left the screening index with its holder.
    assert api.client.post("/api/videos", json={"prompt": "midnight car"}, headers=api.auth("alice")).status_code == 202

"""Helpers for likeness tests that are about consent, not about liveness.

`verify_directly` gives an account a verified likeness without a recording, writing exactly what a
passed verification keeps (a reference crop, its embedding, the cutout), so permission tests stay
fast; the real verification path has its own end-to-end tests (tests/likeness).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from figment.accounts.models import User
from figment.db import make_engine, make_session_factory, session_scope, utcnow
from figment.likeness.models import FaceReference
from figment.likeness.service import ensure_own_likeness
from figment.likeness.uses import cutout_key
from figment.services import Services
from figment.storage.base import BlobStore
from figment.storage.local import LocalBlobStore
from support import Api, LiveServer, make_settings, run_live_server


def services_of(api: Api) -> Services:
    services: Services = api.client.app.state.services  # type: ignore[attr-defined]
    return services


def drawn_face(size: int = 64, seed: int = 0) -> np.ndarray:
    """An RGBA cartoon face: an opaque skin ellipse with eyes and a mouth, transparent around it."""
    rng = np.random.default_rng(seed)
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    skin = tuple(int(v) for v in rng.integers(150, 230, 3)) + (255,)
    draw.ellipse((4, 2, size - 4, size - 2), fill=skin)
    for x in (0.35, 0.65):
        draw.ellipse((size * x - 4, size * 0.38 - 4, size * x + 4, size * 0.38 + 4), fill=(40, 30, 30, 255))
    draw.rectangle((size * 0.38, size * 0.7, size * 0.62, size * 0.75), fill=(150, 40, 40, 255))
    return np.asarray(image)


def png(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()


def verify_directly(api: Api, handle: str, *, embedding: np.ndarray | None = None, **settings: Any) -> str:
    """Give `handle` a verified likeness; returns the likeness id."""
    services = services_of(api)
    return verify_in(services.session_factory, services.storage, handle, embedding=embedding, **settings)


def verify_on_live_server(server: LiveServer, handle: str, **settings: Any) -> str:
    """`verify_directly` for a live server (browser tests): its own engine on the same database and media."""
    engine = make_engine(server.settings.resolved_database_url)
    try:
        return verify_in(make_session_factory(engine), LocalBlobStore(server.settings.media_dir), handle, **settings)
    finally:
        engine.dispose()


def verify_in(
    session_factory: sessionmaker[Session],
    storage: BlobStore,
    handle: str,
    *,
    embedding: np.ndarray | None = None,
    **settings: Any,
) -> str:
    """What a passed verification keeps, written directly; returns the likeness id."""
    vector = embedding if embedding is not None else np.random.default_rng(len(handle)).normal(0, 0.1, 128)
    with session_scope(session_factory) as session:
        user = session.scalars(select(User).where(User.handle == handle)).one()
        likeness = ensure_own_likeness(session=session, owner=user)
        likeness.verified_at = utcnow()
        for key, value in settings.items():
            setattr(likeness, key, value)
        crop_key = f"likeness/{likeness.id}/crop-test.png"
        storage.put_bytes(crop_key, png(drawn_face()[..., :3].copy()), content_type="image/png")
        storage.put_bytes(cutout_key(likeness.id), png(drawn_face()), content_type="image/png")
        session.add(
            FaceReference(likeness_id=likeness.id, crop_key=crop_key, embedding=np.asarray(vector, "<f4").tobytes())
        )
        return likeness.id


def notifications(api: Api, handle: str, kind: str) -> list[dict[str, Any]]:
    items = api.client.get("/api/notifications", headers=api.auth(handle)).json()["items"]
    return [n for n in items if n["kind"] == kind]


def run_likeness_server(tmp_path: Path, sqlite_url: str) -> Iterator[LiveServer]:
    """A live server for the likeness browser tests: no face check on rendered frames (the tests render
    tiny clips). The embedder is the run's one (conftest), which moderation and the feed load anyway."""
    yield from run_live_server(make_settings(tmp_path / "data", sqlite_url, likeness_output_check=False))

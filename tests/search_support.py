"""Published clips made directly as rows (what submit + render + publish leave behind: the Video row,
its prompt embedding and its tags), so search tests can hold many clips without rendering each one.
One test per feature still goes through the real pipeline (tests/search/test_search_api.py)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from figment.accounts.models import User
from figment.db import new_id, session_scope, utcnow
from figment.services import Services
from figment.tags import service as tags
from figment.videos.models import Video, VideoStatus, Visibility


def services_of(client: TestClient) -> Services:
    services: Services = client.app.state.services  # type: ignore[attr-defined]
    return services


def make_clip(
    client: TestClient,
    handle: str,
    prompt: str,
    *,
    visibility: str = Visibility.published,
    status: str = VideoStatus.ready,
    likes: int = 0,
    age: timedelta = timedelta(minutes=1),
) -> str:
    services = services_of(client)
    with session_scope(services.session_factory) as session:
        author = session.query(User).filter_by(handle=handle).one()
        made = utcnow() - age
        video = Video(
            id=new_id(),
            author_id=author.id,
            prompt=prompt,
            duration_s=1.0,
            seed=1,
            width=144,
            height=256,
            status=status,
            visibility=visibility,
            progress=100,
            like_count=likes,
            created_at=made,
            published_at=made if visibility != Visibility.draft else None,
        )
        session.add(video)
        session.flush()
        tags.record_for_clip(session=session, video=video)
        services.recommender.store_embedding(session=session, video=video)
        video_id = video.id
    services.recommender.published()  # as after a publish: the similar-clips index reads it at next use
    return video_id

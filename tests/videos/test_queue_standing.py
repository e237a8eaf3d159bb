"""A pending clip's place in its queue and its estimate (issue 13: the author sees both while waiting)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select, update

from figment.app import create_app
from figment.db import session_scope, utcnow
from figment.jobs import service as jobs
from figment.jobs.models import Job, JobState
from figment.services import Services
from figment.videos.models import Video, VideoStatus
from figment.videos.standing import DEFAULT_RENDER_S_PER_CLIP_S, standings
from support import Api, make_settings

PACE = DEFAULT_RENDER_S_PER_CLIP_S["procedural"]


@pytest.fixture
def api(tmp_path: Path, database_url: str) -> Iterator[Api]:
    # No workers: the clips stay queued until a test moves them.
    app = create_app(make_settings(tmp_path / "data", database_url, workers=0))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client)


def _services(api: Api) -> Services:
    services: Services = api.client.app.state.services  # type: ignore[attr-defined]
    return services


def _clip(api: Api, video_id: str) -> dict[str, Any]:
    response = api.client.get(f"/api/videos/{video_id}", headers=api.auth("alice"))
    assert response.status_code == 200, response.text
    return dict(response.json())


def _two_queued(api: Api) -> tuple[str, str]:
    api.signup("alice")
    first = api.submit("alice", "a red car in the city", duration_s=10)["id"]
    second = api.submit("alice", "a cat on a sofa", duration_s=10)["id"]
    return first, second


def test_queued_clips_are_numbered_in_claim_order_with_an_estimate(api: Api) -> None:
    first, second = _two_queued(api)
    assert (_clip(api, first)["queue_position"], _clip(api, first)["eta_s"]) == (1, round(PACE * 10))
    # One clip ahead, no worker seen yet (counted as one): its render, then this one's.
    assert (_clip(api, second)["queue_position"], _clip(api, second)["eta_s"]) == (2, round(PACE * 20))
    drafts = api.client.get("/api/me/drafts", headers=api.auth("alice")).json()["items"]
    assert {v["id"]: v["queue_position"] for v in drafts} == {first: 1, second: 2}
    # Position 1 is the job a worker really takes next.
    with session_scope(_services(api).session_factory) as session:
        claimed = jobs.claim(session=session, worker_id="w1", lease_s=30)
        assert claimed is not None and claimed.video_id == first


def test_a_higher_priority_job_goes_ahead_of_an_older_one(api: Api) -> None:
    first, second = _two_queued(api)
    with session_scope(_services(api).session_factory) as session:
        session.execute(update(Job).where(Job.video_id == second).values(priority=Job.priority + 1))
    assert _clip(api, second)["queue_position"] == 1
    assert _clip(api, first)["queue_position"] == 2
    with session_scope(_services(api).session_factory) as session:
        claimed = jobs.claim(session=session, worker_id="w1", lease_s=30)
        assert claimed is not None and claimed.video_id == second


def test_a_rendering_clip_has_no_place_and_an_estimate_from_its_progress(api: Api) -> None:
    first, second = _two_queued(api)
    with session_scope(_services(api).session_factory) as session:
        claimed = jobs.claim(session=session, worker_id="w1", lease_s=30)
        assert claimed is not None and claimed.started_at is not None
        session.execute(update(Video).where(Video.id == first).values(status=VideoStatus.rendering, progress=40))
    rendering = _clip(api, first)
    assert rendering["queue_position"] is None
    assert rendering["eta_s"] == round(PACE * 10 * 0.6)
    # The clip behind it is now first in line; the job running shows one worker serves the queue.
    assert (_clip(api, second)["queue_position"], _clip(api, second)["eta_s"]) == (1, round(PACE * 10))


def test_estimates_follow_the_backends_recent_renders(api: Api) -> None:
    first, second = _two_queued(api)
    with session_scope(_services(api).session_factory) as session:
        # The first clip took 30 s for 10 s of video: 3 s per second, not the default.
        now = utcnow()
        session.execute(
            update(Job)
            .where(Job.video_id == first)
            .values(state=JobState.done, started_at=now - timedelta(seconds=30), updated_at=now)
        )
        session.execute(update(Video).where(Video.id == first).values(status=VideoStatus.ready, progress=100))
    done = _clip(api, first)
    assert (done["queue_position"], done["eta_s"]) == (None, None)
    assert (_clip(api, second)["queue_position"], _clip(api, second)["eta_s"]) == (1, 30)
    # A refused clip (done with an error code) stopped early: its length is not a render time.
    with session_scope(_services(api).session_factory) as session:
        session.execute(update(Job).where(Job.video_id == first).values(last_error="output_blocked"))
    assert _clip(api, second)["eta_s"] == round(PACE * 10)


def test_the_openapi_document_states_the_fields_limits(api: Api) -> None:
    schema = api.client.get("/openapi.json").json()["components"]["schemas"]["VideoOut"]["properties"]
    assert {"type": "integer", "minimum": 1} in schema["queue_position"]["anyOf"]
    assert {"type": "integer", "minimum": 0} in schema["eta_s"]["anyOf"]


def test_the_place_is_one_count_query(api: Api) -> None:
    first, second = _two_queued(api)
    with session_scope(_services(api).session_factory) as session:
        video = session.scalars(select(Video).where(Video.id == second)).one()
        statements: list[str] = []
        engine = session.get_bind()

        def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            statements.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            assert standings(session=session, videos=[video])[second].queue_position == 2
        finally:
            event.remove(engine, "before_cursor_execute", record)
    # The job row, the model's history, and one COUNT over the queue.
    assert len(statements) == 3
    assert sum("count(" in s.lower() for s in statements) == 1

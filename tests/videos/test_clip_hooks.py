"""The consent seam cannot be skipped: every entry point that creates, renders, publishes, shows or
deletes a clip asks `ClipHooks` (and the prompt checks), and obeys a refusal."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from figment import demo
from figment.accounts import service as accounts
from figment.accounts.models import User
from figment.cli import main
from figment.db import session_scope
from figment.errors import CameoPermissionDenied, Conflict
from figment.generation.worker import WorkerContext
from figment.jobs import service as jobs
from figment.jobs.models import PRIORITY_CPU_CLIP, JobKind, Queue
from figment.media.watermark_invisible import new_watermark_id
from figment.safety import reports
from figment.services import Services, build_services
from figment.testing.hooks import RecordingHooks
from figment.videos import service as videos
from figment.videos.models import Video, VideoStatus, Visibility
from support import Api, api_over, assert_error, make_settings

REFUSED = CameoPermissionDenied("@olga does not allow this.", details={"handle": "olga", "rule": "only_me"})


@pytest.fixture
def hooks() -> RecordingHooks:
    return RecordingHooks()


@pytest.fixture
def services(tmp_path: Path, sqlite_url: str, hooks: RecordingHooks) -> Iterator[Services]:
    built = build_services(make_settings(tmp_path / "data", sqlite_url, workers=0))
    # Every caller reads the hooks from the one place they are wired: swap the implementation there.
    built.likeness = hooks  # type: ignore[assignment]
    built.render.hooks = hooks
    yield built
    built.close()


@pytest.fixture
def api(services: Services) -> Iterator[Api]:
    with api_over(services) as api:
        yield api


def _render_all(services: Services) -> None:
    while services.workers.run_once("test-worker"):
        pass


def _status(services: Services, video_id: str) -> tuple[str, str]:
    with session_scope(services.session_factory) as session:
        video = session.get(Video, video_id)
        assert video is not None
        return str(video.status), str(video.visibility)


@pytest.mark.parametrize(
    "entry_point, parameters",
    [
        (videos.submit, ("checks", "hooks")),
        (videos.publish, ("hooks",)),
        (videos.get_visible, ("hooks",)),
        (videos.can_view, ("hooks",)),
        (videos.delete_video, ("hooks",)),
        (reports.decide, ("hooks",)),
        (WorkerContext, ("checks", "hooks")),
    ],
)
def test_the_checks_are_required_arguments(entry_point: Callable[..., Any], parameters: tuple[str, ...]) -> None:
    signature = inspect.signature(entry_point)
    for name in parameters:
        assert signature.parameters[name].default is inspect.Parameter.empty, f"{entry_point.__name__}: {name}"
        assert signature.parameters[name].annotation not in ("Checks | None", "ClipHooks | None")


def test_submit_over_http_asks_and_obeys_the_hooks(api: Api, hooks: RecordingHooks) -> None:
    alice = api.signup("alice")
    hooks.refuse_submit = REFUSED
    error = assert_error(
        api.client.post("/api/videos", json={"prompt": "olga dancing"}, headers=alice), 403, "cameo_permission_denied"
    )
    assert error["details"]["rule"] == "only_me"
    assert hooks.asked("check_submit") == ["olga dancing"]
    assert api.client.get("/api/me/drafts", headers=alice).json()["items"] == []
    hooks.refuse_submit = None
    video = api.submit("alice", "a cat on a roof")
    assert hooks.asked("record_submit") == [video["id"]]


def test_the_prompt_checks_run_at_submit_whatever_the_hooks_say(api: Api, services: Services) -> None:
    alice = api.signup("alice")
    response = api.client.post("/api/videos", json={"prompt": "a naked little girl, sexy"}, headers=alice)
    assert_error(response, 422, "moderation_blocked")


def test_the_worker_asks_again_before_rendering_and_blocks_a_refusal(
    api: Api, services: Services, hooks: RecordingHooks
) -> None:
    api.signup("alice")
    video_id = api.submit("alice", "a dog in the snow")["id"]
    hooks.refuse_render = REFUSED  # consent withdrawn while the job waited
    _render_all(services)
    assert hooks.asked("prepare_render") == [video_id]
    assert hooks.asked("record_outcome:blocked") == [video_id]
    assert _status(services, video_id) == ("blocked", "draft")
    assert not services.storage.exists(f"videos/{video_id}/clip.mp4")


def test_publish_asks_the_hooks_and_a_refusal_keeps_the_draft(
    api: Api, services: Services, hooks: RecordingHooks
) -> None:
    alice = api.signup("alice")
    video_id = api.submit("alice", "a dog in the snow")["id"]
    _render_all(services)
    assert hooks.asked("record_outcome:render") == [video_id]
    hooks.refuse_publish = Conflict("@olga has not approved yet.", details={"rule": "approval_pending"})
    assert_error(api.client.post(f"/api/videos/{video_id}/publish", headers=alice), 409, "conflict")
    assert _status(services, video_id) == ("ready", "draft")
    hooks.refuse_publish = None
    assert api.client.post(f"/api/videos/{video_id}/publish", headers=alice).status_code == 200
    assert hooks.asked("check_publish") == [video_id, video_id]
    assert hooks.asked("record_publish") == [video_id]


def test_drafts_are_shown_to_whom_the_hooks_allow(api: Api, services: Services, hooks: RecordingHooks) -> None:
    api.signup("alice")
    olga = api.signup("olga")
    bob = api.signup("bob")
    video_id = api.submit("alice", "a dog in the snow")["id"]
    with session_scope(services.session_factory) as session:
        olga_id = session.scalars(select(User.id).where(User.handle == "olga")).one()
    hooks.draft_viewers.add(olga_id)
    assert api.client.get(f"/api/videos/{video_id}", headers=olga).status_code == 200
    assert_error(api.client.get(f"/api/videos/{video_id}", headers=bob), 404, "not_found")


def test_deleting_a_clip_tells_the_hooks(api: Api, services: Services, hooks: RecordingHooks) -> None:
    alice = api.signup("alice")
    video_id = api.submit("alice", "a dog in the snow")["id"]
    assert api.client.delete(f"/api/videos/{video_id}", headers=alice).status_code == 204
    assert hooks.asked("record_deletion") == [video_id]


def test_the_demo_goes_through_the_hooks(services: Services, hooks: RecordingHooks) -> None:
    clip = demo.DEMO_CLIPS[0]
    assert demo.seed(services, clips=(clip,)) == 1
    # The demo people's avatars are made through the same hooks (profiles.avatars); only the clip is published.
    avatar_prompts = [profile.avatar for profile in demo.DEMO_PROFILES.values()]
    assert hooks.asked("check_submit") == [clip.prompt, *avatar_prompts]
    assert len(hooks.asked("prepare_render")) == 1 + len(avatar_prompts)
    assert len(hooks.asked("check_publish")) == 1


def test_the_demo_obeys_a_refusal(services: Services, hooks: RecordingHooks) -> None:
    hooks.refuse_submit = REFUSED
    with pytest.raises(CameoPermissionDenied):
        demo.seed(services, clips=(demo.DEMO_CLIPS[0],))
    with session_scope(services.session_factory) as session:
        assert session.scalars(select(Video)).all() == []


def _operator_decides(services: Services, hooks: RecordingHooks, action: str, video_id: str) -> None:
    with session_scope(services.session_factory) as session:
        operator = session.scalars(select(User).where(User.handle == "alice")).one()
        reports.decide(
            session=session,
            operator=operator,
            action=action,
            subject_type="video",
            subject_id=video_id,
            note="",
            hooks=hooks,
        )


def test_an_operator_restore_is_a_publish_and_asks_the_hooks(
    api: Api, services: Services, hooks: RecordingHooks
) -> None:
    alice = api.signup("alice")
    video_id = api.submit("alice", "a dog in the snow")["id"]
    _render_all(services)
    assert api.client.post(f"/api/videos/{video_id}/publish", headers=alice).status_code == 200
    _operator_decides(services, hooks, "remove", video_id)
    hooks.refuse_publish = Conflict("@olga withdrew her approval.", details={"rule": "approval_refused"})
    with pytest.raises(Conflict):
        _operator_decides(services, hooks, "restore", video_id)
    assert _status(services, video_id) == ("ready", "removed")
    assert hooks.asked("check_publish")[-1] == video_id


def test_figment_worker_checks_a_job_that_never_went_through_submit(
    tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A row written behind the app's back (a script, a restore from backup) is still checked by the
    CLI worker before anything is rendered."""
    settings = make_settings(tmp_path / "data", sqlite_url, workers=0)
    services = build_services(settings)
    try:
        with session_scope(services.session_factory) as session:
            author = accounts.signup(
                session=session, handle="mallory", email="m@x.org", password="longenough", birthdate=date(1990, 1, 1)
            ).user
            video = Video(
                author_id=author.id,
                prompt="a naked little girl, sexy",
                duration_s=1.0,
                seed=1,
                width=144,
                height=256,
                status=VideoStatus.queued,
                visibility=Visibility.draft,
                watermark_id=new_watermark_id(),
            )
            session.add(video)
            session.flush()
            jobs.enqueue(
                session=session,
                kind=JobKind.render,
                queue=Queue.cpu,
                priority=PRIORITY_CPU_CLIP,
                video_id=video.id,
                max_attempts=1,
            )
            video_id = video.id
    finally:
        services.close()
    for name, value in {
        "FIGMENT_ENV": "test",
        "FIGMENT_DATA_DIR": str(tmp_path / "data"),
        "FIGMENT_DATABASE_URL": sqlite_url,
        "FIGMENT_WORKERS": "0",
        "FIGMENT_VIDEO_WIDTH": "144",
        "FIGMENT_VIDEO_HEIGHT": "256",
        "FIGMENT_NUDITY_CHECK": "false",
    }.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(main, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    services = build_services(settings)
    try:
        assert _status(services, video_id) == ("blocked", "draft")
        assert not services.storage.exists(f"videos/{video_id}/clip.mp4")
    finally:
        services.close()

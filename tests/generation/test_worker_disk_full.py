"""A disk that fills while a clip is encoded or stored: the try fails with a readable reason naming the
stage, is retried per the job rules, and leaves no partial file (in the render temp folder or in media)
and no row pointing at missing media.

The disks are real: size-capped tmpfs mounts (support.capped_filesystem, skipped without root) under the
render temp folder (FIGMENT_TMP_DIR) and the media folder, filled to a few KB before the render. The
database stays on the ordinary disk (DEPLOY.md: keep it on a volume with room of its own).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from figment.accounts import service as accounts
from figment.db import session_scope
from figment.generation.worker import media_keys
from figment.jobs.models import Job, JobState
from figment.notifications.models import Notification
from figment.services import Services, build_services
from figment.testing.backends import FakeBackend
from figment.videos import service as videos
from figment.videos.models import Video, VideoStatus
from support import capped_filesystem, files_under, fill_disk, make_settings

DISK_BYTES = 1 << 20


@pytest.fixture
def services(tmp_path: Path, sqlite_url: str) -> Iterator[Services]:
    data = tmp_path / "data"
    with (
        capped_filesystem(tmp_path / "render-tmp", DISK_BYTES),
        capped_filesystem(data / "media", DISK_BYTES),
    ):
        built = build_services(
            make_settings(data, sqlite_url, workers=0, tmp_dir=tmp_path / "render-tmp", job_max_attempts=2)
        )
        built.render.backend = FakeBackend()
        yield built
        built.close()


def _submit(services: Services, handle: str = "alice") -> str:
    with session_scope(services.session_factory) as session:
        user = accounts.signup(
            session=session, handle=handle, email=f"{handle}@x.org", password="longenough", birthdate=date(1990, 1, 1)
        ).user
        return videos.submit(
            session=session,
            author=user,
            prompt="a cat on a roof",
            duration_s=1,
            remix_of=None,
            limits=videos.SubmitLimits(width=144, height=256, max_attempts=2),
            checks=services.checks,
            hooks=services.likeness,
        ).id


def _state(services: Services, video_id: str) -> tuple[Job, Video]:
    with session_scope(services.session_factory) as session:
        job = session.scalars(select(Job).where(Job.video_id == video_id)).one()
        video = session.get(Video, video_id)
        assert video is not None
        return job, video


def test_a_full_temp_disk_fails_the_encode_and_the_retry_works_once_there_is_room(services: Services) -> None:
    tmp = services.settings.render_tmp_dir
    filler = fill_disk(tmp, leave_bytes=4096)
    video_id = _submit(services)

    assert services.workers.run_once("w1")
    job, video = _state(services, video_id)
    reason = "The server ran out of disk space while encoding the clip."
    assert (job.state, job.attempts, job.last_error) == (JobState.queued, 1, reason)
    assert (video.status, video.video_key, video.poster_key) == (VideoStatus.queued, None, None)
    assert files_under(tmp) == ["filler"]  # no half-written clip, poster or temp folder
    assert files_under(services.settings.media_dir) == []

    filler.unlink()
    assert services.workers.run_once("w1")
    job, video = _state(services, video_id)
    assert (job.state, video.status) == (JobState.done, VideoStatus.ready)
    assert video.video_key and services.storage.exists(video.video_key)
    assert video.poster_key and services.storage.exists(video.poster_key)
    assert files_under(tmp) == []


# The signed poster (~43 KB, stored first) and clip (~22 KB): room for neither, or for the poster only.
@pytest.mark.parametrize("room", [4096, 56 * 1024], ids=["nothing-fits", "the-poster-fits"])
def test_a_full_media_disk_fails_the_store_and_the_last_try_fails_the_clip(services: Services, room: int) -> None:
    media = services.settings.media_dir
    fill_disk(media, leave_bytes=room)
    video_id = _submit(services)

    assert services.workers.run_once("w1")
    job, video = _state(services, video_id)
    reason = "The server ran out of disk space while storing the clip."
    assert (job.state, job.last_error, video.status) == (JobState.queued, reason, VideoStatus.queued)
    assert files_under(media) == ["filler"]  # the store's temp file went; the poster stored before, too

    assert services.workers.run_once("w1")
    assert not services.workers.run_once("w1")  # two tries were all it had
    job, video = _state(services, video_id)
    assert (job.state, job.attempts, job.last_error) == (JobState.failed, 2, reason)
    assert (video.status, video.error, video.video_key, video.poster_key) == (VideoStatus.failed, reason, None, None)
    with session_scope(services.session_factory) as session:
        assert [n.kind for n in session.scalars(select(Notification))] == ["video_failed"]
    assert files_under(media) == ["filler"]
    assert not any(services.storage.exists(key) for key in media_keys(video_id))
    assert files_under(services.settings.render_tmp_dir) == []

"""The ltx2 and wan backends on tiny random-weight models of their real architectures (CPU, no download):
the whole pipeline (submit -> worker -> marks -> C2PA -> ready, 720x1280 with sound), the model's step
progress on the draft, cancellation between two steps, out-of-GPU-memory and its retry, likeness
conditioning, and the output face check on what the model drew.

The tiny pipelines are built once per process (the backends keep their model warm) and shared here.
"""

from __future__ import annotations

import dataclasses
import io
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select

if os.environ.get("FIGMENT_REQUIRE_SERVICES") != "1":
    pytest.importorskip("diffusers", reason="the `models` extra is not installed")

import av
import torch
from skimage import data

from cameo_support import drawn_face, verify_in
from figment.accounts import service as accounts
from figment.db import session_scope
from figment.errors import ValidationFailed
from figment.generation.backends.diffusion.base import NativeClip
from figment.generation.backends.diffusion.ltx2 import Ltx2Backend
from figment.generation.backends.diffusion.runtime import ModelRun, StepReporter
from figment.generation.backends.diffusion.wan import WanBackend, first_frame
from figment.generation.types import GenerationRequest, LikenessRef
from figment.jobs import service as jobs
from figment.jobs.models import Job, JobState
from figment.services import Services, build_services
from figment.videos import service as videos
from figment.videos.models import Video, VideoStatus
from support import make_settings

PROMPT = 'a red fox running through snow says "good morning"'


@pytest.fixture(scope="module")
def ltx2() -> Ltx2Backend:
    return Ltx2Backend(ModelRun.for_tiny())


@pytest.fixture(scope="module")
def wan() -> WanBackend:
    # 9-frame passes: a 1 s clip already needs three, so the continuation runs on a short clip.
    return WanBackend(ModelRun.for_tiny(), segment_frames=9)


@pytest.fixture
def services(tmp_path: Path, sqlite_url: str) -> Iterator[Services]:
    built = build_services(
        make_settings(
            tmp_path / "data",
            sqlite_url,
            workers=0,
            video_width=720,
            video_height=1280,
            video_fps=12,
            job_max_attempts=2,
        )
    )
    yield built
    built.close()


def _user(services: Services, handle: str) -> None:
    with session_scope(services.session_factory) as session:
        accounts.signup(
            session=session, handle=handle, email=f"{handle}@x.org", password="longenough", birthdate=date(1990, 1, 1)
        )


def _submit(services: Services, handle: str, prompt: str = PROMPT) -> str:
    with session_scope(services.session_factory) as session:
        user = accounts.get_by_handle(session=session, handle=handle)
        return videos.submit(
            session=session,
            author=user,
            prompt=prompt,
            duration_s=1,
            remix_of=None,
            limits=videos.SubmitLimits(width=720, height=1280, max_attempts=2),
            checks=services.checks,
            hooks=services.likeness,
        ).id


def _video(services: Services, video_id: str) -> Video | None:
    with session_scope(services.session_factory) as session:
        video = session.get(Video, video_id)
        if video is not None:
            session.expunge(video)
        return video


def _job(services: Services, video_id: str) -> Job:
    with session_scope(services.session_factory) as session:
        job = session.scalars(select(Job).where(Job.video_id == video_id)).one()
        session.expunge(job)
        return job


def _stored(services: Services) -> list[Path]:
    return [p for p in services.settings.media_dir.rglob("*") if p.is_file() and "videos" in p.parts]


@pytest.mark.parametrize("name", ["ltx2", "wan"])
def test_a_clip_goes_through_the_whole_pipeline(services: Services, name: str, request: pytest.FixtureRequest) -> None:
    backend = request.getfixturevalue(name)
    seen: list[int] = []

    class Watched:
        """The backend, reading the draft's progress bar each time the model reports a step."""

        name, capabilities = backend.name, backend.capabilities

        def generate(self, request: GenerationRequest) -> Any:
            report = request.progress
            assert report is not None, "the worker listens to the model's steps"

            def progress(percent: int) -> None:
                report(percent)
                video = _video(services, video_id)
                assert video is not None
                seen.append(video.progress)

            return backend.generate(dataclasses.replace(request, progress=progress))

    services.render.backend = Watched()
    _user(services, "alice")
    video_id = _submit(services, "alice")
    assert services.workers.run_once("w1")

    video = _video(services, video_id)
    assert video is not None and video.status == VideoStatus.ready, video and video.error
    assert video.plan["backend"] == name and video.plan["model"].startswith("tiny random weights")
    # The model's steps moved the bar before encoding did (they fill it up to 90%).
    assert seen[0] == 0 and seen[-1] == 90 and seen == sorted(seen) and len(set(seen)) >= 3, seen
    assert video.video_key is not None
    data_ = services.storage.read_bytes(video.video_key)
    with av.open(io.BytesIO(data_)) as container:
        picture, sound = container.streams.video[0], container.streams.audio[0]
        assert (picture.codec_context.name, picture.codec_context.width, picture.codec_context.height) == (
            "h264",
            720,
            1280,
        )
        assert sound.codec_context.name == "aac"
        samples = np.concatenate([f.to_ndarray() for f in container.decode(audio=0)], axis=1)
    assert samples.shape[1] >= 0.9 * 44100 and float(np.abs(samples).max()) > 0.01, "the clip has sound"
    report = services.credentials.read(data_, mime="video/mp4")
    assert report.present and report.valid, report


@pytest.mark.parametrize("how", ["draft deleted", "job cancelled"])
def test_cancelling_stops_the_model_at_the_next_step_and_stores_nothing(services: Services, how: str) -> None:
    """Deleting the draft, withdrawing consent or a takedown cancel the job (jobs.cancel_for_video); the
    running model notices at its next step, and nothing is stored."""
    steps_run: list[int] = []
    backend = WanBackend(ModelRun.for_tiny(steps=4), segment_frames=121)  # the warm tiny model, 4 steps

    class Cancelled(WanBackend):
        def generate(self, request: GenerationRequest) -> Any:
            report = request.progress
            assert report is not None

            def progress(percent: int) -> None:
                steps_run.append(percent)
                report(percent)  # the worker's: asks whether the job is still ours
                if len(steps_run) == 2:  # the first step is done: now the author deletes the draft
                    with session_scope(services.session_factory) as session:
                        video = session.get(Video, video_id)
                        assert video is not None
                        if how == "draft deleted":
                            videos.remove_rows(session=session, video=video)
                        else:
                            jobs.cancel_for_video(session=session, video_id=video_id)

            return super().generate(dataclasses.replace(request, progress=progress))

    services.render.backend = Cancelled(backend.run, segment_frames=121)
    _user(services, "alice")
    video_id = _submit(services, "alice")
    assert services.workers.run_once("w1")
    # Reports: before the first step (0), after step 1 (cancelled then), after step 2 (stopped there).
    assert steps_run == [0, 25, 50], steps_run
    assert _stored(services) == []
    assert not list(services.settings.render_tmp_dir.glob("*"))
    if how == "draft deleted":
        assert _video(services, video_id) is None
    else:
        assert _job(services, video_id).state == JobState.cancelled
        video = _video(services, video_id)
        assert video is not None and video.video_key is None


def test_running_out_of_gpu_memory_fails_the_try_readably_and_the_retry_renders(
    services: Services, ltx2: Ltx2Backend, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipe, _lock = ltx2.pipeline()

    def out_of_memory(*args: Any, **kwargs: Any) -> Any:
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB (GPU 0; 79.10 GiB total)")

    monkeypatch.setattr(pipe.transformer, "forward", out_of_memory)
    services.render.backend = ltx2
    _user(services, "alice")
    video_id = _submit(services, "alice")
    assert services.workers.run_once("w1")
    job = _job(services, video_id)
    assert (job.state, job.attempts) == (JobState.queued, 1)
    assert job.last_error is not None and job.last_error.startswith("The ltx2 video model ran out of GPU memory.")
    assert "FIGMENT_MODEL_OFFLOAD" in job.last_error
    video = _video(services, video_id)
    assert video is not None and video.status == VideoStatus.queued and _stored(services) == []

    monkeypatch.undo()  # the GPU has room again: the retry renders
    assert services.workers.run_once("w1")
    video = _video(services, video_id)
    assert video is not None and video.status == VideoStatus.ready


def test_wan_conditions_on_the_cast_faces_and_continues_from_the_last_frame(
    wan: WanBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    pipe, _lock = wan.pipeline()
    calls: list[dict[str, Any]] = []
    image_pipeline = pipe["image"]

    def recording(**kwargs: Any) -> Any:
        out = image_pipeline(**kwargs)
        calls.append({"image": np.asarray(kwargs["image"]), "last": (out.frames[0][-1] * 255 + 0.5).astype(np.uint8)})
        return out

    def text_not_used(**kwargs: Any) -> Any:
        raise AssertionError("a clip with a cast face must start from the composed first frame")

    monkeypatch.setitem(pipe, "image", recording)
    monkeypatch.setitem(pipe, "text", text_not_used)
    face = drawn_face(64)
    request = GenerationRequest(
        prompt="a person waves on the beach",
        seed=3,
        duration_s=1,
        width=144,
        height=256,
        fps=12,
        likeness=(LikenessRef(handle="olga", face=face),),
    )
    clip = wan.generate(request)
    assert clip.plan["likeness"] == ["olga"] and clip.plan["conditioning"] == "first_frame"
    assert len(calls) == len(wan.segments(request)) == 3
    # Pass 1 starts from the composed still: olga's face, upright, in the upper middle of the frame.
    width, height = wan.size
    expected = first_frame(request.likeness, width=width, height=height)
    assert np.array_equal(calls[0]["image"], expected)
    skin = face[face[..., 3] == 255][:, :3].mean(axis=0)
    middle = expected[round(height * 0.3), width // 2].astype(float)
    assert np.abs(middle - skin).max() < 40, (middle, skin)
    # Each later pass continues from the last frame the one before it made.
    for before, after in zip(calls, calls[1:], strict=False):
        assert np.abs(after["image"].astype(int) - before["last"].astype(int)).max() <= 1
    assert sum(1 for _ in clip.frames) == 12


def test_ltx2_refuses_a_likeness_it_cannot_draw(ltx2: Ltx2Backend) -> None:
    request = GenerationRequest(
        prompt="a person waves", seed=1, duration_s=1, width=144, height=256, fps=12,
        likeness=(LikenessRef(handle="olga", face=drawn_face(32)),),
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        ltx2.generate(request)
    assert refused.value.details.get("field") == "likeness"


def test_steps_are_reported_across_every_pass(wan: WanBackend) -> None:
    seen: list[int] = []
    request = GenerationRequest(
        prompt="a dog on the beach", seed=1, duration_s=1, width=144, height=256, fps=12, progress=seen.append
    )
    wan.generate(request)
    # 3 passes x 2 steps, each step reported once, 0 first.
    assert seen == [0, 16, 33, 50, 66, 83, 100]
    reporter = StepReporter(None, total_steps=3)
    assert reporter(None, 0, None, {}) == {} and reporter.done == 1


def test_the_output_face_check_blocks_a_verified_face_the_model_drew_without_consent(
    services: Services, wan: WanBackend
) -> None:
    """A model can draw a real person unasked (it learned a face). Whatever the model drew goes through
    the worker's face screen: a verified likeness that did not consent blocks the clip."""
    from figment.likeness.biometrics import detect_faces, embed

    photo = data.astronaut()
    [face] = detect_faces(photo)

    class DrawsAFace(WanBackend):
        def _render(self, pipe: Any, request: GenerationRequest, steps: StepReporter) -> NativeClip:
            native = super()._render(pipe, request, steps)
            # The model's picture, as if it had drawn olga: her photo in the middle of each frame.
            canvas = np.zeros((len(native.video), 1280, 720, 3), np.uint8)
            canvas[:, 384:896, 104:616] = photo
            return dataclasses.replace(native, video=canvas)

    _user(services, "olga")
    _user(services, "sam")
    verify_in(services.session_factory, services.storage, "olga", embedding=embed(photo, face), permission="everyone")
    services.render.backend = DrawsAFace(wan.run, segment_frames=wan.segment_frames)
    video_id = _submit(services, "sam", "an astronaut smiles")
    assert services.workers.run_once("w1")
    video = _video(services, video_id)
    assert video is not None and video.status == VideoStatus.blocked, video and video.error
    assert _job(services, video_id).last_error == "cameo_permission_denied"
    assert _stored(services) == []


def test_figment_render_tiny_writes_a_vertical_h264_aac_clip(tmp_path: Path, wan: WanBackend) -> None:
    from click.testing import CliRunner

    from figment.cli import main

    out = tmp_path / "fox.mp4"
    args = ["render", "a red fox running through snow", "--backend", "wan", "--tiny", "--duration", "1", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    with av.open(str(out)) as container:
        picture, sound = container.streams.video[0].codec_context, container.streams.audio[0].codec_context
        assert (picture.name, picture.width, picture.height, sound.name) == ("h264", 720, 1280, "aac")
    refused = CliRunner().invoke(main, ["render", "a fox", "--tiny", "-o", str(tmp_path / "x.mp4")])
    assert refused.exit_code == 2 and "--backend ltx2 or --backend wan" in refused.output


def test_gpu_check_says_clearly_that_there_is_no_gpu_and_fails(capsys: pytest.CaptureFixture[str]) -> None:
    if torch.cuda.is_available():
        pytest.skip("this host has a GPU: `make gpu-check` measures it")
    from figment.generation.backends.diffusion import gpu_check

    assert gpu_check.main() == 2
    assert "No CUDA GPU is visible" in capsys.readouterr().err

"""Face verification end to end in Chromium: the page records the person answering a challenge, and the
real verifier on the live server judges the upload (issue 4).

The person is the astronaut photo from scikit-image (Eileen Collins, public domain), turned per the
challenge by `figment.testing.recordings`, with the piper voice reading the digits. Chromium plays that
to the page as its camera and microphone (`write_fake_capture`). Those files are fixed when the browser
starts, while the challenge is random per verification: so the test asks the server for a challenge
itself, makes the files answer it, and hands that challenge to the page when the page asks for one.
Everything else is real: the challenge row, the upload, the verifier, what is kept. Screenshots land in
test-artifacts/.
"""

from __future__ import annotations

import io
import json
import wave
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import httpx2 as httpx
import numpy as np
import pytest
from PIL import Image
from skimage import data
from sqlalchemy import update

from cameo_support import run_likeness_server
from figment.db import make_engine, make_session_factory, session_scope, utcnow
from figment.likeness import speech
from figment.likeness.liveness import Challenge
from figment.likeness.models import VerificationAttempt
from figment.testing.recordings import (
    AUDIO_RATE,
    TURN_LEAD_S,
    TURN_REST_S,
    TURN_S,
    make_recording,
    write_fake_capture,
)
from likeness.conftest import LFW_INDEX, lfw_face
from support import LiveServer, signup_over_http

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
PASSWORD = "longenough"

# The fake camera's frame rate: half of a webcam's, which halves the raw file (about 100 MB for its 15 s)
# and the time to make it; the verifier samples 8 frames a second anyway.
CAPTURE_FPS = 15
# How the fake capture is laid out, and when the page records it. Chromium plays the files from when the
# page has the camera (getUserMedia resolves: measured, the recording's first sound and first turn are
# within 0.05 s of where that predicts), and the page records after a 3-2-1 countdown started by a click,
# for the length of its script (likeness-camera.js: digits 2.2 s, each turn 0.5 + 1.4 s, a last 0.5 s; 6.5 s
# with two turns). The answer is the synthetic person reading the digits while turning, about 4.5 to 6 s
# depending on the digits. So the answer comes after LEAD_S of the person facing the camera in silence,
# and the test clicks Record at the moment that centres the answer in what the page will record
# (RECORD_DELAY_S after the click, measured 3.05 s: the countdown and the challenge request), or as soon
# as it can. For the longest answers with two turns the recording has under a second to spare.
# TAIL_S makes one loop of the files longer than lead + recording, so the answer is never heard twice.
LEAD_S = 4.0
TAIL_S = 5.0
RECORD_DELAY_S = 3.05
SCRIPT_S = {"digits": 2.2, "look": 0.5, "turn": 1.4}
SMALL = (360, 480)

# performance.now() when the page opens the camera, has it, starts and stops recording: observed only.
TIMING_SCRIPT = """
(() => {
  const marks = (window.__capture = {});
  const media = navigator.mediaDevices;
  const open = media.getUserMedia.bind(media);
  media.getUserMedia = async (constraints) => {
    marks.asked = performance.now();
    const stream = await open(constraints);
    marks.opened = performance.now();
    return stream;
  };
  const { start, stop } = MediaRecorder.prototype;
  MediaRecorder.prototype.start = function (...args) {
    marks.recording = performance.now();
    return start.apply(this, args);
  };
  MediaRecorder.prototype.stop = function (...args) {
    marks.stopped = performance.now();
    return stop.apply(this, args);
  };
})();
"""


@pytest.fixture
def server(tmp_path: Path, sqlite_url: str) -> Iterator[LiveServer]:
    yield from run_likeness_server(tmp_path, sqlite_url)


def _signup(http: httpx.Client, handle: str) -> dict[str, str]:
    return signup_over_http(http, handle, PASSWORD)


def _new_challenge(http: httpx.Client, headers: dict[str, str]) -> tuple[dict[str, Any], Challenge]:
    """A challenge issued by the live server, as the page would have been given it."""
    response = http.post("/api/cameo/verification", headers=headers)
    assert response.status_code == 201, response.text
    body = dict(response.json())
    return body, Challenge(digits=body["challenge"]["digits"], head_turns=tuple(body["challenge"]["head_turns"]))


def _page_as(browser: Any, server: LiveServer, handle: str) -> tuple[Any, Any, list[str]]:
    """A phone-sized page logged in as `handle`, allowed the camera and microphone, and its JS errors."""
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=1, locale="en-GB", permissions=["camera", "microphone"]
    )
    response = context.request.post(server.url + "/api/auth/login", data={"login": handle, "password": PASSWORD})
    assert response.ok, response.text()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    def console(message: Any) -> None:
        if message.type == "error" and "Failed to load resource" not in message.text:
            errors.append(message.text)

    page.on("console", console)
    return context, page, errors


def _hand_out(page: Any, next_challenge: Callable[[], dict[str, Any]]) -> list[str]:
    """Answer the page's requests for a challenge with ones the test got from the server.

    Only this request is answered here, because the fake camera has to be made before the browser starts
    (or the file to upload before the page asks): the test picks the challenge the page will use. The
    challenge is a real row on the server, and the upload goes to the server untouched.
    """
    handed: list[str] = []

    def fulfil(route: Any) -> None:
        if route.request.method != "POST":
            route.continue_()
            return
        body = next_challenge()
        handed.append(body["id"])
        route.fulfill(status=201, content_type="application/json", body=json.dumps(body))

    page.route("**/api/cameo/verification", fulfil)
    return handed


@dataclass(frozen=True)
class _FakeCapture:
    body: dict[str, Any]  # the challenge as the server gave it
    challenge: Challenge
    y4m: Path
    wav: Path
    answer: tuple[float, float]  # seconds into the files where the first word or turn starts, and the last ends
    aim: float  # when the page should start recording, in seconds after it has the camera


def _recorded_s(challenge: Challenge) -> float:
    """How long the page records for `challenge` (likeness-camera.js, recordingScript)."""
    return SCRIPT_S["digits"] + (SCRIPT_S["look"] + SCRIPT_S["turn"]) * len(challenge.head_turns) + SCRIPT_S["look"]


def _fake_capture(http: httpx.Client, headers: dict[str, str], directory: Path) -> _FakeCapture:
    """A challenge from the server, the fake camera and microphone answering it, and when to record.

    The piper voice and Whisper tiny.en do not always agree: Whisper misses a digit in about 1 in 20
    readings of 4 to 6 digits (measured 3 of 60: the last digit, or one of two alike), and for such a
    reading whether it does can change with where the recording starts or with Opus. The verifier is
    right to refuse what it did not hear, but that is not what this test is about. So the test first
    listens as the verifier will, to the part of the microphone file the page will record (started 0.2 s
    early, on time and 0.2 s late, through Opus as MediaRecorder sends it); if a digit is missed it makes
    a new reading (the voice varies from run to run), and after two, asks for a new challenge.
    """
    for attempt in range(6):
        if attempt % 2 == 0:
            body, challenge = _new_challenge(http, headers)
        y4m, wav = write_fake_capture(
            challenge, data.astronaut(), directory, fps=CAPTURE_FPS, lead_s=LEAD_S, tail_s=TAIL_S
        )
        with wave.open(str(wav), "rb") as sound:
            pcm = np.frombuffer(sound.readframes(sound.getnframes()), "<i2").astype(np.float32) / 32767
        voice = np.flatnonzero(np.abs(pcm) > 0.05) / AUDIO_RATE
        turns = LEAD_S + TURN_LEAD_S, LEAD_S + TURN_LEAD_S + TURN_S * len(challenge.head_turns) - TURN_REST_S
        first, last = min(float(voice[0]), turns[0]), max(float(voice[-1]), turns[1])
        # Start recording before the first word or turn and stop after the last: the middle of that range.
        length = _recorded_s(challenge)
        earliest, latest = last + 0.1 - length, first - 0.05
        assert latest - earliest > 0.5, (challenge, first, last, length)
        aim = (earliest + latest) / 2
        assert len(pcm) / AUDIO_RATE > latest + length + 0.5, "one loop of the files outlasts the recording"
        heard = [
            speech.heard_digits(_through_opus(pcm[int(start * AUDIO_RATE) : int((start + length) * AUDIO_RATE)]), 16000)
            for start in (aim - 0.2, aim, aim + 0.2)
        ]
        if heard == [challenge.digits] * 3:
            return _FakeCapture(body, challenge, y4m, wav, (first, last), aim)
        print(f"Whisper heard {heard} in a synthetic reading of {challenge.digits}")
    pytest.fail("Whisper did not hear the synthetic voice read the digits right in six tries")


def _through_opus(audio: np.ndarray) -> np.ndarray:
    """Mono float32 audio at AUDIO_RATE encoded as Opus at 64 kb/s (the page's MediaRecorder) and decoded
    at 16 kHz (the verifier's rate)."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="webm") as out:
        stream = out.add_stream("libopus", rate=AUDIO_RATE, layout="mono")
        stream.codec_context.bit_rate = 64_000
        for start in range(0, len(audio), 4800):
            frame = av.AudioFrame.from_ndarray(audio[None, start : start + 4800].copy(), format="flt", layout="mono")
            frame.sample_rate, frame.pts, frame.time_base = AUDIO_RATE, start, Fraction(1, AUDIO_RATE)
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    resampler = av.AudioResampler(format="flt", layout="mono", rate=16000)
    with av.open(io.BytesIO(buffer.getvalue())) as container:
        parts = [f.to_ndarray().reshape(-1) for frame in container.decode(audio=0) for f in resampler.resample(frame)]
    return np.concatenate(parts)


def test_verify_with_the_camera_end_to_end(
    server: LiveServer, launch_browser: Callable[..., Any], artifacts: Path, tmp_path: Path
) -> None:
    with httpx.Client(base_url=server.url, timeout=60) as http:
        headers = _signup(http, "eileen")
        capture = _fake_capture(http, headers, tmp_path / "capture")
    body, challenge, (y4m, wav) = capture.body, capture.challenge, (capture.y4m, capture.wav)
    browser = launch_browser(
        "--use-fake-ui-for-media-stream",
        f"--use-file-for-fake-video-capture={y4m}",
        f"--use-file-for-fake-audio-capture={wav}",
    )
    context, page, errors = _page_as(browser, server, "eileen")
    context.add_init_script(TIMING_SCRIPT)
    handed = _hand_out(page, lambda: body)
    uploads: list[bytes] = []
    page.on("request", lambda r: uploads.append(r.post_data_buffer) if r.url.endswith("/recording") else None)

    page.goto(server.url + "/likeness")
    page.wait_for_selector('[data-testid="likeness-status"][data-verified="false"]')
    page.click('[data-testid="verify-start"]')
    page.click('[data-testid="verify-use-camera"]')
    page.wait_for_function("() => (document.querySelector('[data-testid=verify-preview]') || {}).readyState >= 2")
    page.screenshot(path=str(artifacts / "verification-preview.png"))
    page.evaluate(
        "s => new Promise(r => setTimeout(r, window.__capture.opened + s * 1000 - performance.now()))",
        capture.aim - RECORD_DELAY_S,
    )
    page.click('[data-testid="verify-record"]')
    page.wait_for_selector('[data-testid="verify-countdown"]')
    assert page.inner_text('[data-testid="verify-digits"]', timeout=5_000) == " ".join(challenge.digits)
    page.wait_for_selector(f'.lk-line.turn[data-turn="{challenge.head_turns[0]}"]')
    page.eval_on_selector('[data-testid="verify-script"]', "el => el.scrollIntoView({ block: 'center' })")
    page.screenshot(path=str(artifacts / "verification-recording.png"))
    result = page.wait_for_selector('[data-testid="verify-result"]', timeout=60_000)
    marks = page.evaluate("() => window.__capture")
    started, stopped = ((marks[k] - marks["opened"]) / 1000 for k in ("recording", "stopped"))
    assert stopped - started == pytest.approx(_recorded_s(challenge), abs=0.3), (
        "SCRIPT_S is likeness-camera.js's script"
    )
    reasons = page.eval_on_selector_all('[data-testid="verify-reason"]', "els => els.map(e => e.textContent)")
    assert result.get_attribute("data-status") == "verified", (
        f"{reasons}; the page recorded from {started:.2f} s to {stopped:.2f} s of the fake capture (aimed at "
        f"{capture.aim:.2f} s), and the answer is from {capture.answer[0]:.2f} s to {capture.answer[1]:.2f} s"
    )
    print(f"recorded {started:.2f}-{stopped:.2f} s (aimed at {capture.aim:.2f}) of answer {capture.answer} {challenge}")
    assert handed == [body["id"]]
    [upload] = uploads
    assert b'filename="recording.webm"' in upload and b"\x1a\x45\xdf\xa3" in upload
    result.scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "verification-verified.png"))

    # Done reloads the page, which now says so; the server kept three references and wrote the ledger.
    page.click('[data-testid="verify-done"]')
    status = page.wait_for_selector('[data-testid="likeness-status"][data-verified="true"]').inner_text()
    assert "Verified" in status, status
    page.wait_for_selector('[data-testid="ledger-entry"][data-action="verified"]')
    page.screenshot(path=str(artifacts / "verification-status.png"))
    assert not errors, errors
    context.close()
    with httpx.Client(base_url=server.url, timeout=30) as http:
        cameo = http.get("/api/cameo", headers=headers).json()
        entries = http.get("/api/cameo/ledger", headers=headers).json()["entries"]
    assert cameo["verified"] is True and cameo["references"] == 3, cameo
    assert entries[0]["action"] == "verified" and entries[0]["details"] == {"references": 3}, entries


def _recording(challenge: Challenge, face: np.ndarray | None = None, **options: Any) -> dict[str, Any]:
    """A file for the page's file picker: `make_recording` in small frames (the face still 150 px wide)."""
    video = make_recording(challenge, data.astronaut() if face is None else face, size=SMALL, **options)
    return {"name": "recording.webm", "mimeType": "video/webm", "buffer": video}


def test_verification_refusals_in_the_page(server: LiveServer, browser: Any, artifacts: Path) -> None:
    """Through the file picker, each wrong answer gets its reason (data-code and a sentence); a challenge
    used or expired, and a file too large, get the page's own message."""
    http = httpx.Client(base_url=server.url, timeout=60)
    headers = _signup(http, "eileen")
    context, page, errors = _page_as(browser, server, "eileen")
    current: dict[str, Any] = {}
    handed = _hand_out(page, lambda: current["body"])
    uploads: list[str] = []
    page.on("request", lambda r: uploads.append(r.url) if r.url.endswith("/recording") else None)

    def attempt(body: dict[str, Any] | None = None) -> Challenge:
        """Open the file picker with a new challenge (or `body`'s again); returns the challenge shown."""
        if body is None:
            body, _ = _new_challenge(http, headers)
        current["body"] = body
        page.click('[data-testid="verify-use-file"]')
        page.wait_for_selector('[data-testid="verify-file"]')
        assert handed[-1] == body["id"]
        shown = page.inner_text('[data-testid="verify-challenge"]')
        assert " ".join(body["challenge"]["digits"]) in shown, shown
        return Challenge(digits=body["challenge"]["digits"], head_turns=tuple(body["challenge"]["head_turns"]))

    def refused(file: dict[str, Any]) -> dict[str, str]:
        """Upload `file`; the reasons the page lists, code -> sentence, each a sentence a person can read."""
        page.set_input_files('[data-testid="verify-file"]', files=[file])
        page.wait_for_selector('[data-testid="verify-result"][data-status="rejected"]', timeout=60_000)
        items = page.eval_on_selector_all(
            '[data-testid="verify-reason"]', "els => els.map(e => [e.dataset.code, e.textContent])"
        )
        assert all(len(text) > 40 and text.endswith(".") and "_" not in text for _, text in items), items
        return {code: text for code, text in items}

    def failed(file: dict[str, Any]) -> str:
        page.set_input_files('[data-testid="verify-file"]', files=[file])
        return str(page.wait_for_selector('[data-testid="verify-error"]', timeout=60_000).inner_text())

    page.goto(server.url + "/likeness")
    page.click('[data-testid="verify-start"]')

    # Where the voice reads the right digits, Whisper may still miss one (see _fake_capture): "digits" can
    # come with the reason asked for, so those are checked to be there, not to be the only ones.
    challenge = attempt()
    wrong = "".join(str((int(d) + 1) % 10) for d in challenge.digits)
    reasons = refused(_recording(challenge, spoken_digits=wrong))
    assert list(reasons) == ["digits"], reasons
    assert reasons["digits"].startswith("We heard the digits ")
    assert f" but the challenge was {' '.join(challenge.digits)}: " in reasons["digits"]

    challenge = attempt()
    reasons = refused(_recording(challenge, head_turns=()))
    assert "head_turns" in reasons, reasons
    assert "We did not see you turn your head" in reasons["head_turns"]

    challenge = attempt()
    reasons = refused(_recording(challenge, data.coffee(), head_turns=()))
    assert "no_face" in reasons, reasons
    assert "We could not see a face" in reasons["no_face"]

    challenge = attempt()
    reasons = refused(_recording(challenge, extra_face=lfw_face(LFW_INDEX)))
    assert "multiple_faces" in reasons, reasons
    assert "More than one face" in reasons["multiple_faces"]
    page.screenshot(path=str(artifacts / "verification-two-faces.png"))

    # A photo held up to the camera, without sound: nothing for Whisper, so exactly these two.
    challenge = attempt()
    reasons = refused(_recording(challenge, head_turns=(), with_audio=False))
    assert list(reasons) == ["no_audio", "head_turns"], reasons
    assert "no sound" in reasons["no_audio"]

    png = {"name": "me.png", "mimeType": "image/png", "buffer": _png(data.astronaut())}
    body, _ = _new_challenge(http, headers)
    attempt(body)
    reasons = refused(png)
    assert list(reasons) == ["not_a_video"], reasons
    assert "We could not read this file as a video" in reasons["not_a_video"]
    # The same challenge again: it took its one recording.
    attempt(body)
    assert failed(png) == "This challenge was already used. Try again for a new one."

    body, _ = _new_challenge(http, headers)
    engine = make_engine(server.settings.resolved_database_url)
    with session_scope(make_session_factory(engine)) as session:
        session.execute(
            update(VerificationAttempt)
            .where(VerificationAttempt.id == body["id"])
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    engine.dispose()
    attempt(body)
    assert failed(png) == "This challenge expired (they last 5 minutes). Try again for a new one."

    # Too large for the verifier: the page says so before sending anything.
    attempt()
    sent = len(uploads)
    too_large = {"name": "long.webm", "mimeType": "video/webm", "buffer": bytes(20 * 1024 * 1024 + 1)}
    message = failed(too_large)
    assert message == "The recording is too large: at most 20 MB. Record a shorter clip, about 8 seconds.", message
    assert len(uploads) == sent
    page.screenshot(path=str(artifacts / "verification-too-large.png"))

    assert len(uploads) == 8
    assert http.get("/api/cameo", headers=headers).json()["verified"] is False
    assert not errors, errors
    context.close()
    http.close()


def _png(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()

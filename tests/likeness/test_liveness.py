"""verify_recording on recordings made from real photos: right answers pass, each wrong one is named."""

from __future__ import annotations

import io
import struct
import time
from collections.abc import Callable
from fractions import Fraction

import av
import numpy as np
import pytest
from PIL import Image

from figment.likeness.liveness import MAX_BYTES, Challenge, Verification, verify_recording
from figment.testing.recordings import make_recording

CHALLENGE = Challenge(digits="4192", head_turns=("left", "right", "up"))
OTHER = Challenge(digits="805316", head_turns=("up", "left"))
# The deliberate failures answer a shorter challenge in smaller frames (a face still 150 px wide) at
# 15 fps (the verifier samples 8 a second): the checks are the same, and the module stays within its
# time budget on two cores.
SHORT = Challenge(digits="4192", head_turns=("left", "right"))
SMALL = (360, 480)

Verify = Callable[..., tuple[bytes, Verification]]


@pytest.fixture(scope="module")
def verified(astronaut: np.ndarray) -> Verify:
    """Make (and remember) a recording of the astronaut answering CHALLENGE, and verify it."""
    cache: dict[str, tuple[bytes, Verification]] = {}

    def run(
        name: str, challenge: Challenge = SHORT, face: np.ndarray | None = None, **options: object
    ) -> tuple[bytes, Verification]:
        if name not in cache:
            options.setdefault("size", SMALL)
            options.setdefault("fps", 15)
            data = make_recording(challenge, astronaut if face is None else face, **options)  # type: ignore[arg-type]
            cache[name] = (data, verify_recording(data, challenge))
        return cache[name]

    return run


def test_a_right_answer_in_webm_passes_and_yields_faces(verified: Verify) -> None:
    data, result = verified("webm", CHALLENGE, size=(480, 640), fps=30)
    with av.open(io.BytesIO(data)) as container:  # what the browser uploads: VP8 + Opus, no duration
        assert container.format.name == "matroska,webm" and container.duration is None
        assert [s.codec_context.name for s in container.streams] == ["vp8", "opus"]
    assert result.passed, result.reasons
    assert result.heard == "4192"
    assert 5.0 < result.duration_s < 6.5
    assert len(result.crops) == 3 and all(c.shape == (160, 160, 3) for c in result.crops)
    assert result.embeddings.shape == (5, 128) and result.embeddings.dtype == np.float32
    assert result.cutout is not None and result.cutout.shape == (192, 192, 4)
    assert set(result.timings) == {"decode", "faces", "embed", "speech", "total"}


def test_a_right_answer_in_mp4_passes(verified: Verify) -> None:
    data, result = verified("mp4", OTHER, fmt="mp4", size=(480, 640), fps=30)
    with av.open(io.BytesIO(data)) as container:
        assert [s.codec_context.name for s in container.streams] == ["h264", "aac"]
    assert result.passed, result.reasons
    assert result.heard == "805316"


def test_the_faces_returned_are_the_person_who_recorded(verified: Verify, astronaut: np.ndarray) -> None:
    from figment.likeness import biometrics

    _, result = verified("webm", CHALLENGE, size=(480, 640), fps=30)
    photo = biometrics.embed(astronaut, biometrics.detect_faces(astronaut)[0])
    distances = [biometrics.distance(photo, e) for e in result.embeddings]
    assert max(distances) < biometrics.SAME_PERSON_DISTANCE, distances


def test_other_digits_are_refused_saying_what_was_heard(verified: Verify) -> None:
    _, result = verified("digits", spoken_digits="4179")
    assert result.codes == ["digits"]
    assert "We heard the digits 4 1 7 9 but the challenge was 4 1 9 2" in result.reasons[0].message


def test_no_head_turns_are_refused_naming_the_first_missing_turn(verified: Verify) -> None:
    _, result = verified("still head", head_turns=())
    assert result.codes == ["head_turns"]
    assert "turn your head to your left." in result.reasons[0].message


def test_turns_in_the_wrong_order_are_refused(verified: Verify) -> None:
    _, result = verified("wrong order", head_turns=("right", "left"))
    assert result.codes == ["head_turns"]
    assert "to your right after turning to your left" in result.reasons[0].message


def _stored_sideways(data: bytes) -> bytes:
    """The recording's video as a phone stores portrait video: frames turned a quarter counterclockwise,
    with a display matrix in the MP4 track header saying to turn them back a quarter clockwise."""
    buffer = io.BytesIO()
    with av.open(io.BytesIO(data)) as source, av.open(buffer, "w", format="mp4") as out:
        fps = int(source.streams.video[0].average_rate or 30)
        video = out.add_stream("libx264", rate=fps)
        for index, frame in enumerate(source.decode(video=0)):
            sideways = np.ascontiguousarray(np.rot90(frame.to_ndarray(format="rgb24"), k=1))
            if index == 0:
                video.height, video.width = sideways.shape[:2]
                video.pix_fmt = "yuv420p"
            picture = av.VideoFrame.from_ndarray(sideways, format="rgb24")
            picture.pts, picture.time_base = index, Fraction(1, fps)
            out.mux(video.encode(picture))
        out.mux(video.encode(None))
    stored = bytearray(buffer.getvalue())
    matrix = stored.find(b"tkhd") + 4 + 40  # version 0 track header: the 3x3 matrix follows 40 bytes of fields
    stored[matrix : matrix + 36] = struct.pack(">9i", 0, 1 << 16, 0, -(1 << 16), 0, 0, 0, 0, 1 << 30)
    return bytes(stored)


def test_a_phone_video_stored_sideways_is_turned_upright(verified: Verify) -> None:
    data, _ = verified("still head", head_turns=())
    sideways = _stored_sideways(data)
    # The face is found (the head still did not turn, and the sound was left out of this copy)...
    assert verify_recording(sideways, SHORT).codes == ["no_audio", "head_turns"]
    # ...and only because of the display matrix: the same frames without it show no upright face.
    unrotated = bytearray(sideways)
    matrix = unrotated.find(b"tkhd") + 4 + 40
    unrotated[matrix : matrix + 36] = struct.pack(">9i", 1 << 16, 0, 0, 0, 1 << 16, 0, 0, 0, 1 << 30)
    assert verify_recording(bytes(unrotated), SHORT).codes == ["no_audio", "no_face"]


def test_a_recording_without_a_face_is_refused(verified: Verify, coffee: np.ndarray) -> None:
    _, result = verified("coffee", face=coffee)
    assert result.codes == ["no_face"]
    assert result.crops == [] and result.cutout is None


def test_a_second_person_in_view_is_refused(verified: Verify, other_person: np.ndarray) -> None:
    _, result = verified("two people", extra_face=other_person)
    assert "multiple_faces" in result.codes


def test_a_face_swapped_halfway_is_refused(verified: Verify, other_person: np.ndarray) -> None:
    _, result = verified("swap", swap_face=other_person)
    assert "different_person" in result.codes


def test_a_still_photo_without_sound_fails_sound_and_turns(verified: Verify) -> None:
    data, result = verified("photo", head_turns=(), with_audio=False)
    with av.open(io.BytesIO(data)) as container:
        assert not container.streams.audio
    assert result.codes == ["no_audio", "head_turns"]
    assert "no sound" in result.reasons[0].message


def test_a_silent_sound_track_is_no_audio(verified: Verify) -> None:
    _, result = verified("silent", spoken_digits="")
    assert result.codes == ["no_audio"]
    assert "silent" in result.reasons[0].message


def test_a_too_short_recording_is_refused_with_everything_else_it_lacks(verified: Verify) -> None:
    _, result = verified("short", seconds=1.5)
    assert result.codes[0] == "too_short" and "1.5 seconds" in result.reasons[0].message
    assert {"head_turns", "digits"} <= set(result.codes)


def test_a_too_long_recording_is_refused_from_its_decoded_length(verified: Verify) -> None:
    # Small frames: decoding stops as soon as a frame lies past 15 s; the WebM header has no duration.
    _, result = verified("long", seconds=16.0, size=(160, 208))
    assert result.codes == ["too_long"]
    assert "faces" not in result.timings  # nothing after decoding ran


def test_a_too_large_file_is_refused_before_decoding(verified: Verify) -> None:
    data, _ = verified("webm", CHALLENGE, size=(480, 640), fps=30)
    padded = data + bytes(MAX_BYTES + 1 - len(data))
    start = time.perf_counter()
    result = verify_recording(padded, CHALLENGE)
    assert result.codes == ["too_large"]
    assert "decode" not in result.timings and time.perf_counter() - start < 0.5
    assert "more than the 20 MB limit" in result.reasons[0].message


def test_an_image_or_garbage_is_not_a_video(astronaut: np.ndarray) -> None:
    png = io.BytesIO()
    Image.fromarray(astronaut).save(png, format="PNG")
    assert verify_recording(png.getvalue(), CHALLENGE).codes == ["not_a_video"]
    assert verify_recording(np.random.default_rng(0).bytes(50_000), CHALLENGE).codes == ["not_a_video"]
    assert verify_recording(b"", CHALLENGE).codes == ["not_a_video"]

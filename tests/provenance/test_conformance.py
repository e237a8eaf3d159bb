"""C2PA conformance (issue 15, item 7): trusted time-stamps, revocation status, an independent verifier.

The independent verifier is encypher-c2pa: its own Rust implementation of C2PA 2.4 validation (COSE,
RFC 3161, OCSP, BMFF hashing, JUMBF), sharing no code with c2pa-rs, which c2pa-python wraps. It runs
offline and without telemetry here, with only this test's CA as trust (no packaged trust lists).
The TSA and the OCSP responder are local ones (local_pki.py) on 127.0.0.1.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import encypher_c2pa
import pytest
from pydantic import ValidationError

from figment.generation.registry import load_backend
from figment.generation.types import GenerationRequest
from figment.media.encode import encode_clip
from figment.provenance.credentials import ContentCredentials, KeyMaterial, SigningCertificateRevoked
from figment.services import Services, build_services
from figment.settings import Settings
from support import api_over, free_port, make_settings

from .local_pki import Issued, LocalCa, Served, local_ocsp, local_tsa


@pytest.fixture(autouse=True)
def verifier_offline_and_quiet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """encypher-c2pa: no telemetry, no network, and its saved preferences in this test's folder."""
    monkeypatch.setenv("ENCYPHER_C2PA_TELEMETRY", "off")
    monkeypatch.setenv("ENCYPHER_C2PA_ONLINE", "off")
    monkeypatch.setenv("ENCYPHER_C2PA_CONFIG_DIR", str(tmp_path / "encypher"))


@pytest.fixture(scope="module")
def unsigned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A one-second MP4 and its JPEG poster, as the worker makes them before signing."""
    folder = tmp_path_factory.mktemp("unsigned")
    clip = load_backend("procedural").generate(
        GenerationRequest(prompt="a red car", seed=3, duration_s=1, width=144, height=256)
    )
    encode_clip(clip, video_path=folder / "clip.mp4", poster_path=folder / "poster.jpg")
    return {"video/mp4": folder / "clip.mp4", "image/jpeg": folder / "poster.jpg"}


@pytest.fixture
def ca() -> LocalCa:
    return LocalCa()


@pytest.fixture
def tsa(ca: LocalCa) -> Iterator[Served]:
    with local_tsa(ca) as served:
        yield served


def _credentials(ca: LocalCa, signer: Issued, tsa_url: str = "") -> ContentCredentials:
    return ContentCredentials(KeyMaterial(ca.chain_pem(signer), signer.key_pem, ca.cert_pem.decode()), tsa_url=tsa_url)


def _signed(credentials: ContentCredentials, source: Path, folder: Path) -> bytes:
    target = folder / f"signed{source.suffix}"
    shutil.copy(source, target)
    credentials.sign_file(target, video_id="v1", watermark_id="0123456789ab")
    return target.read_bytes()


def independent(
    data: bytes, mime: str, ca: LocalCa, *, strict: bool = False, online: bool = False
) -> Mapping[str, Any]:
    anchors = ca.cert_pem.decode()
    return encypher_c2pa.verify(
        data,
        mime,
        trust_pem=anchors,
        tsa_trust_pem=anchors,
        no_default_trust=True,
        strict_conformance=strict,
        telemetry=False,
        online=online,
        # Only for the local OCSP responder on 127.0.0.1 (plain http, loopback).
        online_allow_private_networks=online,
    )


def codes(report: Mapping[str, Any], kind: str) -> set[str]:
    return {entry["code"] for entry in report["validation_results"][kind]}


@pytest.mark.parametrize("mime", ["video/mp4", "image/jpeg"])
def test_a_timestamped_file_passes_the_independent_verifier(
    ca: LocalCa, tsa: Served, unsigned: dict[str, Path], tmp_path: Path, mime: str
) -> None:
    credentials = _credentials(ca, ca.issue_signer(), tsa.url)
    data = _signed(credentials, unsigned[mime], tmp_path)
    assert len(tsa.requests) == 1 and credentials.unstamped == 0

    ours = credentials.read(data, mime=mime)
    assert ours.state == "Trusted" and ours.claims["signed_at"]

    report = independent(data, mime, ca)
    assert report["integrity"] == "valid" and report["signature"] == "valid"
    assert report["hard_binding"] == "match"
    assert report["trust"]["status"] == "valid_for_supplied_material"
    assert {"timeStamp.validated", "timeStamp.trusted", "claimSignature.validated"} <= codes(report, "success")
    assert not codes(report, "failure")
    # Strict C2PA 2.x conformance: the time-stamp is no longer missing; revocation information still
    # is (offline, nothing is stapled: c2pa-python cannot, see docs/SECURITY.md).
    strict = independent(data, mime, ca, strict=True)
    assert codes(strict, "failure") == {"com.encypher.conformance.revocationInformationMissing"}


def test_without_a_tsa_strict_conformance_misses_the_timestamp(
    ca: LocalCa, unsigned: dict[str, Path], tmp_path: Path
) -> None:
    credentials = _credentials(ca, ca.issue_signer())
    data = _signed(credentials, unsigned["video/mp4"], tmp_path)
    assert "signed_at" not in credentials.read(data, mime="video/mp4").claims
    report = independent(data, "video/mp4", ca)
    assert report["integrity"] == "valid" and not codes(report, "failure")
    assert not {code for code in codes(report, "success") if code.startswith("timeStamp.")}
    strict = independent(data, "video/mp4", ca, strict=True)
    assert "com.encypher.conformance.trustedTimeStampMissing" in codes(strict, "failure")


def test_the_independent_verifier_rejects_tampered_files(
    ca: LocalCa, tsa: Served, unsigned: dict[str, Path], tmp_path: Path
) -> None:
    data = _signed(_credentials(ca, ca.issue_signer(), tsa.url), unsigned["video/mp4"], tmp_path)

    picture = bytearray(data)
    picture[data.index(b"mdat") + 64] ^= 0xFF  # one byte of the coded pictures
    report = independent(bytes(picture), "video/mp4", ca)
    assert report["integrity"] == "invalid" and report["hard_binding"] == "mismatch"
    assert "assertion.bmffHash.mismatch" in codes(report, "failure")

    claim = bytearray(data)
    at = data.index(b"0123456789ab")  # the watermark id inside the signed org.figment.clip assertion
    claim[at] = ord("f")
    report = independent(bytes(claim), "video/mp4", ca)
    assert report["integrity"] == "invalid"
    assert "assertion.hashedURI.mismatch" in codes(report, "failure")

    # And a signer this verifier was not told to trust is not trusted, though intact.
    report = independent(data, "video/mp4", LocalCa())
    assert report["integrity"] == "valid" and report["trust"]["status"] != "valid_for_supplied_material"


def test_an_unreachable_tsa_signs_without_a_timestamp(ca: LocalCa, unsigned: dict[str, Path], tmp_path: Path) -> None:
    credentials = _credentials(ca, ca.issue_signer(), f"http://127.0.0.1:{free_port()}/tsa")
    data = _signed(credentials, unsigned["video/mp4"], tmp_path)
    assert credentials.unstamped == 1
    ours = credentials.read(data, mime="video/mp4")
    assert ours.state == "Trusted" and "signed_at" not in ours.claims


def test_the_tsa_setting_takes_http_urls_only(tmp_path: Path) -> None:
    assert Settings(data_dir=tmp_path, c2pa_tsa_url="").c2pa_tsa_url == ""
    assert Settings(data_dir=tmp_path, c2pa_tsa_url="https://tsa.example/tsr").c2pa_tsa_url.startswith("https")
    with pytest.raises(ValidationError):
        Settings(data_dir=tmp_path, c2pa_tsa_url="ftp://tsa.example")


def test_signing_checks_the_ocsp_responder_the_certificate_names(
    ca: LocalCa, tsa: Served, unsigned: dict[str, Path], tmp_path: Path
) -> None:
    with local_ocsp(ca) as responder:
        signer = ca.issue_signer(ocsp_url=responder.url)
        credentials = _credentials(ca, signer, tsa.url)
        data = _signed(credentials, unsigned["video/mp4"], tmp_path)
        _signed(credentials, unsigned["image/jpeg"], tmp_path)
        assert credentials.revocation.check() == "good"
        assert len(responder.requests) == 1  # kept until the answer's nextUpdate

        # A verifier allowed online asks the same responder: with the time-stamp, strict C2PA 2.x
        # conformance then holds.
        online = independent(data, "video/mp4", ca, strict=True, online=True)
        assert online["trust"]["revocation"]["status"] == "not_revoked"
        assert not codes(online, "failure")

        ca.revoke(signer.cert)
        assert independent(data, "video/mp4", ca, online=True)["trust"]["revocation"]["status"] == "revoked"
        fresh = _credentials(ca, signer, tsa.url)
        target = tmp_path / "again.mp4"
        shutil.copy(unsigned["video/mp4"], target)
        before = target.read_bytes()
        with pytest.raises(SigningCertificateRevoked):
            fresh.sign_file(target, video_id="v2", watermark_id="0123456789ab")
        assert target.read_bytes() == before  # nothing signed with a revoked certificate


def test_an_ocsp_answer_not_from_the_issuer_is_ignored(ca: LocalCa, unsigned: dict[str, Path], tmp_path: Path) -> None:
    with local_ocsp(ca, responder_ca=LocalCa(name="Someone else")) as responder:
        signer = ca.issue_signer(ocsp_url=responder.url)
        ca.revoke(signer.cert)  # says "revoked", but signed by a stranger: not believed
        credentials = _credentials(ca, signer)
        _signed(credentials, unsigned["video/mp4"], tmp_path)
        assert len(responder.requests) == 1 and credentials.revocation.check() == "unavailable"


def test_an_unreachable_ocsp_responder_does_not_stop_signing(
    ca: LocalCa, unsigned: dict[str, Path], tmp_path: Path
) -> None:
    credentials = _credentials(ca, ca.issue_signer(ocsp_url=f"http://127.0.0.1:{free_port()}/ocsp"))
    data = _signed(credentials, unsigned["video/mp4"], tmp_path)
    assert credentials.revocation.check() == "unavailable"
    assert credentials.read(data, mime="video/mp4").state == "Trusted"


def test_a_published_clip_is_timestamped_when_the_tsa_is_set(
    ca: LocalCa, tsa: Served, tmp_path: Path, sqlite_url: str
) -> None:
    services: Services = build_services(
        make_settings(tmp_path / "data", sqlite_url, video_width=288, video_height=512, c2pa_tsa_url=tsa.url)
    )
    try:
        with api_over(services) as api:
            api.signup("alice")
            video = api.ready_clip("alice", publish=True)
            clip = services.storage.local_path(f"videos/{video['id']}/clip.mp4").read_bytes()
            response = api.client.post("/api/provenance/check", files={"file": ("clip.mp4", clip, "video/mp4")})
    finally:
        services.close()
    assert response.status_code == 200, response.text
    c2pa = response.json()["c2pa"]
    assert c2pa["trusted"] is True and c2pa["claims"]["signed_at"]
    assert len(tsa.requests) == 2  # the MP4 and its poster
    # The dev CA signed it; the test CA runs the TSA: the independent verifier is told both.
    dev_ca = (tmp_path / "data" / "c2pa" / "ca.pem").read_text()
    report = encypher_c2pa.verify(
        clip,
        "video/mp4",
        trust_pem=dev_ca,
        tsa_trust_pem=ca.cert_pem.decode(),
        no_default_trust=True,
        telemetry=False,
        online=False,
    )
    assert report["integrity"] == "valid" and report["trust"]["status"] == "valid_for_supplied_material"
    assert {"timeStamp.validated", "timeStamp.trusted"} <= codes(report, "success")

"""C2PA content credentials: sign every MP4 and poster, read and verify a file's manifest.

Keys come from settings (FIGMENT_C2PA_CERT / FIGMENT_C2PA_KEY / FIGMENT_C2PA_TRUST_ANCHORS). Without
them, a first run creates a local development CA and an ES256 signing certificate under
`<data_dir>/c2pa/`; files signed that way verify as *valid* everywhere and as *trusted* only where
that CA is a trust anchor (this instance). The README says how to use a real certificate.
"""

from __future__ import annotations

import datetime
import io
import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import c2pa
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from figment import __version__

TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
CLIP_ASSERTION = "org.figment.clip"
MIME_BY_SUFFIX = {".mp4": "video/mp4", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}


@dataclass(frozen=True)
class KeyMaterial:
    chain_pem: bytes  # signing certificate first, then intermediates / CA
    key_pem: bytes
    trust_anchors_pem: str


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Figment (development)"),
        ]
    )


def _key_usage(*, sign: bool, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def create_dev_ca(folder: Path) -> None:
    """A development CA and a C2PA signing certificate it issued (ES256), written as PEM files."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = _name("Figment Development CA")
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(sign=False, ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("Figment Development Signer"))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=730))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(sign=True, ca=False), critical=True)
        # C2PA accepts emailProtection among the signer EKUs; the dev CA needs nothing rarer.
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    pem = serialization.Encoding.PEM
    (folder / "ca.pem").write_bytes(ca.public_bytes(pem))
    (folder / "chain.pem").write_bytes(cert.public_bytes(pem) + ca.public_bytes(pem))
    key_path = folder / "signer.key"
    key_path.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    key_path.chmod(0o600)
    # The CA key is not kept: a new signer means a new dev CA, which is fine for development.


def load_keys(
    *, data_dir: Path, cert_path: Path | None, key_path: Path | None, anchors_path: Path | None
) -> KeyMaterial:
    if (cert_path is None) != (key_path is None):
        raise ValueError("FIGMENT_C2PA_CERT and FIGMENT_C2PA_KEY must be set together")
    if cert_path is None or key_path is None:
        folder = data_dir / "c2pa"
        if not (folder / "chain.pem").exists() or not (folder / "signer.key").exists():
            create_dev_ca(folder)
        cert_path, key_path = folder / "chain.pem", folder / "signer.key"
        anchors_path = anchors_path or folder / "ca.pem"
    anchors = anchors_path.read_text() if anchors_path is not None else ""
    return KeyMaterial(cert_path.read_bytes(), key_path.read_bytes(), anchors)


def manifest_for(*, video_id: str, watermark_id: str, title: str) -> dict[str, Any]:
    return {
        "claim_generator_info": [{"name": "Figment", "version": __version__}],
        "title": title,
        "assertions": [
            {
                "label": "c2pa.actions.v2",
                "data": {
                    "actions": [
                        {
                            "action": "c2pa.created",
                            "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA,
                            "softwareAgent": {"name": "Figment", "version": __version__},
                        }
                    ]
                },
            },
            {"label": CLIP_ASSERTION, "data": {"video_id": video_id, "watermark_id": watermark_id}},
        ],
    }


@dataclass
class CredentialReport:
    present: bool = False
    valid: bool = False
    trusted: bool = False
    state: str | None = None
    claims: dict[str, Any] = field(default_factory=dict)


class ContentCredentials:
    """Signs and reads C2PA manifests with one key pair. Safe to share between worker threads."""

    def __init__(self, keys: KeyMaterial) -> None:
        self.keys = keys
        self._lock = threading.Lock()
        self.last_sign_s = 0.0

    def _signer(self) -> c2pa.Signer:
        info = c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, self.keys.chain_pem, self.keys.key_pem, None)
        return c2pa.Signer.from_info(info)

    def sign_file(self, path: Path, *, video_id: str, watermark_id: str) -> None:
        """Sign `path` in place (through a temporary file beside it)."""
        mime = MIME_BY_SUFFIX[path.suffix.lower()]
        started = time.perf_counter()
        tmp = path.with_name(f".{path.name}.c2pa")
        manifest = manifest_for(video_id=video_id, watermark_id=watermark_id, title=path.name)
        try:
            with c2pa.Builder(manifest) as builder, self._signer() as signer:
                with path.open("rb") as source, tmp.open("wb") as dest:
                    builder.sign(signer, mime, source, dest)
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
        self.last_sign_s = time.perf_counter() - started

    def _context(self) -> c2pa.Context:
        config: dict[str, Any] = {"verify": {"verify_trust": bool(self.keys.trust_anchors_pem)}}
        if self.keys.trust_anchors_pem:
            config["trust"] = {"trust_anchors": self.keys.trust_anchors_pem}
        return c2pa.Context.from_dict(config)

    def read(self, data: bytes, *, mime: str) -> CredentialReport:
        try:
            reader = c2pa.Reader.try_create(mime, io.BytesIO(data), context=self._context())
        except c2pa.C2paError as error:
            # Broken beyond reading (a cut or scrambled manifest): present, but not valid.
            return CredentialReport(present=True, state="Invalid", claims={"error": str(error)[:200]})
        if reader is None:
            return CredentialReport()
        with reader:
            state = reader.get_validation_state() or "Invalid"
            manifest = reader.get_active_manifest() or {}
        return CredentialReport(
            present=True,
            valid=state in ("Valid", "Trusted"),
            trusted=state == "Trusted",
            state=state,
            claims=_claims(manifest),
        )


def _claims(manifest: dict[str, Any]) -> dict[str, Any]:
    claims: dict[str, Any] = {"generator": manifest.get("claim_generator_info", [])}
    for assertion in manifest.get("assertions", []):
        label, data = assertion.get("label"), assertion.get("data") or {}
        if label == CLIP_ASSERTION:
            claims["video_id"] = data.get("video_id")
            claims["watermark_id"] = data.get("watermark_id")
        elif isinstance(label, str) and label.startswith("c2pa.actions"):
            claims["actions"] = [
                {"action": a.get("action"), "digitalSourceType": a.get("digitalSourceType")}
                for a in data.get("actions", [])
            ]
    signature = manifest.get("signature_info") or {}
    if signature:
        claims["issuer"] = signature.get("issuer")
    plain: dict[str, Any] = json.loads(json.dumps(claims, default=str))
    return plain

"""C2PA content credentials: sign every MP4 and poster, read and verify a file's manifest.

Keys come from settings (FIGMENT_C2PA_CERT / FIGMENT_C2PA_KEY / FIGMENT_C2PA_TRUST_ANCHORS). Without
them, a first run creates a local development CA and an ES256 signing certificate under
`<data_dir>/c2pa/`; files signed that way verify as *valid* everywhere and as *trusted* only where
that CA is a trust anchor (this instance). The README says how to use a real certificate.

With FIGMENT_C2PA_TSA_URL every claim signature carries an RFC 3161 time-stamp (C2PA 2.x `sigTst2`),
so it stays valid after the certificate expires. When the signing certificate names an OCSP responder,
its status is fetched before signing (cached until the response's nextUpdate) and a revoked certificate
signs nothing. c2pa-python 0.38.1 offers no way to put that response into the manifest: see
docs/SECURITY.md, "Content credentials".
"""

from __future__ import annotations

import datetime
import io
import json
import logging
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import c2pa
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

from figment import __version__

TRAINED_ALGORITHMIC_MEDIA = "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia"
CLIP_ASSERTION = "org.figment.clip"
MIME_BY_SUFFIX = {".mp4": "video/mp4", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
OCSP_TIMEOUT_S = 5.0
OCSP_RETRY_S = 300.0  # an unanswered or unusable OCSP query is asked again after this long

log = logging.getLogger(__name__)


class SigningCertificateRevoked(RuntimeError):
    """The signing certificate's OCSP responder says it is revoked: nothing is signed with it."""


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

    def __init__(self, keys: KeyMaterial, *, tsa_url: str = "") -> None:
        self.keys = keys
        self.tsa_url = tsa_url
        self._lock = threading.Lock()
        self.last_sign_s = 0.0
        self.unstamped = 0  # signatures made without the configured TSA (it failed); logged each time
        self.revocation = OcspStatus(keys.chain_pem)

    def _signer(self, tsa_url: str) -> c2pa.Signer:
        info = c2pa.C2paSignerInfo(c2pa.C2paSigningAlg.ES256, self.keys.chain_pem, self.keys.key_pem, tsa_url or None)
        return c2pa.Signer.from_info(info)

    def _sign(self, path: Path, tmp: Path, mime: str, manifest: dict[str, Any], tsa_url: str) -> None:
        with c2pa.Builder(manifest) as builder, self._signer(tsa_url) as signer:
            with path.open("rb") as source, tmp.open("wb") as dest:
                builder.sign(signer, mime, source, dest)

    def sign_file(self, path: Path, *, video_id: str, watermark_id: str) -> None:
        """Sign `path` in place (through a temporary file beside it)."""
        mime = MIME_BY_SUFFIX[path.suffix.lower()]
        started = time.perf_counter()
        if self.revocation.check() == "revoked":
            raise SigningCertificateRevoked("the C2PA signing certificate is revoked (OCSP); set a new one")
        tmp = path.with_name(f".{path.name}.c2pa")
        manifest = manifest_for(video_id=video_id, watermark_id=watermark_id, title=path.name)
        try:
            try:
                self._sign(path, tmp, mime, manifest, self.tsa_url)
            except c2pa.C2paError as error:
                if not self.tsa_url:
                    raise
                # A TSA outage must not stop every clip: sign without the time-stamp, say so.
                self.unstamped += 1
                log.warning("C2PA time-stamp failed (%s); %s signed without one", str(error)[:200], path.name)
                self._sign(path, tmp, mime, manifest, "")
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
        if signature.get("time"):
            claims["signed_at"] = signature["time"]  # present only with an RFC 3161 time-stamp
    plain: dict[str, Any] = json.loads(json.dumps(claims, default=str))
    return plain


class OcspStatus:
    """The signing certificate's revocation status from the OCSP responder it names (RFC 6960).

    `check()` says "good", "revoked" or "unknown" (the responder's answers), "unavailable" (no
    usable answer: unreachable, unsigned by the issuer or its delegated responder, not about this
    certificate) or "none" (the certificate names no responder, or the chain has no issuer). An answer
    is kept until its nextUpdate; no answer is asked again after OCSP_RETRY_S. Only "revoked" stops
    signing: an unreachable responder must not stop every clip.
    """

    def __init__(self, chain_pem: bytes) -> None:
        certs = x509.load_pem_x509_certificates(chain_pem)
        self.cert = certs[0]
        self.issuer = certs[1] if len(certs) > 1 else None
        self.url = _ocsp_url(self.cert)
        self.status = "none"
        self.response_der: bytes | None = None  # the last verified response, for a signer that can staple it
        self._fresh_until = 0.0
        self._lock = threading.Lock()

    def check(self) -> str:
        if self.url is None or self.issuer is None:
            return "none"
        with self._lock:
            if time.time() >= self._fresh_until:
                self._refresh(self.url, self.issuer)
            return self.status

    def _refresh(self, url: str, issuer: x509.Certificate) -> None:
        self.status, self._fresh_until = "unavailable", time.time() + OCSP_RETRY_S
        request = ocsp.OCSPRequestBuilder().add_certificate(self.cert, issuer, hashes.SHA256()).build()
        body = request.public_bytes(serialization.Encoding.DER)
        try:
            call = urllib.request.Request(url, data=body, headers={"Content-Type": "application/ocsp-request"})
            with urllib.request.urlopen(call, timeout=OCSP_TIMEOUT_S) as reply:  # nosec B310  # the CA's responder URL, http(s) only
                der = reply.read(64 * 1024)
            response = ocsp.load_der_ocsp_response(der)
        except (OSError, ValueError) as error:
            log.warning("OCSP status of the C2PA signing certificate unavailable from %s: %s", url, error)
            return
        if not _trusted_ocsp_answer(response, self.cert, issuer):
            log.warning("OCSP answer from %s is not a signed answer about the C2PA signing certificate", url)
            return
        self.response_der = der
        self.status = response.certificate_status.name.lower()
        next_update = response.next_update_utc
        self._fresh_until = next_update.timestamp() if next_update else time.time() + OCSP_RETRY_S
        if self.status == "revoked":
            log.error("The C2PA signing certificate is revoked (OCSP, %s): signing stops", url)


def _ocsp_url(cert: x509.Certificate) -> str | None:
    try:
        access = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except x509.ExtensionNotFound:
        return None
    for description in access:
        location = description.access_location
        if description.access_method == AuthorityInformationAccessOID.OCSP and isinstance(
            location, x509.UniformResourceIdentifier
        ):
            if location.value.startswith(("http://", "https://")):
                return location.value
    return None


def _trusted_ocsp_answer(response: ocsp.OCSPResponse, cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    """A successful answer about `cert`, signed by its issuer or by a responder the issuer delegated to."""
    if response.response_status != ocsp.OCSPResponseStatus.SUCCESSFUL or response.serial_number != cert.serial_number:
        return False
    now = datetime.datetime.now(datetime.UTC)
    signer = issuer
    for candidate in response.certificates:
        if candidate.issuer != issuer.subject or not _signed_by(candidate, issuer):
            continue
        try:
            usages = candidate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        except x509.ExtensionNotFound:
            continue
        if ExtendedKeyUsageOID.OCSP_SIGNING in usages and (
            candidate.not_valid_before_utc <= now <= candidate.not_valid_after_utc
        ):
            signer = candidate
            break
    hash_algorithm = response.signature_hash_algorithm
    if hash_algorithm is None:
        return False
    return _verifies(signer.public_key(), response.signature, response.tbs_response_bytes, hash_algorithm)


def _signed_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def _verifies(key: Any, signature: bytes, data: bytes, hash_algorithm: hashes.HashAlgorithm) -> bool:
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(hash_algorithm))
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), hash_algorithm)
        else:
            return False
    except InvalidSignature:
        return False
    return True

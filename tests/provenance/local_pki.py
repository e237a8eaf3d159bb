"""A local PKI for the content-credential tests: a CA, an RFC 3161 time-stamp authority and an OCSP responder.

Everything listens on 127.0.0.1 and lives as long as a test. The TSA is OpenSSL's own (`openssl ts -reply`,
Debian's openssl package) behind a small HTTP wrapper: it answers `application/timestamp-query` with a
signed `TimeStampResp`, as a public TSA does. The OCSP responder signs real RFC 6960 responses with a
delegated responder certificate (id-kp-OCSPSigning) through `cryptography`, and can be told a
certificate is revoked.
"""

from __future__ import annotations

import base64
import datetime
import subprocess
import tempfile
import threading
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, ExtendedKeyUsageOID, NameOID

PEM = serialization.Encoding.PEM
PrivateKey = ec.EllipticCurvePrivateKey


def _name(common: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Figment tests"),
        ]
    )


def _usage(*, sign: bool = True, ca: bool = False, non_repudiation: bool = False) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=sign,
        content_commitment=non_repudiation,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )


def key_pem(key: PrivateKey) -> bytes:
    return key.private_bytes(PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())


@dataclass
class Issued:
    cert: x509.Certificate
    key: PrivateKey

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(PEM)

    @property
    def key_pem(self) -> bytes:
        return key_pem(self.key)


@dataclass
class LocalCa:
    """A root CA that issues C2PA signers, a TSA and an OCSP responder certificate."""

    name: str = "Figment Test Root CA"
    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    cert: x509.Certificate = field(init=False)
    revoked: dict[int, datetime.datetime] = field(default_factory=dict)
    issued: dict[int, x509.Certificate] = field(default_factory=dict)

    def __post_init__(self) -> None:
        now = datetime.datetime.now(datetime.UTC)
        subject = _name(self.name)
        self.cert = (
            x509.CertificateBuilder()
            .subject_name(subject)
            .issuer_name(subject)
            .public_key(self.key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(_usage(sign=False, ca=True), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(self.key.public_key()), critical=False)
            .sign(self.key, hashes.SHA256())
        )

    @property
    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(PEM)

    def _issue(
        self,
        common: str,
        eku: x509.ObjectIdentifier,
        *,
        key: PrivateKey,
        critical_eku: bool = False,
        non_repudiation: bool = False,
        ocsp_url: str | None = None,
    ) -> Issued:
        now = datetime.datetime.now(datetime.UTC)
        builder = (
            x509.CertificateBuilder()
            .subject_name(_name(common))
            .issuer_name(self.cert.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=365))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(_usage(non_repudiation=non_repudiation), critical=True)
            .add_extension(x509.ExtendedKeyUsage([eku]), critical=critical_eku)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(self.key.public_key()), critical=False)
        )
        if ocsp_url is not None:
            access = x509.AccessDescription(
                AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp_url)
            )
            builder = builder.add_extension(x509.AuthorityInformationAccess([access]), critical=False)
        cert = builder.sign(self.key, hashes.SHA256())
        self.issued[cert.serial_number] = cert
        return Issued(cert, key)

    def issue_signer(self, *, ocsp_url: str | None = None) -> Issued:
        """A C2PA claim signer (ES256, emailProtection EKU), naming `ocsp_url` as its OCSP responder when given."""
        key = ec.generate_private_key(ec.SECP256R1())
        return self._issue("Figment Test Signer", ExtendedKeyUsageOID.EMAIL_PROTECTION, key=key, ocsp_url=ocsp_url)

    def issue_tsa(self) -> Issued:
        # RFC 3161 2.3: the TSA certificate carries exactly one EKU, id-kp-timeStamping, marked critical.
        key = ec.generate_private_key(ec.SECP256R1())
        return self._issue(
            "Figment Test TSA", ExtendedKeyUsageOID.TIME_STAMPING, key=key, critical_eku=True, non_repudiation=True
        )

    def issue_ocsp_responder(self) -> Issued:
        key = ec.generate_private_key(ec.SECP256R1())
        return self._issue("Figment Test OCSP Responder", ExtendedKeyUsageOID.OCSP_SIGNING, key=key)

    def chain_pem(self, leaf: Issued) -> bytes:
        return leaf.cert_pem + self.cert_pem

    def revoke(self, cert: x509.Certificate) -> None:
        self.revoked[cert.serial_number] = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=1)


@dataclass
class Served:
    url: str
    requests: list[bytes] = field(default_factory=list)


def _serve(answer: type[BaseHTTPRequestHandler]) -> tuple[ThreadingHTTPServer, threading.Thread]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), answer)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    return server, thread


class _Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        return

    def _reply(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length", "0")))


TSA_CONFIG = """\
[ tsa ]
default_tsa = figment_tsa

[ figment_tsa ]
dir = {folder}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.pem
certs = $dir/ca.pem
signer_key = $dir/tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = yes
ess_cert_id_chain = yes
ess_cert_id_alg = sha256
"""


@contextmanager
def local_tsa(ca: LocalCa) -> Iterator[Served]:
    """OpenSSL's TSA on 127.0.0.1: POST a TimeStampReq, get a TimeStampResp signed by a cert of `ca`."""
    tsa = ca.issue_tsa()
    lock = threading.Lock()
    with tempfile.TemporaryDirectory(prefix="figment-tsa-") as tmp:
        folder = Path(tmp)
        (folder / "tsa.pem").write_bytes(tsa.cert_pem)
        (folder / "tsa.key").write_bytes(tsa.key_pem)
        (folder / "ca.pem").write_bytes(ca.cert_pem)
        (folder / "serial").write_text("01\n")
        (folder / "tsa.cnf").write_text(TSA_CONFIG.format(folder=folder))
        served = Served(url="")

        class Answer(_Handler):
            def do_POST(self) -> None:
                query = self._body()
                served.requests.append(query)
                with lock:  # one reply at a time: openssl ts bumps the serial file
                    (folder / "query.tsq").write_bytes(query)
                    done = subprocess.run(  # noqa: S603 - fixed argv, local files
                        [
                            "openssl",
                            "ts",
                            "-reply",
                            "-config",
                            str(folder / "tsa.cnf"),
                            "-queryfile",
                            str(folder / "query.tsq"),
                            "-out",
                            str(folder / "reply.tsr"),
                        ],
                        capture_output=True,
                        timeout=20,
                        check=False,
                    )
                    if done.returncode != 0:
                        self._reply(500, "text/plain", done.stderr[-500:])
                        return
                    self._reply(200, "application/timestamp-reply", (folder / "reply.tsr").read_bytes())

        server, thread = _serve(Answer)
        served.url = f"http://127.0.0.1:{server.server_address[1]}/tsa"
        try:
            yield served
        finally:
            server.shutdown()
            server.server_close()
            thread.join(5)


@contextmanager
def local_ocsp(ca: LocalCa, *, responder_ca: LocalCa | None = None) -> Iterator[Served]:
    """An OCSP responder for `ca`'s certificates (POST and GET, RFC 6960 A.1); `ca.revoke` makes it say revoked.

    Its responder certificate comes from `responder_ca` when given: a responder nobody delegated to.
    """
    responder = (responder_ca or ca).issue_ocsp_responder()
    served = Served(url="")

    def answer(der: bytes) -> bytes:
        served.requests.append(der)
        request = ocsp.load_der_ocsp_request(der)
        cert = ca.issued.get(request.serial_number)
        if cert is None:
            return ocsp.OCSPResponseBuilder.build_unsuccessful(ocsp.OCSPResponseStatus.UNAUTHORIZED).public_bytes(
                serialization.Encoding.DER
            )
        now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
        revoked_at = ca.revoked.get(cert.serial_number)
        builder = (
            ocsp.OCSPResponseBuilder()
            .add_response(
                cert=cert,
                issuer=ca.cert,
                algorithm=request.hash_algorithm,
                cert_status=ocsp.OCSPCertStatus.REVOKED if revoked_at else ocsp.OCSPCertStatus.GOOD,
                this_update=now - datetime.timedelta(minutes=5),
                next_update=now + datetime.timedelta(days=1),
                revocation_time=revoked_at,
                revocation_reason=x509.ReasonFlags.key_compromise if revoked_at else None,
            )
            .responder_id(ocsp.OCSPResponderEncoding.HASH, responder.cert)
            .certificates([responder.cert])
        )
        try:
            nonce = request.extensions.get_extension_for_class(x509.OCSPNonce)
            builder = builder.add_extension(nonce.value, critical=False)
        except x509.ExtensionNotFound:
            pass
        key = responder.key
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)

    class Answer(_Handler):
        def do_POST(self) -> None:
            self._reply(200, "application/ocsp-response", answer(self._body()))

        def do_GET(self) -> None:
            encoded = urllib.parse.unquote(self.path.rsplit("/", 1)[-1])
            self._reply(200, "application/ocsp-response", answer(base64.b64decode(encoded)))

    server, thread = _serve(Answer)
    served.url = f"http://127.0.0.1:{server.server_address[1]}/ocsp"
    try:
        yield served
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)

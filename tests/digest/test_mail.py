"""SMTP from one URL: plain, STARTTLS with AUTH, and TLS from the first byte, against aiosmtpd
on loopback; temporary refusals are retried with growing pauses, permanent ones are not."""

from __future__ import annotations

import email
import shutil
import ssl
import subprocess
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.digest.conftest import free_port
from tracker.mail import MailError, SmtpConfig, SmtpMailer, mailer_from_url


def _message() -> EmailMessage:
    message = EmailMessage()
    message["From"] = "tracker@tracker.example"
    message["To"] = "someone@tracker.example"
    message["Subject"] = "hello"
    message.set_content("body")
    return message


def test_the_url_names_host_port_security_and_login() -> None:
    assert SmtpConfig.from_url("smtp://mailpit:1025") == SmtpConfig("mailpit", 1025, "plain")
    tls = SmtpConfig.from_url("smtps://me%40ngo.org:p%2Fss@smtp.ngo.org")
    assert (tls.port, tls.security, tls.username, tls.password) == (
        465,
        "tls",
        "me@ngo.org",
        "p/ss",
    )
    starttls = SmtpConfig.from_url("smtp://u:p@smtp.ngo.org?starttls=true&timeout=5")
    assert (starttls.port, starttls.security, starttls.timeout) == (587, "starttls", 5.0)
    assert "p" not in starttls.describe().replace("smtp", "")
    for bad, words in [
        ("http://x", "must start with smtp://"),
        ("smtp://", "names no host"),
        ("smtps://x?starttls=1", "TLS already"),
        ("smtp://x?tls=1", "unknown option"),
        ("smtp://x:notaport", "TRACKER_SMTP_URL"),
    ]:
        with pytest.raises(ValueError, match=words):
            SmtpConfig.from_url(bad)
    with pytest.raises(ValueError, match="TRACKER_SMTP_URL is not set"):
        mailer_from_url(None)


class Picky:
    """Answers each DATA with the next of its replies (then 250), keeping what it accepted."""

    def __init__(self, *replies: str) -> None:
        self.replies = list(replies)
        self.accepted: list[Any] = []
        self.logins: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.replies:
            return self.replies.pop(0)
        self.accepted.append(email.message_from_bytes(envelope.original_content, policy=default))
        return "250 OK"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and data.password == b"s3cret"
        if ok:
            self.logins.append(data.login)
        return AuthResult(success=ok)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a certificate for the TLS tests")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


def _server_context(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def serving() -> Iterator[Any]:
    started: list[Controller] = []

    def start(handler: Picky, **options: Any) -> int:
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
        controller.start()
        started.append(controller)
        return port

    yield start
    for controller in started:
        controller.stop()


def test_starttls_then_login_then_send(certificate: tuple[Path, Path], serving: Any) -> None:
    handler = Picky()
    port = serving(
        handler,
        tls_context=_server_context(certificate),
        require_starttls=True,
        authenticator=handler.authenticate,
        auth_require_tls=True,
    )
    trust = ssl.create_default_context(cafile=str(certificate[0]))
    config = SmtpConfig.from_url(f"smtp://tracker:s3cret@127.0.0.1:{port}?starttls=true")
    SmtpMailer(config, context=trust).send(_message())
    assert handler.logins == [b"tracker"] and [m["Subject"] for m in handler.accepted] == ["hello"]


def test_tls_from_the_first_byte(certificate: tuple[Path, Path], serving: Any) -> None:
    handler = Picky()
    port = serving(handler, ssl_context=_server_context(certificate))
    trust = ssl.create_default_context(cafile=str(certificate[0]))
    SmtpMailer(SmtpConfig.from_url(f"smtps://127.0.0.1:{port}"), context=trust).send(_message())
    assert len(handler.accepted) == 1


def test_a_temporary_refusal_is_retried_after_growing_pauses(serving: Any) -> None:
    handler = Picky("451 4.3.0 try again later", "421 4.7.0 busy")
    port = serving(handler)
    pauses: list[float] = []
    SmtpMailer(SmtpConfig.from_url(f"smtp://127.0.0.1:{port}"), sleep=pauses.append).send(
        _message()
    )
    assert pauses == [1.0, 4.0] and len(handler.accepted) == 1


def test_a_permanent_refusal_or_no_server_raises_without_losing_the_reason(serving: Any) -> None:
    handler = Picky("554 5.7.1 no thanks")
    port = serving(handler)
    pauses: list[float] = []
    mailer = SmtpMailer(SmtpConfig.from_url(f"smtp://127.0.0.1:{port}"), sleep=pauses.append)
    with pytest.raises(MailError, match="554") as caught:
        mailer.send(_message())
    assert not caught.value.temporary and pauses == [] and handler.accepted == []
    nobody = SmtpMailer(SmtpConfig.from_url(f"smtp://127.0.0.1:{free_port()}"), sleep=pauses.append)
    with pytest.raises(MailError) as down:
        nobody.send(_message())
    assert down.value.temporary and pauses == [1.0, 4.0]

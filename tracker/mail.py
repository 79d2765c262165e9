"""Sending mail over SMTP, configured by one URL (TRACKER_SMTP_URL), with retries and backoff.

    smtp://host:25                      plain (a development server such as Mailpit)
    smtp://user:password@host:587?starttls=true   STARTTLS, then AUTH
    smtps://user:password@host:465      TLS from the first byte

A temporary failure (a connection refused or dropped, a 4xx answer) is retried a few times with
growing pauses; a permanent one (a 5xx answer, a refused recipient) is not. Either way the
caller gets MailError, and the digest outbox records it for admins and tries again later.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

_TRUE = {"1", "true", "yes", "on"}


class MailError(Exception):
    """A message could not be sent; `temporary` when trying again later may work."""

    def __init__(self, message: str, *, temporary: bool) -> None:
        super().__init__(message)
        self.temporary = temporary


class Mailer(Protocol):
    """Anything that sends one message or raises MailError."""

    def send(self, message: EmailMessage) -> None: ...


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int
    security: str
    """plain, starttls or tls"""
    username: str = ""
    password: str = ""
    timeout: float = 30.0

    @classmethod
    def from_url(cls, url: str) -> SmtpConfig:
        """Parse an smtp:// or smtps:// URL; ValueError saying what is wrong otherwise."""
        parts = urlsplit(url.strip())
        if parts.scheme not in {"smtp", "smtps"}:
            raise ValueError(
                f"TRACKER_SMTP_URL must start with smtp:// or smtps://, not {parts.scheme!r}://"
            )
        if not parts.hostname:
            raise ValueError("TRACKER_SMTP_URL names no host")
        query = parse_qs(parts.query)
        unknown = set(query) - {"starttls", "timeout"}
        if unknown:
            raise ValueError(f"TRACKER_SMTP_URL: unknown option(s) {', '.join(sorted(unknown))}")
        starttls = query.get("starttls", ["false"])[-1].lower() in _TRUE
        if parts.scheme == "smtps":
            if starttls:
                raise ValueError("TRACKER_SMTP_URL: smtps:// is TLS already; drop ?starttls")
            security, default_port = "tls", 465
        else:
            security, default_port = ("starttls", 587) if starttls else ("plain", 25)
        try:
            port = parts.port or default_port
            timeout = float(query.get("timeout", ["30"])[-1])
        except ValueError as exc:
            raise ValueError(f"TRACKER_SMTP_URL: {exc}") from None
        return cls(
            host=parts.hostname,
            port=port,
            security=security,
            username=unquote(parts.username or ""),
            password=unquote(parts.password or ""),
            timeout=timeout,
        )

    def describe(self) -> str:
        """Host, port and security, never the password."""
        user = f"{self.username}@" if self.username else ""
        return f"{self.security} {user}{self.host}:{self.port}"


class SmtpMailer:
    """Sends through one SMTP server, a new connection per message."""

    def __init__(
        self,
        config: SmtpConfig,
        *,
        attempts: int = 3,
        first_pause: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        context: ssl.SSLContext | None = None,
    ) -> None:
        self.config = config
        self.attempts = attempts
        self.first_pause = first_pause
        self.sleep = sleep
        self.context = context or ssl.create_default_context()

    def send(self, message: EmailMessage) -> None:
        pause = self.first_pause
        for attempt in range(1, self.attempts + 1):
            try:
                self._send_once(message)
                return
            except MailError as exc:
                if not exc.temporary or attempt == self.attempts:
                    raise
            self.sleep(pause)
            pause *= 4

    def _send_once(self, message: EmailMessage) -> None:
        c = self.config
        try:
            smtp: smtplib.SMTP
            if c.security == "tls":
                smtp = smtplib.SMTP_SSL(c.host, c.port, timeout=c.timeout, context=self.context)
            else:
                smtp = smtplib.SMTP(c.host, c.port, timeout=c.timeout)
            with smtp:
                if c.security == "starttls":
                    smtp.starttls(context=self.context)
                if c.username:
                    smtp.login(c.username, c.password)
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            raise MailError(f"recipient refused: {exc.recipients}", temporary=False) from exc
        except smtplib.SMTPResponseException as exc:
            text = (
                exc.smtp_error.decode(errors="replace")
                if isinstance(exc.smtp_error, bytes)
                else str(exc.smtp_error)
            )
            raise MailError(
                f"{c.describe()} answered {exc.smtp_code} {text}", temporary=exc.smtp_code < 500
            ) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise MailError(f"{c.describe()}: {exc or type(exc).__name__}", temporary=True) from exc


def mailer_from_url(url: str | None) -> SmtpMailer:
    """The mailer for TRACKER_SMTP_URL; ValueError when it is not set or not valid."""
    if not url:
        raise ValueError(
            "TRACKER_SMTP_URL is not set (e.g. smtp://127.0.0.1:1025 for Mailpit in development)"
        )
    return SmtpMailer(SmtpConfig.from_url(url))


__all__ = ["MailError", "Mailer", "SmtpConfig", "SmtpMailer", "mailer_from_url"]

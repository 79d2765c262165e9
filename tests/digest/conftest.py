"""Digest test fixtures: a real SMTP server (aiosmtpd on loopback, on a free port, stopped
afterwards) and a seeded tracker holding restricted material, on SQLite and PostgreSQL."""

from __future__ import annotations

import email
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.web.world import World, build_world
from tracker.mail import SmtpConfig, SmtpMailer


@dataclass
class Inbox:
    """What the SMTP server received, one parsed message per DATA."""

    messages: list[EmailMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.original_content, policy=default)
        assert isinstance(parsed, EmailMessage)
        with self.lock:
            self.messages.append(parsed)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass
class SmtpServer:
    inbox: Inbox
    port: int

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def mailer(self) -> SmtpMailer:
        return SmtpMailer(SmtpConfig.from_url(self.url), sleep=lambda _s: None)


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """An SMTP server on 127.0.0.1 that keeps every message it is sent."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(inbox, port)
    finally:
        controller.stop()


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    """The web tests' seeded world (restricted markers included), on each database."""
    built = build_world(database_url)
    yield built
    built.services.close()


def body(message: EmailMessage, subtype: str = "plain") -> str:
    part = message.get_body(preferencelist=(subtype,))
    assert part is not None
    content: str = part.get_content()  # type: ignore[attr-defined]
    return content.replace("\r\n", "\n")

"""Signed cookie values, CSRF tokens, security headers and a request body limit.

The CSRF token is an HMAC of the session (or, before sign-in, of a random pre-session cookie)
under the secret key: a page gets it as the hidden field `csrf_token` and, for htmx, as the
`X-CSRF-Token` header through `hx-headers` on <body>.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from web.config import WebConfig

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_log = logging.getLogger("web")

SERVER_ERROR_PAGE = (
    b"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Server error</title>"
    b"<link rel='stylesheet' href='/static/app.css'></head><body><main><h1>Something went wrong"
    b"</h1><p>The error was logged. Nothing was changed by this request unless its page says so; "
    b"go back and reload to check.</p><p><a href='/cases'>Cases</a></p></main></body></html>"
)


def _mac(key: bytes, purpose: str, value: str) -> str:
    return hmac.new(key, f"{purpose}\x00{value}".encode(), hashlib.sha256).hexdigest()


def sign(key: bytes, value: str) -> str:
    """`value.signature` for a cookie."""
    return f"{value}.{_mac(key, 'cookie', value)}"


def unsign(key: bytes, signed: str | None) -> str | None:
    """The value of a signed cookie, or None if it is missing or was tampered with."""
    if not signed or len(signed) > 300 or "." not in signed:
        return None
    value, _, mac = signed.rpartition(".")
    return value if hmac.compare_digest(mac, _mac(key, "cookie", value)) else None


def seal(key: bytes, purpose: str, value: str) -> str:
    """An HMAC of `value` for one purpose (a seal made for one purpose is no good for another),
    for values a page hands to the browser and must get back unchanged."""
    return _mac(key, f"seal:{purpose}", value)


def seal_ok(key: bytes, purpose: str, value: str, sent: str | None) -> bool:
    return bool(sent) and hmac.compare_digest(seal(key, purpose, value), sent or "")


def csrf_token(key: bytes, binding: str) -> str:
    """The CSRF token for a session id (or pre-session value)."""
    return _mac(key, "csrf", binding)


def csrf_ok(key: bytes, binding: str | None, sent: str | None) -> bool:
    if not binding or not sent:
        return False
    return hmac.compare_digest(csrf_token(key, binding), sent)


def security_headers(config: WebConfig, path: str) -> list[tuple[bytes, bytes]]:
    """The headers every response carries; pages are never cached, static files briefly."""
    headers = [
        (b"content-security-policy", CSP.encode()),
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
        (b"referrer-policy", b"same-origin"),
        (b"cross-origin-opener-policy", b"same-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
    ]
    if config.secure_cookies:
        headers.append((b"strict-transport-security", b"max-age=31536000"))
    if path.startswith("/static/"):
        headers.append((b"cache-control", b"public, max-age=3600"))
    else:
        headers.append((b"cache-control", b"no-store"))
        headers.append((b"vary", b"HX-Request, Cookie"))
    return headers


class Guard:
    """Outermost middleware: security headers on every response, a body size limit (413), and
    a plain 500 page (never a traceback) for anything the app let through; under /api/ both
    answers are JSON."""

    def __init__(self, app: ASGIApp, config: WebConfig) -> None:
        self.app = app
        self.config = config

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = security_headers(self.config, scope.get("path", ""))
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {name for name, _ in extra}
                kept = [(n, v) for n, v in message.get("headers", []) if n.lower() not in names]
                message["headers"] = kept + extra
            await send(message)

        api = str(scope.get("path", "")).startswith("/api/")
        body = await self._body(scope, receive)
        if body is None:
            if api:
                limit = self.config.max_body_bytes
                await _json(send_with_headers, 413, f"at most {limit:,} bytes may be sent at once")
            else:
                await _plain(send_with_headers, 413, _too_large(self.config.max_body_bytes))
            return
        try:
            await self.app(scope, _replay(body, receive), send_with_headers)
        except Exception:
            _log.exception("unhandled error on %s %s", scope.get("method"), scope.get("path"))
            if not started and api:
                await _json(send_with_headers, 500, "server error; it was logged")
            elif not started:
                await _plain(send_with_headers, 500, SERVER_ERROR_PAGE)

    async def _body(self, scope: Scope, receive: Receive) -> bytes | None:
        """The whole request body, or None when it is over the limit."""
        limit = self.config.max_body_bytes
        for name, value in scope.get("headers", []):
            if name == b"content-length" and (not value.isdigit() or int(value) > limit):
                return None
        chunks: list[bytes] = []
        size = 0
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                break
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
            more = message.get("more_body", False)
        return b"".join(chunks)


def _too_large(limit: int) -> bytes:
    return (
        f"<p>The request is too large: at most {limit:,} bytes may be sent at once. "
        "Split a bigger import file into several smaller ones.</p>"
    ).encode()


def _replay(body: bytes, receive: Receive) -> Receive:
    """The buffered body once, then the client's own messages (a disconnect, when it comes)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay


async def _plain(
    send: Send, status: int, body: bytes, content_type: bytes = b"text/html; charset=utf-8"
) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", content_type),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _json(send: Send, status: int, detail: str) -> None:
    """The JSON API's error shape, for what the guard itself answers under /api/."""
    body = json.dumps({"detail": detail, "errors": []}).encode()
    await _plain(send, status, body, b"application/json")


__all__ = [
    "CSP",
    "UNSAFE_METHODS",
    "Guard",
    "csrf_ok",
    "csrf_token",
    "seal",
    "seal_ok",
    "sign",
    "unsign",
]

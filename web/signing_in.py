"""The steps of signing in that the password and the code pages share: counting failures,
starting the session, and the short-lived signed cookie that remembers, between the password
and the code, whose password was right.

That cookie (`tracker_2fa`) holds the account id and when it stops being good (PENDING_FOR),
signed with the secret key; it gives no access by itself: only a right code turns it into a
session. It is dropped once the session starts.
"""

from __future__ import annotations

import secrets
import time
from datetime import timedelta
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response

from tracker.accounts import login_throttle, texts
from tracker.accounts.audit import By, record_now
from tracker.accounts.sessions import start_session
from tracker.accounts.users import User, find_user
from tracker.bootstrap import Services
from web.config import WebConfig
from web.deps import PRE_SESSION_COOKIE, SESSION_COOKIE
from web.render import redirect
from web.security import sign, unsign

PENDING_COOKIE = "tracker_2fa"
PENDING_FOR = timedelta(minutes=5)
CODE_PAGE = "/login/code"


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def count_failure(services: Services, email: str, ip: str) -> bool:
    """Count a failed sign-in (a password or a code); True, and an audit entry, when it locks
    the pair out."""
    locked = login_throttle.record_failure(services.engine, email, ip)
    if locked:
        found = find_user(services.engine, email)
        record_now(
            services.engine,
            By(None, texts.SIGN_IN_FORM, ip),
            "locked_out",
            target_id=found.id if found else None,
            target=email.strip().lower()[:254],
        )
    return locked


def signed_in_answer(
    request: Request, services: Services, config: WebConfig, user: User, target: str
) -> Response:
    """Start a session for `user` and send the browser on to `target` with its cookie."""
    token = start_session(
        services.engine,
        user.id,
        user_agent=request.headers.get("user-agent", ""),
        ip=client_ip(request),
    )
    response = redirect(request, target)
    response.set_cookie(
        SESSION_COOKIE,
        sign(config.secret_key, token),
        httponly=True,
        samesite="lax",
        secure=config.secure_cookies,
    )
    response.delete_cookie(PRE_SESSION_COOKIE)
    response.delete_cookie(PENDING_COOKIE)
    return response


def ask_for_code(request: Request, config: WebConfig, user: User, target: str) -> Response:
    """The password was right and the account has an authenticator: remember that for a few
    minutes and send the browser to the code page."""
    until = int(time.time() + PENDING_FOR.total_seconds())
    value = f"{user.id}|{until}|{secrets.token_hex(8)}"
    response = redirect(request, f"{CODE_PAGE}?next={quote(target, safe='')}")
    response.set_cookie(
        PENDING_COOKIE,
        sign(config.secret_key, value),
        httponly=True,
        samesite="lax",
        secure=config.secure_cookies,
        max_age=int(PENDING_FOR.total_seconds()),
    )
    return response


def pending_user_id(request: Request, config: WebConfig) -> str | None:
    """The account whose password was right a moment ago in this browser, else None."""
    value = unsign(config.secret_key, request.cookies.get(PENDING_COOKIE))
    if value is None or value.count("|") != 2:
        return None
    user_id, until, _nonce = value.split("|")
    if not until.isdigit() or int(until) < time.time():
        return None
    return user_id


__all__ = [
    "CODE_PAGE",
    "PENDING_COOKIE",
    "ask_for_code",
    "client_ip",
    "count_failure",
    "pending_user_id",
    "signed_in_answer",
]

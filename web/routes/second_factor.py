"""The second step of signing in, for an account with an authenticator: a code from the app,
or one of its recovery codes. Wrong codes count toward the same lock-out as wrong passwords;
a code already used (even a moment ago) is refused."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from tracker.accounts import login_throttle
from tracker.accounts.self_service import second_factor
from tracker.accounts.sessions import utc_now
from tracker.accounts.users import User
from web.config import WebConfig
from web.deps import ConfigDep, ServicesDep
from web.render import render
from web.routes.auth import safe_next
from web.signing_in import client_ip, count_failure, pending_user_id, signed_in_answer

router = APIRouter()


def _pending(request: Request, services: ServicesDep, config: WebConfig) -> User | None:
    user_id = pending_user_id(request, config)
    if user_id is None:
        return None
    with Session(services.engine) as session:
        user = session.get(User, user_id)
    return user if user is not None and user.active else None


def _page(
    request: Request, status: int, *, next_url: str, error: str = "", minutes: int = 0
) -> Response:
    """The code page; `error` names what went wrong (the template words it)."""
    context = {"next_url": next_url, "error": error, "minutes": minutes}
    return render(request, "login_code.html", context, status=status)


@router.get("/login/code")
def code_form(
    request: Request, services: ServicesDep, config: ConfigDep, next: str = "/cases"
) -> Response:
    """Ask for the code; without a right password a moment ago, back to the sign-in page."""
    if _pending(request, services, config) is None:
        return RedirectResponse("/login", status_code=303)
    return _page(request, 200, next_url=safe_next(next))


@router.post("/login/code")
def check_code(
    request: Request,
    services: ServicesDep,
    config: ConfigDep,
    code: Annotated[str, Form(max_length=20)] = "",
    recovery_code: Annotated[str, Form(max_length=60)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/cases",
) -> Response:
    target = safe_next(next)
    user = _pending(request, services, config)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    ip = client_ip(request)
    until = login_throttle.locked_until(services.engine, user.email, ip)
    if until is not None:
        minutes = max(1, int((until - utc_now()).total_seconds() // 60) + 1)
        return _page(request, 429, next_url=target, error="locked", minutes=minutes)
    code, recovery_code = code.strip(), recovery_code.strip()
    if not (code or recovery_code):
        return _page(request, 422, next_url=target, error="empty")
    if second_factor(services.engine, user, code=code, recovery_code=recovery_code, ip=ip):
        login_throttle.clear(services.engine, user.email, ip)
        return signed_in_answer(request, services, config, user, target)
    if count_failure(services, user.email, ip):
        minutes = int(login_throttle.LOCKOUT.total_seconds() // 60)
        return _page(request, 429, next_url=target, error="locked", minutes=minutes)
    wrong = "wrong_recovery" if recovery_code and not code else "wrong_code"
    return _page(request, 401, next_url=target, error=wrong)


__all__ = ["router"]

"""Signing in and out. Failed attempts are counted per email and address and locked out for a
while after too many; an unknown email costs as much time as a wrong password. An account with
an authenticator is asked for its code next (`second_factor`) before it gets a session."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from tracker.accounts import login_throttle
from tracker.accounts.sessions import revoke, utc_now
from tracker.accounts.totp import is_enrolled
from tracker.accounts.users import burn_time, find_user, verify_password
from web.deps import (
    PRE_SESSION_COOKIE,
    SESSION_COOKIE,
    ConfigDep,
    MaybeUser,
    ServicesDep,
    SignedInUser,
    with_pre_session,
)
from web.render import redirect, render
from web.signing_in import ask_for_code, count_failure, signed_in_answer

router = APIRouter()


def safe_next(target: str | None) -> str:
    """A local path to go to after signing in; anything else goes to the case list."""
    if (
        target
        and target.startswith("/")
        and not target.startswith(("//", "/\\"))
        and len(target) < 2000
    ):
        return target
    return "/cases"


def _login_page(
    request: Request, status: int, *, email: str = "", next_url: str = "/cases", error: str = ""
) -> Response:
    context = {"email": email, "next_url": next_url, "error": error}
    return render(request, "login.html", context, status=status)


@router.get("/")
def home() -> Response:
    return RedirectResponse("/cases", status_code=303)


@router.get("/login")
def login_form(
    request: Request, user: MaybeUser, config: ConfigDep, next: str = "/cases"
) -> Response:
    """The sign-in form; a browser without a pre-session cookie gets one (for its CSRF token)."""
    if user is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return with_pre_session(
        request,
        config,
        lambda: _login_page(request, 200, next_url=safe_next(next)),
        needed=request.cookies.get(PRE_SESSION_COOKIE) is None,
    )


@router.post("/login")
def login(
    request: Request,
    services: ServicesDep,
    config: ConfigDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/cases",
) -> Response:
    ip = request.client.host if request.client else ""
    target = safe_next(next)
    until = login_throttle.locked_until(services.engine, email, ip)
    if until is not None:
        minutes = max(1, int((until - utc_now()).total_seconds() // 60) + 1)
        message = f"Too many failed attempts. Try again in {minutes} minute(s)."
        return _login_page(request, 429, email=email, next_url=target, error=message)
    user = find_user(services.engine, email)
    if user is None:
        burn_time()
    if user is None or not user.active or not verify_password(user, password):
        if count_failure(services, email, ip):
            message = "Too many failed attempts. Try again in 15 minutes."
            return _login_page(request, 429, email=email, next_url=target, error=message)
        return _login_page(
            request, 401, email=email, next_url=target, error="Wrong email or password."
        )
    if is_enrolled(services.engine, user.id):
        return ask_for_code(request, config, user, target)
    login_throttle.clear(services.engine, email, ip)
    return signed_in_answer(request, services, config, user, target)


@router.post("/logout")
def logout(request: Request, user: SignedInUser, services: ServicesDep) -> Response:
    """End this session on the server and forget the cookie."""
    revoke(services.engine, user.session_id)
    response = redirect(request, "/login")
    response.delete_cookie(SESSION_COOKIE)
    return response


__all__ = ["router", "safe_next"]

"""One's own account: change the password, see two-factor sign-in, and the live sessions
(browser, address, last seen) with sign-out of each or of all the others."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tracker.accounts import recovery, texts, totp
from tracker.accounts.audit import By
from tracker.accounts.own_sessions import live_sessions_of
from tracker.accounts.self_service import change_password, end_other_own_sessions, end_session
from tracker.domain.errors import Invalid
from web.deps import SESSION_COOKIE, CurrentUser, Principal, ServicesDep
from web.render import redirect, render
from web.routes.common import PostedForm
from web.signing_in import client_ip

router = APIRouter()


def by(request: Request, who: Principal) -> By:
    """The signed-in person making a change, and their address, for the audit."""
    return By(who.user_id, who.email, client_ip(request))


def account_answer(
    request: Request,
    who: Principal,
    services: ServicesDep,
    *,
    errors: dict[str, str] | None = None,
    done: str = "",
    status: int = 200,
) -> Response:
    engine = services.engine
    credential = totp.credential_of(engine, who.user_id)
    context: dict[str, Any] = {
        "sessions": live_sessions_of(engine, who.user_id, who.session_id),
        "enrolled_at": credential.enrolled_at if credential else None,
        "codes_left": recovery.unused(engine, who.user_id) if credential else 0,
        "errors": errors or {},
        "done": done,
    }
    return render(request, "account.html", context, status=status)


@router.get("/account")
def account_page(request: Request, who: CurrentUser, services: ServicesDep) -> Response:
    return account_answer(request, who, services)


@router.post("/account/password")
def new_password(
    request: Request, who: CurrentUser, services: ServicesDep, form: PostedForm
) -> Response:
    """Change one's password; every other session ends."""
    current = str(form.get("current") or "")
    password = str(form.get("password") or "")
    again = str(form.get("again") or "")
    if password != again:
        errors = {"again": texts.PASSWORDS_DIFFER}
        return account_answer(request, who, services, errors=errors, status=422)
    try:
        change_password(services.engine, by(request, who), who.session_id, current, password)
    except Invalid as exc:
        errors = {exc.field or "password": exc.message}
        return account_answer(request, who, services, errors=errors, status=422)
    return account_answer(request, who, services, done="password")


@router.post("/account/sessions/{session_id}/end")
def end_one(request: Request, session_id: str, who: CurrentUser, services: ServicesDep) -> Response:
    """Sign out one of one's sessions (this one too: then back to the sign-in page)."""
    end_session(services.engine, by(request, who), session_id)
    if session_id == who.session_id:
        response = redirect(request, "/login")
        response.delete_cookie(SESSION_COOKIE)
        return response
    return redirect(request, "/account")


@router.post("/account/sessions/end-others")
def end_others(request: Request, who: CurrentUser, services: ServicesDep) -> Response:
    """Sign out every session but this one."""
    end_other_own_sessions(services.engine, by(request, who), who.session_id)
    return redirect(request, "/account")


__all__ = ["account_answer", "by", "router"]

"""The one-time links an admin hands out: `/invite/{token}` to choose a first password,
`/reset/{token}` to choose a new one. Opening a link changes nothing; its form's POST (with the
CSRF token the page gives, a signed-out browser getting a pre-session for it) sets the password
and uses the link up. Then the person signs in as usual, with their code if they have an app."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tracker.accounts import links, texts
from tracker.accounts.self_service import accept_link
from tracker.domain.errors import Invalid, NotFound
from web.config import WebConfig
from web.deps import PRE_SESSION_COOKIE, ConfigDep, MaybeUser, ServicesDep, with_pre_session
from web.render import render
from web.routes.common import PostedForm
from web.signing_in import client_ip

router = APIRouter()
PURPOSES = {"invite": links.Purpose.INVITE, "reset": links.Purpose.RESET}


def _unusable() -> NotFound:
    hours = int(links.VALID_FOR.total_seconds() // 3600)
    return NotFound(texts.LINK_UNUSABLE.format(hours=hours))


def _form(
    request: Request,
    kind: str,
    token: str,
    email: str,
    *,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context = {"kind": kind, "token": token, "email": email, "errors": errors or {}}
    return render(request, "link_form.html", context, status=status)


def _kind(request: Request) -> str:
    """'invite' or 'reset', from the address the link was opened at."""
    return "invite" if request.url.path.startswith("/invite/") else "reset"


def _purpose(kind: str) -> links.Purpose:
    return PURPOSES[kind]


def _open(services: ServicesDep, config: WebConfig, kind: str, token: str) -> str:
    user = links.open_link(services.engine, token, _purpose(kind), config.secret_key)
    if user is None:
        raise _unusable()
    return user.email


@router.get("/invite/{token}")
@router.get("/reset/{token}")
def link_form(
    request: Request,
    token: str,
    services: ServicesDep,
    config: ConfigDep,
    user: MaybeUser,
) -> Response:
    """The form to choose a password, if the link can still be used (it is not used up here)."""
    kind = _kind(request)
    email = _open(services, config, kind, token)
    return with_pre_session(
        request,
        config,
        lambda: _form(request, kind, token, email),
        needed=user is None and request.cookies.get(PRE_SESSION_COOKIE) is None,
    )


@router.post("/invite/{token}")
@router.post("/reset/{token}")
def choose_password(
    request: Request,
    token: str,
    services: ServicesDep,
    config: ConfigDep,
    form: PostedForm,
) -> Response:
    kind = _kind(request)
    email = _open(services, config, kind, token)
    password = str(form.get("password") or "")
    if password != str(form.get("again") or ""):
        errors = {"again": texts.PASSWORDS_DIFFER}
        return _form(request, kind, token, email, errors=errors, status=422)
    try:
        accept_link(services.engine, token, _purpose(kind), config.secret_key, password,
                    ip=client_ip(request))  # fmt: skip
    except Invalid as exc:
        errors = {exc.field or "password": exc.message}
        return _form(request, kind, token, email, errors=errors, status=422)
    return render(request, "link_done.html", {"kind": kind, "email": email})


__all__ = ["router"]

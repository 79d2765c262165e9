"""Setting up two-factor sign-in: a new secret as a QR code (SVG drawn on the server, nothing
from outside) and as text, confirmed by a code from the app; then ten recovery codes, shown
once. Reachable before enrolment by the roles that must enrol (everything else is not)."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from tracker.accounts import texts, totp
from tracker.accounts.self_service import enrol, new_recovery_codes
from tracker.accounts.users import find_user, verify_password
from tracker.domain.errors import Invalid
from web.config import WebConfig
from web.deps import ConfigDep, CurrentUser, Principal, ServicesDep, SignedInUser
from web.render import render
from web.routes.account import account_answer, by
from web.routes.common import PostedForm
from web.security import seal, seal_ok

router = APIRouter()
SETUP_FOR = 30 * 60
"""Seconds a set-up form stays good."""


def _seal(config: WebConfig, who: Principal, secret: str, issued: str) -> str:
    return seal(config.secret_key, "totp-setup", f"{who.session_id}|{secret}|{issued}")


def _setup_page(
    request: Request,
    who: Principal,
    services: ServicesDep,
    config: WebConfig,
    *,
    secret: str | None = None,
    issued: str | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    secret = secret or totp.new_secret()
    issued = issued or str(int(time.time()))
    uri = totp.provisioning_uri(secret, who.email)
    context: dict[str, Any] = {
        "qr": Markup(totp.qr_svg(uri)),  # noqa: S704 (segno's own SVG: one path, no text of ours)
        "secret": secret,
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "issued": issued,
        "sealed": _seal(config, who, secret, issued),
        "enrolled": totp.is_enrolled(services.engine, who.user_id),
        "required": who.role in config.require_2fa,
        "errors": errors or {},
    }
    return render(request, "two_factor.html", context, status=status)


@router.get("/account/two-factor")
def setup_form(
    request: Request, who: SignedInUser, services: ServicesDep, config: ConfigDep
) -> Response:
    return _setup_page(request, who, services, config)


@router.post("/account/two-factor")
def confirm(
    request: Request,
    who: SignedInUser,
    services: ServicesDep,
    config: ConfigDep,
    form: PostedForm,
) -> Response:
    """Keep the secret once a code of it is right; show the recovery codes once."""
    secret = str(form.get("secret") or "")
    issued = str(form.get("issued") or "")
    fresh = issued.isdigit() and len(issued) < 12 and int(issued) + SETUP_FOR > time.time()
    sealed = f"{who.session_id}|{secret}|{issued}"
    if not (
        fresh and seal_ok(config.secret_key, "totp-setup", sealed, str(form.get("sealed") or ""))
    ):
        errors = {"code": texts.ENROL_STALE}
        return _setup_page(request, who, services, config, errors=errors, status=422)
    again = {"secret": secret, "issued": issued}
    if totp.is_enrolled(services.engine, who.user_id):
        user = find_user(services.engine, who.email)
        if user is None or not verify_password(user, str(form.get("current") or "")):
            errors = {"current": texts.NOT_CURRENT}
            return _setup_page(request, who, services, config, **again, errors=errors, status=422)
    try:
        codes = enrol(services.engine, by(request, who), who.session_id, secret,
                      str(form.get("code") or ""))  # fmt: skip
    except Invalid as exc:
        errors = {exc.field or "code": exc.message}
        return _setup_page(request, who, services, config, **again, errors=errors, status=422)
    return render(request, "recovery_codes.html", {"codes": codes, "enrolled_now": True})


@router.post("/account/recovery-codes")
def regenerate(
    request: Request, who: CurrentUser, services: ServicesDep, form: PostedForm
) -> Response:
    """Ten new recovery codes (the old ones stop working); the password must be given."""
    try:
        codes = new_recovery_codes(
            services.engine, by(request, who), str(form.get("current") or "")
        )
    except Invalid as exc:
        errors = {"codes": exc.message}
        return account_answer(request, who, services, errors=errors, status=422)
    return render(request, "recovery_codes.html", {"codes": codes, "enrolled_now": False})


__all__ = ["router"]

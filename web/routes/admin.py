"""Accounts for admins: invite (a one-time link, shown and, with SMTP, mailed), deactivate and
reactivate, change a role, sign out everywhere, make a password reset link, reset two-factor
sign-in; the account audit. Every change goes through `tracker.accounts.admin_actions`, which
records it in the audit in the same transaction."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from tracker.accounts import admin_actions, audit, texts
from tracker.accounts.link_mail import link_message, mail_configured, mail_link
from tracker.accounts.links import Purpose, open_invitations
from tracker.accounts.sessions import live_sessions
from tracker.accounts.totp import enrolled_ids
from tracker.accounts.users import list_users
from tracker.domain.errors import Invalid
from tracker.domain.roles import Role
from web.config import WebConfig
from web.deps import Admin, ConfigDep, Principal, ServicesDep
from web.render import redirect, render
from web.routes.account import by
from web.routes.common import PostedForm

router = APIRouter()
RECENT = 20
PATHS = {Purpose.INVITE: "/invite/", Purpose.RESET: "/reset/"}


def _rows(services: ServicesDep) -> list[dict[str, Any]]:
    live = live_sessions(services.engine)
    enrolled = enrolled_ids(services.engine)
    invited = open_invitations(services.engine)
    return [
        {
            "id": u.id,
            "email": u.email,
            "role": u.role,
            "active": u.active,
            "no_password": u.password_hash is None,
            "invited": u.id in invited,
            "two_factor": u.id in enrolled,
            "live": live.get(u.id, 0),
        }
        for u in list_users(services.engine)
    ]


def _page(
    request: Request,
    services: ServicesDep,
    config: WebConfig,
    *,
    issued: dict[str, Any] | None = None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    context = {
        "rows": _rows(services),
        "roles": [role.value for role in Role],
        "required": sorted(config.require_2fa),
        "recent": audit.latest(services.engine, limit=RECENT),
        "action_label": texts.action_label,
        "mail": mail_configured(services.settings),
        "issued": issued,
        "values": values or {"role": Role.RESEARCHER.value},
        "errors": errors or {},
    }
    return render(request, "admin_users.html", context, status=status)


def _issued(
    request: Request,
    who: Principal,
    services: ServicesDep,
    config: WebConfig,
    made: admin_actions.Issued,
) -> dict[str, Any]:
    """The link to show the admin, and what became of mailing it."""
    purpose, role = made.purpose, made.role
    url = f"{config.origin}{PATHS[purpose]}{made.token}"
    shown: dict[str, Any] = {"email": made.email, "url": url, "purpose": str(purpose)}
    if not mail_configured(services.settings):
        return {**shown, "mailed": None}
    message = link_message(
        services.settings,
        made.email,
        url,
        purpose,
        by=who.email,
        role=role,
        two_factor=Role(role) in config.require_2fa,
    )
    problem = mail_link(services.settings, message)
    prefix = "invite" if purpose is Purpose.INVITE else "reset"
    action = f"{prefix}_mailed" if problem is None else f"{prefix}_mail_failed"
    audit.record_now(services.engine, by(request, who), action, target_id=made.user_id,
                     target=made.email, detail=problem or "")  # fmt: skip
    return {**shown, "mailed": problem is None, "problem": problem}


@router.get("/admin/users")
def users(request: Request, who: Admin, services: ServicesDep, config: ConfigDep) -> Response:
    return _page(request, services, config)


@router.post("/admin/users/invite")
def invite(
    request: Request, who: Admin, services: ServicesDep, config: ConfigDep, form: PostedForm
) -> Response:
    """Make an account without a password and a one-time link to choose one."""
    email = str(form.get("email") or "").strip()
    values = {"email": email, "role": str(form.get("role") or "")}
    try:
        role = admin_actions.role_of(values["role"])
        made = admin_actions.invite(
            services.engine, email, role, by(request, who), config.secret_key
        )
    except Invalid as exc:
        errors = {exc.field or "email": exc.message}
        return _page(request, services, config, values=values, errors=errors, status=422)
    issued = _issued(request, who, services, config, made)
    return _page(request, services, config, issued=issued)


@router.post("/admin/users/{user_id}/reset-password")
def reset_password(
    request: Request, user_id: str, who: Admin, services: ServicesDep, config: ConfigDep
) -> Response:
    """A new one-time link to choose a password (older ones stop working)."""
    made = admin_actions.reset_link(services.engine, user_id, by(request, who), config.secret_key)
    issued = _issued(request, who, services, config, made)
    return _page(request, services, config, issued=issued)


@router.post("/admin/users/{user_id}/deactivate")
def deactivate(request: Request, user_id: str, who: Admin, services: ServicesDep) -> Response:
    admin_actions.set_active(services.engine, user_id, False, by(request, who))
    return redirect(request, "/admin/users")


@router.post("/admin/users/{user_id}/reactivate")
def reactivate(request: Request, user_id: str, who: Admin, services: ServicesDep) -> Response:
    admin_actions.set_active(services.engine, user_id, True, by(request, who))
    return redirect(request, "/admin/users")


@router.post("/admin/users/{user_id}/role")
def change_role(
    request: Request, user_id: str, who: Admin, services: ServicesDep, form: PostedForm
) -> Response:
    role = admin_actions.role_of(str(form.get("role") or ""))
    admin_actions.change_role(services.engine, user_id, role, by(request, who))
    return redirect(request, "/admin/users")


@router.post("/admin/users/{user_id}/revoke")
def revoke_sessions(request: Request, user_id: str, who: Admin, services: ServicesDep) -> Response:
    """End every session of an account (they must sign in again)."""
    admin_actions.sign_out_everywhere(services.engine, user_id, by(request, who))
    return redirect(request, "/admin/users")


@router.post("/admin/users/{user_id}/reset-two-factor")
def reset_two_factor(request: Request, user_id: str, who: Admin, services: ServicesDep) -> Response:
    """Remove an account's authenticator and recovery codes, and end its sessions."""
    admin_actions.reset_two_factor(services.engine, user_id, by(request, who))
    return redirect(request, "/admin/users")


@router.get("/admin/audit")
def audit_page(
    request: Request,
    who: Admin,
    services: ServicesDep,
    before: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
) -> Response:
    """The account audit, newest first, a page at a time."""
    entries = audit.latest(services.engine, before=before, limit=100)
    older = entries[-1].id if len(entries) == 100 else None
    context = {"entries": entries, "older": older, "action_label": texts.action_label}
    return render(request, "admin_audit.html", context)


__all__ = ["router"]

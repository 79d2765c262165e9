"""The signed-in user's own API tokens: list them, make one (shown once), revoke one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tracker.accounts.api_tokens import expiry_of, issue_token, revoke_token, tokens_of
from tracker.domain.errors import NotFound
from web.deps import CurrentUser, Principal, ServicesDep
from web.render import redirect, render
from web.routes.common import PostedForm

router = APIRouter()


def _page(
    request: Request,
    who: Principal,
    services: ServicesDep,
    *,
    issued: dict[str, str] | None = None,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    rows: list[dict[str, Any]] = []
    for row in tokens_of(services.engine, who.user_id):
        state = "revoked" if row.revoked_at else ("live" if row.live() else "expired")
        rows.append({**row.model_dump(), "state": state})
    context = {
        "tokens": rows,
        "issued": issued,
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, "tokens.html", context, status=status)


@router.get("/tokens")
def tokens_page(request: Request, who: CurrentUser, services: ServicesDep) -> Response:
    return _page(request, who, services)


@router.post("/tokens")
def make_token(
    request: Request, who: CurrentUser, services: ServicesDep, form: PostedForm
) -> Response:
    """Make a token and show it once on the page."""
    name = str(form.get("name") or "").strip()
    expires = str(form.get("expires") or "").strip()
    values = {"name": name[:100], "expires": expires[:10]}
    errors: dict[str, str] = {}
    if not name or len(name) > 100:
        errors["name"] = "give the token a name of 1 to 100 characters"
    until = None
    if expires:
        try:
            until = expiry_of(expires)
        except ValueError as exc:
            errors["expires"] = str(exc)
    if errors:
        return _page(request, who, services, values=values, errors=errors, status=422)
    token = issue_token(services.engine, who.user_id, name, expires_at=until)
    return _page(request, who, services, issued={"name": name, "token": token})


@router.post("/tokens/{token_id}/revoke")
def revoke(request: Request, token_id: str, who: CurrentUser, services: ServicesDep) -> Response:
    """Revoke one of one's own tokens (another account's id is not found)."""
    if token_id[:100] not in {t.id for t in tokens_of(services.engine, who.user_id)}:
        raise NotFound("you have no token with this id")
    revoke_token(services.engine, token_id, user_id=who.user_id)
    return redirect(request, "/tokens")


__all__ = ["router"]

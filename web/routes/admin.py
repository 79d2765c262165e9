"""Accounts for admins: who has one, with which role, how many live sessions; revoke them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tracker.accounts.sessions import live_sessions, revoke_all
from tracker.accounts.users import list_users
from tracker.domain.errors import NotFound
from web.deps import Admin, ServicesDep
from web.render import redirect, render

router = APIRouter()


@router.get("/admin/users")
def users(request: Request, who: Admin, services: ServicesDep) -> Response:
    live = live_sessions(services.engine)
    rows = [
        {
            "id": u.id,
            "email": u.email,
            "role": u.role,
            "active": u.active,
            "live": live.get(u.id, 0),
        }
        for u in list_users(services.engine)
    ]
    return render(request, "admin_users.html", {"rows": rows})


@router.post("/admin/users/{user_id}/revoke")
def revoke_sessions(request: Request, user_id: str, who: Admin, services: ServicesDep) -> Response:
    """End every session of an account (they must sign in again)."""
    if user_id[:100] not in {u.id for u in list_users(services.engine)}:
        raise NotFound("there is no such account")
    revoke_all(services.engine, user_id)
    return redirect(request, "/admin/users")


__all__ = ["router"]

"""The 'Follow' button of a case page: make or extend a digest subscription that follows it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tracker.digest.following import follow_case
from web.deps import Reader, ServicesDep
from web.render import redirect
from web.routes.common import check_stream, load_detail

router = APIRouter()


@router.post("/cases/{case_id}/follow")
def follow(request: Request, case_id: str, who: Reader, services: ServicesDep) -> Response:
    """Follow a case the reader may see; back to the case page, which then says where."""
    check_stream("cases", case_id)
    with services.engine.connect() as conn:
        load_detail(services, conn, case_id, who)  # 404 for a case the reader may not see
    follow_case(services.engine, services.store, who.user_id, case_id)
    return redirect(request, f"/cases/{case_id}?followed=1")


__all__ = ["router"]

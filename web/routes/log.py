"""The log: the latest events across all records, newest first, and the head of the chain."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from tracker.projections.log import log_page
from tracker.projections.lookups import confidential_source_ids
from web.deps import Reader, ServicesDep
from web.render import render
from web.routes.common import stream_url

router = APIRouter()


@router.get("/log")
def event_log(
    request: Request,
    who: Reader,
    services: ServicesDep,
    before: Annotated[int | None, Query(ge=1, le=10**15)] = None,
) -> Response:
    """Fragment for htmx: the `entries` block (rows and the link to older ones)."""
    with services.engine.connect() as conn:
        confidential = confidential_source_ids(conn)
    page = log_page(
        services.store, restricted=who.restricted, confidential=confidential, before=before
    )
    for row in page.rows:
        row["url"] = stream_url(row["stream_id"])
    return render(request, "log.html", {"page": page}, block="entries")


__all__ = ["router"]

"""The log: its head (position and hash, to anchor outside the database) and the latest
events across all records, newest first, as the /log page shows them to the reader."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from tracker.projections.log import log_page
from tracker.projections.lookups import confidential_source_ids
from web.api import schemas
from web.api.common import problems
from web.deps import Reader, ServicesDep

router = APIRouter(tags=["log"])
ERRORS = problems(401, 422)


@router.get("/log/head", response_model=schemas.Head, responses=ERRORS)
def log_head(who: Reader, services: ServicesDep) -> schemas.Head:
    """The last position and its hash (compare with `tracker verify`)."""
    head = services.store.head()
    return schemas.Head(position=head.position, hash=head.hash)


@router.get("/log", response_model=schemas.Log, responses=ERRORS)
def latest_events(
    who: Reader,
    services: ServicesDep,
    before: Annotated[int | None, Query(ge=1, le=10**15)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> schemas.Log:
    """Up to `limit` events before position `before` (default: from the head)."""
    with services.engine.connect() as conn:
        confidential = confidential_source_ids(conn)
    page = log_page(
        services.store,
        restricted=who.restricted,
        confidential=confidential,
        before=before,
        limit=limit,
    )
    return schemas.Log(
        head=schemas.Head(position=page.head_position, hash=page.head_hash),
        older=page.older,
        entries=[
            schemas.LogEntry(**{k: r[k] for k in schemas.LogEntry.model_fields}) for r in page.rows
        ],
    )


__all__ = ["router"]

"""Review: the queue of pending events, and approving or rejecting one with a note, never
one's own (the domain refuses it: 403; an event already decided: 409)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from tracker.domain.commands import Review
from tracker.domain.errors import DomainError
from tracker.projections.review_queue import pending_events
from web.api import schemas
from web.api.common import domain_problem, key_of, problems, stored
from web.api.events import Kind
from web.deps import Reviewer, ServicesDep
from web.routes.common import check_stream, load_detail

router = APIRouter(tags=["review"])
PAGE = 50
ERRORS = problems(401, 403, 404, 409, 422)


@router.get("/review", response_model=schemas.ReviewQueue, responses=ERRORS)
def review_queue(
    who: Reviewer,
    services: ServicesDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> schemas.ReviewQueue:
    """Pending events of every record, oldest first (the /review page)."""
    with services.engine.connect() as conn:
        rows, total = pending_events(conn, limit=PAGE, offset=(page - 1) * PAGE)
    events = [
        schemas.Pending(
            position=r["position"], stream_id=r["stream_id"], stream_title=r["stream_title"],
            version=r["version"], event_id=r["event_id"], type=r["type"], summary=r["summary"],
            author=r["author"], recorded_at=r["recorded_at"], own=r["author"] == who.email,
        )
        for r in rows
    ]  # fmt: skip
    return schemas.ReviewQueue(
        total=total, page=page, pages=max(1, -(-total // PAGE)), events=events
    )


@router.post(
    "/{kind}/{stream_id}/events/{event_id}/review",
    status_code=201,
    response_model=schemas.Stored,
    responses=ERRORS,
)
def review_event(
    kind: Kind,
    stream_id: str,
    event_id: str,
    body: schemas.ReviewDecision,
    who: Reviewer,
    services: ServicesDep,
) -> JSONResponse:
    """Approve or reject someone else's pending event; the answer is the review event."""
    check_stream(kind, stream_id)
    with services.engine.connect() as conn:
        load_detail(services, conn, stream_id, who)  # 404 for a missing record
    command = Review(stream_id, event_id[:100], body.decision, body.note)
    try:
        outcome = services.tracker.execute(command, who.actor, event_id=key_of(body.event_id))
    except DomainError as exc:
        return domain_problem(exc, "target_event_id", "event_id")
    return stored(outcome)


__all__ = ["router"]

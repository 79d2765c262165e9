"""The review queue: pending events, oldest first, each with its evidence (the whole event, its
citations and their sources' review state, the case's status now and if approved); approving
or rejecting posts to `events.review_event`. A reviewer's own events are listed but cannot be
decided by them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from tracker.projections.review_queue import pending_events
from tracker.reviewing.evidence import EvidenceReader
from web.deps import Reviewer, ServicesDep
from web.event_fields import event_fields
from web.render import render
from web.routes.common import new_event_id, stream_url

router = APIRouter()
PAGE = 20


@router.get("/review")
def review_queue(
    request: Request,
    who: Reviewer,
    services: ServicesDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    with services.engine.connect() as conn:
        rows, total = pending_events(conn, limit=PAGE, offset=(page - 1) * PAGE)
        reader = EvidenceReader(services.store, conn)
        for row in rows:
            row["url"] = stream_url(row["stream_id"])
            row["own"] = row["author"] == who.email
            row["form_id"] = new_event_id()
            evidence = reader.evidence(row["stream_id"], row["event_id"])
            row["evidence"] = evidence
            row["fields"] = event_fields(evidence.shown) if evidence else []
            row["before"] = event_fields(evidence.amends) if evidence and evidence.amends else []
    context = {"rows": rows, "total": total, "page": page, "pages": max(1, -(-total // PAGE))}
    return render(request, "review.html", context)


__all__ = ["router"]

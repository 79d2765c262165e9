"""Correcting and retracting an event at an expected version: the event stays in the log and
the correction or retraction is a new event, pending review, naming it and giving a reason."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tracker.domain.commands import Correct, Retract
from tracker.domain.errors import NotFound
from web.api import schemas
from web.api.common import problems
from web.api.events import Kind, run_at_version
from web.deps import Principal, ServicesDep, Writer
from web.routes.common import check_stream, load_detail

router = APIRouter(tags=["events"])
ERRORS = {**problems(401, 403, 404, 422), **problems(_409=schemas.Stale)}


def _target(
    services: ServicesDep, kind: Kind, stream_id: str, event_id: str, who: Principal
) -> str:
    """The id of an event the writer may see in this record (404 otherwise)."""
    check_stream(kind, stream_id)
    with services.engine.connect() as conn:
        detail = load_detail(services, conn, stream_id, who)
    entry = detail.history.entry(event_id[:100])
    if entry is None:
        raise NotFound(f"there is no event {event_id[:100]!r} in this record", "event_id")
    return entry.event_id


@router.post(
    "/{kind}/{stream_id}/events/{event_id}/correct",
    status_code=201,
    response_model=schemas.Stored,
    responses=ERRORS,
)
def correct_event(
    kind: Kind,
    stream_id: str,
    event_id: str,
    body: schemas.Correction,
    who: Writer,
    services: ServicesDep,
) -> JSONResponse:
    """Correct an event: `replacement` holds the fields to change; counts once approved."""
    target = _target(services, kind, stream_id, event_id, who)
    command = Correct(stream_id, target, body.replacement, body.reason)
    return run_at_version(
        services, who, command, expected_version=body.expected_version,
        event_id=body.event_id, fields=("replacement", "replacement"),
    )  # fmt: skip


@router.post(
    "/{kind}/{stream_id}/events/{event_id}/retract",
    status_code=201,
    response_model=schemas.Stored,
    responses=ERRORS,
)
def retract_event(
    kind: Kind,
    stream_id: str,
    event_id: str,
    body: schemas.Retraction,
    who: Writer,
    services: ServicesDep,
) -> JSONResponse:
    """Retract an event: it stays in the log and, once this is approved, counts for nothing."""
    target = _target(services, kind, stream_id, event_id, who)
    command = Retract(stream_id, target, body.reason)
    return run_at_version(
        services, who, command, expected_version=body.expected_version,
        event_id=body.event_id, fields=("target_event_id", "event_id"),
    )  # fmt: skip


__all__ = ["router"]

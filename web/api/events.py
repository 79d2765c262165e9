"""A stream's events (with positions and hashes) and appending one at an expected version.

Works on cases, reports and sources (`/api/cases/{id}/events`, `/api/reports/...`,
`/api/sources/...`), through the same command path and visibility rules as the pages. A stale
`expected_version` gets 409 with the current version and the events added since; data that
fails the event's model gets 422 naming each field (`data.date.value`); a repeated `event_id`
gets the first answer again, same status and body.
"""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from tracker.bootstrap import Services
from tracker.domain.commands import Command, Record
from tracker.domain.decide import stream_of
from tracker.domain.errors import DomainError
from tracker.domain.events import EVENT_TYPES, DomainEvent
from tracker.domain.streams import RECORDABLE
from tracker.eventstore.model import ConcurrencyConflict
from tracker.projections.lookups import confidential_source_ids
from web.api import schemas
from web.api.common import domain_problem, key_of, problems, stored
from web.api.errors import field_error, problem, validation_errors
from web.api.views import events_of
from web.deps import Principal, Reader, ServicesDep, Writer
from web.routes.common import check_stream, load_detail

router = APIRouter(tags=["events"])
Kind = Literal["cases", "reports", "sources"]
ERRORS = problems(401, 403, 404, 422)
CHANGED = "this record changed since the version you sent: see `since`, then send it again"


def _events(
    services: Services, stream_id: str, who: Principal, since: int | None = None
) -> tuple[int, list[schemas.Event]]:
    with services.engine.connect() as conn:
        detail = load_detail(services, conn, stream_id, who)
        confidential = confidential_source_ids(conn)
    return detail.version, events_of(detail, confidential, who.restricted, since=since)


@router.get("/{kind}/{stream_id}/events", response_model=schemas.Events, responses=ERRORS)
def read_events(kind: Kind, stream_id: str, who: Reader, services: ServicesDep) -> schemas.Events:
    """The record's events the reader may see, in version order, each with its log position,
    hash and review state."""
    check_stream(kind, stream_id)
    version, events = _events(services, stream_id, who)
    return schemas.Events(stream_id=stream_id, version=version, events=events)


def _model(kind: Kind, stream_id: str, type_name: str) -> type[DomainEvent] | None:
    cls = EVENT_TYPES.get(type_name)
    recordable = RECORDABLE[check_stream(kind, stream_id)]
    return cls if cls is not None and cls in recordable else None


@router.post(
    "/{kind}/{stream_id}/events",
    status_code=201,
    response_model=schemas.Stored,
    responses={**ERRORS, **problems(_409=schemas.Stale)},
)
def append_event(
    kind: Kind, stream_id: str, body: schemas.Append, who: Writer, services: ServicesDep
) -> JSONResponse:
    """Record an update (pending review) if the record is still at `expected_version`."""
    model = _model(kind, stream_id, body.type)
    with services.engine.connect() as conn:
        load_detail(services, conn, stream_id, who)  # 404 for a missing record
    if model is None:
        takes = sorted(c.TYPE for c in RECORDABLE[check_stream(kind, stream_id)])
        message = f"not a kind of update this record takes; one of {', '.join(takes)}"
        return problem(422, f"type: {message}", [field_error("type", message)])
    try:
        event = model.model_validate(body.data)
    except ValidationError as exc:
        errors = validation_errors(list(exc.errors()), prefix="data.")
        listed = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
        return problem(422, f"not valid: {listed}", errors)
    return run_at_version(
        services,
        who,
        Record(stream_id, event),
        expected_version=body.expected_version,
        event_id=body.event_id,
        fields=("event", "data"),
    )


def run_at_version(
    services: Services,
    who: Principal,
    command: Command,
    *,
    expected_version: int,
    event_id: UUID | None,
    fields: tuple[str, str],
) -> JSONResponse:
    """Run a command if its record is still at `expected_version`: 201 with what it stored,
    409 with the current version and the events added since, or the domain's refusal naming
    the body's field (`fields` maps the command's field name to the body's)."""
    stream_id = stream_of(command)
    try:
        outcome = services.tracker.execute(
            command, who.actor, expected_version=expected_version, event_id=key_of(event_id)
        )
    except ConcurrencyConflict as exc:
        version, since = _events(services, stream_id, who, since=expected_version)
        errors = [field_error("expected_version", f"the record is at version {version}")]
        return problem(
            409,
            CHANGED,
            errors,
            current_version=version if version else exc.current_version,
            since=[e.model_dump(mode="json") for e in since],
        )
    except DomainError as exc:
        return domain_problem(exc, *fields)
    return stored(outcome)


__all__ = ["router", "run_at_version"]

"""Opening a report or registering a source (cases open in `cases.py`, with their duplicate
check). The record's id is its kind and the event_id, so the same request opens it once."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from tracker.bootstrap import Services
from tracker.domain.commands import OpenReport, RegisterSource
from tracker.domain.errors import DomainError
from web.api import schemas
from web.api.common import domain_problem, key_of, problems, stored
from web.deps import Principal, ServicesDep, Writer

router = APIRouter(tags=["reports and sources"])
ERRORS = problems(401, 403, 409, 422)


def _open(
    services: Services, who: Principal, command: OpenReport | RegisterSource, event_id: str
) -> JSONResponse:
    """Open a new stream (its version must be 0); errors name the request's fields."""
    try:
        outcome = services.tracker.execute(
            command, who.actor, expected_version=0, event_id=event_id
        )
    except DomainError as exc:
        if isinstance(command, OpenReport):
            return domain_problem(exc, "opened", "report")
        return domain_problem(exc, "registered", "source")
    return stored(outcome)


@router.post("/reports", status_code=201, response_model=schemas.Stored, responses=ERRORS)
def open_report(body: schemas.OpenReport, who: Writer, services: ServicesDep) -> JSONResponse:
    """Open a report of an incident (pending review); its id is `report-` and the event_id."""
    event_id = key_of(body.event_id)
    return _open(services, who, OpenReport(f"report-{event_id}", body.report), event_id)


@router.post("/sources", status_code=201, response_model=schemas.Stored, responses=ERRORS)
def register_source(
    body: schemas.RegisterSource, who: Writer, services: ServicesDep
) -> JSONResponse:
    """Register a source (pending review); its id is `source-` and the event_id. A
    confidential source is never shown to advocates."""
    event_id = key_of(body.event_id)
    return _open(services, who, RegisterSource(f"source-{event_id}", body.source), event_id)


__all__ = ["router"]

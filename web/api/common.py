"""What the API routes share: the answer to a write, domain errors as JSON, idempotency keys."""

from __future__ import annotations

import uuid
from typing import Any
from uuid import UUID

from fastapi.responses import JSONResponse
from pydantic import BaseModel

from tracker.application import Outcome
from tracker.domain.errors import DomainError
from web.api import schemas
from web.api.errors import field_error, problem
from web.errors import domain_status

Responses = dict[int | str, dict[str, Any]]
REPLAYED = "Idempotent-Replayed"
"""Header set to 'true' when a repeated event_id got the first answer again."""


def problems(*codes: int, **models: type[BaseModel]) -> Responses:
    """The error answers a route documents: `Problem` for each code, or the model given as
    `_409=Stale`."""
    out: Responses = {code: {"model": schemas.Problem} for code in codes}
    for name, model in models.items():
        out[int(name.lstrip("_"))] = {"model": model}
    return out


def key_of(event_id: UUID | None) -> str:
    """The idempotency key a write runs with (a new one when the client sent none)."""
    return str(event_id or uuid.uuid4())


def stored(outcome: Outcome) -> JSONResponse:
    """201 with what the command stored; a replayed command gets the same status and body."""
    first = outcome.events[0]
    body = schemas.Stored(
        stream_id=first.stream_id,
        event_id=first.event_id,
        type=first.type,
        version=first.version,
        position=first.global_position,
        hash=first.hash,
    )
    headers = {REPLAYED: "true"} if outcome.replayed else {}
    return JSONResponse(body.model_dump(mode="json"), status_code=201, headers=headers)


def domain_problem(exc: DomainError, command_field: str, body_field: str) -> JSONResponse:
    """A refused command, naming the body's field where the domain names the command's
    ('opened.name' -> 'case.name', 'event.date' -> 'data.date')."""
    field = exc.field
    if field is not None and (field == command_field or field.startswith(command_field + ".")):
        field = body_field + field.removeprefix(command_field)
    errors = [field_error(field, exc.message)] if field else []
    return problem(domain_status(exc), exc.message, errors)


__all__ = ["REPLAYED", "Responses", "domain_problem", "key_of", "problems", "stored"]

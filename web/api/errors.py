"""Errors of the JSON API: always JSON, `{"detail": ..., "errors": [{"field", "message"}]}`.

Domain errors keep their message and status (403, 404, 409, 422); bad query, path or body
values get 422 naming each field (the value sent is never echoed back); no session or token
gets 401 (never a redirect to the sign-in page); a refused CSRF check 403; a stale version 409.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from tracker.domain.errors import DomainError
from tracker.eventstore.model import ConcurrencyConflict, DuplicateEventId
from web.deps import CsrfRefused, NotSignedIn
from web.errors import domain_status

_MAX_ERRORS = 20


def problem(
    status: int,
    detail: str,
    errors: list[dict[str, str]] | None = None,
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """An error answer in the API's one shape (plus any `extra` keys)."""
    body: dict[str, Any] = {"detail": detail, "errors": errors or [], **extra}
    return JSONResponse(body, status_code=status, headers=headers)


def field_error(field: str, message: str) -> dict[str, str]:
    return {"field": field, "message": message}


def location(loc: tuple[Any, ...] | list[Any]) -> str:
    """'body.case.name' -> 'case.name'; 'query.as_of' -> 'as_of'."""
    parts = [str(p) for p in loc]
    if parts and parts[0] in {"body", "query", "path", "header", "cookie"}:
        parts = parts[1:]
    return ".".join(parts) or "request"


def _message(error: dict[str, Any]) -> str:
    return str(error.get("msg", "not valid")).removeprefix("Value error, ")


def validation_errors(errors: list[Any], prefix: str = "") -> list[dict[str, str]]:
    """The fields of a pydantic or FastAPI error list, first message per field."""
    out: dict[str, str] = {}
    for error in errors[:_MAX_ERRORS]:
        where = location(error.get("loc", ()))
        if where == "request" and prefix:
            where = prefix.rstrip(".")
        elif prefix:
            where = prefix + where
        out.setdefault(where, _message(error))
    return [field_error(k, v) for k, v in out.items()]


async def _domain(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    errors = [field_error(exc.field, exc.message)] if exc.field else []
    return problem(domain_status(exc), exc.message, errors)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return problem(404, "there is no API endpoint at this address")
    if exc.status_code == 405:
        return problem(405, "this address does not take that method")
    return problem(exc.status_code, str(exc.detail))


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    errors = validation_errors(list(exc.errors()))
    listed = "; ".join(f"{e['field']}: {e['message']}" for e in errors[:5])
    return problem(422, f"not valid: {listed}", errors)


async def _not_signed_in(request: Request, exc: Exception) -> Response:
    detail = "sign in, or send a live API token as 'Authorization: Bearer trk_...'"
    return problem(401, detail, headers={"WWW-Authenticate": "Bearer"})


async def _csrf(request: Request, exc: Exception) -> Response:
    detail = (
        "a write with the session cookie needs the X-CSRF-Token header from this site's pages; "
        "tools should send an API token instead"
    )
    return problem(403, detail, [field_error("X-CSRF-Token", "missing or wrong")])


async def _conflict(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ConcurrencyConflict)
    detail = "this record changed since the version you sent; read it again"
    errors = [field_error("expected_version", f"the record is at version {exc.current_version}")]
    return problem(409, detail, errors, current_version=exc.current_version)


async def _duplicate_id(request: Request, exc: Exception) -> Response:
    detail = "this event_id was already used for a different event; send a new one"
    return problem(409, detail, [field_error("event_id", "already used")])


def install(app: FastAPI) -> None:
    """Register the JSON handlers on the API app."""
    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(NotSignedIn, _not_signed_in)
    app.add_exception_handler(CsrfRefused, _csrf)
    app.add_exception_handler(ConcurrencyConflict, _conflict)
    app.add_exception_handler(DuplicateEventId, _duplicate_id)


__all__ = ["field_error", "install", "location", "problem", "validation_errors"]

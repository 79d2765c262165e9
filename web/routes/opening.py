"""Opening a stream (a case, a report, a source) from a form built on its opening event."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from tracker.bootstrap import Services
from tracker.domain.commands import Command, OpenCase, OpenReport, RegisterSource
from tracker.domain.errors import DomainError
from tracker.domain.events import CaseOpened, DomainEvent, ReportOpened, SourceRegistered
from tracker.domain.streams import StreamKind
from tracker.eventstore.model import ConcurrencyConflict
from web.audience import with_audience
from web.deps import Principal
from web.errors import domain_status
from web.forms import FormField, Values, form_fields, parse_form, slots, submitted
from web.render import is_htmx, redirect, render
from web.routes.common import form_event_id, new_event_id, source_choices, stream_url

Duplicates = Callable[[Services, Any, bool], list[Any]]
DUPLICATE = (
    "This name matches existing cases (listed below). If this is a different person, "
    "tick the box and open the case again."
)


@dataclass(frozen=True)
class Opening:
    """How one kind of stream is opened."""

    path: str
    kind: StreamKind
    model: type[DomainEvent]
    command: Callable[[str, Any], Command]
    title: str
    field: str
    """The command's field holding the event, as domain errors name it ('opened')."""


OPENINGS = {
    "cases": Opening("cases", StreamKind.CASE, CaseOpened, OpenCase, "Open a case", "opened"),
    "reports": Opening(
        "reports", StreamKind.REPORT, ReportOpened, OpenReport, "Open a report", "opened"
    ),
    "sources": Opening(
        "sources",
        StreamKind.SOURCE,
        SourceRegistered,
        RegisterSource,
        "Register a source",
        "registered",
    ),
}


def open_form(
    request: Request,
    services: Services,
    opening: Opening,
    *,
    values: Values | None = None,
    errors: Mapping[str, str] | None = None,
    matches: list[Any] | None = None,
    status: int = 200,
) -> Response:
    """The opening form: the page, its `content` block for htmx, or its `form` block when a
    posted form comes back with errors."""
    with services.engine.connect() as conn:
        fields = opening_fields(opening, conn, values or {})
    context = {
        "opening": opening,
        "fields": fields,
        "values": values or {"event_id": new_event_id()},
        "errors": dict(errors or {}),
        "matches": matches or [],
        "name": (values or {}).get("name", ""),
    }
    block = "form" if request.method == "POST" else "content"
    return render(request, "stream_new.html", context, status=status, block=block)


def opening_fields(opening: Opening, conn: Any, keys: Iterable[str]) -> list[FormField]:
    """The opening form's fields, with as many citation slots as were posted, each told who
    will read it."""
    fields = form_fields(
        opening.model,
        choices={"source_id": source_choices(conn)},
        citation_slots=slots(keys, "citations"),
    )
    return with_audience(opening.model, fields)


def field_of(error: DomainError, prefix: str) -> str:
    """The form field a domain error names ('opened.citations.0.source_id' -> 'citations.0...')."""
    field = error.field or "__all__"
    return field.removeprefix(f"{prefix}.") if field.startswith(f"{prefix}.") else "__all__"


def open_stream(
    request: Request,
    services: Services,
    who: Principal,
    opening: Opening,
    form: FormData,
    duplicates: Duplicates | None = None,
) -> Response:
    """Validate, check for duplicates, open; the stream id derives from the form's event id so
    that posting the same form twice opens one stream."""
    values = submitted(form)
    with services.engine.connect() as conn:
        fields = opening_fields(opening, conn, form)
    event, errors = parse_form(opening.model, fields, form)
    if event is None:
        return open_form(request, services, opening, values=values, errors=errors, status=422)
    matches = duplicates(services, event, form.get("confirm_new") == "on") if duplicates else []
    if matches:
        errors = {"name": DUPLICATE}
        return open_form(
            request, services, opening, values=values, errors=errors, matches=matches, status=422
        )
    event_id = form_event_id(form) or new_event_id()
    stream_id = f"{opening.kind.value}-{event_id}"
    try:
        services.tracker.execute(
            opening.command(stream_id, event), who.actor, expected_version=0, event_id=event_id
        )
    except DomainError as exc:
        errors = {field_of(exc, opening.field): exc.message}
        status = domain_status(exc)
        return open_form(request, services, opening, values=values, errors=errors, status=status)
    except ConcurrencyConflict:
        errors = {"__all__": "This form was already used; open a new one."}
        return open_form(request, services, opening, values=values, errors=errors, status=409)
    return redirect(request, stream_url(stream_id))


__all__ = ["OPENINGS", "Opening", "field_of", "is_htmx", "open_form", "open_stream"]

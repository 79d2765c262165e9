"""Logging an update on any stream, correcting or retracting an event, and reviewing one.

Every form carries the stream's version when it was opened; if the stream moved on meanwhile
the answer is 409 with the events added since, and the form keeps what was typed (now at the
new version, so sending it again is a deliberate choice). It also carries an event id, so a
form sent twice stores one event.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from tracker.bootstrap import Services
from tracker.domain.commands import Command, Correct, Record, Retract, Review
from tracker.domain.errors import DomainError, Invalid, NotFound
from tracker.domain.events import EVENT_TYPES, Decision, DomainEvent
from tracker.domain.streams import RECORDABLE, StreamKind
from tracker.eventstore.model import ConcurrencyConflict
from tracker.projections.detail import StreamDetail
from web.audience import with_audience
from web.deps import Principal, Reviewer, ServicesDep, Writer
from web.errors import domain_status
from web.forms import FormField, Values, flatten, form_fields, parse_form, submitted, words
from web.forms import slots as count_slots
from web.render import redirect, render
from web.routes.auth import safe_next
from web.routes.common import (
    PostedForm,
    case_choices,
    check_stream,
    form_event_id,
    form_int,
    load_detail,
    new_event_id,
    source_choices,
    stream_url,
    update_types,
)
from web.routes.opening import field_of

router = APIRouter()
NO_VERSION = "The form lacks the record's version; reload the page."
CHANGED = (
    "This record changed since you opened the form: see the new events below. "
    "Your form is kept; send it again if it still holds."
)


def _fields(
    services: Services, model: type[DomainEvent], slots: int = 1, charges: int = 1
) -> list[FormField]:
    with services.engine.connect() as conn:
        choices = {"source_id": source_choices(conn), "case_id": case_choices(conn)}
    fields = form_fields(model, choices=choices, citation_slots=slots, charge_slots=charges)
    return with_audience(model, fields)


def _slots(keys: Iterable[str], least_citations: int = 1, least_charges: int = 1) -> dict[str, int]:
    """The citation and charge slots a form shows: as many as posted or stored, at least one."""
    return {
        "slots": count_slots(keys, "citations", least_citations),
        "charges": count_slots(keys, "charges", least_charges),
    }


def _form_page(
    request: Request,
    services: Services,
    detail: StreamDetail,
    *,
    mode: str,
    model: type[DomainEvent] | None,
    values: Values,
    errors: dict[str, str] | None = None,
    status: int = 200,
    since: list[Any] | None = None,
    target: Any = None,
    slots: int = 1,
) -> Response:
    kind = check_stream_kind(detail.stream_id)
    counts = _slots(values, slots)
    context = {
        "detail": detail,
        "stream_url": stream_url(detail.stream_id),
        "mode": mode,
        "model": model,
        "model_label": words(model.TYPE) if model else "",
        "model_help": (model.__doc__ or "").strip().splitlines()[0] if model else "",
        "choices": update_types(kind),
        "fields": _fields(services, model, **counts) if model and mode != "retract" else [],
        "values": values,
        "errors": errors or {},
        "since": since or [],
        "target": target,
    }
    block = "form" if request.method == "POST" else "content"
    return render(request, "event_form.html", context, status=status, block=block)


def check_stream_kind(stream_id: str) -> StreamKind:
    return StreamKind(stream_id.split("-", 1)[0])


def _fresh_values(detail: StreamDetail, **extra: Any) -> Values:
    return {"expected_version": str(detail.version), "event_id": new_event_id(), **extra}


def _model(kind: StreamKind, type_name: str) -> type[DomainEvent]:
    cls = EVENT_TYPES.get(type_name)
    if cls is None or cls not in RECORDABLE[kind]:
        raise Invalid("choose a kind of update this record takes", "type")
    return cls


@router.get("/{path}/{stream_id}/events/new")
def new_event(
    request: Request,
    path: str,
    stream_id: str,
    who: Writer,
    services: ServicesDep,
    type: str = "",
    again: str = "",
) -> Response:
    """The form for a new update; with `again` (a rejected event's id), filled with that
    event's values so its author can fix them and send it for review again."""
    kind = check_stream(path, stream_id)
    with services.engine.connect() as conn:
        detail = load_detail(services, conn, stream_id, who)
    model = _model(kind, type) if type else None
    values = _fresh_values(detail, type=type)
    if again and model is not None:
        rejected = _entry(detail, again).effective
        if rejected.TYPE != model.TYPE:
            raise Invalid("the event to send again is of another kind", "again")
        values = {**flatten(rejected.model_dump(mode="json")), **values}
    return _form_page(request, services, detail, mode="record", model=model, values=values)


def _entry(detail: StreamDetail, event_id: str) -> Any:
    entry = detail.history.entry(event_id[:100])
    if entry is None:
        raise NotFound(f"there is no event {event_id[:100]!r} in this record")
    return entry


def _amend_target(
    services: Services, path: str, stream_id: str, event_id: str, action: str, who: Principal
) -> tuple[StreamDetail, Any]:
    """The record and the event a correction or retraction form is about (404 otherwise)."""
    check_stream(path, stream_id)
    if action not in ("correct", "retract"):
        raise NotFound("there is no page at this address")
    with services.engine.connect() as conn:
        detail = load_detail(services, conn, stream_id, who)
    return detail, _entry(detail, event_id)


@router.get("/{path}/{stream_id}/events/{event_id}/{action}")
def amend_form(
    request: Request,
    path: str,
    stream_id: str,
    event_id: str,
    action: str,
    who: Writer,
    services: ServicesDep,
) -> Response:
    """The correction form (filled with the event as it stands) or the retraction form."""
    detail, entry = _amend_target(services, path, stream_id, event_id, action, who)
    model = type(entry.effective)
    values = _fresh_values(detail, **flatten(entry.effective.model_dump(mode="json")))
    slots = len(getattr(entry.effective, "citations", ())) + 1
    return _form_page(
        request,
        services,
        detail,
        mode=action,
        model=model,
        values=values,
        target=entry,
        slots=slots,
    )


@router.post("/{path}/{stream_id}/events")
def record_event(
    request: Request,
    path: str,
    stream_id: str,
    who: Writer,
    services: ServicesDep,
    form: PostedForm,
) -> Response:
    kind = check_stream(path, stream_id)
    with services.engine.connect() as conn:
        detail = load_detail(services, conn, stream_id, who)
    type_name = str(form.get("type") or "")
    model = _model(kind, type_name)
    values = submitted(form)
    fields = _fields(services, model, **_slots(form))
    event, errors = parse_form(model, fields, form)
    if event is None:
        return _form_page(
            request,
            services,
            detail,
            mode="record",
            model=model,
            values=values,
            errors=errors,
            status=422,
        )
    assert isinstance(event, DomainEvent)
    command = Record(stream_id, event)
    return _execute(request, services, who, detail, command, form, mode="record", model=model)


@router.post("/{path}/{stream_id}/events/{event_id}/{action}")
def amend_event(
    request: Request,
    path: str,
    stream_id: str,
    event_id: str,
    action: str,
    who: Writer,
    services: ServicesDep,
    form: PostedForm,
) -> Response:
    detail, entry = _amend_target(services, path, stream_id, event_id, action, who)
    model = type(entry.effective)
    reason = str(form.get("reason") or "").strip()
    values = submitted(form)
    command: Command
    if action == "retract":
        command = Retract(stream_id, entry.event_id, reason)
    else:
        slots = len(getattr(entry.effective, "citations", ())) + 1
        event, errors = parse_form(model, _fields(services, model, **_slots(form, slots)), form)
        if event is None:
            return _form_page(
                request, services, detail, mode=action, model=model, values=values,
                errors=errors, status=422, target=entry, slots=slots,
            )  # fmt: skip
        command = Correct(stream_id, entry.event_id, event.model_dump(mode="json"), reason)
    return _execute(
        request, services, who, detail, command, form, mode=action, model=model, target=entry
    )


def _execute(
    request: Request,
    services: Services,
    who: Principal,
    detail: StreamDetail,
    command: Command,
    form: FormData,
    *,
    mode: str,
    model: type[DomainEvent],
    target: Any = None,
) -> Response:
    """Run the command at the form's version; answer with the stream page or the form again."""
    expected = form_int(form, "expected_version")
    values = submitted(form)
    slots = len(getattr(target.effective, "citations", ())) + 1 if target is not None else 1
    again = partial(
        _form_page, request, services, mode=mode, model=model, target=target, slots=slots
    )
    if expected is None:
        return again(detail, values=values, errors={"__all__": NO_VERSION}, status=422)
    try:
        services.tracker.execute(
            command, who.actor, expected_version=expected, event_id=form_event_id(form)
        )
    except ConcurrencyConflict:
        with services.engine.connect() as conn:
            fresh = load_detail(services, conn, detail.stream_id, who)
        values = {**values, "expected_version": str(fresh.version)}
        return again(
            fresh,
            values=values,
            errors={"__all__": CHANGED},
            status=409,
            since=fresh.since(expected),
        )
    except DomainError as exc:
        prefix = "event" if isinstance(command, Record) else "replacement"
        field = "reason" if exc.field == "reason" else field_of(exc, prefix)
        errors = {field: exc.message}
        return again(detail, values=values, errors=errors, status=domain_status(exc))
    return redirect(request, stream_url(detail.stream_id))


@router.post("/{path}/{stream_id}/review/{event_id}")
def review_event(
    request: Request,
    path: str,
    stream_id: str,
    event_id: str,
    who: Reviewer,
    services: ServicesDep,
    form: PostedForm,
) -> Response:
    """Approve or reject someone else's pending event; back to `next` (the queue or the page)."""
    check_stream(path, stream_id)
    decision = str(form.get("decision") or "")
    if decision not in ("approved", "rejected"):
        raise Invalid("decision: approve or reject", "decision")
    note = str(form.get("note") or "")
    if len(note) > 20_000:
        raise Invalid("note: at most 20,000 characters", "note")
    command = Review(stream_id, event_id[:100], Decision(decision), note)
    services.tracker.execute(command, who.actor, event_id=form_event_id(form))
    return redirect(request, safe_next(str(form.get("next") or stream_url(stream_id))))


__all__ = ["router"]

"""Parts of the event and opening forms fetched while a form is filled in (htmx): the charge
picker's search, pick and check; another citation or charge slot; and the dialog that registers
a new source and cites it in the form, with its reliability grade."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from tracker.domain import charges
from tracker.domain.commands import RegisterSource
from tracker.domain.errors import DomainError, Invalid
from tracker.domain.events import EVENT_TYPES, SourceRegistered
from tracker.domain.values import Charge, Citation
from tracker.eventstore.model import ConcurrencyConflict
from web.audience import with_audience
from web.charge_known import charge_known
from web.deps import ServicesDep, Writer
from web.errors import domain_status
from web.forms import FormField, form_fields, parse_form, submitted
from web.render import render
from web.routes.common import PostedForm, form_event_id, new_event_id, source_choices
from web.routes.opening import field_of

router = APIRouter()
Group = Annotated[str, Query(max_length=40, pattern=r"^(charge|charges\.[0-9]{1,2})$")]
Slot = Annotated[str, Query(max_length=40, pattern=r"^citations\.[0-9]{1,2}\.source_id$")]
"""The citation's source field a registered source goes into."""


def _part(request: Request, part: str, status: int = 200, **context: Any) -> Response:
    return render(request, "form_part.html", {"part": part, **context}, block="part", status=status)


def _charge_fields(group: str) -> list[FormField]:
    label = "Charge" if group == "charge" else f"Charge {int(group.split('.')[1]) + 1}"
    return form_fields(
        Charge, prefix=f"{group}.", group=group, label_prefix=f"{label}: ", picker=group
    )


@router.get("/forms/charge-search")
def charge_search(
    request: Request, who: Writer, group: Group, q: Annotated[str, Query(max_length=100)] = ""
) -> Response:
    """Vocabulary entries matching what is typed, each a button that fills the picker."""
    found = [
        {"slug": charges.as_charge(a).slug, "text": charges.describe(charges.as_charge(a))}
        for a in charges.search(q, limit=12)
    ]
    return _part(request, "search", found=found, group=group, q=q)


@router.get("/forms/charge-pick")
def charge_pick(
    request: Request, who: Writer, group: Group, slug: Annotated[str, Query(max_length=80)]
) -> Response:
    """The picker filled with the chosen vocabulary entry."""
    charge = charges.from_slug(slug)
    if charge is None:
        raise Invalid(f"slug: {slug[:80]!r} names no charge", "slug")
    values = {f"{group}.{k}": v or "" for k, v in charge.model_dump().items()}
    values[f"{group}.label"] = charges.label(charge)
    return _part(request, "picker", group=group, fields=_charge_fields(group), values=values)


@router.get("/forms/charge-check")
def charge_check(request: Request, who: Writer, group: Group) -> Response:
    """Whether the code and article typed by hand are in the list."""
    values = {k: v for k, v in request.query_params.items() if k.startswith(f"{group}.")}
    return _part(request, "known", known=charge_known(values, group))


def _source_fields() -> list[FormField]:
    return with_audience(SourceRegistered, form_fields(SourceRegistered))


def _slot_label(slot: str) -> str:
    return f"citation {int(slot.split('.')[1]) + 1}"


@router.get("/forms/source")
def source_dialog(request: Request, who: Writer, slot: Slot) -> Response:
    """The dialog that registers a source from inside an event form."""
    values = {"event_id": new_event_id()}
    return _part(request, "dialog", slot=slot, slot_label=_slot_label(slot),
                 fields=_source_fields(), values=values, errors={})  # fmt: skip


@router.get("/forms/source-close")
def source_dialog_closed(request: Request, who: Writer) -> Response:
    return _part(request, "closed")


@router.post("/forms/source")
def register_and_cite(
    request: Request, who: Writer, services: ServicesDep, form: PostedForm
) -> Response:
    """Register the source, then put it in the citation slot the dialog was opened from."""
    slot = str(form.get("slot") or "")
    if not _valid_slot(slot):
        raise Invalid("slot: the citation to fill is missing; reopen the dialog", "slot")
    fields = _source_fields()
    event, errors = parse_form(SourceRegistered, fields, form)
    again = {"slot": slot, "slot_label": _slot_label(slot), "fields": fields,
             "values": submitted(form)}  # fmt: skip
    if event is None:
        return _part(request, "dialog", status=422, errors=errors, **again)
    assert isinstance(event, SourceRegistered)
    event_id = form_event_id(form) or new_event_id()
    source_id = f"source-{event_id}"
    try:
        services.tracker.execute(
            RegisterSource(source_id, event),
            who.actor,
            expected_version=0,
            event_id=event_id,
        )
    except DomainError as exc:
        errors = {field_of(exc, "registered"): exc.message}
        return _part(request, "dialog", status=domain_status(exc), errors=errors, **again)
    except ConcurrencyConflict:
        pass  # the same dialog sent twice: the source is registered; cite it
    with services.engine.connect() as conn:
        choices = {"source_id": source_choices(conn)}
    index = int(slot.split(".")[1])
    fields = form_fields(
        Citation,
        choices=choices,
        prefix=f"citations.{index}.",
        group=f"citations.{index}",
        label_prefix=f"Citation {index + 1}: ",
    )
    source_field = replace(fields[0], audience="citation")
    return _part(request, "registered", slot=slot, slot_label=_slot_label(slot),
                 title=event.title, source_id=source_id, source_field=source_field)  # fmt: skip


@router.get("/forms/{kind}")
def another_slot(
    request: Request,
    kind: str,
    who: Writer,
    services: ServicesDep,
    n: Annotated[int, Query(ge=1, le=49)],
    type: Annotated[str, Query(max_length=60)],
) -> Response:
    """One more citation or charge slot for a form, and the button for the next (registered
    last: the fixed /forms/ addresses above come first)."""
    model = EVENT_TYPES.get(type)
    if kind not in ("citations", "charges") or model is None or kind not in model.model_fields:
        raise Invalid("this form has no such slots", "kind")
    if kind == "charges":
        fields = _charge_fields(f"charges.{n}")
    else:
        with services.engine.connect() as conn:
            choices = {"source_id": source_choices(conn)}
        fields = form_fields(
            Citation,
            choices=choices,
            prefix=f"citations.{n}.",
            group=f"citations.{n}",
            label_prefix=f"Citation {n + 1}: ",
        )
        fields = with_audience(model, fields)
    return _part(request, "slot", kind=kind, index=n, fields=fields, model_type=model.TYPE)


def _valid_slot(slot: str) -> bool:
    parts = slot.split(".")
    return (
        len(parts) == 3
        and parts[0] == "citations"
        and parts[1].isdigit()
        and len(parts[1]) < 3
        and parts[2] == "source_id"
    )


__all__ = ["router"]

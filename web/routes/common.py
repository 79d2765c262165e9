"""What the page routes share: stream kinds and URLs, the posted form, select options."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy import Connection
from starlette.datastructures import FormData

from tracker.bootstrap import Services
from tracker.domain.errors import NotFound
from tracker.domain.events import EVENT_TYPES, DomainEvent
from tracker.domain.streams import RECORDABLE, StreamKind, stream_kind
from tracker.projections.detail import StreamDetail, stream_detail
from tracker.projections.lookups import confidential_source_ids
from tracker.projections.queries import CaseFilter, list_cases, list_sources
from web.deps import Principal
from web.forms import Choices, words

KINDS = {"cases": StreamKind.CASE, "reports": StreamKind.REPORT, "sources": StreamKind.SOURCE}
PATHS = {kind: path for path, kind in KINDS.items()}
_ORDER = list(EVENT_TYPES)


async def posted_form(request: Request) -> FormData:
    """The posted form (parsed once; the CSRF check may have read it already)."""
    return await request.form()


PostedForm = Annotated[FormData, Depends(posted_form)]


def stream_url(stream_id: str) -> str:
    kind = stream_kind(stream_id)
    return f"/{PATHS[kind]}/{stream_id}" if kind else "/cases"


def check_stream(path: str, stream_id: str) -> StreamKind:
    """The kind of a stream named in a URL; NotFound when the id is not of that kind."""
    kind = KINDS.get(path)
    if kind is None or stream_kind(stream_id) is not kind:
        raise NotFound(f"there is no {kind or 'record'} with the id {stream_id[:100]!r}")
    return kind


def load_detail(
    services: Services, conn: Connection, stream_id: str, who: Principal
) -> StreamDetail:
    """The stream as this reader may see it; NotFound if it is missing or hidden from them."""
    detail = stream_detail(
        services.store,
        stream_id,
        restricted=who.restricted,
        confidential=confidential_source_ids(conn),
    )
    if detail is None:
        raise NotFound(f"there is no record with the id {stream_id[:100]!r}")
    return detail


def source_choices(conn: Connection) -> Choices:
    """Every source, for a writer's select (writers may read confidential ones)."""
    rows = list_sources(conn, restricted=True)
    marked = [
        (r["stream_id"], r["title"] + (" (confidential)" if r["confidential"] else ""))
        for r in rows
    ]
    return (("", "— choose a source —"), *marked)


def case_choices(conn: Connection) -> Choices:
    rows = list_cases(conn, CaseFilter(limit=5000)).rows
    return (("", "— choose a case —"), *((r["stream_id"], r["name"]) for r in rows))


def recordable(kind: StreamKind) -> list[type[DomainEvent]]:
    """The kinds of update a stream takes, in the order the domain lists them."""
    return sorted(RECORDABLE[kind], key=lambda cls: _ORDER.index(cls.TYPE))


def update_types(kind: StreamKind) -> list[tuple[str, str]]:
    """(type, label) of each kind of update, for a select."""
    return [(cls.TYPE, words(cls.TYPE)) for cls in recordable(kind)]


def new_event_id() -> str:
    """An idempotency key for a form: posting the same form twice stores one event."""
    return str(uuid.uuid4())


def form_int(form: FormData, name: str) -> int | None:
    raw = form.get(name)
    if isinstance(raw, str) and raw.isdigit() and len(raw) < 10:
        return int(raw)
    return None


def form_event_id(form: FormData) -> str | None:
    raw = form.get("event_id")
    if not isinstance(raw, str):
        return None
    try:
        return str(uuid.UUID(raw))
    except ValueError:
        return None


__all__ = [
    "KINDS",
    "PATHS",
    "PostedForm",
    "case_choices",
    "check_stream",
    "form_event_id",
    "form_int",
    "load_detail",
    "new_event_id",
    "recordable",
    "source_choices",
    "stream_url",
    "update_types",
]

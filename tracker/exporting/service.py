"""Exporting a case list: the same filters as the list page, 'as of' and 'as known at' dates,
chosen columns, CSV, JSON or XLSX, stating the log head it was made from.

`export_cases` checks the request at once (ExportError or ColumnError, both ValueErrors, say
what is wrong) and returns an `Export` whose `chunks` produce the file as they are iterated:
the CLI writes them to a file, the web streams them in a response.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from tracker.domain.roles import Action, Role, may
from tracker.exporting import records
from tracker.exporting.columns import Column, ExportContext, choose
from tracker.exporting.writers import Heading, csv_chunks, json_chunks, xlsx_chunks
from tracker.projections.queries import CaseFilter

if TYPE_CHECKING:
    from tracker.bootstrap import Services

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMATS = tuple(MEDIA_TYPES)


class ExportError(ValueError):
    """An export that cannot be made as asked."""


@dataclass(frozen=True)
class ExportRequest:
    """What to export. `filter` is the list page's; its limit and offset are ignored (an export
    holds every matching case)."""

    format: str = "csv"
    columns: tuple[str, ...] = ()
    filter: CaseFilter = field(default_factory=CaseFilter)
    as_of: date | None = None
    known_at: date | None = None


@dataclass(frozen=True)
class Export:
    """A file being made: iterate `chunks` once to get its bytes."""

    media_type: str
    filename: str
    columns: tuple[Column, ...]
    chunks: Iterator[bytes]


def export_cases(
    services: Services, request: ExportRequest, role: Role, *, now: datetime | None = None
) -> Export:
    """Check the request for the role, and return the export to stream."""
    if request.format not in MEDIA_TYPES:
        raise ExportError(f"unknown format {request.format!r}; one of {', '.join(FORMATS)}")
    if not may(role, Action.EXPORT):
        raise ExportError(f"the {role} role may not export")
    columns = choose(request.columns, role)
    moment = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    chunks = _chunks(services, request, columns, moment)
    when = f"-as-of-{request.as_of}" if request.as_of else ""
    when += f"-known-at-{request.known_at}" if request.known_at else ""
    return Export(MEDIA_TYPES[request.format], f"cases{when}.{request.format}", columns, chunks)


@contextmanager
def _snapshot(
    services: Services, request: ExportRequest, details: bool
) -> Iterator[records.Snapshot]:
    if request.as_of or request.known_at:
        yield records.as_of(
            services.store,
            request.filter,
            as_of_day=request.as_of,
            known_at=request.known_at,
            details=details,
        )
        return
    with (
        services.engine.connect() as conn,
        records.current(conn, services.store, request.filter, details=details) as snapshot,
    ):
        yield snapshot


def _chunks(
    services: Services, request: ExportRequest, columns: tuple[Column, ...], moment: str
) -> Iterator[bytes]:
    details = any(c.needs_history for c in columns)
    with _snapshot(services, request, details) as snapshot:
        context = ExportContext(services.settings.base_url, snapshot.sources)
        rows = ([c.value(record, context) for c in columns] for record in snapshot.records)
        meta = _meta(request, columns, snapshot, moment)
        if request.format == "json":
            yield from json_chunks(meta, [(c.key, c.label) for c in columns], rows)
        elif request.format == "xlsx":
            yield from xlsx_chunks(_heading(meta), [c.label for c in columns], rows)
        else:
            yield from csv_chunks(_heading(meta), [c.label for c in columns], rows)


def filter_terms(request: ExportRequest) -> dict[str, str]:
    """The filters that narrow the list, as text (only those given)."""
    f = request.filter
    terms = {
        "search": f.search,
        "status": f.status or "",
        "act": f.act or "",
        "charge": f.charge or "",
        "region": f.region or "",
        "review": f.review or "",
        "as_of": request.as_of.isoformat() if request.as_of else "",
        "known_at": request.known_at.isoformat() if request.known_at else "",
    }
    return {name: value for name, value in terms.items() if value}


def _meta(
    request: ExportRequest, columns: tuple[Column, ...], snapshot: records.Snapshot, moment: str
) -> dict[str, Any]:
    f = request.filter
    return {
        "exported_at": moment,
        "log_position": snapshot.head.position,
        "log_hash": snapshot.head.hash,
        "filters": filter_terms(request),
        "sort": f.sort + (" descending" if f.descending else ""),
        "counted": "approved cases and facts only",
        "restricted_fields": any(c.restricted for c in columns),
    }


def _heading(meta: dict[str, Any]) -> Heading:
    """The heading rows of a CSV or XLSX export."""
    lines = [
        ("exported at", meta["exported_at"]),
        ("log position", str(meta["log_position"])),
        ("log hash", meta["log_hash"]),
    ]
    lines += [(name.replace("_", " "), value) for name, value in meta["filters"].items()]
    lines += [
        ("sort", meta["sort"]),
        ("counted", meta["counted"]),
        ("restricted fields", "included" if meta["restricted_fields"] else "none"),
    ]
    return lines


__all__ = ["FORMATS", "MEDIA_TYPES", "Export", "ExportError", "ExportRequest", "export_cases"]

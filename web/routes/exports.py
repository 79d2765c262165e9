"""Exporting the case list from the web: the form (format, columns and their order) and the
download, which streams the file `tracker.exporting.export_cases` makes for the signed-in
user's role, with the list's filters, sort, 'as of' and 'as known at' carried over.

Restricted columns are offered only to roles that may read them; asked for by any other role
(say, by name in the query string) they are refused with 403 before anything is read.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse

from tracker.bootstrap import Services
from tracker.domain.errors import Invalid, NotAllowed
from tracker.domain.roles import Action
from tracker.exporting import FORMATS, ColumnError, ExportError, ExportRequest, export_cases
from tracker.exporting.columns import BY_KEY, Column, readable
from tracker.exporting.counting import count_current, count_rows
from tracker.projections.as_of import cases_as_of
from web.deps import Principal, ServicesDep, allowed
from web.render import render
from web.routes.case_query import CaseQuery, CaseQueryDep

router = APIRouter()

Exporter = Annotated[Principal, allowed(Action.EXPORT)]
Keys = Annotated[list[str], Query(max_length=100)]
_KEY_LENGTH = 40
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]")
_FILTER_LABELS = {
    "search": "name",
    "status": "status",
    "act": "act",
    "charge": "charge",
    "region": "region",
    "review": "review",
    "as_of": "as of",
    "known_at": "as known at",
}


def _exportable(services: Services, q: CaseQuery) -> int:
    f = q.filter()
    if q.from_log:
        rows = cases_as_of(services.store, as_of=q.as_of_day, known_at=q.known_at_day)
        return count_rows(rows, f)
    with services.engine.connect() as conn:
        return count_current(conn, f)


@router.get("/exports")
def export_form(
    request: Request, who: Exporter, services: ServicesDep, q: CaseQueryDep
) -> Response:
    """The export form for the list these parameters give (fragment: `export_form`)."""
    columns = readable(who.role)
    defaults = [c.key for c in columns if c.default]
    params = q.params()
    context = {
        "params": params,
        "filters": [(_FILTER_LABELS[k], params[k]) for k in _FILTER_LABELS if params[k]],
        "exportable": _exportable(services, q),
        "columns": columns,
        "slots": defaults + [""] * (len(columns) - len(defaults)),
        "formats": FORMATS,
    }
    return render(request, "export.html", context, block="export_form")


def column_keys(values: list[str]) -> tuple[str, ...]:
    """The columns asked for, in order: each value one key or several, comma-separated;
    blanks (an empty select) are skipped. Invalid for a key longer than any column's."""
    keys = tuple(key.strip() for value in values for key in value.split(",") if key.strip())
    if any(len(key) > _KEY_LENGTH for key in keys):
        raise Invalid(f"columns: a column key has at most {_KEY_LENGTH} characters", "columns")
    return keys


def _refuse_restricted(keys: tuple[str, ...], who: Principal) -> None:
    if who.restricted:
        return
    for key in keys:
        column: Column | None = BY_KEY.get(key)
        if column is not None and column.restricted:
            raise NotAllowed(
                f"columns: {key!r} is restricted; the {who.role} role may export only "
                + ", ".join(c.key for c in readable(who.role))
            )


def download_name(filename: str) -> str:
    """A Content-Disposition value whose file name holds only safe characters."""
    safe = _UNSAFE_NAME.sub("_", filename)[:120] or "cases"
    return f'attachment; filename="{safe}"'


@router.get("/exports/cases")
def export_download(
    who: Exporter,
    services: ServicesDep,
    q: CaseQueryDep,
    format: Annotated[str, Query(max_length=10)] = "csv",
    columns: Keys = [],  # noqa: B006 - FastAPI copies the default
) -> Response:
    """The file, streamed: CSV, JSON or XLSX, stating the log head it was made from."""
    keys = column_keys(columns)
    _refuse_restricted(keys, who)
    request = ExportRequest(format, keys, q.filter(), q.as_of_day, q.known_at_day)
    try:
        made = export_cases(services, request, who.role)
    except ColumnError as exc:
        raise Invalid(f"columns: {exc}", "columns") from None
    except ExportError as exc:
        raise Invalid(f"format: {exc}", "format") from None
    return StreamingResponse(
        made.chunks,
        media_type=made.media_type,
        headers={"Content-Disposition": download_name(made.filename)},
    )


__all__ = ["column_keys", "download_name", "router"]

"""Exporting the case list: the list's filters, 'as of' and 'as known at', CSV, JSON or XLSX,
chosen columns; streamed through `tracker.exporting.export_cases`, which keeps restricted
columns to the roles that may read them and states the log head the file was made from."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response, StreamingResponse

from tracker.domain.errors import Invalid
from tracker.domain.roles import Action
from tracker.exporting import ExportRequest, export_cases
from tracker.exporting.columns import ColumnError
from tracker.exporting.service import ExportError
from web.api.common import problems
from web.deps import Principal, ServicesDep, allowed
from web.routes.case_query import CaseQueryDep

router = APIRouter(tags=["export"])
Exporter = Annotated[Principal, allowed(Action.EXPORT)]
FILES: dict[str, dict[str, Any]] = {
    "text/csv": {},
    "application/json": {},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
}


@router.get(
    "/export",
    response_class=Response,
    responses={200: {"content": FILES, "description": "the file"}, **problems(401, 403, 422)},
)
def export(
    who: Exporter,
    services: ServicesDep,
    query: CaseQueryDep,
    format: Literal["csv", "json", "xlsx"] = "csv",
    columns: Annotated[
        str, Query(max_length=2000, description="column keys in order, comma-separated, or all")
    ] = "",
) -> Response:
    """Every matching case (approved ones, approved facts only) as a file to download."""
    keys = tuple(key.strip() for key in columns.split(",") if key.strip())
    request = ExportRequest(format, keys, query.filter(), query.as_of_day, query.known_at_day)
    try:
        made = export_cases(services, request, who.role)
    except ColumnError as exc:
        raise Invalid(f"columns: {exc}", "columns") from None
    except ExportError as exc:
        raise Invalid(str(exc), "format") from None
    disposition = f'attachment; filename="{made.filename}"'
    return StreamingResponse(
        made.chunks, media_type=made.media_type, headers={"Content-Disposition": disposition}
    )


__all__ = ["router"]

"""Reports of incidents: the list, a report's page, opening one. Links to cases and figures
are logged like any update (see `events.py`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tracker.domain.errors import NotFound
from tracker.domain.streams import StreamKind
from tracker.projections.lookups import get_report, source_titles
from tracker.projections.queries import get_case, list_reports
from web.deps import Reader, ServicesDep, Writer
from web.render import render
from web.routes.common import (
    PostedForm,
    case_choices,
    check_stream,
    load_detail,
    new_event_id,
    update_types,
)
from web.routes.opening import OPENINGS, open_form, open_stream

router = APIRouter()


@router.get("/reports")
def report_list(request: Request, who: Reader, services: ServicesDep) -> Response:
    with services.engine.connect() as conn:
        rows = list_reports(conn)
    return render(request, "reports.html", {"rows": rows})


@router.get("/reports/new")
def new_report(request: Request, who: Writer, services: ServicesDep) -> Response:
    return open_form(request, services, OPENINGS["reports"])


@router.post("/reports")
def create_report(
    request: Request, who: Writer, services: ServicesDep, form: PostedForm
) -> Response:
    return open_stream(request, services, who, OPENINGS["reports"], form)


@router.get("/reports/{report_id}")
def report_page(request: Request, report_id: str, who: Reader, services: ServicesDep) -> Response:
    check_stream("reports", report_id)
    with services.engine.connect() as conn:
        detail = load_detail(services, conn, report_id, who)
        report = get_report(conn, report_id)
        if report is None:
            raise NotFound(f"there is no report {report_id!r}")
        cited = {c["source_id"] for item in detail.items for c in item["citations"]}
        titles = source_titles(conn, [*report["sources"], *cited], restricted=who.restricted)
        cases = [c for c in (get_case(conn, cid) for cid in report["case_ids"]) if c is not None]
        link_choices = case_choices(conn) if who.may_write else ()
    context = {
        "report": report,
        "detail": detail,
        "titles": titles,
        "cases": cases,
        "link_choices": link_choices,
        "link_values": {"expected_version": str(detail.version), "event_id": new_event_id()},
        "report_sources": [s for s in report["sources"] if s in titles],
        "update_types": update_types(StreamKind.REPORT),
    }
    return render(request, "report.html", context)


__all__ = ["router"]

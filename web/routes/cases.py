"""The case list (search, filters, sorting, paging, 'as of', 'as known at'), a case's page,
and opening a case after seeing the possible duplicates of its name."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from tracker.bootstrap import Services
from tracker.digest.following import following
from tracker.domain.charges import describe_slug
from tracker.domain.errors import NotFound
from tracker.domain.events import CaseOpened
from tracker.domain.status import Status
from tracker.domain.streams import StreamKind
from tracker.domain.vocabulary import ACTS
from tracker.exporting.counting import count_rows
from tracker.exporting.records import approved_conditions
from tracker.projections.as_of import case_then, cases_as_of, page_of
from tracker.projections.lookups import charge_slugs, reports_for_case, source_titles
from tracker.projections.name_matches import possible_matches
from tracker.projections.queries import get_case, list_cases
from web.deps import Reader, ServicesDep, Writer
from web.render import is_htmx, render
from web.routes.case_query import SORTS, CaseQueryDep, Day, parse_day
from web.routes.common import PostedForm, check_stream, load_detail, update_types
from web.routes.opening import OPENINGS, open_form, open_stream

router = APIRouter()


@router.get("/cases")
def case_list(
    request: Request,
    who: Reader,
    services: ServicesDep,
    q: CaseQueryDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
) -> Response:
    """Fragment for htmx: the `results` block (count, table, pager, export link)."""
    size = request.app.state.web.page_size
    f = q.filter(limit=size, offset=(page - 1) * size)
    if q.from_log:
        rows = cases_as_of(services.store, as_of=q.as_of_day, known_at=q.known_at_day)
        result = page_of(rows, f)
        exportable = count_rows(rows, f)
    else:
        with services.engine.connect() as conn:
            result = list_cases(conn, f, within=approved_conditions())  # one count scan
            exportable = result.within or 0
    charge_options: list[tuple[str, str]] = []
    if not is_htmx(request):  # the filters are outside the fragment
        with services.engine.connect() as conn:
            slugs = set(charge_slugs(conn)) | ({q.charge} if q.charge else set())
        charge_options = sorted(((s, describe_slug(s)) for s in slugs), key=lambda o: o[1])
    context = {
        "rows": result.rows,
        "total": result.total,
        "exportable": exportable,
        "page": page,
        "pages": max(1, -(-result.total // size)),
        "params": q.params(),
        "statuses": list(Status),
        "acts": ACTS,
        "sorts": SORTS,
        "charge_options": charge_options,
    }
    return render(request, "cases.html", context, block="results")


@router.get("/cases/new")
def new_case(request: Request, who: Writer, services: ServicesDep) -> Response:
    return open_form(request, services, OPENINGS["cases"])


@router.get("/cases/new/matches")
def name_matches(
    request: Request,
    who: Writer,
    services: ServicesDep,
    name: Annotated[str, Query(max_length=300)] = "",
    name_variants: Annotated[str, Query(max_length=20_000)] = "",
) -> Response:
    """Possible duplicates of a name while it is typed (fragment: the `matches` block)."""
    variants = [line for line in name_variants.splitlines() if line.strip()][:50]
    with services.engine.connect() as conn:
        found = possible_matches(conn, name, variants) if name.strip() else []
    return render(request, "case_matches.html", {"matches": found, "name": name}, block="matches")


@router.post("/cases")
def create_case(request: Request, who: Writer, services: ServicesDep, form: PostedForm) -> Response:
    """Open a case; when its name matches existing cases, ask to confirm first (422)."""
    return open_stream(request, services, who, OPENINGS["cases"], form, _duplicates)


def _duplicates(services: Services, opened: Any, confirmed: bool) -> list[Any]:
    if confirmed or not isinstance(opened, CaseOpened):
        return []
    with services.engine.connect() as conn:
        return possible_matches(conn, opened.name, opened.name_variants)


@router.get("/cases/{case_id}")
def case_page(
    request: Request,
    case_id: str,
    who: Reader,
    services: ServicesDep,
    as_of: Day = "",
    known_at: Day = "",
    followed: bool = False,
) -> Response:
    """A case now, or (with `as_of` / `known_at`, carried over from the list) as it stood."""
    check_stream("cases", case_id)
    as_of_day, known_at_day = parse_day(as_of, "as_of"), parse_day(known_at, "known_at")
    with services.engine.connect() as conn:
        detail = load_detail(services, conn, case_id, who)
        case = get_case(conn, case_id)
        if case is None:
            raise NotFound(f"there is no case {case_id!r}")
        if as_of_day or known_at_day:
            case = case_then(services.store, case_id, as_of_day, known_at_day) or case
        titles = source_titles(conn, case["sources"], restricted=who.restricted)
        cited = {c["source_id"] for item in detail.items for c in item["citations"]}
        titles.update(source_titles(conn, cited, restricted=who.restricted))
        reports = reports_for_case(conn, case_id)
    context = {
        "case": case,
        "detail": detail,
        "titles": titles,
        "reports": reports,
        "case_sources": [s for s in case["sources"] if s in titles],
        "update_types": update_types(StreamKind.CASE),
        "as_of": as_of,
        "known_at": known_at,
        "shown_count": len(detail.items),
        "shown_pending": sum(1 for item in detail.items if item["reviewable"]),
        "following": following(services.engine, who.user_id, case_id),
        "followed": followed,
    }
    return render(request, "case.html", context)


__all__ = ["router"]

"""Cases: the list with the page's filters (and 'as of', 'known at'), a case's summary and
version, and opening a case (a possible duplicate needs `confirm_new`, else 409)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from tracker.domain.commands import OpenCase
from tracker.domain.errors import DomainError, NotFound
from tracker.domain.streams import StreamKind, stream_kind
from tracker.projections.as_of import cases_as_of, page_of
from tracker.projections.lookups import reports_for_case, source_titles
from tracker.projections.name_matches import possible_matches
from tracker.projections.queries import get_case, list_cases
from web.api import schemas
from web.api.common import domain_problem, key_of, problems, stored
from web.api.errors import field_error, problem
from web.api.views import case_of
from web.deps import Reader, ServicesDep, Writer
from web.routes.case_query import CaseQueryDep

router = APIRouter(tags=["cases"])
ERRORS = problems(401, 403, 404, 422)
DUPLICATE = "this name matches existing cases; send confirm_new: true if it is another person"


@router.get("/cases", response_model=schemas.CaseList, responses=ERRORS)
def list_of_cases(
    who: Reader,
    services: ServicesDep,
    query: CaseQueryDep,
    page: Annotated[int, Query(ge=1, le=100_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=500)] = 50,
) -> schemas.CaseList:
    """Search and filter the case list, as the /cases page does (the same parameters)."""
    f = query.filter(limit=page_size, offset=(page - 1) * page_size)
    as_of_day, known_day = query.as_of_day, query.known_at_day
    if query.from_log:
        rows = cases_as_of(services.store, as_of=as_of_day, known_at=known_day)
        result = page_of(rows, f)
    else:
        with services.engine.connect() as conn:
            result = list_cases(conn, f)
    base = services.settings.base_url
    return schemas.CaseList(
        total=result.total,
        page=page,
        pages=max(1, -(-result.total // page_size)),
        page_size=page_size,
        as_of=as_of_day.isoformat() if as_of_day else None,
        known_at=known_day.isoformat() if known_day else None,
        cases=[case_of(row, base) for row in result.rows],
    )


def check_case_id(case_id: str) -> None:
    if stream_kind(case_id) is not StreamKind.CASE:
        raise NotFound(f"there is no case {case_id[:100]!r}", "case_id")


@router.get("/cases/{case_id}", response_model=schemas.CaseDetail, responses=ERRORS)
def read_case(case_id: str, who: Reader, services: ServicesDep) -> schemas.CaseDetail:
    """A case's summary and version, its sources (those the reader may see) and reports."""
    check_case_id(case_id)
    with services.engine.connect() as conn:
        row = get_case(conn, case_id)
        if row is None:
            raise NotFound(f"there is no case {case_id!r}", "case_id")
        titles = source_titles(conn, row["sources"], restricted=who.restricted)
        reports = reports_for_case(conn, case_id)
    summary = case_of(row, services.settings.base_url)
    return schemas.CaseDetail(
        **summary.model_dump(),
        sources=[schemas.Link(id=s, title=titles[s]) for s in row["sources"] if s in titles],
        reports=[schemas.Link(id=r["stream_id"], title=r["title"]) for r in reports],
    )


@router.post(
    "/cases",
    status_code=201,
    response_model=schemas.Stored,
    responses={**ERRORS, **problems(_409=schemas.Duplicates)},
)
def open_case(body: schemas.OpenCase, who: Writer, services: ServicesDep) -> JSONResponse:
    """Open a case (pending review). Its id is `case-` and the event_id."""
    event_id = key_of(body.event_id)
    case_id = f"case-{event_id}"
    if not body.confirm_new and services.store.stream_version(case_id) == 0:
        with services.engine.connect() as conn:
            found = possible_matches(conn, body.case.name, body.case.name_variants)
        if found:
            matches = [
                schemas.Match(
                    id=m["stream_id"], name=m["name"], name_variants=list(m["name_variants"]),
                    birth_date=m["birth_date"], region=m["region"], status=m["status"],
                    match=m["match"],
                ).model_dump()
                for m in found
            ]  # fmt: skip
            return problem(409, DUPLICATE, [field_error("case.name", DUPLICATE)], matches=matches)
    try:
        outcome = services.tracker.execute(
            OpenCase(case_id, body.case), who.actor, expected_version=0, event_id=event_id
        )
    except DomainError as exc:
        return domain_problem(exc, "opened", "case")
    return stored(outcome)


__all__ = ["check_case_id", "router"]

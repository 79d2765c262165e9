"""The read side: case lists with filters, a case, reports, sources, the log.

Plain SQL over the read-model tables; nothing here goes through the domain, except the
'as of' and 'known at' lists, which fold the log as it stood (see `as_of.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import ColumnElement, Connection, Select, and_, func, or_, select

from tracker.domain.names import search_key
from tracker.projections.projector import CASES, REPORTS, SOURCES

Row = dict[str, Any]
SortKey = Literal["name", "status", "detention_date", "last_change", "region"]
ReviewFilter = Literal["approved", "pending", "rejected"]


@dataclass(frozen=True)
class CaseFilter:
    """What narrows a case list. Every field is optional; all given must hold."""

    search: str = ""
    status: str | None = None
    act: str | None = None
    charge: str | None = None
    region: str | None = None
    review: ReviewFilter | None = None
    sort: SortKey = "name"
    descending: bool = False
    limit: int = 50
    offset: int = 0
    case_ids: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class CasePage:
    rows: list[Row]
    total: int
    within: int | None = None
    """How many of the `total` also meet the `within` conditions `list_cases` was given."""


def search_words(text: str) -> list[str]:
    """The name keys of each word of a query ('Ахтемов Asan' -> ['ahtemov', 'asan'])."""
    return [key for key in (search_key(word) for word in text.split()) if key]


def _conditions(f: CaseFilter) -> list[ColumnElement[bool]]:
    c = CASES.c
    conditions: list[ColumnElement[bool]] = []
    for word in search_words(f.search):
        conditions.append(c.search_text.contains(word, autoescape=True))
    if f.status:
        conditions.append(c.status == f.status)
    if f.act:
        conditions.append(c.acts.contains(f" {f.act} ", autoescape=True))
    if f.charge:
        conditions.append(c.charge_slugs.contains(f" {f.charge} ", autoescape=True))
    if f.region:
        conditions.append(func.lower(c.region) == f.region.strip().lower())
    if f.review == "pending":
        conditions.append(or_(c.opened_review == "pending", c.pending_count > 0))
    elif f.review == "approved":
        conditions.append(and_(c.opened_review == "approved", c.pending_count == 0))
    elif f.review == "rejected":
        conditions.append(c.opened_review == "rejected")
    if f.case_ids:
        conditions.append(c.stream_id.in_(f.case_ids))
    return conditions


_SORTS = {
    "name": CASES.c.name,
    "status": CASES.c.status,
    "detention_date": CASES.c.detention_sort,
    "last_change": CASES.c.last_position,
    "region": CASES.c.region,
}


DEFERRED_FROM = 500
"""From this offset on, a list page is chosen on ids first (see `list_cases`)."""


def list_cases(
    conn: Connection, f: CaseFilter, *, within: Sequence[ColumnElement[bool]] = ()
) -> CasePage:
    """One page of the current case list, and how many cases match in all (and, with
    `within`, how many of those also meet these conditions: counted in the same scan).

    A first page that is not full holds every match, so it is counted as it is read (a
    search for a name, the usual case, costs one scan instead of two). A deep page is chosen
    on the sort keys and ids alone, and only its rows are then read whole (a deferred join):
    the sort keeps every row up to the page's end, and whole rows made page 100 of 10,000
    cases cost 31 ms on SQLite against 14 ms. A shallow page keeps few rows, and there the
    second look-up made it some 10% slower."""
    conditions = _conditions(f)
    order = _SORTS[f.sort].desc() if f.descending else _SORTS[f.sort]
    flag = [and_(*within).label("_within")] if within else []
    if f.offset >= DEFERRED_FROM:
        ids = select(CASES.c.stream_id).where(*conditions).order_by(order, CASES.c.stream_id)
        page = ids.limit(f.limit).offset(f.offset).subquery()
        query = select(CASES, *flag).join(page, page.c.stream_id == CASES.c.stream_id)
    else:
        query = select(CASES, *flag).where(*conditions).limit(f.limit).offset(f.offset)
    rows = [dict(r) for r in conn.execute(query.order_by(order, CASES.c.stream_id)).mappings()]
    flags = [bool(row.pop("_within")) for row in rows] if within else []
    if f.offset == 0 and len(rows) < f.limit:
        return CasePage(rows, len(rows), sum(flags) if within else None)
    counts = [func.count(), *([func.count().filter(and_(*within))] if within else [])]
    count_query = select(*counts).select_from(CASES).where(*conditions)
    total, *subtotal = conn.execute(count_query).one()
    return CasePage(rows, int(total), int(subtotal[0]) if subtotal else None)


def all_cases_query(f: CaseFilter, *conditions: ColumnElement[bool]) -> Select[Any]:
    """Every case matching the filter and the extra conditions, in the list's order, unpaged
    (for exports, which stream it)."""
    order = _SORTS[f.sort].desc() if f.descending else _SORTS[f.sort]
    where = [*_conditions(f), *conditions]
    query = select(CASES).where(and_(*where)) if where else select(CASES)
    return query.order_by(order, CASES.c.stream_id)


def get_case(conn: Connection, case_id: str) -> Row | None:
    row = conn.execute(select(CASES).where(CASES.c.stream_id == case_id)).mappings().first()
    return dict(row) if row else None


def list_reports(conn: Connection) -> list[Row]:
    query = select(REPORTS).order_by(REPORTS.c.date_sort.desc(), REPORTS.c.title)
    return [dict(r) for r in conn.execute(query).mappings()]


def list_sources(conn: Connection, *, restricted: bool) -> list[Row]:
    query = select(SOURCES)
    if not restricted:
        query = query.where(SOURCES.c.confidential.is_(False))
    return [dict(r) for r in conn.execute(query.order_by(SOURCES.c.title)).mappings()]

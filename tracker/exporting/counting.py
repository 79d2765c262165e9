"""How many cases an export of a list would hold: those whose opening was approved and not
retracted (the list page shows pending and rejected cases too), so a page can say 'export
these N cases' before the file is made."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, func, select

from tracker.exporting.records import approved_conditions
from tracker.projections.as_of import page_of
from tracker.projections.queries import CaseFilter, all_cases_query


def exportable(row: Mapping[str, Any]) -> bool:
    """A case row an export holds."""
    return row["opened_review"] == "approved" and not row["retracted"]


def count_current(conn: Connection, f: CaseFilter) -> int:
    """The cases of the current list an export would hold."""
    query = all_cases_query(f, *approved_conditions()).order_by(None).subquery()
    return int(conn.execute(select(func.count()).select_from(query)).scalar_one())


def count_rows(rows: Iterable[Mapping[str, Any]], f: CaseFilter) -> int:
    """The rows of a list folded from the log ('as of', 'as known at') an export would hold."""
    return page_of([dict(row) for row in rows if exportable(row)], f).total


__all__ = ["count_current", "count_rows", "exportable"]

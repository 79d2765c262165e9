"""Single rows of the read model and small look-ups the pages need beside the lists."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, select

from tracker.projections.projector import REPORTS, SOURCES
from tracker.projections.queries import Row


def get_report(conn: Connection, report_id: str) -> Row | None:
    found = conn.execute(select(REPORTS).where(REPORTS.c.stream_id == report_id)).mappings()
    row = found.first()
    return dict(row) if row else None


def get_source(conn: Connection, source_id: str) -> Row | None:
    found = conn.execute(select(SOURCES).where(SOURCES.c.stream_id == source_id)).mappings()
    row = found.first()
    return dict(row) if row else None


def confidential_source_ids(conn: Connection) -> frozenset[str]:
    """Ids of the sources that are confidential: restricted as a whole."""
    query = select(SOURCES.c.stream_id).where(SOURCES.c.confidential.is_(True))
    return frozenset(conn.execute(query).scalars())


def source_titles(conn: Connection, ids: Iterable[str], *, restricted: bool) -> dict[str, str]:
    """{source id: title} for the given ids; confidential ones only when `restricted`."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    query = select(SOURCES.c.stream_id, SOURCES.c.title).where(SOURCES.c.stream_id.in_(wanted))
    if not restricted:
        query = query.where(SOURCES.c.confidential.is_(False))
    return {str(stream_id): str(title) for stream_id, title in conn.execute(query)}


def reports_for_case(conn: Connection, case_id: str) -> list[Row]:
    """The reports an approved link ties to a case, newest first."""
    query = select(REPORTS).order_by(REPORTS.c.date_sort.desc(), REPORTS.c.title)
    return [dict(r) for r in conn.execute(query).mappings() if case_id in (r["case_ids"] or [])]


def charge_slugs(conn: Connection) -> list[str]:
    """The charges approved cases are counted under (for the case list's charge filter)."""
    from tracker.projections.statistics import FACETS

    query = select(FACETS.c.key).where(FACETS.c.dimension == "charge").distinct()
    return [str(key) for key in conn.execute(query).scalars()]


__all__ = [
    "charge_slugs",
    "confidential_source_ids",
    "get_report",
    "get_source",
    "reports_for_case",
    "source_titles",
]

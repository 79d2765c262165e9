"""Statistics: counts of approved cases by status, act, charge and year of detention, and of
reports by act and year. Kept as facet rows that catch up from the log after the fact."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from tracker.db import writer
from tracker.eventstore.protocol import EventStore
from tracker.projections import rows
from tracker.projections.projector import CASES, POSITIONS, REPORTS
from tracker.projections.tables import FacetRow

STATISTICS = "statistics"
FACETS = FacetRow.__table__  # type: ignore[attr-defined]


def _facets_for(conn: Connection, stream_ids: Iterable[str] | None) -> list[rows.Row]:
    found: list[rows.Row] = []
    for table, make in ((CASES, rows.case_facets), (REPORTS, rows.report_facets)):
        query = select(table)
        if stream_ids is not None:
            query = query.where(table.c.stream_id.in_(list(stream_ids)))
        for row in conn.execute(query).mappings():
            found.extend(make(dict(row)))
    return found


class _Overtaken(Exception):
    """Another process moved the position first; this transaction's rows are rolled back."""


def catch_up_statistics(engine: Engine, store: EventStore) -> int:
    """Bring the facets up to the log head; returns the number of events read.

    The position moves only if nobody else moved it meanwhile, in the same transaction as the
    rows, so each range of the log is counted exactly once.
    """
    try:
        with writer(engine).begin() as conn:
            return _catch_up(conn, store)
    except _Overtaken:
        return 0


def _catch_up(conn: Connection, store: EventStore) -> int:
    done = int(
        conn.execute(
            select(POSITIONS.c.position).where(POSITIONS.c.name == STATISTICS)
        ).scalar_one()
    )
    events = list(store.iter_all(done))
    if not events:
        return 0
    touched = sorted({e.stream_id for e in events})
    for start in range(0, len(touched), 500):
        chunk = touched[start : start + 500]
        conn.execute(delete(FACETS).where(FACETS.c.stream_id.in_(chunk)))
        facets = _facets_for(conn, chunk)
        if facets:
            conn.execute(insert(FACETS), facets)
    moved = conn.execute(
        update(POSITIONS)
        .where(POSITIONS.c.name == STATISTICS, POSITIONS.c.position == done)
        .values(position=events[-1].global_position)
    )
    if moved.rowcount != 1:
        raise _Overtaken
    return len(events)


def counts(conn: Connection) -> dict[str, dict[str, int]]:
    """{dimension: {key: count}}, keys in descending count then name order."""
    result: dict[str, dict[str, int]] = {}
    query = (
        select(FACETS.c.dimension, FACETS.c.key, func.count())
        .group_by(FACETS.c.dimension, FACETS.c.key)
        .order_by(FACETS.c.dimension, func.count().desc(), FACETS.c.key)
    )
    for dimension, key, count in conn.execute(query):
        result.setdefault(dimension, {})[key] = int(count)
    return result

"""Keeps the read model in step with the log.

Inline rows (case summaries, timeline, reports, sources) are rewritten inside the append's own
transaction, so pages read their own writes. Each stream's rows are recomputed from its whole
history, which makes every write idempotent: replaying an event twice changes nothing.
Statistics (facets) catch up from the log afterwards (see `statistics.py`).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Table, delete, insert, update

from tracker.domain.case import summarize_case
from tracker.domain.report import summarize_report
from tracker.domain.review import StreamHistory
from tracker.domain.source import summarize_source
from tracker.eventstore.model import StoredEvent
from tracker.history import hashes_of, history_of
from tracker.projections import rows
from tracker.projections.sqlwrite import upsert
from tracker.projections.tables import (
    CaseRow,
    ProjectionPosition,
    ReportRow,
    SourceRow,
    TimelineRow,
)

INLINE = "inline"

CASES = CaseRow.__table__  # type: ignore[attr-defined]
TIMELINE = TimelineRow.__table__  # type: ignore[attr-defined]
REPORTS = ReportRow.__table__  # type: ignore[attr-defined]
SOURCES = SourceRow.__table__  # type: ignore[attr-defined]
POSITIONS = ProjectionPosition.__table__  # type: ignore[attr-defined]


def stream_rows(
    history: StreamHistory, hashes: dict[int, str]
) -> tuple[str, rows.Row | None, list[rows.Row]]:
    """(kind, summary row, timeline rows) of one stream."""
    kind = history.stream_id.split("-", 1)[0]
    last_position = max(hashes) if hashes else 0
    summary: rows.Row | None = None
    if history.entries:
        if kind == "case":
            summary = rows.case_row(summarize_case(history), last_position)
        elif kind == "report":
            summary = rows.report_row(summarize_report(history))
        elif kind == "source":
            summary = rows.source_row(summarize_source(history))
    return kind, summary, rows.timeline_rows(history, hashes)


SUMMARY_TABLES = {"case": CASES, "report": REPORTS, "source": SOURCES}


def _touched_ids(new: Sequence[StoredEvent]) -> set[str]:
    """Event ids whose timeline row the new events change: themselves and what they target."""
    touched = {e.event_id for e in new}
    touched.update(str(e.data["target_event_id"]) for e in new if "target_event_id" in e.data)
    return touched


def project_append(
    conn: Connection, previous: Sequence[StoredEvent], new: Sequence[StoredEvent]
) -> None:
    """Rewrite one stream's rows after an append, inside the append's transaction."""
    if not new:
        return
    events = [*previous, *new]
    history = history_of(new[0].stream_id, events)
    kind, summary, timeline = stream_rows(history, hashes_of(events))
    if summary is not None and kind in SUMMARY_TABLES:
        upsert(conn, SUMMARY_TABLES[kind], [summary])
    touched = _touched_ids(new)
    # A correction's review changes the corrected event too: follow one more step.
    by_id = {e.event_id: e for e in events}
    for event_id in list(touched):
        target = by_id.get(event_id)
        if target is not None and "target_event_id" in target.data:
            touched.add(str(target.data["target_event_id"]))
    upsert(conn, TIMELINE, [row for row in timeline if row["event_id"] in touched])
    conn.execute(
        update(POSITIONS)
        .where(POSITIONS.c.name == INLINE, POSITIONS.c.position == new[0].global_position - 1)
        .values(position=new[-1].global_position)
    )


def replace_streams(
    conn: Connection, streams: Sequence[Sequence[StoredEvent]], *, fresh: bool
) -> None:
    """Recompute every row of these streams from scratch (rebuild and catch-up).

    `fresh` says the tables hold no rows for them yet, so plain inserts will do.
    """
    summaries: dict[str, list[rows.Row]] = {kind: [] for kind in SUMMARY_TABLES}
    timeline: list[rows.Row] = []
    for events in streams:
        if not events:
            continue
        history = history_of(events[0].stream_id, events)
        kind, summary, stream_timeline = stream_rows(history, hashes_of(events))
        if summary is not None and kind in summaries:
            summaries[kind].append(summary)
        timeline.extend(stream_timeline)
        if not fresh:
            conn.execute(delete(TIMELINE).where(TIMELINE.c.stream_id == events[0].stream_id))
    write = _insert if fresh else upsert
    for kind, table_rows in summaries.items():
        write(conn, SUMMARY_TABLES[kind], table_rows)
    write(conn, TIMELINE, timeline)


def _insert(conn: Connection, table: Table, table_rows: Sequence[rows.Row]) -> None:
    if table_rows:
        conn.execute(insert(table), list(table_rows))

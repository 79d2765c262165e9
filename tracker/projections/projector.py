"""Keeps the read model in step with the log.

Inline rows (case, report and source summaries, the review queue) are rewritten inside the
append's own transaction, so pages read their own writes. Each stream's rows are recomputed from
its whole history, which makes every write idempotent: replaying an event twice changes nothing.
Statistics (facets) catch up from the log afterwards (see `statistics.py`).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, delete

from tracker.domain.case import summarize_case
from tracker.domain.envelope import Recorded
from tracker.domain.report import summarize_report
from tracker.domain.review import StreamHistory, fold_history
from tracker.domain.source import summarize_source
from tracker.eventstore.model import StoredEvent
from tracker.eventstore.protocol import Transaction
from tracker.history import to_recorded
from tracker.projections import rows, upserts
from tracker.projections.sqlwrite import upsert
from tracker.projections.tables import (
    CaseRow,
    PendingRow,
    ProjectionPosition,
    ReportRow,
    SourceRow,
)

INLINE = "inline"

CASES = CaseRow.__table__  # type: ignore[attr-defined]
QUEUE = PendingRow.__table__  # type: ignore[attr-defined]
REPORTS = ReportRow.__table__  # type: ignore[attr-defined]
SOURCES = SourceRow.__table__  # type: ignore[attr-defined]
POSITIONS = ProjectionPosition.__table__  # type: ignore[attr-defined]
SUMMARY_TABLES = {"case": CASES, "report": REPORTS, "source": SOURCES}


def summary_row(history: StreamHistory, last_position: int) -> tuple[str, rows.Row | None]:
    """(stream kind, summary row) of one stream; no row for a stream without entries."""
    kind = history.stream_id.split("-", 1)[0]
    if not history.entries:
        return kind, None
    if kind == "case":
        return kind, rows.case_row(summarize_case(history), last_position)
    if kind == "report":
        return kind, rows.report_row(summarize_report(history))
    if kind == "source":
        return kind, rows.source_row(summarize_source(history))
    return kind, None


def _target(event: object) -> str | None:
    target = getattr(event, "target_event_id", None)
    return None if target is None else str(target)


def _touched_ids(records: Sequence[Recorded], new: Sequence[Recorded]) -> set[str]:
    """Event ids whose review-queue row the new events may change: themselves, what they target, and
    (for the review of a correction) what that targets."""
    events = {r.event_id: r.event for r in records}
    touched = set()
    for record in new:
        touched.add(record.event_id)
        first = _target(record.event)
        if first is not None:
            touched.add(first)
            then = _target(events[first]) if first in events else None
            if then is not None:
                touched.add(then)
    return touched


def project_append(
    tx: Transaction,
    previous: Sequence[Recorded],
    hashes: dict[int, str],
    new: Sequence[StoredEvent],
) -> None:
    """Rewrite one stream's rows after an append, inside the append's transaction.

    `previous` are the stream's records before the append (already decoded by the caller) and
    `hashes` their hashes by position. The writes go through `tx` and may be held back until
    COMMIT (see `Transaction`).
    """
    if not new:
        return
    added = [to_recorded(e) for e in new]
    records = [*previous, *added]
    history = fold_history(new[0].stream_id, records)
    all_hashes = {**hashes, **{e.global_position: e.hash for e in new}}
    kind, summary = summary_row(history, new[-1].global_position)
    if summary is not None:
        upserts.upsert(tx, SUMMARY_TABLES[kind], [summary])
    touched = _touched_ids(records, added)
    upserts.upsert(tx, QUEUE, rows.pending_rows(history, all_hashes, touched))
    settled = [  # entries that were waiting and no longer are (reviewed, retracted)
        event_id
        for event_id in sorted(touched)
        if (entry := history.entry(event_id)) is not None and not entry.is_pending
    ]
    upserts.delete(tx, QUEUE, "event_id", settled)
    upserts.advance(tx, POSITIONS, INLINE, new[0].global_position - 1, new[-1].global_position)


def replace_streams(conn: Connection, streams: Sequence[Sequence[StoredEvent]]) -> None:
    """Recompute every row of these streams from scratch (catch-up after a gap)."""
    summaries: dict[str, list[rows.Row]] = {kind: [] for kind in SUMMARY_TABLES}
    queue: list[rows.Row] = []
    for events in streams:
        if not events:
            continue
        history = fold_history(events[0].stream_id, [to_recorded(e) for e in events])
        kind, summary = summary_row(history, events[-1].global_position)
        if summary is not None:
            summaries[kind].append(summary)
        queue.extend(rows.pending_rows(history, {e.global_position: e.hash for e in events}))
        conn.execute(delete(QUEUE).where(QUEUE.c.stream_id == events[0].stream_id))
    for kind, table_rows in summaries.items():
        upsert(conn, SUMMARY_TABLES[kind], table_rows)
    upsert(conn, QUEUE, queue)

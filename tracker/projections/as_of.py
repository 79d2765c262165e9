"""The case list as it stood: by when things happened (`as_of`) and by what was known (`known_at`).

`known_at` replays only the events recorded by the end of that day (UTC), reviews included, so
a fact approved later does not count. `as_of` keeps only facts that had certainly happened by
the end of that day (see `PartialDate.certainly_by`). Both fold the log; nothing is stored.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from tracker.domain.case import summarize_case
from tracker.eventstore.model import StoredEvent
from tracker.eventstore.protocol import EventStore
from tracker.history import history_of
from tracker.projections.queries import CaseFilter, CasePage, search_words
from tracker.projections.rows import Row, case_row


def end_of_day(day: date) -> str:
    return f"{day.isoformat()}T23:59:59.999999Z"


def cases_as_of(
    store: EventStore, *, as_of: date | None = None, known_at: date | None = None
) -> list[Row]:
    """Case rows computed from the log as it stood."""
    up_to = store.position_at(end_of_day(known_at)) if known_at else store.head().position
    streams: dict[str, list[StoredEvent]] = defaultdict(list)
    for event in store.iter_all(0, page_size=5000):
        if event.global_position > up_to:
            break
        if event.stream_id.startswith("case-"):
            streams[event.stream_id].append(event)
    result = []
    for stream_id, events in streams.items():
        summary = summarize_case(history_of(stream_id, events), as_of=as_of)
        result.append(case_row(summary, events[-1].global_position))
    return result


def case_then(
    store: EventStore, case_id: str, as_of: date | None, known_at: date | None
) -> Row | None:
    """One case's row as it stood (see `cases_as_of`); None if the log did not hold it yet."""
    up_to = store.position_at(end_of_day(known_at)) if known_at else None
    events = store.read_stream(case_id, up_to_position=up_to)
    if not events:
        return None
    summary = summarize_case(history_of(case_id, events), as_of=as_of)
    return case_row(summary, events[-1].global_position)


def matches(row: Row, f: CaseFilter) -> bool:
    """The same test `queries.list_cases` makes in SQL, on a row in memory."""
    if any(word not in row["search_text"] for word in search_words(f.search)):
        return False
    checks: list[bool] = [
        not f.status or row["status"] == f.status,
        not f.act or f" {f.act} " in row["acts"],
        not f.charge or f" {f.charge} " in row["charge_slugs"],
        not f.region or row["region"].lower() == f.region.strip().lower(),
        not f.case_ids or row["stream_id"] in f.case_ids,
    ]
    if f.review == "pending":
        checks.append(row["opened_review"] == "pending" or row["pending_count"] > 0)
    elif f.review == "approved":
        checks.append(row["opened_review"] == "approved" and row["pending_count"] == 0)
    elif f.review == "rejected":
        checks.append(row["opened_review"] == "rejected")
    return all(checks)


_SORT_FIELDS = {
    "name": "name",
    "status": "status",
    "detention_date": "detention_sort",
    "last_change": "last_position",
    "region": "region",
}


def page_of(rows: list[Row], f: CaseFilter) -> CasePage:
    """Filter, sort and page rows in memory, as the SQL list does."""
    kept = [row for row in rows if matches(row, f)]
    kept.sort(key=lambda r: r["stream_id"])
    field_name = _SORT_FIELDS[f.sort]
    kept.sort(key=lambda r: _sortable(r[field_name]), reverse=f.descending)
    return CasePage(kept[f.offset : f.offset + f.limit], len(kept))


def _sortable(value: Any) -> Any:
    return value if value is not None else ""

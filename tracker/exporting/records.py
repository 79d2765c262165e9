"""The cases an export holds, read from one state of the log, and the head of that state.

The current list streams from the read model in one read transaction (REPEATABLE READ on
PostgreSQL, with a server-side cursor): memory stays flat however many cases. Its head is the
position the read model was projected up to. 'As of' and 'as known at' lists fold the log up
to a position, as `projections.as_of` does, so they are built in memory before being written.
Only cases whose opening was approved and not retracted are exported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import ColumnElement, Connection, select, text

from tracker.domain.case import summarize_case
from tracker.domain.review import ReviewState
from tracker.domain.source import summarize_source
from tracker.eventstore.chain import GENESIS_HASH
from tracker.eventstore.model import LogHead, StoredEvent
from tracker.eventstore.protocol import EventStore
from tracker.exporting.columns import CaseDetails, CaseRecord, SourceInfo, case_details
from tracker.history import history_of, load_history
from tracker.projections.as_of import end_of_day, page_of
from tracker.projections.projector import CASES, INLINE, POSITIONS, SOURCES
from tracker.projections.queries import CaseFilter, all_cases_query
from tracker.projections.rows import case_row

_PAGE = 1000


@dataclass
class Snapshot:
    """One state of the log: its head, the sources, and the matching cases (an iterator)."""

    head: LogHead
    sources: dict[str, SourceInfo]
    records: Iterator[CaseRecord]


def approved_conditions() -> list[ColumnElement[bool]]:
    """The cases an export holds: opening approved, not retracted."""
    return [CASES.c.opened_review == "approved", CASES.c.retracted.is_(False)]


def _hash_at(conn: Connection, position: int) -> str:
    if position == 0:
        return GENESIS_HASH
    found = conn.execute(
        text("SELECT hash FROM events WHERE global_position = :p"), {"p": position}
    ).scalar_one()
    return str(found)


def _sources(conn: Connection) -> dict[str, SourceInfo]:
    query = select(
        SOURCES.c.stream_id,
        SOURCES.c.title,
        SOURCES.c.url,
        SOURCES.c.confidential,
        SOURCES.c.opened_review,
    )
    return {
        stream_id: SourceInfo(title, url, bool(confidential), review == "approved")
        for stream_id, title, url, confidential, review in conn.execute(query)
    }


@contextmanager
def current(
    conn: Connection, store: EventStore, f: CaseFilter, *, details: bool
) -> Iterator[Snapshot]:
    """The current list, from the read model, on a connection with no transaction begun."""
    if conn.dialect.name == "postgresql":
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
    with conn.begin():
        position = int(
            conn.execute(
                select(POSITIONS.c.position).where(POSITIONS.c.name == INLINE)
            ).scalar_one()
        )
        head = LogHead(position, _hash_at(conn, position))
        sources = _sources(conn)
        query = all_cases_query(f, *approved_conditions())
        result = conn.execution_options(yield_per=_PAGE).execute(query).mappings()

        def records() -> Iterator[CaseRecord]:
            for row in result:
                extra = None
                if details:
                    history, _ = load_history(store, row["stream_id"], up_to_position=position)
                    extra = case_details(history)
                yield CaseRecord(dict(row), extra)

        yield Snapshot(head, sources, records())


def head_at(store: EventStore, known_at: date | None) -> LogHead:
    """The head of the log as it stood at the end of `known_at` (now when None)."""
    if known_at is None:
        return store.head()
    position = store.position_at(end_of_day(known_at))
    if position == 0:
        return LogHead(0, GENESIS_HASH)
    return LogHead(position, store.read_all(position - 1, 1)[0].hash)


def as_of(
    store: EventStore,
    f: CaseFilter,
    *,
    as_of_day: date | None,
    known_at: date | None,
    details: bool,
) -> Snapshot:
    """The list as it stood (see `projections.as_of`), folded from the log up to a head."""
    head = head_at(store, known_at)
    streams: dict[str, list[StoredEvent]] = defaultdict(list)
    for event in store.iter_all(0, page_size=5000):
        if event.global_position > head.position:
            break
        if event.stream_id.startswith(("case-", "source-")):
            streams[event.stream_id].append(event)
    sources: dict[str, SourceInfo] = {}
    rows = []
    extra: dict[str, CaseDetails] = {}
    for stream_id, events in streams.items():
        history = history_of(stream_id, events)
        if stream_id.startswith("source-"):
            s = summarize_source(history)
            approved = s.opened_review is ReviewState.APPROVED and not s.retracted
            sources[stream_id] = SourceInfo(s.title, s.url, s.confidential, approved)
            continue
        row = case_row(summarize_case(history, as_of=as_of_day), events[-1].global_position)
        if row["opened_review"] != "approved" or row["retracted"]:
            continue
        rows.append(row)
        if details:
            extra[stream_id] = case_details(history)
    kept = page_of(rows, replace(f, offset=0, limit=len(rows))).rows
    records = (CaseRecord(row, extra.get(row["stream_id"])) for row in kept)
    return Snapshot(head, sources, records)


__all__ = ["Snapshot", "approved_conditions", "as_of", "current", "head_at"]

"""Rebuilding every projection from the log, and catching the read model up after a gap."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, select, text

from tracker.db import writer
from tracker.eventstore.model import StoredEvent
from tracker.eventstore.protocol import EventStore
from tracker.projections import projector, statistics
from tracker.projections.sqlwrite import set_position

_FLUSH_EVERY = 500


@dataclass(frozen=True, slots=True)
class RebuildReport:
    events: int
    streams: int
    position: int


def lock_log(conn: Connection) -> int:
    """Hold the log head for this transaction (appends wait) and return its position."""
    suffix = " FOR UPDATE" if conn.dialect.name == "postgresql" else ""
    return int(
        conn.execute(text(f"SELECT position FROM log_head WHERE id = 1{suffix}")).scalar_one()
    )


def _by_stream(events: Iterable[StoredEvent], up_to: int) -> dict[str, list[StoredEvent]]:
    streams: dict[str, list[StoredEvent]] = defaultdict(list)
    for event in events:
        if event.global_position > up_to:
            break
        streams[event.stream_id].append(event)
    return streams


def rebuild(engine: Engine, store: EventStore) -> RebuildReport:
    """Drop every projection row and replay the whole log, in one transaction."""
    with writer(engine).begin() as conn:
        head = lock_log(conn)
        for table in (*projector.SUMMARY_TABLES.values(), projector.TIMELINE, statistics.FACETS):
            conn.execute(delete(table))
        streams = _by_stream(store.iter_all(0, page_size=5000), head)
        count = 0
        batch: list[list[StoredEvent]] = []
        for events in streams.values():
            count += len(events)
            batch.append(events)
            if len(batch) >= _FLUSH_EVERY:
                projector.replace_streams(conn, batch, fresh=True)
                batch = []
        projector.replace_streams(conn, batch, fresh=True)
        set_position(conn, projector.POSITIONS, projector.INLINE, head)
        statistics.refresh_all(conn)
        set_position(conn, projector.POSITIONS, statistics.STATISTICS, head)
        return RebuildReport(count, len(streams), head)


def catch_up(engine: Engine, store: EventStore) -> int:
    """Re-project the streams touched after the inline position; returns how many."""
    with writer(engine).begin() as conn:
        head = lock_log(conn)
        done = int(
            conn.execute(
                select(projector.POSITIONS.c.position).where(
                    projector.POSITIONS.c.name == projector.INLINE
                )
            ).scalar_one()
        )
        if done >= head:
            return 0
        touched = {e.stream_id for e in store.iter_all(done) if e.global_position <= head}
        batch = [store.read_stream(s, up_to_position=head) for s in sorted(touched)]
        projector.replace_streams(conn, batch, fresh=False)
        set_position(conn, projector.POSITIONS, projector.INLINE, head)
        return len(touched)

"""PostgreSQL appends that trust the read before them: one round trip instead of two.

The command path reads a stream, decides, and appends to it. The read here takes the log head
too, in the same snapshot (`Seen`), and the append that follows on the same thread assumes the
log is still as it was then: it skips the locked read of the head and sends, in one pipeline,
one implicit transaction: move the head if it is still where the read saw it (`MOVE_HEAD`,
which takes the head row's lock, as the locked path does first), insert at head+1, and what
`within` writes.

If anyone appended in between, head+1 is taken (positions have no gaps: an append that moved
the head has inserted head+1), and the insert fails on the events table's primary key; a stream
that moved on fails on (stream_id, version), an event id stored before on event_id. The
server rolls the whole transaction back, and the store takes the locked path (`within` is then
called again, with the events as they are stored).
"""

from __future__ import annotations

import json
import threading
from abc import abstractmethod
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import psycopg.errors
from sqlalchemy import Connection, Engine

from tracker.eventstore.appending import Linker, prepare
from tracker.eventstore.clock import Clock, stamp, utc_now
from tracker.eventstore.model import EventStoreError, LogHead, StoredEvent, StreamAppend
from tracker.eventstore.pipelining import PipelinedTransaction
from tracker.eventstore.protocol import Within
from tracker.eventstore.sql import COLUMNS, SqlEventStore

SMALL = 500
"""Appends of fewer events than this may go optimistically (larger ones COPY, under the lock)."""

MOVE_HEAD = "UPDATE log_head SET position = %s, hash = %s WHERE id = 1 AND position = %s"
INSERT_ROW = f"INSERT INTO events ({COLUMNS}) VALUES ({', '.join(['%s'] * 11)})"
READ_STREAM = (  # the stream and, in the same snapshot, the head and its time; JSON as text
    "SELECT h.position, h.hash, l.recorded_at, e.global_position, e.stream_id, e.version,"
    " e.event_id, e.type, e.schema_version, e.data::text, e.metadata::text, e.recorded_at,"
    " e.prev_hash, e.hash FROM log_head h"
    " LEFT JOIN events l ON l.global_position = h.position"
    " LEFT JOIN events e ON e.stream_id = %s WHERE h.id = 1 ORDER BY e.version"
)
_DECODER = json.JSONDecoder()


@dataclass(frozen=True, slots=True)
class Seen:
    """What a read of a whole stream saw of the log, in the same snapshot."""

    stream_id: str
    version: int
    head: LogHead
    last_recorded_at: str | None

    def fits(self, batch: Sequence[StreamAppend]) -> bool:
        """True for a small append to this stream alone, at the version seen (or at none)."""
        if len(batch) != 1:
            return False
        part = batch[0]
        return (
            part.stream_id == self.stream_id
            and part.expected_version in (None, self.version)
            and 0 < len(part.events) < SMALL
        )


class _Stale(Exception):
    """The log moved on since the read: the optimistic append stored nothing."""


class OptimisticAppends(SqlEventStore):
    """The PostgreSQL store's reads of whole streams and the appends that follow them."""

    def __init__(self, engine: Engine, *, clock: Clock = utc_now) -> None:
        super().__init__(engine, clock=clock)
        self._seen = threading.local()  # .last: what this thread's last stream read saw

    @abstractmethod
    def _autocommit(self) -> AbstractContextManager[tuple[Connection, psycopg.Connection[Any]]]:
        """A pooled connection in autocommit mode: (SQLAlchemy's, the driver's)."""

    def read_stream(
        self, stream_id: str, *, up_to_position: int | None = None
    ) -> list[StoredEvent]:
        if up_to_position is not None:
            return super().read_stream(stream_id, up_to_position=up_to_position)
        with self._autocommit() as (_conn, raw):
            rows = raw.execute(READ_STREAM, (stream_id,)).fetchall()
        if not rows:
            raise EventStoreError("log_head has no row: is the database migrated?")
        position, hash_, last = rows[0][:3]
        decode = _DECODER.raw_decode  # json.loads minus its wrappers
        events = [
            StoredEvent(
                r[3], r[4], r[5], r[6], r[7], r[8], decode(r[9])[0], decode(r[10])[0], *r[11:]
            )
            for r in rows
            if r[3] is not None
        ]
        version = events[-1].version if events else 0
        self._seen.last = Seen(stream_id, version, LogHead(int(position), str(hash_)), last)
        return events

    def append_batch(
        self, batch: Sequence[StreamAppend], *, within: Within | None = None
    ) -> list[StoredEvent]:
        seen: Seen | None = getattr(self._seen, "last", None)
        self._seen.last = None
        if seen is not None and seen.fits(batch):
            try:
                return self._append_seen(seen, batch[0], within)
            except _Stale:
                pass  # someone appended since the read: take the lock after all
        return super().append_batch(batch, within=within)

    def _append_seen(
        self, seen: Seen, part: StreamAppend, within: Within | None
    ) -> list[StoredEvent]:
        linker = Linker(
            prepare([part]),
            seen.head,
            {part.stream_id: seen.version},
            stamp(self._clock, seen.last_recorded_at),
        )
        rows = list(linker.rows())
        with self._write_transaction() as (conn, cursor):
            transaction = PipelinedTransaction(conn, cursor, begin=True)
            head = linker.head
            transaction.execute(MOVE_HEAD, (head.position, head.hash, seen.head.position))
            for row in rows:
                transaction.execute(INSERT_ROW, row)
            try:
                if within is not None:
                    within(transaction, linker.stored)
                transaction.commit()
            except psycopg.errors.UniqueViolation as exc:
                if self._is_unique_violation(exc):
                    raise _Stale from exc
                raise
        return linker.stored

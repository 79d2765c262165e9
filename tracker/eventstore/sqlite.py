"""The event store on SQLite: BEGIN IMMEDIATE is the head lock, executemany the insert."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Engine

from tracker import db
from tracker.eventstore.appending import Linker
from tracker.eventstore.clock import Clock, utc_now
from tracker.eventstore.model import LogHead, StoredEvent
from tracker.eventstore.protocol import Within
from tracker.eventstore.restore import ChainCheck, refuse_non_empty
from tracker.eventstore.sql import COLUMNS, LockedState, Queries, SqlEventStore, raw_connection
from tracker.eventstore.transaction import SqlTransaction

_DECODER = json.JSONDecoder()
_CHUNK = 500  # ids per IN (...) list, well under SQLite's limit on bound parameters


class SqliteEventStore(SqlEventStore):
    """Events in a SQLite file (or memory), JSON stored as canonical text."""

    queries = Queries.with_param("?")
    marker = "?"
    replay_expressions = ("data", "metadata -> '$.actor'")
    _insert_sql = f"INSERT INTO events ({COLUMNS}) VALUES ({', '.join('?' * 11)})"
    _update_head_sql = "UPDATE log_head SET position = ?, hash = ? WHERE id = 1"

    def __init__(self, engine: Engine, *, clock: Clock = utc_now) -> None:
        if not db.is_sqlite(engine):
            raise ValueError(f"SqliteEventStore needs a SQLite engine, not {engine.dialect.name}")
        if not db.is_configured_sqlite(engine):
            raise ValueError("make the engine with tracker.db.make_engine (it controls BEGIN)")
        super().__init__(engine, clock=clock)

    def read_stream(
        self, stream_id: str, *, up_to_position: int | None = None
    ) -> list[StoredEvent]:
        """One statement sees one state of the file: no read transaction (BEGIN, COMMIT) needed."""
        params: list[Any]
        sql, params = self.queries.stream, [stream_id]
        if up_to_position is not None:
            sql, params = self.queries.stream_up_to, [stream_id, up_to_position]
        with self.engine.connect() as conn:
            rows = raw_connection(conn).execute(sql, params).fetchall()
        return [self._decode(row) for row in rows]

    def _lock(self, cursor: Any, streams: Sequence[str], ids: Sequence[str]) -> LockedState:
        # The write lock is already held: the transaction began IMMEDIATE.
        position, hash_ = cursor.execute(self.queries.head).fetchone()
        last = cursor.execute(self.queries.last_recorded_at, (position,)).fetchone()
        versions: dict[str, int] = {}
        for stream_id in streams:
            row = cursor.execute(self.queries.version, (stream_id,)).fetchone()
            if row is not None:
                versions[stream_id] = int(row[0])
        existing: dict[str, StoredEvent] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            cursor.execute(f"SELECT {COLUMNS} FROM events WHERE event_id IN ({marks})", chunk)
            for row in cursor.fetchall():
                event = self._decode(row)
                existing[event.event_id] = event
        return LockedState(
            head=LogHead(int(position), str(hash_)),
            last_recorded_at=None if last is None else str(last[0]),
            versions=versions,
            existing=existing,
        )

    def _write(self, conn: Connection, cursor: Any, linker: Linker, within: Within | None) -> None:
        cursor.executemany(self._insert_sql, linker.rows())
        cursor.execute(self._update_head_sql, (linker.head.position, linker.head.hash))
        if within is not None:
            within(SqlTransaction(conn, cursor, "?"), linker.stored)

    def _restore(self, cursor: Any, check: ChainCheck, events: Iterable[StoredEvent]) -> None:
        # The write lock is already held: the transaction began IMMEDIATE.
        position, hash_ = cursor.execute(self.queries.head).fetchone()
        refuse_non_empty(LogHead(int(position), str(hash_)))
        cursor.executemany(self._insert_sql, check.rows(events))
        if check.head.position:
            cursor.execute(self._update_head_sql, (check.head.position, check.head.hash))

    def _is_unique_violation(self, exc: BaseException) -> bool:
        # "UNIQUE constraint failed: events.stream_id, events.version", not a projection's table
        message = str(exc)
        return isinstance(exc, sqlite3.IntegrityError) and "failed: events." in message

    def _json(self, value: Any) -> dict[str, Any]:
        decoded: dict[str, Any] = _DECODER.raw_decode(value)[0]  # json.loads minus wrappers
        return decoded

"""The event store on PostgreSQL (psycopg 3).

Appends serialize on the `log_head` row (SELECT ... FOR UPDATE), so positions commit in order
and have no gaps. The store drives its own transaction on an autocommit connection so that
BEGIN, the lock and the reads that depend on it go out in one pipeline (one round trip; each
statement still takes its snapshot after the lock is granted), and the insert, the head update
and COMMIT in another: two round trips for an append without a `within` callback. Small appends
insert with one statement over unnest(arrays); large ones COPY.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any

import psycopg
import psycopg.errors
from psycopg.abc import Buffer
from psycopg.adapt import Loader
from psycopg.pq import TransactionStatus
from sqlalchemy import Connection, Engine

from tracker import db
from tracker.eventstore.appending import Linker
from tracker.eventstore.clock import Clock, utc_now
from tracker.eventstore.model import EventStoreError, LogHead, StoredEvent
from tracker.eventstore.sql import (
    COLUMNS,
    LockedState,
    Queries,
    Row,
    SqlEventStore,
    raw_connection,
)

IDLE = TransactionStatus.IDLE
COPY_THRESHOLD = 500
"""Appends of at least this many events use COPY."""

_LOCK = "SELECT position, hash FROM log_head WHERE id = 1 FOR UPDATE"
_LAST_RECORDED_AT = (
    "SELECT e.recorded_at FROM events e JOIN log_head h ON e.global_position = h.position"
    " WHERE h.id = 1"
)
_VERSIONS = (  # one backward index probe per stream, however long the stream
    "SELECT s.id, (SELECT version FROM events WHERE stream_id = s.id"
    " ORDER BY version DESC LIMIT 1) FROM unnest(%s::text[]) AS s(id)"
)
_EXISTING = f"SELECT {COLUMNS} FROM events WHERE event_id = ANY(%s::text[])"
_INSERT_UNNEST = f"""
WITH new AS (
    INSERT INTO events ({COLUMNS})
    SELECT p, s, v, i, t, sv, d::jsonb, m::jsonb, r, ph, h
    FROM unnest(%s::bigint[], %s::text[], %s::int[], %s::text[], %s::text[], %s::int[],
                %s::text[], %s::text[], %s::text[], %s::text[], %s::text[])
         AS u(p, s, v, i, t, sv, d, m, r, ph, h)
)
UPDATE log_head SET position = %s, hash = %s WHERE id = 1
"""
_COPY = f"COPY events ({COLUMNS}) FROM STDIN"
_UPDATE_HEAD = "UPDATE log_head SET position = %s, hash = %s WHERE id = 1"


_DECODER = json.JSONDecoder()


class _JsonbLoader(Loader):
    """JSONB text to Python, without json.loads' wrappers (twice as fast; verify reads a lot)."""

    def load(self, data: Buffer) -> Any:
        return _DECODER.raw_decode(str(data, "utf-8"))[0]


def _cursor(conn: psycopg.Connection[Any]) -> psycopg.Cursor[Any]:
    cursor = conn.cursor()
    cursor.adapters.register_loader("jsonb", _JsonbLoader)
    return cursor


def _pipeline(conn: psycopg.Connection[Any]) -> AbstractContextManager[Any]:
    """Send what follows in one go where libpq can; one statement at a time otherwise."""
    return conn.pipeline() if psycopg.Pipeline.is_supported() else nullcontext()


def _check_committed(cursor: psycopg.Cursor[Any]) -> None:
    # COMMIT of a failed transaction answers ROLLBACK without raising.
    if cursor.statusmessage != "COMMIT":
        raise EventStoreError(f"the append was rolled back ({cursor.statusmessage})")


def _rollback(conn: Connection, raw: psycopg.Connection[Any]) -> None:
    try:
        if raw.info.transaction_status != IDLE:
            raw.execute("ROLLBACK")
    except psycopg.Error:
        conn.invalidate()  # broken or confused: the pool must not hand it out again


class PostgresEventStore(SqlEventStore):
    """Events in PostgreSQL, data and metadata as JSONB."""

    queries = Queries.with_param("%s")

    def __init__(self, engine: Engine, *, clock: Clock = utc_now) -> None:
        if not db.is_postgres(engine) or engine.dialect.driver != "psycopg":
            raise ValueError(
                f"PostgresEventStore needs postgresql+psycopg, not {engine.dialect.name}"
                f"+{engine.dialect.driver}"
            )
        super().__init__(engine, clock=clock)
        self._autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")

    @contextmanager
    def _write_transaction(self) -> Iterator[tuple[Connection, Any]]:
        with self._autocommit.connect() as conn:
            raw: psycopg.Connection[Any] = raw_connection(conn)
            if raw.info.transaction_status != IDLE:  # BEGIN would only warn and carry on
                raise EventStoreError("a pooled connection is still inside a transaction")
            cursor = _cursor(raw)
            try:
                yield conn, cursor
                if raw.info.transaction_status != IDLE:  # not committed with the insert
                    _check_committed(raw.execute("COMMIT"))
            except BaseException:
                _rollback(conn, raw)
                raise
            finally:
                cursor.close()

    @contextmanager
    def _snapshot(self) -> Iterator[Any]:
        with self._autocommit.connect() as conn:  # one statement, one round trip
            cursor = _cursor(raw_connection(conn))
            try:
                yield cursor
            finally:
                cursor.close()

    def _lock(self, cursor: Any, streams: Sequence[str], ids: Sequence[str]) -> LockedState:
        conn: psycopg.Connection[Any] = cursor.connection
        with _pipeline(conn):
            conn.execute("BEGIN")
            cursors = self._lock_statements(conn, streams, ids)
        head_cur, last_cur, versions_cur, existing_cur = cursors
        try:
            head_row = head_cur.fetchone()
            if head_row is None:
                raise EventStoreError("log_head has no row: is the database migrated?")
            position, hash_ = head_row
            last = last_cur.fetchone()
            versions = {str(s): int(v) for s, v in versions_cur.fetchall() if v is not None}
            existing = {row[3]: self._decode(row) for row in existing_cur.fetchall()}
        finally:
            for cur in cursors:
                cur.close()
        return LockedState(
            head=LogHead(int(position), str(hash_)),
            last_recorded_at=None if last is None else str(last[0]),
            versions=versions,
            existing=existing,
        )

    @staticmethod
    def _lock_statements(
        conn: psycopg.Connection[Any], streams: Sequence[str], ids: Sequence[str]
    ) -> tuple[psycopg.Cursor[Any], ...]:
        statements: list[tuple[str, tuple[Any, ...]]] = [
            (_LOCK, ()),
            (_LAST_RECORDED_AT, ()),
            (_VERSIONS, (list(streams),)),
            (_EXISTING, (list(ids),)),
        ]
        cursors = []
        for sql, params in statements:
            cur = _cursor(conn)
            cur.execute(sql, params)
            cursors.append(cur)
        return tuple(cursors)

    def _insert(self, cursor: Any, linker: Linker, *, last: bool) -> None:
        conn: psycopg.Connection[Any] = cursor.connection
        sql: str
        params: tuple[Any, ...]
        if linker.count >= COPY_THRESHOLD:
            # Rows are hashed while COPY streams them: the server indexes as Python computes.
            with cursor.copy(_COPY) as copy:
                for row in linker.rows():
                    copy.write_row(row)
            sql, params = _UPDATE_HEAD, (linker.head.position, linker.head.hash)
        else:
            columns = [list(column) for column in zip(*linker.rows(), strict=True)]
            sql, params = _INSERT_UNNEST, (*columns, linker.head.position, linker.head.hash)
        if not last:
            cursor.execute(sql, params)
            return
        with _pipeline(conn):
            cursor.execute(sql, params)
            commit = conn.execute("COMMIT")
        _check_committed(commit)

    def _is_unique_violation(self, exc: BaseException) -> bool:
        return isinstance(exc, psycopg.errors.UniqueViolation)

    def _json(self, value: Any) -> dict[str, Any]:
        decoded: dict[str, Any] = value  # psycopg has parsed the JSONB already
        return decoded

    def _decode(self, row: Row) -> StoredEvent:
        return StoredEvent(*row)

    @contextmanager
    def _consistent_snapshot(self) -> Iterator[Any]:
        with (
            self.engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn,
            conn.begin(),
        ):
            cursor = _cursor(raw_connection(conn))
            try:
                cursor.execute("SET TRANSACTION READ ONLY")
                yield cursor
            finally:
                cursor.close()

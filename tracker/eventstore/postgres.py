"""The event store on PostgreSQL (psycopg 3).

Appends serialize on the `log_head` row (SELECT ... FOR UPDATE), so positions commit in order
and have no gaps. The store drives its own transaction on an autocommit connection so that
BEGIN, the lock and the reads that depend on it go out in one pipeline (one round trip; each
statement still takes its snapshot after the lock is granted), and the insert, the head update,
what `within` writes and COMMIT in another: two round trips for an append, with or without a
`within` callback (unless it reads). An append that follows a read of its stream on the same
thread trusts the head that read saw and needs only the second (see `optimistic`). Small
appends insert with one statement over unnest(arrays); large ones COPY.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
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
from tracker.eventstore.optimistic import SMALL, OptimisticAppends
from tracker.eventstore.pipelining import (
    PipelinedTransaction,
    check_committed,
    execute_prepared,
    pipeline,
)
from tracker.eventstore.protocol import Within
from tracker.eventstore.restore import ChainCheck, refuse_non_empty
from tracker.eventstore.sql import (
    COLUMNS,
    LockedState,
    Queries,
    Row,
    raw_connection,
)

IDLE = TransactionStatus.IDLE
COPY_THRESHOLD = SMALL
"""Appends of at least this many events use COPY."""
STREAM_BATCH = 2000
"""Rows per round trip of `iter_streams`' server-side cursor."""

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


def _rollback(conn: Connection, raw: psycopg.Connection[Any]) -> None:
    try:
        if raw.info.transaction_status != IDLE:
            raw.execute("ROLLBACK")
    except psycopg.Error:
        conn.invalidate()  # broken or confused: the pool must not hand it out again


class PostgresEventStore(OptimisticAppends):
    """Events in PostgreSQL, data and metadata as JSONB."""

    queries = Queries.with_param("%s")
    marker = "%s"
    replay_expressions = ("data::text", "(metadata -> 'actor')::text")

    def __init__(self, engine: Engine, *, clock: Clock = utc_now) -> None:
        if not db.is_postgres(engine) or engine.dialect.driver != "psycopg":
            raise ValueError(
                f"PostgresEventStore needs postgresql+psycopg, not {engine.dialect.name}"
                f"+{engine.dialect.driver}"
            )
        super().__init__(engine, clock=clock)

    @contextmanager
    def _autocommit(self) -> Iterator[tuple[Connection, psycopg.Connection[Any]]]:
        """A pooled connection in autocommit mode. Set on the driver here, for less than
        SQLAlchemy's isolation level option costs (it goes through the dialect at every
        checkout and checkin); the connection goes back to the pool as it came."""
        with self.engine.connect() as conn:
            raw: psycopg.Connection[Any] = raw_connection(conn)
            if raw.info.transaction_status != IDLE:  # BEGIN would only warn and carry on
                raise EventStoreError("a pooled connection is still inside a transaction")
            raw.autocommit = True
            try:
                yield conn, raw
            finally:
                try:
                    raw.autocommit = False
                except psycopg.Error:  # broken, or left inside a transaction
                    conn.invalidate()

    @contextmanager
    def _write_transaction(self) -> Iterator[tuple[Connection, Any]]:
        with self._autocommit() as (conn, raw):
            cursor = raw.cursor()  # it only writes; `_lock` reads on cursors of its own
            try:
                yield conn, cursor
                if raw.info.transaction_status != IDLE:  # not committed with the insert
                    check_committed(raw.execute("COMMIT"))
            except BaseException:
                _rollback(conn, raw)
                raise
            finally:
                cursor.close()

    @contextmanager
    def _snapshot(self) -> Iterator[Any]:
        with self._autocommit() as (_conn, raw):  # one statement, one round trip
            cursor = _cursor(raw)
            try:
                yield cursor
            finally:
                cursor.close()

    @contextmanager
    def _streaming(self, sql: str, params: Sequence[Any]) -> Iterator[Iterable[Any]]:
        """A server-side cursor: the client holds one batch of rows at a time."""
        with self.engine.connect() as conn, conn.begin():
            raw: psycopg.Connection[Any] = raw_connection(conn)
            with raw.cursor(name="tracker_streams") as cursor:
                cursor.itersize = STREAM_BATCH
                cursor.execute(sql, params)
                yield cursor

    def _lock(self, cursor: Any, streams: Sequence[str], ids: Sequence[str]) -> LockedState:
        conn: psycopg.Connection[Any] = cursor.connection
        with pipeline(conn):
            conn.execute("BEGIN", prepare=False)
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
            execute_prepared(cur, sql, params)
            cursors.append(cur)
        return tuple(cursors)

    def _write(self, conn: Connection, cursor: Any, linker: Linker, within: Within | None) -> None:
        transaction = PipelinedTransaction(conn, cursor, begin=False)
        if linker.count >= COPY_THRESHOLD:
            # Rows are hashed while COPY streams them: the server indexes as Python computes.
            with cursor.copy(_COPY) as copy:
                for row in linker.rows():
                    copy.write_row(row)
            transaction.execute(_UPDATE_HEAD, (linker.head.position, linker.head.hash))
        else:
            columns = [list(column) for column in zip(*linker.rows(), strict=True)]
            transaction.execute(_INSERT_UNNEST, (*columns, linker.head.position, linker.head.hash))
        if within is not None:
            within(transaction, linker.stored)
        transaction.commit()

    def _restore(self, cursor: Any, check: ChainCheck, events: Iterable[StoredEvent]) -> None:
        cursor.execute("BEGIN")
        cursor.execute(_LOCK)
        position, hash_ = cursor.fetchone()
        refuse_non_empty(LogHead(int(position), str(hash_)))
        with cursor.copy(_COPY) as copy:  # rows are checked as COPY streams them
            for row in check.rows(events):
                copy.write_row(row)
        if check.head.position:
            cursor.execute(_UPDATE_HEAD, (check.head.position, check.head.hash))

    def _is_unique_violation(self, exc: BaseException) -> bool:
        return isinstance(exc, psycopg.errors.UniqueViolation) and exc.diag.table_name == "events"

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

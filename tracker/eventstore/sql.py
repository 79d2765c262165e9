"""The SQL event store: what SQLite and PostgreSQL share (appending, reading, verifying).

Backends supply the locked read of the log's state, the insert, and their SQL dialect. Every
statement goes through a driver cursor (no ORM on the hot path); `within` callbacks get a
`Transaction` that writes through that cursor (see `transaction.py`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine

from tracker import db
from tracker.eventstore.appending import (
    Linker,
    PreparedAppend,
    bulk_mode,
    event_ids,
    paused_gc,
    prepare,
    replay,
    stream_ids,
)
from tracker.eventstore.chain import VerifyResult, verify_chain
from tracker.eventstore.clock import Clock, normalize_timestamp, stamp, utc_now
from tracker.eventstore.model import (
    ConcurrencyConflict,
    LogHead,
    StoredEvent,
    StreamAppend,
)
from tracker.eventstore.protocol import OneStreamAppend, Within
from tracker.eventstore.restore import ChainCheck
from tracker.eventstore.streams import SqlStreamReads

COLUMNS = (
    "global_position, stream_id, version, event_id, type, schema_version, "
    "data, metadata, recorded_at, prev_hash, hash"
)
"""Column order of every events query; the same order as StoredEvent's fields."""

Row = Sequence[Any]


@dataclass(frozen=True, slots=True)
class LockedState:
    """What an appender reads once it holds the head lock."""

    head: LogHead
    last_recorded_at: str | None
    versions: dict[str, int]
    existing: dict[str, StoredEvent]


@dataclass(frozen=True, slots=True)
class Queries:
    """The read statements, in a driver's parameter style."""

    head: str
    stream: str
    stream_up_to: str
    page: str
    version: str
    position_at: str
    last_recorded_at: str

    @classmethod
    def with_param(cls, p: str) -> Queries:
        select = f"SELECT {COLUMNS} FROM events"
        return cls(
            head="SELECT position, hash FROM log_head WHERE id = 1",
            stream=f"{select} WHERE stream_id = {p} ORDER BY version",
            stream_up_to=(
                f"{select} WHERE stream_id = {p} AND global_position <= {p} ORDER BY version"
            ),
            page=f"{select} WHERE global_position > {p} ORDER BY global_position LIMIT {p}",
            version=(  # one backward probe of (stream_id, version), however long the stream
                f"SELECT version FROM events WHERE stream_id = {p} ORDER BY version DESC LIMIT 1"
            ),
            position_at=(
                f"SELECT global_position FROM events WHERE recorded_at <= {p}"
                " ORDER BY recorded_at DESC, global_position DESC LIMIT 1"
            ),
            last_recorded_at=f"SELECT recorded_at FROM events WHERE global_position = {p}",
        )


class ChainRow(NamedTuple):
    """An event row as `verify` walks it: a StoredEvent's fields, cheaper to build."""

    global_position: int
    stream_id: str
    version: int
    event_id: str
    type: str
    schema_version: int
    data: dict[str, Any]
    metadata: dict[str, Any]
    recorded_at: str
    prev_hash: str
    hash: str


class _UniqueViolation(Exception):
    """The database refused a duplicate key the lock should have prevented (the backstop)."""


def raw_connection(conn: Connection) -> Any:
    """The driver connection under a SQLAlchemy connection."""
    return conn.connection.dbapi_connection


class SqlEventStore(OneStreamAppend, SqlStreamReads, ABC):
    """An event store over a SQLAlchemy engine migrated with `tracker.migrate.upgrade`."""

    queries: Queries
    verify_page_size = 10_000

    def __init__(self, engine: Engine, *, clock: Clock = utc_now) -> None:
        self.engine = engine
        self._writer = db.writer(engine)
        self._clock = clock

    # --- what a backend supplies ------------------------------------------------------------

    @abstractmethod
    def _lock(self, cursor: Any, streams: Sequence[str], ids: Sequence[str]) -> LockedState:
        """Take the head lock, then read the state the append depends on."""

    @abstractmethod
    def _write(self, conn: Connection, cursor: Any, linker: Linker, within: Within | None) -> None:
        """Insert `linker.rows()` (COLUMNS order), move the head to `linker.head`, then call
        `within` with a Transaction; a backend may send COMMIT along with the last of it."""

    @abstractmethod
    def _is_unique_violation(self, exc: BaseException) -> bool:
        """True for a duplicate key in the events table (not in what `within` writes)."""

    @abstractmethod
    def _json(self, value: Any) -> dict[str, Any]:
        """A data or metadata column's value as Python."""

    def _decode(self, row: Row) -> StoredEvent:
        """A StoredEvent from a row in COLUMNS order."""
        return StoredEvent(
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            row[5],
            self._json(row[6]),
            self._json(row[7]),
            row[8],
            row[9],
            row[10],
        )

    @contextmanager
    def _write_transaction(self) -> Iterator[tuple[Connection, Any]]:
        """(connection, cursor) in a write transaction, committed on exit, rolled back on error."""
        with self._writer.begin() as conn:
            cursor = raw_connection(conn).cursor()
            try:
                yield conn, cursor
            finally:
                cursor.close()

    @contextmanager
    def _snapshot(self) -> Iterator[Any]:
        """A cursor to read with (here in one read transaction, so it sees one state)."""
        with self.engine.connect() as conn, conn.begin():
            cursor = raw_connection(conn).cursor()
            try:
                yield cursor
            finally:
                cursor.close()

    @contextmanager
    def _consistent_snapshot(self) -> Iterator[Any]:
        """A cursor whose statements all see one state of the log (for verify)."""
        with self._snapshot() as cursor:
            yield cursor

    # --- appending ---------------------------------------------------------------------------

    def append_batch(
        self, batch: Sequence[StreamAppend], *, within: Within | None = None
    ) -> list[StoredEvent]:
        try:
            with bulk_mode(batch):
                prepared = prepare(batch)
                return self._append(prepared, within) if prepared else []
        except _UniqueViolation as exc:
            first = batch[0]
            current = self.stream_version(first.stream_id)
            raise ConcurrencyConflict(
                first.stream_id, first.expected_version, current
            ) from exc.__cause__

    def _append(self, prepared: list[PreparedAppend], within: Within | None) -> list[StoredEvent]:
        with self._write_transaction() as (conn, cursor):
            state = self._lock(cursor, stream_ids(prepared), event_ids(prepared))
            replayed = replay(prepared, state.existing)
            if replayed is not None:
                return replayed
            recorded_at = stamp(self._clock, state.last_recorded_at)
            linker = Linker(prepared, state.head, state.versions, recorded_at)
            if not linker.count:
                return []
            try:
                self._write(conn, cursor, linker, within)
            except Exception as exc:
                if self._is_unique_violation(exc):
                    raise _UniqueViolation(str(exc)) from exc
                raise
        return linker.stored

    def restore(self, events: Iterable[StoredEvent]) -> LogHead:
        """See `EventStore.restore`: one write transaction; the backend locks, refuses a log
        that is not empty, and writes the checked rows (`_restore`)."""
        check = ChainCheck()
        with paused_gc(), self._write_transaction() as (_conn, cursor):
            self._restore(cursor, check, events)
        return check.head

    def _restore(self, cursor: Any, check: ChainCheck, events: Iterable[StoredEvent]) -> None:
        """Lock the head, `restore.refuse_non_empty`, insert `check.rows(events)`, move the
        head to `check.head`."""
        raise NotImplementedError

    # --- reading -----------------------------------------------------------------------------

    def _fetch(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        with self._snapshot() as cursor:
            cursor.execute(sql, params)
            rows: list[Row] = cursor.fetchall()
            return rows

    def read_stream(
        self, stream_id: str, *, up_to_position: int | None = None
    ) -> list[StoredEvent]:
        if up_to_position is None:
            rows = self._fetch(self.queries.stream, (stream_id,))
        else:
            rows = self._fetch(self.queries.stream_up_to, (stream_id, up_to_position))
        return [self._decode(row) for row in rows]

    def read_all(self, after_position: int = 0, limit: int = 1000) -> list[StoredEvent]:
        if limit <= 0:
            return []
        rows = self._fetch(self.queries.page, (after_position, limit))
        return [self._decode(row) for row in rows]

    def iter_all(self, after_position: int = 0, page_size: int = 1000) -> Iterator[StoredEvent]:
        if page_size < 1:
            raise ValueError("page_size must be at least 1")
        position = after_position
        while True:
            page = self.read_all(position, page_size)
            yield from page
            if len(page) < page_size:
                return
            position = page[-1].global_position

    def stream_version(self, stream_id: str) -> int:
        rows = self._fetch(self.queries.version, (stream_id,))
        return int(rows[0][0]) if rows else 0

    def head(self) -> LogHead:
        position, hash_ = self._fetch(self.queries.head)[0]
        return LogHead(int(position), str(hash_))

    def position_at(self, recorded_at: str) -> int:
        rows = self._fetch(self.queries.position_at, (normalize_timestamp(recorded_at),))
        return int(rows[0][0]) if rows else 0

    def verify(self) -> VerifyResult:
        with paused_gc(), self._consistent_snapshot() as cursor:
            cursor.execute(self.queries.head)
            position, hash_ = cursor.fetchone()
            return verify_chain(self._walk(cursor), LogHead(int(position), str(hash_)))

    def _walk(self, cursor: Any) -> Iterator[ChainRow]:
        """Every event in position order, in keyset pages, as light rows (not StoredEvents)."""
        position, size, decode = 0, self.verify_page_size, self._json
        while True:
            cursor.execute(self.queries.page, (position, size))
            rows = cursor.fetchall()
            for row in rows:
                yield ChainRow._make(
                    (*row[:6], decode(row[6]), decode(row[7]), row[8], row[9], row[10])
                )
            if len(rows) < size:
                return
            position = rows[-1][0]

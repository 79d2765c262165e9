"""The contract every event store keeps: SQLite, PostgreSQL and the in-memory one for tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from tracker.eventstore.chain import VerifyResult
from tracker.eventstore.model import LogHead, NewEvent, StoredEvent, StreamAppend
from tracker.eventstore.streams import ReplayEvent

if TYPE_CHECKING:
    from sqlalchemy import Connection


class Transaction(Protocol):
    """The append's transaction as a `within` callback sees it (SQL stores), events written.

    `execute` and `executemany` take SQL in the driver's parameter style (`marker` is its
    placeholder, `?` or `%s`) and return nothing: the store may hold them back and send them with
    COMMIT in one round trip (PostgreSQL does), so their errors can come out of the append
    instead, which then stores nothing. PostgreSQL prepares each statement on the server: keep
    the text fixed and pass values as parameters. `connection` is the transaction's SQLAlchemy
    connection for anything else, reads included; whatever was held back is sent first.
    """

    @property
    def dialect(self) -> str:
        """The SQLAlchemy dialect name: `sqlite` or `postgresql`."""
        ...

    @property
    def marker(self) -> str: ...

    @property
    def connection(self) -> Connection: ...

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None: ...


Within = Callable[[Transaction | None, Sequence[StoredEvent]], None]
"""Called inside the append's transaction with that transaction (None in memory) and the events
just stored; whatever it writes commits with them, and if it raises nothing is stored. A store
may call it again for one append, when a first attempt lost a race and was rolled back whole
(see `optimistic`): it should only write, as a projection does."""


class EventStore(Protocol):
    """An append-only, hash-chained log of events grouped in streams."""

    def append(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        expected_version: int | None,
        *,
        within: Within | None = None,
    ) -> list[StoredEvent]:
        """Append events to one stream at `expected_version` (0: the stream must be new;
        None: no check). Raises ConcurrencyConflict with the current version when stale.
        If every event id was stored before, stores nothing and returns the first answer."""
        ...

    def append_batch(
        self, batch: Sequence[StreamAppend], *, within: Within | None = None
    ) -> list[StoredEvent]:
        """Append to many streams in one transaction: all of it is stored, or none."""
        ...

    def read_stream(
        self, stream_id: str, *, up_to_position: int | None = None
    ) -> list[StoredEvent]:
        """A stream's events in version order, optionally only those at or before a position."""
        ...

    def read_all(self, after_position: int = 0, limit: int = 1000) -> list[StoredEvent]:
        """Up to `limit` events after a position, in position order."""
        ...

    def iter_all(self, after_position: int = 0, page_size: int = 1000) -> Iterator[StoredEvent]:
        """Every event after a position, in pages."""
        ...

    def iter_streams(
        self, up_to_position: int, *, shard: int = 0, shards: int = 1
    ) -> Iterator[list[ReplayEvent]]:
        """Every stream's events at or before a position, one list per stream in version
        order, as lean rows for a rebuild (see `streams.py`); with `shards` > 1 only the
        streams of shard `shard`. Holds one stream at a time in memory, not the whole log."""
        ...

    def stream_version(self, stream_id: str) -> int:
        """The stream's last version, 0 if it has none."""
        ...

    def head(self) -> LogHead:
        """The last position and hash."""
        ...

    def position_at(self, recorded_at: str) -> int:
        """The last position recorded at or before a UTC timestamp (ISO text)."""
        ...

    def verify(self) -> VerifyResult:
        """Walk the whole chain and compare it with the stored head."""
        ...

    def restore(self, events: Iterable[StoredEvent]) -> LogHead:
        """Fill an EMPTY log with events as they were (positions, times and hashes kept), in
        one transaction; returns the new head. Each event is checked against the chain as it
        is read (see `restore.ChainCheck`): RestoreError names the first position that does
        not follow, NotEmpty refuses a log that holds events; either way nothing is stored."""
        ...


class OneStreamAppend:
    """`append` for one stream, as a one-entry `append_batch` (shared by every store)."""

    def append_batch(
        self, batch: Sequence[StreamAppend], *, within: Within | None = None
    ) -> list[StoredEvent]:
        raise NotImplementedError

    def append(
        self,
        stream_id: str,
        events: Sequence[NewEvent],
        expected_version: int | None,
        *,
        within: Within | None = None,
    ) -> list[StoredEvent]:
        return self.append_batch(
            [StreamAppend(stream_id, tuple(events), expected_version)], within=within
        )

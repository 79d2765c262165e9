"""The contract every event store keeps: SQLite, PostgreSQL and the in-memory one for tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Protocol

from tracker.eventstore.chain import VerifyResult
from tracker.eventstore.model import LogHead, NewEvent, StoredEvent, StreamAppend

Within = Callable[[Any, Sequence[StoredEvent]], None]
"""Called inside the append's transaction with the store's connection (None in memory) and the
events just stored; whatever it writes commits with them, and if it raises nothing is stored."""


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

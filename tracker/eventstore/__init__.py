"""The append-only, hash-chained event log: a protocol; SQLite, PostgreSQL and memory stores."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from tracker.eventstore.clock import Clock
    from tracker.eventstore.protocol import EventStore


def open_store(engine: Engine, *, clock: Clock | None = None) -> EventStore:
    """The event store for an engine's dialect (made with `tracker.db.make_engine`)."""
    from tracker.eventstore.clock import utc_now

    tick = clock or utc_now
    if engine.dialect.name == "sqlite":
        from tracker.eventstore.sqlite import SqliteEventStore

        return SqliteEventStore(engine, clock=tick)
    if engine.dialect.name == "postgresql":
        from tracker.eventstore.postgres import PostgresEventStore

        return PostgresEventStore(engine, clock=tick)
    raise ValueError(f"no event store for the {engine.dialect.name} dialect")

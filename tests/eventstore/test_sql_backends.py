"""What the SQL stores rest on: engine settings, migrations, the head lock and the backstop."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect

from tests.support.databases import sqlite_url
from tracker.db import make_engine, normalize_url, writer
from tracker.eventstore import open_store
from tracker.eventstore.model import ConcurrencyConflict, NewEvent, StoredEvent
from tracker.eventstore.postgres import PostgresEventStore
from tracker.eventstore.sql import LockedState, SqlEventStore
from tracker.eventstore.sqlite import SqliteEventStore
from tracker.migrate import current_revision, downgrade, head_revision, upgrade


def test_sqlite_connections_are_configured(tmp_path: Path) -> None:
    engine = make_engine(sqlite_url(tmp_path))
    with engine.connect() as conn:
        pragmas = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
        }
    engine.dispose()
    assert pragmas == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 30000,
    }


def test_sqlite_writers_take_the_write_lock_when_they_begin(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    upgrade(url)
    engine = make_engine(url)
    other = sqlite3.connect(tmp_path / "tracker.db", timeout=0, isolation_level=None)
    with writer(engine).begin() as conn:
        conn.exec_driver_sql("SELECT 1")  # no write yet, but BEGIN IMMEDIATE holds the lock
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        assert other.execute("SELECT position FROM log_head").fetchone() == (0,)  # WAL readers
    other.execute("BEGIN IMMEDIATE")  # free again
    other.execute("ROLLBACK")
    other.close()
    engine.dispose()


def test_in_memory_sqlite_is_one_shared_database() -> None:
    engine = make_engine("sqlite://")
    upgrade(engine)
    assert current_revision(engine) == head_revision()
    store = open_store(engine)
    store.append("case-1", [NewEvent(type="NoteAdded", data={})], 0)
    assert open_store(engine).head().position == 1


def test_migrations_go_up_once_and_down_again(database_url: str) -> None:
    engine = make_engine(database_url)
    assert current_revision(engine) == head_revision()
    upgrade(engine)  # again: nothing to do
    assert {"events", "log_head"} <= set(inspect(engine).get_table_names())
    downgrade(engine, "base")
    assert current_revision(engine) is None
    assert "events" not in inspect(engine).get_table_names()
    upgrade(engine)
    assert open_store(engine).verify().intact
    engine.dispose()


def test_open_store_picks_the_store_for_the_dialect(sql_engine: Engine) -> None:
    expected = SqliteEventStore if sql_engine.dialect.name == "sqlite" else PostgresEventStore
    assert type(open_store(sql_engine)) is expected


def test_a_sqlite_engine_not_made_here_is_refused(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    with pytest.raises(ValueError, match="make_engine"):
        SqliteEventStore(create_engine(sqlite_url(tmp_path)))


def test_postgres_urls_go_to_psycopg() -> None:
    assert normalize_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("sqlite:///x.db") == "sqlite:///x.db"


@pytest.mark.parametrize("with_within", [False, True], ids=["plain", "within"])
def test_a_unique_violation_behind_the_lock_becomes_a_conflict(
    sql_engine: Engine, monkeypatch: pytest.MonkeyPatch, with_within: bool
) -> None:
    """If the state read under the lock were ever stale, the unique index still says no."""
    store = open_store(sql_engine)
    assert isinstance(store, SqlEventStore)
    store.append("case-1", [NewEvent(type="NoteAdded", data={})], 0)
    real_lock = type(store)._lock

    def stale_lock(
        self: SqlEventStore, cursor: Any, streams: Sequence[str], ids: Sequence[str]
    ) -> LockedState:
        state = real_lock(self, cursor, streams, ids)
        return LockedState(state.head, state.last_recorded_at, {}, state.existing)

    monkeypatch.setattr(type(store), "_lock", stale_lock)
    within = (lambda conn, events: None) if with_within else None
    with pytest.raises(ConcurrencyConflict) as caught:
        store.append("case-1", [NewEvent(type="NoteAdded", data={})], 0, within=within)
    monkeypatch.undo()

    assert caught.value.current_version == 1
    assert store.head().position == 1
    assert store.append("case-2", [NewEvent(type="NoteAdded", data={})], 0)[0].global_position == 2
    assert store.verify().intact


def test_what_within_writes_commits_or_rolls_back_with_the_events(sql_engine: Engine) -> None:
    with sql_engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE scratch (position INTEGER NOT NULL)")
    store = open_store(sql_engine)

    def record(tx: Any, events: Sequence[StoredEvent]) -> None:
        insert = f"INSERT INTO scratch VALUES ({tx.marker})"
        tx.execute(insert, (events[0].global_position,))
        tx.executemany(insert, [(event.global_position,) for event in events[1:]])

    def record_then_fail(tx: Any, events: Sequence[StoredEvent]) -> None:
        record(tx, events)
        raise RuntimeError("late failure")

    store.append(
        "case-1", [NewEvent(type="T", data={}), NewEvent(type="T", data={})], 0, within=record
    )
    with pytest.raises(RuntimeError):
        store.append("case-2", [NewEvent(type="T", data={})], 0, within=record_then_fail)

    with sql_engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT position FROM scratch ORDER BY position").all()
    assert [row[0] for row in rows] == [1, 2]
    assert store.head().position == 2


def test_sqlite_store_keeps_json_as_canonical_text(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path)
    upgrade(url)
    engine = make_engine(url)
    open_store(engine).append("case-1", [NewEvent(type="T", data={"b": 1, "a": "Ä"})], 0)
    engine.dispose()
    with sqlite3.connect(tmp_path / "tracker.db") as raw:
        assert raw.execute("SELECT data FROM events").fetchone() == ('{"a":"Ä","b":1}',)


def test_a_write_that_within_held_back_and_that_fails_stores_nothing(sql_engine: Engine) -> None:
    """Its error comes out of the append (on PostgreSQL, with COMMIT) and is not a conflict."""
    with sql_engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE scratch (position INTEGER PRIMARY KEY)")
    store = open_store(sql_engine)

    def twice(tx: Any, events: Sequence[StoredEvent]) -> None:
        tx.executemany(f"INSERT INTO scratch VALUES ({tx.marker})", [(1,), (1,)])

    with pytest.raises(Exception, match=r"(?i)unique|duplicate") as caught:
        store.append("case-1", [NewEvent(type="T", data={})], 0, within=twice)
    assert not isinstance(caught.value, ConcurrencyConflict)

    assert store.head().position == 0
    assert store.read_stream("case-1") == []
    assert store.append("case-1", [NewEvent(type="T", data={})], 0)[0].global_position == 1


def test_within_can_read_what_it_held_back(sql_engine: Engine) -> None:
    with sql_engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE scratch (position INTEGER NOT NULL)")
    store = open_store(sql_engine)
    seen: list[int] = []

    def write_then_read(tx: Any, events: Sequence[StoredEvent]) -> None:
        tx.execute(f"INSERT INTO scratch VALUES ({tx.marker})", (7,))
        seen.append(tx.connection.exec_driver_sql("SELECT count(*) FROM scratch").scalar())
        tx.execute(f"INSERT INTO scratch VALUES ({tx.marker})", (8,))

    store.append("case-1", [NewEvent(type="T", data={})], 0, within=write_then_read)

    with sql_engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT position FROM scratch ORDER BY position").all()
    assert seen == [1]
    assert [row[0] for row in rows] == [7, 8]

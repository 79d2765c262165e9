"""The database itself refuses to rewrite the log: triggers on `events` and `log_head`."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from tracker.db import writer
from tracker.eventstore import open_store
from tracker.eventstore.model import NewEvent
from tracker.eventstore.protocol import EventStore


@pytest.fixture
def filled(sql_engine: Engine) -> EventStore:
    store = open_store(sql_engine)
    for i in range(3):
        store.append(f"case-{i}", [NewEvent(type="NoteAdded", data={"i": i})], 0)
    return store


def refused(engine: Engine, statement: str, match: str = "append-only") -> None:
    with pytest.raises(DBAPIError, match=match), writer(engine).begin() as conn:
        conn.exec_driver_sql(statement)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE events SET type = 'Forged' WHERE global_position = 2",
        "UPDATE events SET recorded_at = recorded_at",
        "DELETE FROM events WHERE global_position = 3",
        "DELETE FROM events",
    ],
)
def test_events_cannot_be_updated_or_deleted(
    sql_engine: Engine, filled: EventStore, statement: str
) -> None:
    refused(sql_engine, statement)
    assert filled.head().position == 3
    assert filled.verify().intact


@pytest.mark.postgres
def test_events_cannot_be_truncated_on_postgres(postgres_engine: Engine) -> None:
    store = open_store(postgres_engine)
    store.append("case-1", [NewEvent(type="NoteAdded", data={})], 0)
    refused(postgres_engine, "TRUNCATE events")
    refused(postgres_engine, "TRUNCATE log_head")
    assert store.verify().count == 1


@pytest.mark.postgres
def test_replica_mode_does_not_switch_the_triggers_off(postgres_engine: Engine) -> None:
    store = open_store(postgres_engine)
    store.append("case-1", [NewEvent(type="NoteAdded", data={})], 0)
    refused(postgres_engine, "SET LOCAL session_replication_role = replica; DELETE FROM events")
    assert store.verify().count == 1


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE log_head SET position = position - 1",
        "UPDATE log_head SET position = 0, hash = '" + "0" * 64 + "'",
        "UPDATE log_head SET hash = '" + "f" * 64 + "'",
        "DELETE FROM log_head",
    ],
)
def test_the_log_head_cannot_move_back_or_go(
    sql_engine: Engine, filled: EventStore, statement: str
) -> None:
    head = filled.head()
    refused(sql_engine, statement)
    assert filled.head() == head


def test_a_second_log_head_row_is_refused(sql_engine: Engine, filled: EventStore) -> None:
    with pytest.raises(DBAPIError), writer(sql_engine).begin() as conn:
        conn.exec_driver_sql("INSERT INTO log_head (id, position, hash) VALUES (2, 0, 'x')")

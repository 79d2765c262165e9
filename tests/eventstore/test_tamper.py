"""Someone with the database's keys edits the log by hand: verify() says where it broke."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tracker.db import is_postgres, writer
from tracker.eventstore import open_store
from tracker.eventstore.model import NewEvent
from tracker.eventstore.protocol import EventStore

EVENTS = 10
K = 4


@pytest.fixture
def store(sql_engine: Engine) -> EventStore:
    store = open_store(sql_engine)
    for i in range(EVENTS):
        store.append(f"case-{i % 3}", [NewEvent(type="NoteAdded", data={"i": i})], None)
    assert store.verify().intact
    return store


def tamper(engine: Engine, *statements: str) -> None:
    """Drop the append-only triggers, as a superuser could, and run the statements."""
    if is_postgres(engine):
        drops = [
            "DROP TRIGGER events_no_update_delete ON events",
            "DROP TRIGGER log_head_forward_only ON log_head",
        ]
    else:
        drops = [
            "DROP TRIGGER events_no_update",
            "DROP TRIGGER events_no_delete",
            "DROP TRIGGER log_head_forward_only",
        ]
    with writer(engine).begin() as conn:
        for statement in [*drops, *statements]:
            conn.exec_driver_sql(statement)


def test_edited_data_is_found_at_its_position(sql_engine: Engine, store: EventStore) -> None:
    tamper(
        sql_engine,
        f"""UPDATE events SET data = '{{"i": 999}}' WHERE global_position = {K}""",
    )

    result = store.verify()

    assert not result.intact
    assert result.first_bad_position == K
    assert result.problem == "hash does not match the event's content"
    assert result.count == K - 1


def test_an_edited_hash_is_found_at_its_position(sql_engine: Engine, store: EventStore) -> None:
    tamper(sql_engine, f"UPDATE events SET hash = '{'a' * 64}' WHERE global_position = {K}")

    result = store.verify()

    assert result.first_bad_position == K


def test_a_rewritten_link_is_found(sql_engine: Engine, store: EventStore) -> None:
    """An event whose prev_hash was changed no longer links to the one before it."""
    tamper(sql_engine, f"UPDATE events SET prev_hash = '{'b' * 64}' WHERE global_position = {K}")
    assert store.verify().first_bad_position == K


def test_a_deleted_last_event_is_reported_missing(sql_engine: Engine, store: EventStore) -> None:
    tamper(sql_engine, f"DELETE FROM events WHERE global_position = {EVENTS}")

    result = store.verify()

    assert result.first_bad_position == EVENTS
    assert result.problem == f"position {EVENTS} is missing"


def test_a_deleted_event_in_the_middle_is_reported_missing(
    sql_engine: Engine, store: EventStore
) -> None:
    tamper(sql_engine, f"DELETE FROM events WHERE global_position = {K}")

    result = store.verify()

    assert result.first_bad_position == K
    assert result.problem == f"position {K} is missing"


def test_a_head_moved_back_is_caught(sql_engine: Engine, store: EventStore) -> None:
    tamper(sql_engine, f"UPDATE log_head SET position = {EVENTS - 1}")

    result = store.verify()

    assert result.first_bad_position == EVENTS
    assert result.problem == "the log head is behind the events"

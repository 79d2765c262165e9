"""Read a stream, then append to it (the command path). On PostgreSQL the append trusts the head
the read saw and skips the lock; these check that whoever appends in between changes nothing of
the outcome: the log stays whole, conflicts and replays are answered as usual."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.eventstore.test_concurrency import assert_log_is_whole
from tracker.db import make_engine
from tracker.eventstore import open_store
from tracker.eventstore.model import ConcurrencyConflict, NewEvent, StoredEvent
from tracker.eventstore.protocol import EventStore, Transaction


def ev(n: int = 0) -> NewEvent:
    return NewEvent(type="NoteAdded", data={"n": n}, metadata={"actor": "researcher-1"})


@pytest.fixture
def other(database_url: str) -> Iterator[EventStore]:
    """A second store on the same database: another process, as far as the first can tell."""
    engine = make_engine(database_url)
    yield open_store(engine)
    engine.dispose()


@pytest.fixture
def mine(sql_engine: Engine) -> EventStore:
    with sql_engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE scratch (position INTEGER PRIMARY KEY)")
    return open_store(sql_engine)


def record(calls: list[list[int]]) -> Any:
    """A `within` that writes the new positions to `scratch` and notes each call."""

    def within(tx: Transaction | None, events: Sequence[StoredEvent]) -> None:
        assert tx is not None
        calls.append([e.global_position for e in events])
        insert = f"INSERT INTO scratch VALUES ({tx.marker})"
        tx.executemany(insert, [(e.global_position,) for e in events])

    return within


def scratch(engine: Engine) -> list[int]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT position FROM scratch ORDER BY position").all()
    return [row[0] for row in rows]


def test_an_append_after_a_read_is_stored_as_usual(mine: EventStore, sql_engine: Engine) -> None:
    mine.append("case-1", [ev(1)], 0)
    calls: list[list[int]] = []
    previous = mine.read_stream("case-1")
    stored = mine.append("case-1", [ev(2), ev(3)], len(previous), within=record(calls))

    assert [(e.version, e.global_position) for e in stored] == [(2, 2), (3, 3)]
    assert stored[0].prev_hash == previous[-1].hash
    assert calls == [[2, 3]]
    assert scratch(sql_engine) == [2, 3]
    assert_log_is_whole(mine, 3)


def test_an_append_after_a_read_that_another_writer_overtook(
    mine: EventStore, other: EventStore, sql_engine: Engine
) -> None:
    mine.append("case-1", [ev(1)], 0)
    previous = mine.read_stream("case-1")
    other.append("case-2", [ev(2)], 0)  # the head moves on behind the read's back
    calls: list[list[int]] = []

    stored = mine.append("case-1", [ev(3)], len(previous), within=record(calls))

    assert [(e.version, e.global_position) for e in stored] == [(2, 3)]
    assert calls[-1] == [3]  # an attempt that trusted the read may have been rolled back
    assert scratch(sql_engine) == [3]
    assert_log_is_whole(mine, 3)


def test_losing_the_race_again_and_again_leaves_the_connection_usable(
    mine: EventStore, other: EventStore, sql_engine: Engine
) -> None:
    """Past the point where the driver starts preparing statements (its fifth use), too."""
    calls: list[list[int]] = []
    for n in range(8):
        version = len(mine.read_stream("case-1"))
        other.append("case-2", [ev(n)], n)
        mine.append("case-1", [ev(n)], version, within=record(calls))
    mine.append("case-1", [ev(8)], 8, within=record(calls))
    assert scratch(sql_engine) == [*range(2, 17, 2), 17]
    assert_log_is_whole(mine, 17)


def test_a_stream_that_moved_on_since_the_read_is_a_conflict(
    mine: EventStore, other: EventStore
) -> None:
    mine.append("case-1", [ev(1)], 0)
    previous = mine.read_stream("case-1")
    other.append("case-1", [ev(2)], 1)
    head = mine.head()

    with pytest.raises(ConcurrencyConflict) as caught:
        mine.append("case-1", [ev(3)], len(previous))
    assert caught.value.current_version == 2
    assert mine.head() == head
    # without an expected version the append goes after whatever is there
    mine.read_stream("case-1")
    other.append("case-1", [ev(4)], 2)
    assert [e.version for e in mine.append("case-1", [ev(5)], None)] == [4]
    assert_log_is_whole(mine, 4)


def test_a_repeated_event_id_after_a_read_answers_as_the_first_time(mine: EventStore) -> None:
    first = mine.append("case-1", [ev(1)], 0)
    mine.read_stream("case-1")
    again = mine.append("case-1", [NewEvent(**_fields(first[0]))], None)
    assert again == first
    assert_log_is_whole(mine, 1)


def _fields(event: StoredEvent) -> dict[str, Any]:
    return {
        "type": event.type,
        "data": event.data,
        "schema_version": event.schema_version,
        "event_id": event.event_id,
        "metadata": event.metadata,
    }


@pytest.mark.slow
def test_readers_then_writers_racing(sql_engine: Engine, database_url: str) -> None:
    """Threads of two stores read a stream, then append to it at the version read."""
    stores = [open_store(sql_engine), open_store(other_engine := make_engine(database_url))]
    errors: list[BaseException] = []
    done = [0]
    lock = threading.Lock()
    start = threading.Barrier(6)

    def write(store: EventStore, stream_id: str) -> None:
        start.wait()
        try:
            for n in range(40):
                while True:
                    version = len(store.read_stream(stream_id))
                    try:
                        store.append(stream_id, [ev(n)], version)
                        break
                    except ConcurrencyConflict:
                        continue
                with lock:
                    done[0] += 1
        except BaseException as exc:
            errors.append(exc)

    streams = ["case-shared", "case-shared", "case-a", "case-b", "case-c", "case-d"]
    threads = [
        threading.Thread(target=write, args=(stores[i % 2], stream))
        for i, stream in enumerate(streams)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    other_engine.dispose()
    assert errors == []
    assert done[0] == 6 * 40
    assert_log_is_whole(stores[0], 6 * 40)

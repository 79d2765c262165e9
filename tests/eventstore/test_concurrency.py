"""Many writers at once: nothing lost, nothing doubled, positions gapless, losers told so."""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

import pytest
from sqlalchemy import Engine

from tracker.eventstore import open_store
from tracker.eventstore.model import ConcurrencyConflict, NewEvent
from tracker.eventstore.protocol import EventStore

pytestmark = pytest.mark.slow

WRITERS = 8
APPENDS = 200


@dataclass
class Tally:
    successes: int = 0
    conflicts: int = 0
    errors: list[BaseException] = field(default_factory=list)


def write(
    store: EventStore, stream_id: str, writer: int, tally: Tally, start: threading.Barrier
) -> None:
    """Append APPENDS events, each at the version just read; on a conflict, count it and retry."""
    start.wait()
    try:
        done = 0
        while done < APPENDS:
            version = store.stream_version(stream_id)
            event = NewEvent(type="NoteAdded", data={"writer": writer, "n": done})
            try:
                store.append(stream_id, [event], version)
            except ConcurrencyConflict as conflict:
                if conflict.current_version <= version:  # a conflict must say how far it moved
                    raise
                tally.conflicts += 1
                continue
            done += 1
            tally.successes += 1
    except BaseException as exc:  # anything but a conflict fails the test
        tally.errors.append(exc)


def run_writers(store: EventStore, streams: list[str]) -> list[Tally]:
    tallies = [Tally() for _ in range(WRITERS)]
    start = threading.Barrier(WRITERS)
    threads = [
        threading.Thread(target=write, args=(store, streams[i], i, tallies[i], start))
        for i in range(WRITERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    assert [error for tally in tallies for error in tally.errors] == []
    return tallies


def assert_log_is_whole(store: EventStore, successes: int) -> None:
    events = list(store.iter_all(page_size=500))
    assert len(events) == successes
    assert [e.global_position for e in events] == list(range(1, successes + 1))
    pairs = Counter((e.stream_id, e.version) for e in events)
    assert max(pairs.values()) == 1
    for stream_id in {e.stream_id for e in events}:
        versions = [e.version for e in events if e.stream_id == stream_id]
        assert versions == list(range(1, len(versions) + 1))
    assert store.head().position == successes
    result = store.verify()
    assert result.intact, result.problem
    assert result.count == successes


def test_writers_racing_on_one_stream(sql_engine: Engine) -> None:
    store = open_store(sql_engine)
    tallies = run_writers(store, ["case-shared"] * WRITERS)

    successes = sum(t.successes for t in tallies)
    assert successes == WRITERS * APPENDS
    assert sum(t.conflicts for t in tallies) > 0
    assert_log_is_whole(store, successes)
    writers = Counter(e.data["writer"] for e in store.read_stream("case-shared"))
    assert writers == dict.fromkeys(range(WRITERS), APPENDS)


def test_writers_on_their_own_streams(sql_engine: Engine) -> None:
    store = open_store(sql_engine)
    tallies = run_writers(store, [f"case-{i}" for i in range(WRITERS)])

    assert [t.successes for t in tallies] == [APPENDS] * WRITERS
    assert sum(t.conflicts for t in tallies) == 0
    assert_log_is_whole(store, WRITERS * APPENDS)

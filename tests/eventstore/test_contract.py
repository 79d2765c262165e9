"""The event store contract, asserted once and run on every store: memory, SQLite, PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.conftest import StoreFactory
from tests.support.clock import StepClock
from tracker.eventstore.model import (
    ConcurrencyConflict,
    DuplicateEventId,
    InvalidEvent,
    NewEvent,
    StoredEvent,
    StreamAppend,
)
from tracker.eventstore.protocol import EventStore, Transaction
from tracker.eventstore.streams import actor_text

GENESIS = "0" * 64
T0 = datetime(2026, 11, 22, 12, 0, 0, tzinfo=UTC)


def ev(event_type: str = "NoteAdded", **data: Any) -> NewEvent:
    return NewEvent(type=event_type, data=data, metadata={"actor": "researcher-1"})


def independent_hash(prev_hash: str, event: StoredEvent) -> str:
    """The chain recipe written out again here, so the test does not trust the store's code."""
    body = {
        "data": event.data,
        "event_id": event.event_id,
        "metadata": event.metadata,
        "recorded_at": event.recorded_at,
        "schema_version": event.schema_version,
        "stream_id": event.stream_id,
        "type": event.type,
        "version": event.version,
    }
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    message = prev_hash.encode() + str(event.global_position).encode() + b"\n" + text.encode()
    return hashlib.sha256(message).hexdigest()


def everything(store: EventStore) -> list[StoredEvent]:
    return list(store.iter_all())


# --- appending and reading back ------------------------------------------------------------


def test_appended_events_read_back_as_stored(store: EventStore) -> None:
    new = [ev("CaseOpened", name="Ахтемов", born={"year": 1978}), ev(note="detained", n=2)]
    stored = store.append("case-1", new, 0)

    assert [e.event_id for e in stored] == [e.event_id for e in new]
    assert [(e.type, dict(e.data), dict(e.metadata)) for e in stored] == [
        ("CaseOpened", {"name": "Ахтемов", "born": {"year": 1978}}, {"actor": "researcher-1"}),
        ("NoteAdded", {"note": "detained", "n": 2}, {"actor": "researcher-1"}),
    ]
    assert store.read_stream("case-1") == stored
    assert store.read_all() == stored


def test_versions_count_from_one_in_each_stream(store: EventStore) -> None:
    store.append("case-1", [ev(), ev()], 0)
    store.append("case-2", [ev()], 0)
    store.append("case-1", [ev()], 2)

    assert [e.version for e in store.read_stream("case-1")] == [1, 2, 3]
    assert [e.version for e in store.read_stream("case-2")] == [1]
    assert store.stream_version("case-1") == 3
    assert store.stream_version("case-2") == 1
    assert store.stream_version("nobody") == 0


def test_positions_are_gapless_across_streams_and_linked(store: EventStore) -> None:
    for round_ in range(3):
        for stream in ("case-a", "case-b", "report-c"):
            store.append(stream, [ev(round=round_)] * 1, None)
    store.append("case-a", [ev(), ev()], None)

    events = everything(store)
    assert [e.global_position for e in events] == list(range(1, 12))
    assert [e.prev_hash for e in events] == [GENESIS, *(e.hash for e in events[:-1])]
    assert store.head().position == 11
    assert store.head().hash == events[-1].hash


def test_empty_store(store: EventStore) -> None:
    assert store.head().position == 0
    assert store.head().hash == GENESIS
    assert store.read_all() == []
    assert store.read_stream("case-1") == []
    assert store.position_at("2100-01-01T00:00:00Z") == 0
    result = store.verify()
    assert result.intact
    assert (result.count, result.head_hash) == (0, GENESIS)


# --- expected versions ---------------------------------------------------------------------


def test_stale_expected_version_conflicts_and_carries_the_current_version(
    store: EventStore,
) -> None:
    store.append("case-1", [ev(), ev()], 0)
    head = store.head()

    with pytest.raises(ConcurrencyConflict) as caught:
        store.append("case-1", [ev()], 1)

    assert (caught.value.stream_id, caught.value.expected_version) == ("case-1", 1)
    assert caught.value.current_version == 2
    assert store.head() == head
    assert store.stream_version("case-1") == 2


def test_expected_version_zero_on_an_existing_stream_conflicts(store: EventStore) -> None:
    store.append("case-1", [ev()], 0)

    with pytest.raises(ConcurrencyConflict) as caught:
        store.append("case-1", [ev()], 0)

    assert caught.value.current_version == 1


def test_expected_version_ahead_of_the_stream_conflicts(store: EventStore) -> None:
    with pytest.raises(ConcurrencyConflict) as caught:
        store.append("case-1", [ev()], 3)
    assert caught.value.current_version == 0


def test_no_expected_version_appends_anyway(store: EventStore) -> None:
    store.append("case-1", [ev()], None)
    store.append("case-1", [ev()], None)
    assert store.stream_version("case-1") == 2


# --- idempotency -----------------------------------------------------------------------------


def test_a_repeated_append_returns_the_first_answer_and_stores_nothing(
    store: EventStore,
) -> None:
    events = [ev(n=1), ev(n=2)]
    first = store.append("case-1", events, 0)
    store.append("case-2", [ev()], 0)
    head = store.head()

    again = store.append("case-1", events, 0)  # the expected version is stale by now

    assert again == first
    assert store.head() == head
    assert len(store.read_stream("case-1")) == 2


def test_a_repeated_batch_returns_the_first_answer(store: EventStore) -> None:
    batch = [StreamAppend("case-1", (ev(),), 0), StreamAppend("case-2", (ev(), ev()), 0)]
    first = store.append_batch(batch)
    head = store.head()

    assert store.append_batch(batch) == first
    assert store.head() == head


def test_a_partly_repeated_append_is_refused(store: EventStore) -> None:
    known = ev()
    store.append("case-1", [known], 0)
    head = store.head()

    with pytest.raises(DuplicateEventId) as caught:
        store.append("case-1", [known, ev()], None)

    assert caught.value.event_id == known.event_id
    assert store.head() == head


def test_an_event_id_from_another_stream_is_refused(store: EventStore) -> None:
    known = ev()
    store.append("case-1", [known], 0)

    with pytest.raises(DuplicateEventId, match="case-1"):
        store.append("case-2", [known], 0)
    assert store.stream_version("case-2") == 0


def test_an_event_id_reused_for_other_content_is_refused(store: EventStore) -> None:
    first = ev(note="detained")
    store.append("case-1", [first], 0)
    other = NewEvent(type=first.type, data={"note": "released"}, event_id=first.event_id)

    with pytest.raises(DuplicateEventId, match="other content"):
        store.append("case-1", [other], None)


def test_the_same_event_id_twice_in_one_append_is_refused(store: EventStore) -> None:
    twice = ev()
    with pytest.raises(DuplicateEventId):
        store.append("case-1", [twice, twice], 0)
    assert store.head().position == 0


# --- within: work in the append's transaction ----------------------------------------------


def test_within_sees_the_new_events_inside_the_transaction(store: EventStore) -> None:
    store.append("case-0", [ev()], 0)
    seen: list[Sequence[StoredEvent]] = []
    counted: list[int] = []

    def within(tx: Transaction | None, events: Sequence[StoredEvent]) -> None:
        seen.append(list(events))
        if tx is not None:  # SQL stores: the rows are visible on the connection
            counted.append(tx.connection.exec_driver_sql("SELECT count(*) FROM events").scalar())

    stored = store.append("case-1", [ev(), ev()], 0, within=within)

    assert seen == [stored]
    assert counted in ([], [3])


def test_a_failing_within_stores_nothing(store: EventStore) -> None:
    store.append("case-0", [ev()], 0)
    head = store.head()

    def within(tx: Transaction | None, events: Sequence[StoredEvent]) -> None:
        if tx is not None:
            tx.connection.exec_driver_sql("SELECT 1")
        raise RuntimeError("projection failed")

    with pytest.raises(RuntimeError, match="projection failed"):
        store.append("case-1", [ev(), ev()], 0, within=within)

    assert store.head() == head
    assert store.read_stream("case-1") == []
    after = store.append("case-1", [ev()], 0)  # the position is not burnt
    assert after[0].global_position == 2
    assert store.verify().intact


# --- batches -------------------------------------------------------------------------------


def test_a_batch_appends_to_many_streams_in_order(store: EventStore) -> None:
    store.append("case-1", [ev()], 0)
    stored = store.append_batch(
        [
            StreamAppend("case-1", (ev(), ev()), 1),
            StreamAppend("case-2", (ev(),), 0),
            StreamAppend("source-3", (ev(), ev()), None),
        ]
    )

    assert [(e.stream_id, e.version, e.global_position) for e in stored] == [
        ("case-1", 2, 2),
        ("case-1", 3, 3),
        ("case-2", 1, 4),
        ("source-3", 1, 5),
        ("source-3", 2, 6),
    ]
    assert len({e.recorded_at for e in stored}) == 1
    assert everything(store)[1:] == stored


def test_a_batch_is_all_or_nothing_when_one_stream_conflicts(store: EventStore) -> None:
    store.append("case-3", [ev()], 0)
    head = store.head()

    with pytest.raises(ConcurrencyConflict) as caught:
        store.append_batch(
            [
                StreamAppend("case-1", (ev(),), 0),
                StreamAppend("case-2", (ev(), ev()), 0),
                StreamAppend("case-3", (ev(),), 0),
            ]
        )

    assert (caught.value.stream_id, caught.value.current_version) == ("case-3", 1)
    assert store.head() == head
    assert store.read_stream("case-1") == store.read_stream("case-2") == []


def test_a_stream_twice_in_a_batch_continues_its_versions(store: EventStore) -> None:
    stored = store.append_batch(
        [StreamAppend("case-1", (ev(),), 0), StreamAppend("case-1", (ev(),), 1)]
    )
    assert [e.version for e in stored] == [1, 2]
    with pytest.raises(ConcurrencyConflict):
        store.append_batch([StreamAppend("case-2", (ev(),), 0), StreamAppend("case-2", (ev(),), 0)])


def test_a_large_batch_is_stored_and_verifies(store: EventStore) -> None:
    """Large enough for the bulk paths (COPY on PostgreSQL, a paused collector)."""
    batch = [
        StreamAppend(f"case-{i}", tuple(ev(i=i, j=j, name="Эюпов") for j in range(5)), 0)
        for i in range(240)
    ]
    calls: list[int] = []
    stored = store.append_batch(batch, within=lambda conn, events: calls.append(len(events)))

    assert calls == [1200]
    assert [e.global_position for e in stored] == list(range(1, 1201))
    assert store.read_stream("case-17") == stored[85:90]
    assert store.verify().intact
    assert store.verify().count == 1200


def test_a_large_batch_with_one_bad_event_stores_nothing(store: EventStore) -> None:
    store.append("case-0", [ev()], 0)
    head = store.head()
    batch = [
        StreamAppend(f"case-{i}", tuple(ev(i=i, j=j) for j in range(5)), None) for i in range(200)
    ]
    batch.append(StreamAppend("case-last", (ev(), ev(amount=2.5)), None))

    with pytest.raises(InvalidEvent, match=r"^data\.amount"):
        store.append_batch(batch)

    assert store.head() == head
    assert store.read_stream("case-7") == []
    assert store.append("case-1", [ev()], None)[0].global_position == 2


# --- reading -------------------------------------------------------------------------------


def test_read_stream_up_to_a_position(store: EventStore) -> None:
    store.append("case-1", [ev(n=1)], 0)  # 1
    store.append("case-2", [ev()], 0)  # 2
    store.append("case-1", [ev(n=2), ev(n=3)], 1)  # 3, 4

    assert [e.data["n"] for e in store.read_stream("case-1", up_to_position=1)] == [1]
    assert [e.data["n"] for e in store.read_stream("case-1", up_to_position=3)] == [1, 2]
    assert len(store.read_stream("case-1", up_to_position=99)) == 3
    assert store.read_stream("case-1", up_to_position=0) == []


def test_read_all_pages_by_position(store: EventStore) -> None:
    for i in range(25):
        store.append(f"case-{i % 4}", [ev(i=i)], None)

    def positions(events: Iterable[StoredEvent]) -> list[int]:
        return [e.global_position for e in events]

    assert positions(store.read_all(0, 10)) == list(range(1, 11))
    assert positions(store.read_all(10, 10)) == list(range(11, 21))
    assert positions(store.read_all(20, 10)) == list(range(21, 26))
    assert store.read_all(25, 10) == []
    assert positions(store.iter_all(page_size=7)) == list(range(1, 26))
    assert positions(store.iter_all(after_position=18, page_size=3)) == list(range(19, 26))


def test_iter_streams_gives_each_stream_whole_in_version_order_up_to_a_position(
    store: EventStore,
) -> None:
    for i in range(30):
        store.append(f"case-{i % 7}", [ev(i=i, text="tab\there, 'quote' \"and\" \\ Ахтемов")], None)
    stored = {e.global_position: e for e in store.iter_all()}

    streams = list(store.iter_streams(25))

    ids = [events[0].stream_id for events in streams]
    assert sorted(ids) == sorted(set(ids)) == sorted({e.stream_id for e in stored.values()})
    for events in streams:
        assert {e.stream_id for e in events} == {events[0].stream_id}
        assert [e.version for e in events] == list(range(1, len(events) + 1))
        for e in events:
            original = stored[e.global_position]
            assert e.global_position <= 25
            assert (e.event_id, e.type, e.schema_version) == (
                original.event_id,
                original.type,
                original.schema_version,
            )
            assert (e.version, e.recorded_at, e.hash) == (
                original.version,
                original.recorded_at,
                original.hash,
            )
            assert json.loads(e.data) == original.data
            assert actor_text(e.actor) == "researcher-1"
    assert sum(len(events) for events in streams) == 25
    assert list(store.iter_streams(0)) == []


def test_iter_streams_shards_split_the_streams_between_them(store: EventStore) -> None:
    for i in range(40):
        store.append(f"case-{i % 13}", [ev(i=i)], None)
    store.append("case-long", [ev(i=i) for i in range(30)], 0)  # 41..70
    everything = [e[0].stream_id for e in store.iter_streams(70)]

    for shards in (2, 3, 7, 90):
        parts = [
            [e[0].stream_id for e in store.iter_streams(70, shard=k, shards=shards)]
            for k in range(shards)
        ]
        found = [stream_id for part in parts for stream_id in part]
        assert sorted(found) == sorted(everything)  # each stream once, in one shard
    three = [sum(len(e) for e in store.iter_streams(70, shard=k, shards=3)) for k in range(3)]
    assert sum(three) == 70 and all(three)
    assert list(store.iter_streams(0, shard=1, shards=2)) == []
    with pytest.raises(ValueError, match="shard 3 of 3"):
        list(store.iter_streams(40, shard=3, shards=3))


@pytest.mark.parametrize(
    ("metadata", "actor"),
    [
        ({}, ""),
        ({"actor": None}, "None"),
        ({"actor": 7}, "7"),
        ({"actor": 'a "quoted" \\ one'}, 'a "quoted" \\ one'),
        ({"actor": "Ахтемов"}, "Ахтемов"),
    ],
)
def test_iter_streams_reads_the_actor_as_the_metadata_holds_it(
    store: EventStore, metadata: dict[str, Any], actor: str
) -> None:
    store.append("case-1", [NewEvent("NoteAdded", {"text": "x"}, metadata=metadata)], 0)

    [[event]] = store.iter_streams(1)

    assert actor_text(event.actor) == actor == str(metadata.get("actor", ""))


def test_position_at_a_moment(make_store: StoreFactory) -> None:
    store = make_store(StepClock(T0, timedelta(seconds=10)))
    store.append("case-1", [ev()], 0)  # T0: 1
    store.append("case-2", [ev()], 0)  # T0+10s: 2
    store.append("case-1", [ev(), ev()], 1)  # T0+20s: 3, 4

    def at(moment: datetime) -> int:
        return store.position_at(moment.isoformat())

    assert at(T0 - timedelta(microseconds=1)) == 0
    assert at(T0) == 1
    assert at(T0 + timedelta(seconds=9)) == 1
    assert at(T0 + timedelta(seconds=10)) == 2
    assert at(T0 + timedelta(seconds=20)) == 4
    assert store.position_at("2100-01-01") == 4
    assert store.position_at("2026-11-22T14:00:15+02:00") == 2  # offsets are converted
    assert store.position_at("2026-11-22T12:00:10Z") == 2


# --- what is recorded ------------------------------------------------------------------------


def test_recorded_at_is_utc_with_microseconds_one_per_append(make_store: StoreFactory) -> None:
    store = make_store(StepClock(datetime(2026, 3, 1, 9, 5, 7, 120, tzinfo=UTC)))
    first = store.append("case-1", [ev(), ev()], 0)
    second = store.append("case-1", [ev()], 2)

    pattern = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
    assert all(pattern.match(e.recorded_at) for e in [*first, *second])
    assert [e.recorded_at for e in first] == ["2026-03-01T09:05:07.000120Z"] * 2
    assert second[0].recorded_at == "2026-03-01T09:05:08.000120Z"
    assert store.read_stream("case-1")[2].recorded_at == second[0].recorded_at


def test_recorded_at_never_goes_back_when_the_clock_does(make_store: StoreFactory) -> None:
    store = make_store(StepClock(T0, timedelta(hours=-1)))
    first = store.append("case-1", [ev()], 0)
    second = store.append("case-1", [ev()], 1)
    assert second[0].recorded_at == first[0].recorded_at
    assert store.position_at(first[0].recorded_at) == 2


def test_hashes_match_an_independent_recomputation(store: EventStore) -> None:
    store.append("case-1", [ev("CaseOpened", name="Abdulhaziev", big=2**70, flag=True)], 0)
    store.append("case-2", [ev(name="Ахтемов / Ahtemov", quote='"\\', tab="a\tb")], 0)
    store.append("case-1", [ev(items=[1, None, {"z": [], "a": {}}], emoji="🕊", sep="\u2028")], 1)

    prev = GENESIS
    for event in everything(store):
        assert event.prev_hash == prev
        assert event.hash == independent_hash(prev, event)
        prev = event.hash
    assert store.head().hash == prev


def test_verify_reports_an_intact_chain_and_its_head(store: EventStore) -> None:
    for i in range(12):
        store.append(f"case-{i % 3}", [ev(i=i), ev(i=-i)], None)

    result = store.verify()

    assert result.intact
    assert result.first_bad_position is None
    assert result.count == 24 == store.head().position
    assert result.head_hash == store.head().hash


# --- refused input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "metadata", "place"),
    [
        ({"amount": 1.5}, {}, "data.amount"),
        ({"items": [1, {"x": 2.0}]}, {}, "data.items[1].x"),
        ({"n": float("nan")}, {}, "data.n"),
        ({"note": "a\x00b"}, {}, "data.note"),
        ({}, {"actor": "x\x00"}, "metadata.actor"),
        ({"when": datetime(2026, 1, 1, tzinfo=UTC)}, {}, "data.when"),
        ({"tags": {"a", "b"}}, {}, "data.tags"),
        ({1: "one"}, {}, "data"),
        ({"bad": "\ud800"}, {}, "data.bad"),
    ],
)
def test_values_json_cannot_carry_exactly_are_refused(
    store: EventStore, data: dict[Any, Any], metadata: dict[str, Any], place: str
) -> None:
    store.append("case-0", [ev()], 0)
    head = store.head()
    event = NewEvent(type="NoteAdded", data=data, metadata=metadata)

    with pytest.raises(InvalidEvent) as caught:
        store.append("case-1", [ev(), event], None)

    assert str(caught.value).startswith(place + ":") or str(caught.value).startswith(place + " ")
    assert store.head() == head
    assert store.read_stream("case-1") == []


@pytest.mark.parametrize(
    ("stream_id", "event", "field"),
    [
        ("", NewEvent(type="T", data={}), "stream_id"),
        ("case-1", NewEvent(type="", data={}), "type"),
        ("case-1", NewEvent(type="T", data={}, schema_version=0), "schema_version"),
        ("case-1", NewEvent(type="T", data={}, event_id=""), "event_id"),
        ("case-1", NewEvent(type="T", data=[1]), "data"),  # type: ignore[arg-type]
    ],
)
def test_malformed_events_are_refused(
    store: EventStore, stream_id: str, event: NewEvent, field: str
) -> None:
    with pytest.raises(InvalidEvent, match=f"^{field}"):
        store.append(stream_id, [event], None)
    assert store.head().position == 0


def test_text_round_trips_exactly(store: EventStore) -> None:
    data = {
        "names": ["Ахтемов", "Ahtemov", "Ahtemov Ülküsal", "Къырым"],
        "escapes": '"quoted" \\ back\\slash \n newline \t tab \u2028 \u0001',
        "emoji": "🕊️",
        "nested": {"deep": [[[{"k": -(2**63)}]]], "empty": {}, "none": None, "no": False},
    }
    store.append("case-1", [NewEvent(type="CaseOpened", data=data)], 0)

    assert store.read_stream("case-1")[0].data == data
    assert store.verify().intact


# --- restoring a log into an empty store ---------------------------------------------------


def _source_log() -> list[StoredEvent]:
    """A small log of two streams, made by the in-memory store with a steady clock."""
    from tracker.eventstore.memory import InMemoryEventStore

    source = InMemoryEventStore(clock=StepClock(T0))
    source.append("case-1", [ev("CaseOpened", name="Ахтемов"), ev(note="a\nb")], 0)
    source.append("case-2", [ev("CaseOpened", name="Eyupov")], 0)
    source.append("case-1", [ev(note="later", n=3)], 2)
    return list(source.iter_all())


def test_restore_fills_an_empty_log_with_the_same_chain(store: EventStore) -> None:
    log = _source_log()

    head = store.restore(iter(log))

    assert (head.position, head.hash) == (4, log[-1].hash)
    assert store.read_all() == log
    assert store.head() == head
    assert store.verify().intact and store.verify().head_hash == log[-1].hash
    assert store.read_stream("case-1") == [log[0], log[1], log[3]]
    assert store.position_at(log[1].recorded_at) == 2


def test_appends_after_a_restore_continue_the_chain(make_store: StoreFactory) -> None:
    store = make_store(StepClock(T0 - timedelta(days=1)))  # a clock behind the restored log
    log = _source_log()
    store.restore(log)

    (added,) = store.append("case-2", [ev(note="next")], 1)

    assert (added.global_position, added.version, added.prev_hash) == (5, 2, log[-1].hash)
    assert added.recorded_at >= log[-1].recorded_at
    assert store.verify().intact


def test_restore_refuses_a_log_that_is_not_empty(store: EventStore) -> None:
    from tracker.eventstore.restore import NotEmpty

    store.append("case-0", [ev()], 0)

    with pytest.raises(NotEmpty, match="already holds 1 event"):
        store.restore(_source_log())
    assert store.head().position == 1


def _altered(event: StoredEvent, **changes: Any) -> StoredEvent:
    from dataclasses import replace

    return replace(event, **changes)


@pytest.mark.parametrize(
    ("index", "changes", "problem"),
    [
        (2, {"data": {"name": "Eiupov"}}, "position 3: hash does not match"),
        (1, {"prev_hash": GENESIS}, "position 2: prev_hash does not match"),
        (2, {"global_position": 4}, "position 4 where 3 was expected"),
        (3, {"version": 4}, "case-1 version 4 where 3 was expected"),
        (3, {"recorded_at": "2026-11-22T11:59:59.000000Z"}, "position 4: recorded_at"),
        (2, {"data": {"f": 1.5}}, "position 3: data.f: 1.5 is a float"),
    ],
)
def test_restore_refuses_a_broken_chain_and_stores_nothing(
    store: EventStore, index: int, changes: dict[str, Any], problem: str
) -> None:
    from tracker.eventstore.restore import RestoreError

    log = _source_log()
    log[index] = _altered(log[index], **changes)

    with pytest.raises(RestoreError, match=re.escape(problem)):
        store.restore(log)

    assert store.head().position == 0
    assert store.read_all() == []
    assert store.append("case-9", [ev()], 0)[0].global_position == 1


def test_restoring_nothing_leaves_the_log_empty(store: EventStore) -> None:
    head = store.restore([])

    assert (head.position, head.hash) == (0, GENESIS)
    assert store.head() == head

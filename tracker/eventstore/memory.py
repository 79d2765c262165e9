"""The event store in a Python list: same contract, no database (unit tests, quick tools)."""

from __future__ import annotations

import json
import threading
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from operator import attrgetter

from tracker.eventstore.appending import (
    PreparedAppend,
    bulk_mode,
    chain_events,
    event_ids,
    prepare,
    replay,
)
from tracker.eventstore.chain import GENESIS_HASH, VerifyResult, verify_chain
from tracker.eventstore.clock import Clock, normalize_timestamp, stamp, utc_now
from tracker.eventstore.model import LogHead, StoredEvent, StreamAppend
from tracker.eventstore.protocol import OneStreamAppend, Within
from tracker.eventstore.restore import ChainCheck, refuse_non_empty
from tracker.eventstore.streams import (
    ReplayEvent,
    check_shard,
    from_stored,
    sample_positions,
    shard_bounds,
)


class InMemoryEventStore(OneStreamAppend):
    """Thread-safe: one re-entrant lock serializes appends (a `within` callback may read)."""

    def __init__(self, *, clock: Clock = utc_now) -> None:
        self._clock = clock
        self._lock = threading.RLock()
        self._events: list[StoredEvent] = []
        self._streams: dict[str, list[StoredEvent]] = {}
        self._by_id: dict[str, StoredEvent] = {}
        self._head = LogHead(0, GENESIS_HASH)

    def append_batch(
        self, batch: Sequence[StreamAppend], *, within: Within | None = None
    ) -> list[StoredEvent]:
        with bulk_mode(batch):
            prepared = prepare(batch)
            return self._append(prepared, within)

    def _append(self, prepared: list[PreparedAppend], within: Within | None) -> list[StoredEvent]:
        with self._lock:
            existing = {i: self._by_id[i] for i in event_ids(prepared) if i in self._by_id}
            replayed = replay(prepared, existing)
            if replayed is not None:
                return replayed
            versions = {
                part.stream_id: len(self._streams.get(part.stream_id, ())) for part in prepared
            }
            last = self._events[-1].recorded_at if self._events else None
            stored = chain_events(prepared, self._head, versions, stamp(self._clock, last))
            if not stored:
                return []
            if within is not None:
                within(None, stored)  # if it raises, nothing below runs: nothing is stored
            for event in stored:
                self._events.append(event)
                self._streams.setdefault(event.stream_id, []).append(event)
                self._by_id[event.event_id] = event
            self._head = LogHead(stored[-1].global_position, stored[-1].hash)
            return stored

    def read_stream(
        self, stream_id: str, *, up_to_position: int | None = None
    ) -> list[StoredEvent]:
        with self._lock:
            events = list(self._streams.get(stream_id, ()))
        if up_to_position is not None:
            events = [e for e in events if e.global_position <= up_to_position]
        return events

    def read_all(self, after_position: int = 0, limit: int = 1000) -> list[StoredEvent]:
        with self._lock:  # position p is at index p - 1
            return self._events[max(after_position, 0) : max(after_position, 0) + max(limit, 0)]

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

    def iter_streams(
        self, up_to_position: int, *, shard: int = 0, shards: int = 1
    ) -> Iterator[list[ReplayEvent]]:
        check_shard(shard, shards)
        with self._lock:
            chosen = list(self._events[: max(up_to_position, 0)])  # position p at index p - 1
        if shards > 1 and not chosen:
            return
        sampled = sorted(chosen[p - 1].stream_id for p in sample_positions(len(chosen)))
        lower, upper = shard_bounds(sampled, shard, shards)
        if shard > 0 and lower is None:
            return
        chosen.sort(key=lambda e: (e.stream_id, e.version))
        for stream_id, events in groupby(chosen, key=attrgetter("stream_id")):
            if (lower is None or stream_id >= lower) and (upper is None or stream_id < upper):
                yield [from_stored(e) for e in events]

    def stream_version(self, stream_id: str) -> int:
        with self._lock:
            return len(self._streams.get(stream_id, ()))

    def head(self) -> LogHead:
        with self._lock:
            return self._head

    def position_at(self, recorded_at: str) -> int:
        moment = normalize_timestamp(recorded_at)
        with self._lock:  # recorded_at never decreases along the log (see appending.stamp)
            return bisect_right(self._events, moment, key=lambda event: event.recorded_at)

    def verify(self) -> VerifyResult:
        with self._lock:
            events, head = list(self._events), self._head
        return verify_chain(events, head)

    def restore(self, events: Iterable[StoredEvent]) -> LogHead:
        with self._lock:
            refuse_non_empty(self._head)
            check = ChainCheck()
            restored = [
                StoredEvent(
                    e.global_position,
                    e.stream_id,
                    e.version,
                    e.event_id,
                    e.type,
                    e.schema_version,
                    json.loads(row[6]),  # private copies, as an append stores
                    json.loads(row[7]),
                    e.recorded_at,
                    e.prev_hash,
                    e.hash,
                )
                for e in events
                for row in (check.check(e),)
            ]
            for event in restored:  # only once all of them passed: all or nothing
                self._events.append(event)
                self._streams.setdefault(event.stream_id, []).append(event)
                self._by_id[event.event_id] = event
            self._head = check.head
            return check.head

"""What every store does to append, apart from talking to its database.

Check the request's shape, recognise a repeated request, check expected versions; then, event
by event, check and serialize data and metadata, number, stamp and link them into the chain.
The stores supply the state they read under their lock (head, stream versions, events already
stored under the requested ids) and write the rows as `Linker.rows()` produces them.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from typing import Any, NamedTuple

from tracker.eventstore.chain import (
    canonical_event_from_json,
    canonical_text,
    check_json,
    link_hash,
)
from tracker.eventstore.model import (
    ConcurrencyConflict,
    DuplicateEventId,
    InvalidEvent,
    LogHead,
    StoredEvent,
    StreamAppend,
)

_TEXT_LIMIT = 1000

BULK = 1000
"""Appends of at least this many events pause the cyclic garbage collector (see `bulk_mode`)."""


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector for a bulk load or a chain walk.

    They allocate millions of short or long-lived objects, none of them cyclic, and the
    collector would walk them again and again: pausing it makes both nearly twice as fast.
    Reference counting still frees memory meanwhile; the collector resumes afterwards.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def bulk_mode(batch: Sequence[StreamAppend]) -> AbstractContextManager[None]:
    """`paused_gc` for appends of at least BULK events; nothing for small ones."""
    if sum(len(part.events) for part in batch) >= BULK:
        return paused_gc()
    return nullcontext()


class PreparedEvent(NamedTuple):
    """A new event whose ids, type and schema version are checked; its data and metadata are
    checked and serialized later, as it is linked (see `Linker`).

    (A NamedTuple: bulk loads build 100,000 of these, and a frozen dataclass costs more.)"""

    event_id: str
    type: str
    schema_version: int
    data: Mapping[str, Any]
    metadata: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class PreparedAppend:
    stream_id: str
    expected_version: int | None
    events: tuple[PreparedEvent, ...]


def _check_text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise InvalidEvent(f"{where}: must be non-empty text")
    if len(value) > _TEXT_LIMIT or "\x00" in value or not value.isprintable():
        raise InvalidEvent(f"{where}: must be printable text of at most {_TEXT_LIMIT} characters")
    return value


def _check_int(value: object, where: str, minimum: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise InvalidEvent(f"{where}: must be an integer >= {minimum}, not {value!r}")
    return value


_DECODER = json.JSONDecoder()


def serialize(value: object, where: str) -> tuple[dict[str, Any], str]:
    """(a private copy, canonical JSON text) of an event's data or metadata, or InvalidEvent."""
    if type(value) is not dict and not isinstance(value, Mapping):
        raise InvalidEvent(f"{where}: must be a JSON object, not {type(value).__name__}")
    check_json(value, where)
    try:
        text = canonical_text(value)
    except (TypeError, ValueError) as exc:  # a Mapping json cannot walk, a lone surrogate...
        raise InvalidEvent(f"{where}: cannot be serialized as JSON ({exc})") from exc
    copy: dict[str, Any] = _DECODER.raw_decode(text)[0]  # json.loads minus its wrappers
    return copy, text


def prepare(batch: Sequence[StreamAppend]) -> list[PreparedAppend]:
    """Check the shape of a request: InvalidEvent names the first bad field.

    Data and metadata are checked as the events are linked, under the store's lock: a bulk
    load then streams into the database while Python is still checking and hashing.
    """
    prepared: list[PreparedAppend] = []
    seen: set[str] = set()
    for part in batch:
        stream_id = _check_text(part.stream_id, "stream_id")
        expected = part.expected_version
        if expected is not None:
            _check_int(expected, "expected_version", 0)
        events: list[PreparedEvent] = []
        for event in part.events:
            event_id = _check_text(event.event_id, "event_id")
            if event_id in seen:
                raise DuplicateEventId(event_id, "appears twice in one append")
            seen.add(event_id)
            events.append(
                PreparedEvent(
                    event_id,
                    _check_text(event.type, "type"),
                    _check_int(event.schema_version, "schema_version", 1),
                    event.data,
                    event.metadata,
                )
            )
        prepared.append(PreparedAppend(stream_id, expected, tuple(events)))
    return prepared


def event_ids(prepared: Iterable[PreparedAppend]) -> list[str]:
    return [event.event_id for part in prepared for event in part.events]


def stream_ids(prepared: Iterable[PreparedAppend]) -> list[str]:
    return list(dict.fromkeys(part.stream_id for part in prepared))


def replay(
    prepared: Sequence[PreparedAppend], existing: Mapping[str, StoredEvent]
) -> list[StoredEvent] | None:
    """The stored answer when the whole request was stored before; None when none of it was.

    Anything in between (some ids known, an id known in another stream or for another event)
    raises DuplicateEventId.
    """
    if not existing:
        return None
    answer: list[StoredEvent] = []
    for part in prepared:
        for event in part.events:
            stored = existing.get(event.event_id)
            if stored is None:
                continue
            if stored.stream_id != part.stream_id:
                raise DuplicateEventId(event.event_id, f"is already used in {stored.stream_id!r}")
            if (stored.type, stored.schema_version) != (event.type, event.schema_version) or (
                canonical_text(stored.data) != serialize(event.data, "data")[1]
            ):
                raise DuplicateEventId(event.event_id, "was already stored with other content")
            answer.append(stored)
    if len(answer) < sum(len(part.events) for part in prepared):
        raise DuplicateEventId(
            answer[0].event_id, "was stored before, but other events in its append are new"
        )
    return answer


def check_versions(prepared: Sequence[PreparedAppend], versions: Mapping[str, int]) -> None:
    """Raise ConcurrencyConflict for the first part whose expected version is stale."""
    current = dict(versions)
    for part in prepared:
        version = current.get(part.stream_id, 0)
        if part.expected_version is not None and part.expected_version != version:
            raise ConcurrencyConflict(part.stream_id, part.expected_version, version)
        current[part.stream_id] = version + len(part.events)


class Linker:
    """Numbers, stamps and hashes prepared events after a head, once versions are checked.

    `rows()` (one pass) yields insert rows (COLUMNS order, JSON as canonical text) while it
    computes them, so a store can stream them into its insert; `stored` and `head` are complete
    once it is exhausted. InvalidEvent comes out of it for bad data: the store rolls back.
    """

    def __init__(
        self,
        prepared: Sequence[PreparedAppend],
        head: LogHead,
        versions: Mapping[str, int],
        recorded_at: str,
    ) -> None:
        check_versions(prepared, versions)
        self._prepared = prepared
        self._versions = dict(versions)
        self.recorded_at = recorded_at
        self.head = head
        self.count = sum(len(part.events) for part in prepared)
        self.stored: list[StoredEvent] = []

    def rows(self) -> Iterator[tuple[Any, ...]]:
        position, prev_hash, recorded_at = self.head.position, self.head.hash, self.recorded_at
        versions, stored = self._versions, self.stored
        for part in self._prepared:
            stream_id = part.stream_id
            version = versions.get(stream_id, 0)
            for event in part.events:
                position += 1
                version += 1
                data, data_json = serialize(event.data, "data")
                metadata, metadata_json = serialize(event.metadata, "metadata")
                canonical = canonical_event_from_json(
                    stream_id=stream_id,
                    version=version,
                    event_id=event.event_id,
                    type=event.type,
                    schema_version=event.schema_version,
                    data_json=data_json,
                    metadata_json=metadata_json,
                    recorded_at=recorded_at,
                )
                digest = link_hash(prev_hash, position, canonical)
                stored.append(
                    StoredEvent(
                        position,
                        stream_id,
                        version,
                        event.event_id,
                        event.type,
                        event.schema_version,
                        data,
                        metadata,
                        recorded_at,
                        prev_hash,
                        digest,
                    )
                )
                yield (
                    position,
                    stream_id,
                    version,
                    event.event_id,
                    event.type,
                    event.schema_version,
                    data_json,
                    metadata_json,
                    recorded_at,
                    prev_hash,
                    digest,
                )
                prev_hash = digest
            versions[stream_id] = version
        self.head = LogHead(position, prev_hash)


def chain_events(
    prepared: Sequence[PreparedAppend],
    head: LogHead,
    versions: Mapping[str, int],
    recorded_at: str,
) -> list[StoredEvent]:
    """Check expected versions, then number, stamp and hash the new events after `head`."""
    linker = Linker(prepared, head, versions, recorded_at)
    for _ in linker.rows():
        pass
    return linker.stored

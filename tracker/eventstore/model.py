"""Records and errors shared by every event store: what goes in, comes out, and can go wrong."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

JSON = Any
"""A JSON value without floats: dict, list, str, int, bool or None."""


def new_event_id() -> str:
    """A fresh random event id (UUID4 text)."""
    return str(uuid.uuid4())


@dataclass(frozen=True, slots=True)
class NewEvent:
    """An event about to be appended. `event_id` doubles as the idempotency key."""

    type: str
    data: Mapping[str, JSON]
    schema_version: int = 1
    event_id: str = field(default_factory=new_event_id)
    metadata: Mapping[str, JSON] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as the log holds it, with its place in the chain."""

    global_position: int
    stream_id: str
    version: int
    event_id: str
    type: str
    schema_version: int
    data: Mapping[str, JSON]
    metadata: Mapping[str, JSON]
    recorded_at: str
    prev_hash: str
    hash: str


@dataclass(frozen=True, slots=True)
class LogHead:
    """The last position and its hash; position 0 and the genesis hash for an empty log."""

    position: int
    hash: str


@dataclass(frozen=True, slots=True)
class StreamAppend:
    """One stream's share of a multi-stream append (see `EventStore.append_batch`)."""

    stream_id: str
    events: tuple[NewEvent, ...]
    expected_version: int | None


class EventStoreError(Exception):
    """Base class of the store's own errors."""


class ConcurrencyConflict(EventStoreError):
    """The stream moved on since the caller read it."""

    def __init__(self, stream_id: str, expected_version: int | None, current_version: int) -> None:
        self.stream_id = stream_id
        self.expected_version = expected_version
        self.current_version = current_version
        super().__init__(
            f"stream {stream_id!r} is at version {current_version}, "
            f"not the expected version {expected_version}"
        )


class DuplicateEventId(EventStoreError):
    """An event id was reused for a different event or in a partly new batch."""

    def __init__(self, event_id: str, detail: str) -> None:
        self.event_id = event_id
        super().__init__(f"event id {event_id} {detail}")


class InvalidEvent(EventStoreError):
    """The event cannot be stored as given (a float, a NUL character, a bad type name...)."""

"""Restoring a log into an empty store: the events as they were, their positions, times and
hashes kept, each checked against the chain before it is written.

Every store's `restore` pulls events through `ChainCheck.rows`, which refuses (RestoreError,
naming the position) a gap, a bad link, a hash that does not match the content, a repeated
event id, a stream version out of step, or a time earlier than the event before it: a store
never holds a log that `verify` would call broken. The caller reading a file maps the position
back to its line (see `tracker.backup`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from tracker.eventstore.chain import (
    GENESIS_HASH,
    canonical_event_from_json,
    canonical_text,
    check_json,
    link_hash,
)
from tracker.eventstore.model import EventStoreError, InvalidEvent, LogHead, StoredEvent

_TIMESTAMP_LENGTH = 27


class RestoreError(EventStoreError):
    """A restore refused: the log is not empty, or an event does not continue the chain."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.position = position


class NotEmpty(RestoreError):
    """The log already holds events: a restore only fills an empty one."""


class ChainCheck:
    """Checks events in order against the chain; `head` is where the checked part ends."""

    def __init__(self) -> None:
        self._position = 0
        self._hash = GENESIS_HASH
        self._versions: dict[str, int] = {}
        self._ids: set[str] = set()
        self._last_recorded_at = ""

    @property
    def head(self) -> LogHead:
        return LogHead(self._position, self._hash)

    def rows(self, events: Iterable[StoredEvent]) -> Iterator[tuple[Any, ...]]:
        """Insert rows (the SQL stores' COLUMNS order, JSON as canonical text), one per event,
        each yielded only once its event is checked."""
        for event in events:
            yield self.check(event)

    def check(self, e: StoredEvent) -> tuple[Any, ...]:
        """The insert row of the next event, or RestoreError saying why it does not follow."""
        position = self._position + 1
        if e.global_position != position:
            raise RestoreError(
                f"position {e.global_position} where {position} was expected", e.global_position
            )
        if e.prev_hash != self._hash:
            raise RestoreError(
                f"position {position}: prev_hash does not match the previous hash", position
            )
        version = self._versions.get(e.stream_id, 0) + 1
        if e.version != version:
            raise RestoreError(
                f"position {position}: {e.stream_id} version {e.version} where {version} "
                "was expected",
                position,
            )
        if e.event_id in self._ids:
            raise RestoreError(f"position {position}: event id {e.event_id} repeats", position)
        if len(e.recorded_at) != _TIMESTAMP_LENGTH or e.recorded_at < self._last_recorded_at:
            raise RestoreError(
                f"position {position}: recorded_at {e.recorded_at!r} is not a stored timestamp "
                "at or after the one before it",
                position,
            )
        try:
            data_json = _canonical(e.data, "data")
            metadata_json = _canonical(e.metadata, "metadata")
        except InvalidEvent as exc:
            raise RestoreError(f"position {position}: {exc}", position) from None
        canonical = canonical_event_from_json(
            stream_id=e.stream_id,
            version=e.version,
            event_id=e.event_id,
            type=e.type,
            schema_version=e.schema_version,
            data_json=data_json,
            metadata_json=metadata_json,
            recorded_at=e.recorded_at,
        )
        if link_hash(e.prev_hash, position, canonical) != e.hash:
            raise RestoreError(
                f"position {position}: hash does not match the event's content", position
            )
        self._versions[e.stream_id] = version
        self._ids.add(e.event_id)
        self._last_recorded_at = e.recorded_at
        self._position, self._hash = position, e.hash
        return (
            position,
            e.stream_id,
            e.version,
            e.event_id,
            e.type,
            e.schema_version,
            data_json,
            metadata_json,
            e.recorded_at,
            e.prev_hash,
            e.hash,
        )


def _canonical(value: object, where: str) -> str:
    """Canonical JSON text of data or metadata, or InvalidEvent (as an append would refuse)."""
    if type(value) is not dict:
        raise InvalidEvent(f"{where}: must be a JSON object, not {type(value).__name__}")
    check_json(value, where)
    try:
        return canonical_text(value)
    except (TypeError, ValueError) as exc:
        raise InvalidEvent(f"{where}: cannot be serialized as JSON ({exc})") from None


def refuse_non_empty(head: LogHead) -> None:
    """NotEmpty unless the log is empty."""
    if head.position != 0:
        raise NotEmpty(
            f"the log already holds {head.position} event(s): restore into an empty database"
        )


__all__ = ["ChainCheck", "NotEmpty", "RestoreError", "refuse_non_empty"]

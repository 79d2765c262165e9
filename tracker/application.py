"""The command path: load a stream, let the domain decide, append, update the read model.

This is the only way writes reach the log: the web, the CLI, seeding and imports all call
`CaseTracker.execute`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tracker.domain.codec import encode
from tracker.domain.commands import Command
from tracker.domain.decide import decide, stream_of
from tracker.domain.envelope import Recorded
from tracker.domain.errors import Invalid
from tracker.domain.references import Reference, command_references
from tracker.domain.review import fold_history
from tracker.domain.roles import Actor
from tracker.eventstore.model import ConcurrencyConflict, NewEvent, StoredEvent
from tracker.eventstore.protocol import EventStore, Transaction, Within
from tracker.history import to_recorded
from tracker.projections.projector import project_append

_RETRIES = 5


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a command stored (or, when replayed, what it had stored the first time)."""

    stream_id: str
    events: list[StoredEvent]
    version: int
    replayed: bool = False


def derived_event_id(event_id: str, index: int) -> str:
    """The id of the index-th event a command produces, from the id the caller gave."""
    if index == 0:
        return event_id
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{event_id}/{index}"))


class CaseTracker:
    """Runs commands against an event store; keeps the SQL read model in step when there is one."""

    def __init__(self, store: EventStore, *, project: bool = True) -> None:
        self.store = store
        self.project = project

    def execute(
        self,
        command: Command,
        actor: Actor,
        *,
        expected_version: int | None = None,
        event_id: str | None = None,
        request_id: str | None = None,
    ) -> Outcome:
        """Decide and append. With `expected_version`, a stream that moved on raises
        ConcurrencyConflict; without it, a lost race is decided again on the fresh state.
        A repeated `event_id` stores nothing and returns the first answer."""
        stream_id = stream_of(command)
        for _attempt in range(_RETRIES):
            previous = self.store.read_stream(stream_id)
            if event_id is not None:
                earlier = _replay(previous, event_id)
                if earlier is not None:
                    return earlier
            version = previous[-1].version if previous else 0
            if expected_version is not None and expected_version != version:
                raise ConcurrencyConflict(stream_id, expected_version, version)
            records = [to_recorded(e) for e in previous]
            history = fold_history(stream_id, records)
            decided = decide(command, history, actor)
            self._check_references(stream_id, command_references(command, history, decided))
            new = _to_new_events(decided, actor, event_id, request_id)
            hashes = {e.global_position: e.hash for e in previous}
            within = self._within(records, hashes)
            try:
                stored = self.store.append(stream_id, new, version, within=within)
            except ConcurrencyConflict:
                if expected_version is not None:
                    raise
                continue
            return Outcome(stream_id, stored, stored[-1].version if stored else version)
        raise ConcurrencyConflict(stream_id, expected_version, self.store.stream_version(stream_id))

    def _check_references(self, stream_id: str, found: Sequence[Reference]) -> None:
        """Invalid, naming the field, for a cited source or linked case that is not in the log."""
        for target, field in found:
            if target != stream_id and self.store.stream_version(target) == 0:
                kind = target.split("-", 1)[0]
                raise Invalid(f"{field}: there is no {kind} {target[:100]!r} in the log", field)

    def _within(self, records: Sequence[Recorded], hashes: dict[int, str]) -> Within | None:
        if not self.project:
            return None

        def project(tx: Transaction | None, stored: Sequence[StoredEvent]) -> None:
            if tx is not None:
                project_append(tx, records, hashes, stored)

        return project


def _replay(previous: Sequence[StoredEvent], event_id: str) -> Outcome | None:
    """The first answer to a command whose event id is already in the stream."""
    first = next((e for e in previous if e.event_id == event_id), None)
    if first is None:
        return None
    ids = {derived_event_id(event_id, i) for i in range(len(previous))}
    mine = [e for e in previous if e.event_id in ids and e.version >= first.version]
    return Outcome(first.stream_id, mine, mine[-1].version, replayed=True)


def _to_new_events(
    decided: Sequence[Any], actor: Actor, event_id: str | None, request_id: str | None
) -> list[NewEvent]:
    base = event_id or str(uuid.uuid4())
    metadata: dict[str, Any] = {"actor": actor.id, "role": str(actor.role)}
    if request_id:
        metadata["request_id"] = request_id
    out = []
    for index, event in enumerate(decided):
        event_type, schema_version, data = encode(event)
        out.append(
            NewEvent(
                type=event_type,
                data=data,
                schema_version=schema_version,
                event_id=derived_event_id(base, index),
                metadata=metadata,
            )
        )
    return out

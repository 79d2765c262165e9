"""Many commands in one transaction: each decided against the right history, all appended
together, the read model updated inside the same transaction. All of it is stored, or none.

This is `CaseTracker.execute` for a list of commands (imports): a command is decided against
its stream's stored history plus what the batch's earlier commands decided for that stream.
A command whose event id is already in its stream is skipped, so running the same batch again
stores nothing. A stream that moved on meanwhile makes the whole batch be decided again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from tracker.application import derived_event_id
from tracker.domain.codec import encode
from tracker.domain.commands import Command
from tracker.domain.decide import decide, stream_of
from tracker.domain.envelope import Recorded
from tracker.domain.errors import DomainError
from tracker.domain.review import fold_history
from tracker.domain.roles import Actor
from tracker.eventstore.model import ConcurrencyConflict, NewEvent, StoredEvent, StreamAppend
from tracker.eventstore.protocol import EventStore, Transaction, Within
from tracker.history import to_recorded
from tracker.projections import rows, upserts
from tracker.projections.projector import (
    INLINE,
    POSITIONS,
    QUEUE,
    SUMMARY_TABLES,
    summary_row,
)
from tracker.projections.sqlwrite import bulk_insert

_RETRIES = 5


@dataclass(frozen=True, slots=True)
class Step:
    """One command of a batch, who gives it, and its idempotency key (the first event's id)."""

    command: Command
    actor: Actor
    event_id: str


class StepRefused(DomainError):
    """The domain refused one command of a batch; `index` says which."""

    def __init__(self, index: int, error: DomainError) -> None:
        super().__init__(error.message, error.field)
        self.index = index
        self.error = error


@dataclass
class _Stream:
    stored: list[StoredEvent]
    records: list[Recorded]
    new: list[NewEvent] = field(default_factory=list)
    decided: list[Recorded] = field(default_factory=list)

    @property
    def version(self) -> int:
        return self.stored[-1].version if self.stored else 0


@dataclass(frozen=True, slots=True)
class Plan:
    """What a batch would append: per stream, the new events and the version they follow."""

    appends: list[StreamAppend]
    skipped: int
    """Steps whose event id was already stored."""
    streams: dict[str, _Stream] = field(repr=False)

    @property
    def events(self) -> int:
        return sum(len(part.events) for part in self.appends)


def plan_batch(
    store: EventStore,
    steps: Sequence[Step],
    *,
    request_id: str = "",
    preloaded: Mapping[str, list[StoredEvent]] | None = None,
) -> Plan:
    """Decide every step against the log as it is now, appending nothing. `preloaded` holds
    streams the caller has just read (the append checks their versions all the same).

    Raises StepRefused for the first step the domain refuses."""
    streams: dict[str, _Stream] = {}
    skipped = 0
    known = preloaded or {}
    for index, step in enumerate(steps):
        stream_id = stream_of(step.command)
        stream = streams.get(stream_id)
        if stream is None:
            found = known.get(stream_id)
            stored = store.read_stream(stream_id) if found is None else found
            stream = streams[stream_id] = _Stream(stored, [to_recorded(e) for e in stored])
        if any(e.event_id == step.event_id for e in stream.stored):
            skipped += 1
            continue
        history = fold_history(stream_id, [*stream.records, *stream.decided])
        try:
            decided = decide(step.command, history, step.actor)
        except DomainError as exc:
            raise StepRefused(index, exc) from None
        metadata: dict[str, Any] = {"actor": step.actor.id, "role": str(step.actor.role)}
        if request_id:
            metadata["request_id"] = request_id
        for n, event in enumerate(decided):
            event_type, schema_version, data = encode(event)
            event_id = derived_event_id(step.event_id, n)
            stream.new.append(NewEvent(event_type, data, schema_version, event_id, metadata))
            version = stream.version + len(stream.decided) + 1
            stream.decided.append(
                Recorded(event, event_id, stream_id, version, 0, step.actor.id, "")
            )
    appends = [
        StreamAppend(stream_id, tuple(s.new), s.version)
        for stream_id, s in streams.items()
        if s.new
    ]
    return Plan(appends, skipped, streams)


def _projector(plan: Plan) -> Within:
    """Rewrite the read-model rows of every stream of the plan inside the append's
    transaction: rows of new streams in one bulk insert per table (COPY on PostgreSQL), those
    of existing streams in one upsert per table; then the inline position moves."""

    def project(tx: Transaction | None, stored: Sequence[StoredEvent]) -> None:
        if tx is None or not stored:
            return
        fresh, known = _Rows(), _Rows()
        start = 0
        for part in plan.appends:  # the store keeps the parts' order: one slice per stream
            mine = stored[start : start + len(part.events)]
            start += len(part.events)
            before = plan.streams[part.stream_id]
            added = [  # the events decided, placed where the store put them (no decoding)
                replace(d, position=e.global_position, recorded_at=e.recorded_at)
                for d, e in zip(before.decided, mine, strict=True)
            ]
            history = fold_history(part.stream_id, [*before.records, *added])
            hashes = {e.global_position: e.hash for e in (*before.stored, *mine)}
            into = known if before.stored else fresh
            kind, summary = summary_row(history, mine[-1].global_position)
            if summary is not None:
                into.summaries[kind].append(summary)
            into.queue.extend(rows.pending_rows(history, hashes))
            into.streams.append(part.stream_id)
        for kind, table in SUMMARY_TABLES.items():
            upserts.upsert(tx, table, known.summaries[kind])
        upserts.delete(tx, QUEUE, "stream_id", known.streams)  # then their pending rows again
        upserts.upsert(tx, QUEUE, known.queue)
        if any(fresh.summaries.values()) or fresh.queue:
            conn = tx.connection  # what was held back is sent first
            for kind, table in SUMMARY_TABLES.items():
                bulk_insert(conn, table, fresh.summaries[kind])
            bulk_insert(conn, QUEUE, fresh.queue)
        first, last = stored[0].global_position, stored[-1].global_position
        upserts.advance(tx, POSITIONS, INLINE, first - 1, last)

    return project


@dataclass
class _Rows:
    summaries: dict[str, list[rows.Row]] = field(
        default_factory=lambda: {kind: [] for kind in SUMMARY_TABLES}
    )
    queue: list[rows.Row] = field(default_factory=list)
    streams: list[str] = field(default_factory=list)


def append_plan(store: EventStore, plan: Plan, *, project: bool = True) -> list[StoredEvent]:
    """Append a plan in one transaction, projecting each stream inside it; ConcurrencyConflict
    if a stream moved on since the plan was made (then nothing is stored)."""
    if not plan.appends:
        return []
    return store.append_batch(plan.appends, within=_projector(plan) if project else None)


def execute_batch(
    store: EventStore, steps: Sequence[Step], *, request_id: str = "", project: bool = True
) -> tuple[list[StoredEvent], int]:
    """Decide and append every step in one transaction; returns (events stored, steps skipped
    because their event id was already stored). StepRefused or a store error: nothing stored."""
    for _attempt in range(_RETRIES):
        plan = plan_batch(store, steps, request_id=request_id)
        try:
            stored = append_plan(store, plan, project=project)
        except ConcurrencyConflict:
            continue
        return stored, plan.skipped
    raise ConcurrencyConflict("(batch)", None, -1)


def batch_id(*parts: str) -> str:
    """A deterministic id, shaped like a UUID, from the parts that identify a step (e.g. the
    file's digest and the row): SHA-256 of 'tracker-batch/' and the parts joined by '/'."""
    h = hashlib.sha256(("tracker-batch/" + "/".join(parts)).encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


__all__ = [
    "Plan",
    "Step",
    "StepRefused",
    "append_plan",
    "batch_id",
    "execute_batch",
    "plan_batch",
]

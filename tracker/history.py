"""From stored events to what the domain folds: Recorded envelopes and stream histories."""

from __future__ import annotations

from collections.abc import Iterable

from tracker.domain.codec import decode
from tracker.domain.envelope import Recorded
from tracker.domain.review import StreamHistory, fold_history
from tracker.eventstore.model import StoredEvent
from tracker.eventstore.protocol import EventStore


def to_recorded(stored: StoredEvent) -> Recorded:
    """The domain's view of a stored event (upcast to the current schema)."""
    return Recorded(
        event=decode(stored.type, stored.schema_version, stored.data),
        event_id=stored.event_id,
        stream_id=stored.stream_id,
        version=stored.version,
        position=stored.global_position,
        actor=str(stored.metadata.get("actor", "")),
        recorded_at=stored.recorded_at,
    )


def history_of(stream_id: str, events: Iterable[StoredEvent]) -> StreamHistory:
    return fold_history(stream_id, (to_recorded(e) for e in events))


def load_history(
    store: EventStore, stream_id: str, *, up_to_position: int | None = None
) -> tuple[StreamHistory, list[StoredEvent]]:
    """A stream's history, and the stored events it was folded from."""
    events = store.read_stream(stream_id, up_to_position=up_to_position)
    return history_of(stream_id, events), events

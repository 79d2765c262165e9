"""The log page: the latest events of every stream, newest first, and the head of the chain.

Summaries are of the effective (corrected) events, folded from each stream's history; a
reader of public fields does not see hidden events (see `visibility.py`) nor reviews of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.describe import describe
from tracker.domain.events import EventReviewed
from tracker.domain.review import StreamHistory
from tracker.eventstore.model import StoredEvent
from tracker.eventstore.protocol import EventStore
from tracker.history import load_history, to_recorded
from tracker.projections.queries import Row
from tracker.projections.titles import title_of
from tracker.projections.visibility import hidden_event_ids


@dataclass(frozen=True)
class LogPage:
    head_position: int
    head_hash: str
    rows: list[Row]
    older: int | None
    """The `before` position of the next older page, if any."""


def _window(store: EventStore, before: int, limit: int) -> list[StoredEvent]:
    start = max(0, before - 1 - limit)
    return [e for e in store.read_all(start, limit) if e.global_position < before]


def _row(event: StoredEvent, history: StreamHistory, restricted: bool) -> Row:
    entry = history.entry(event.event_id)
    if entry is not None:
        summary = describe(entry.effective)
    else:
        review = to_recorded(event).event
        summary = describe(review)
        if isinstance(review, EventReviewed) and not restricted:
            summary = f"Review: {review.decision.value}"
    return {
        "position": event.global_position,
        "stream_id": event.stream_id,
        "version": event.version,
        "event_id": event.event_id,
        "type": event.type,
        "summary": summary,
        "title": title_of(history),
        "author": str(event.metadata.get("actor", "")) if restricted else "",
        "recorded_at": event.recorded_at,
        "hash": event.hash,
    }


def log_page(
    store: EventStore,
    *,
    restricted: bool,
    confidential: frozenset[str],
    limit: int = 50,
    before: int | None = None,
) -> LogPage:
    """Up to `limit` events before position `before` (default: from the head), newest first."""
    head = store.head()
    end = head.position + 1 if before is None else min(before, head.position + 1)
    events = _window(store, end, limit)
    histories = {sid: load_history(store, sid)[0] for sid in {e.stream_id for e in events}}
    hidden: dict[str, set[str]] = {}
    if not restricted:
        hidden = {sid: hidden_event_ids(h, confidential) for sid, h in histories.items()}
    rows = []
    for event in reversed(events):
        if not restricted:
            review = event.type == "EventReviewed"
            target = str(event.data.get("target_event_id", "")) if review else ""
            if event.event_id in hidden[event.stream_id] or target in hidden[event.stream_id]:
                continue
        rows.append(_row(event, histories[event.stream_id], restricted))
    first = events[0].global_position if events else 1
    return LogPage(head.position, head.hash, rows, first if first > 1 else None)


__all__ = ["LogPage", "log_page"]

"""A stream's page: its timeline folded from the log on demand, with citations, date precision,
what each entry allows (correct, retract, review) and what a reader may see of it."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.dates import PartialDate
from tracker.domain.events import (
    DomainEvent,
    EventCorrected,
    EventRetracted,
    RelativeContactRecorded,
)
from tracker.domain.review import Entry, ReviewState, StreamHistory
from tracker.eventstore.protocol import EventStore
from tracker.history import load_history
from tracker.projections.rows import Row, timeline_row
from tracker.projections.visibility import hidden_event_ids, visible_citations


@dataclass(frozen=True)
class StreamDetail:
    """A stream's history and its timeline rows in the order things happened."""

    stream_id: str
    version: int
    history: StreamHistory
    items: list[Row]

    def since(self, version: int) -> list[Row]:
        """The rows recorded after `version` (what changed since a form was opened)."""
        return sorted((r for r in self.items if r["version"] > version), key=lambda r: r["version"])


def _item(entry: Entry, event_hash: str, confidential: frozenset[str], restricted: bool) -> Row:
    row = timeline_row(entry, event_hash)
    effective = entry.effective
    when: PartialDate | None = getattr(effective, "date", None)
    row["precision"] = str(when.precision) if when is not None else ""
    row["citations"] = [
        c.model_dump() for c in visible_citations(effective, confidential, restricted=restricted)
    ]
    row["details"] = _details(effective, restricted)
    row["target_event_id"] = getattr(entry.event, "target_event_id", None)
    row["amendable"] = (
        not entry.is_amendment
        and entry.review is not ReviewState.REJECTED
        and entry.retracted_by is None
    )
    row["reviewable"] = entry.is_pending
    row["is_correction"] = isinstance(entry.event, EventCorrected)
    row["is_retraction"] = isinstance(entry.event, EventRetracted)
    if not restricted:
        row["author"] = ""
        row["reviewer"] = ""
        row["review_note"] = ""
    return row


def _details(event: DomainEvent, restricted: bool) -> str:
    """More than the one-line summary: a fact's description; a contact, for those allowed."""
    if isinstance(event, RelativeContactRecorded):
        if not restricted:
            return ""
        relation = f" ({event.relation})" if event.relation else ""
        return f"{event.name}{relation}: {event.contact}"
    description: str = getattr(event, "description", "")
    return description


def stream_detail(
    store: EventStore, stream_id: str, *, restricted: bool, confidential: frozenset[str]
) -> StreamDetail | None:
    """The stream's timeline for a reader; None when the stream does not exist or, for a reader
    of public fields, is a confidential source. Without `restricted`, hidden events are left out
    and authors, reviewers and review notes are blanked."""
    history, events = load_history(store, stream_id)
    if not history.entries:
        return None
    hidden = set() if restricted else hidden_event_ids(history, confidential)
    if not restricted and history.opening is not None and history.opening.event_id in hidden:
        return None
    hashes = {e.global_position: e.hash for e in events}
    items = [
        _item(entry, hashes[entry.recorded.position], confidential, restricted)
        for entry in history.entries
        if entry.event_id not in hidden
    ]
    for item in items:
        item["undated"] = item["date_sort"] == "" and item["version"] != 1
    # The opening first; then dated events in date order; then the undated, in the order
    # they were recorded (each marked 'undated' on the page).
    items.sort(key=lambda r: (r["version"] != 1, r["undated"], r["date_sort"], r["version"]))
    return StreamDetail(stream_id, history.version, history, items)


__all__ = ["StreamDetail", "stream_detail"]

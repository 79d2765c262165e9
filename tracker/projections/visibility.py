"""What a reader without the right to restricted fields may see of a stream.

Hidden from such a reader: every event of a confidential source's stream; restricted events
(relatives' contacts, internal notes, confidential source registrations); a citation of a
confidential source; and any correction, retraction or review of a hidden event (its reason or
replacement would tell what the event says). The rules read the effective (corrected) events.
"""

from __future__ import annotations

from tracker.domain.events import DomainEvent, SourceCited
from tracker.domain.review import StreamHistory
from tracker.domain.values import Citation


def citations_of(event: DomainEvent) -> tuple[Citation, ...]:
    """The citations an event carries itself (a SourceCited's one, or a fact's list)."""
    if isinstance(event, SourceCited):
        return (event.citation,)
    found: tuple[Citation, ...] = getattr(event, "citations", ())
    return found


def hidden_event_ids(history: StreamHistory, confidential: frozenset[str]) -> set[str]:
    """Event ids of the stream (reviews included) a reader of public fields may not see."""
    if history.stream_id in confidential:
        return {e.event_id for e in history.entries} | set(history.reviews)
    hidden: set[str] = set()
    for entry in history.entries:
        effective = entry.effective
        target = getattr(entry.event, "target_event_id", None)
        if (
            effective.is_restricted()
            or (isinstance(effective, SourceCited) and effective.citation.source_id in confidential)
            or (target is not None and target in hidden)
        ):
            hidden.add(entry.event_id)
    return hidden


def visible_citations(
    event: DomainEvent, confidential: frozenset[str], *, restricted: bool
) -> list[Citation]:
    """The event's citations a reader may see."""
    return [c for c in citations_of(event) if restricted or c.source_id not in confidential]


__all__ = ["citations_of", "hidden_event_ids", "visible_citations"]

"""A stored event as the domain sees it: the event plus where, when and by whom it was recorded."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.events import DomainEvent


@dataclass(frozen=True, slots=True)
class Recorded:
    """One event of a stream's log, decoded; `recorded_at` is ISO UTC text from the store."""

    event: DomainEvent
    event_id: str
    stream_id: str
    version: int
    position: int
    actor: str
    recorded_at: str


__all__ = ["Recorded"]

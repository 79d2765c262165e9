"""A record's name or title, as pages, the log and 'My items' name it."""

from __future__ import annotations

from tracker.domain.events import CaseOpened, ReportOpened, SourceRegistered
from tracker.domain.review import StreamHistory


def title_of(history: StreamHistory) -> str:
    """The record's name or title, from its opening event as it stands."""
    opening = history.opening
    event = opening.effective if opening is not None else None
    if isinstance(event, CaseOpened):
        return event.name
    if isinstance(event, ReportOpened | SourceRegistered):
        return event.title
    return history.stream_id


__all__ = ["title_of"]

"""Stream kinds, told by the id prefix, and which events each kind of stream holds."""

from __future__ import annotations

import re
from enum import StrEnum

from tracker.domain.events import (
    CASE_EVENTS,
    REPORT_EVENTS,
    SOURCE_EVENTS,
    CaseOpened,
    DomainEvent,
    NoteAdded,
    ReportOpened,
    SourceCited,
    SourceRegistered,
)


class StreamKind(StrEnum):
    CASE = "case"
    REPORT = "report"
    SOURCE = "source"


STREAM_ID = re.compile(r"(case|report|source)-[A-Za-z0-9][A-Za-z0-9_.:-]{0,90}")
"""'case-', 'report-' or 'source-' and up to 91 letters, digits, '_', '.', ':' or '-'."""

OPENING: dict[StreamKind, type[DomainEvent]] = {
    StreamKind.CASE: CaseOpened,
    StreamKind.REPORT: ReportOpened,
    StreamKind.SOURCE: SourceRegistered,
}
"""The event that opens each kind of stream (always its version 1)."""

_ANY_STREAM_EVENTS: tuple[type[DomainEvent], ...] = (SourceCited, NoteAdded)
_ANY_STREAM = frozenset(_ANY_STREAM_EVENTS)

RECORDABLE: dict[StreamKind, frozenset[type[DomainEvent]]] = {
    kind: (frozenset(events) - {OPENING[kind]}) | _ANY_STREAM
    for kind, events in (
        (StreamKind.CASE, CASE_EVENTS),
        (StreamKind.REPORT, REPORT_EVENTS),
        (StreamKind.SOURCE, SOURCE_EVENTS),
    )
}
"""Events the Record command may add to an opened stream of each kind. Reviews, corrections
and retractions come only from their own commands."""


def stream_kind(stream_id: str) -> StreamKind | None:
    """The kind of a well-formed stream id, else None."""
    if not STREAM_ID.fullmatch(stream_id):
        return None
    return StreamKind(stream_id.split("-", 1)[0])


__all__ = ["OPENING", "RECORDABLE", "STREAM_ID", "StreamKind", "stream_kind"]

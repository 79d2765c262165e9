"""Commands: what a user asks for, in the imperative; `decide` turns them into events."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tracker.domain.events import (
    CaseOpened,
    Decision,
    DomainEvent,
    ReportOpened,
    SourceRegistered,
)


@dataclass(frozen=True, slots=True)
class OpenCase:
    """Open a case about one named person; `case_id` starts with 'case-'."""

    case_id: str
    opened: CaseOpened

    @property
    def stream_id(self) -> str:
        return self.case_id


@dataclass(frozen=True, slots=True)
class OpenReport:
    """Open a report of an incident; `report_id` starts with 'report-'."""

    report_id: str
    opened: ReportOpened

    @property
    def stream_id(self) -> str:
        return self.report_id


@dataclass(frozen=True, slots=True)
class RegisterSource:
    """Register a source; `source_id` starts with 'source-'."""

    source_id: str
    registered: SourceRegistered

    @property
    def stream_id(self) -> str:
        return self.source_id


@dataclass(frozen=True, slots=True)
class Record:
    """Log a fact, note, citation, contact, link, figure or assessment on an opened stream."""

    stream_id: str
    event: DomainEvent


@dataclass(frozen=True, slots=True)
class Review:
    """Approve or reject someone else's pending event."""

    stream_id: str
    target_event_id: str
    decision: Decision
    note: str = ""


@dataclass(frozen=True, slots=True)
class Correct:
    """Replace an event's fields. `replacement` holds the fields to change (JSON form); the
    others keep their current effective values. Nested values are replaced whole."""

    stream_id: str
    target_event_id: str
    replacement: dict[str, Any] = field(default_factory=dict)
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Retract:
    """Withdraw an event: it stays in the log and, once the retraction is approved, counts
    for nothing."""

    stream_id: str
    target_event_id: str
    reason: str = ""


Command = OpenCase | OpenReport | RegisterSource | Record | Review | Correct | Retract

__all__ = [
    "Command",
    "Correct",
    "OpenCase",
    "OpenReport",
    "Record",
    "RegisterSource",
    "Retract",
    "Review",
]

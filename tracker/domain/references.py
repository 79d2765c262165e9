"""The other streams a command's events point at: the sources they cite, the case a report is
linked to. Pure: the command path checks that each exists before it appends (the domain sees
one stream only)."""

from __future__ import annotations

from tracker.domain import codec
from tracker.domain.commands import Command, Correct, OpenCase, OpenReport, Record, RegisterSource
from tracker.domain.events import DomainEvent, EventCorrected, ReportLinkedToCase, SourceCited
from tracker.domain.review import StreamHistory

Reference = tuple[str, str]
"""(the stream id pointed at, the command field that names it)"""


def references(event: DomainEvent, where: str) -> list[Reference]:
    """The streams one event points at, each with its field under `where`."""
    found: list[Reference] = []
    if isinstance(event, SourceCited):
        found.append((event.citation.source_id, f"{where}.citation.source_id"))
    for i, citation in enumerate(getattr(event, "citations", ())):
        found.append((citation.source_id, f"{where}.citations.{i}.source_id"))
    if isinstance(event, ReportLinkedToCase):
        found.append((event.case_id, f"{where}.case_id"))
    return found


def command_references(
    command: Command, history: StreamHistory, decided: list[DomainEvent]
) -> list[Reference]:
    """The streams the events `decide` gave for `command` point at (a correction: its
    replacement), named by the command's fields as `decide` names them."""
    if isinstance(command, OpenCase | OpenReport):
        return references(command.opened, "opened")
    if isinstance(command, RegisterSource):
        return references(command.registered, "registered")
    if isinstance(command, Record):
        return references(command.event, "event")
    if isinstance(command, Correct):
        found: list[Reference] = []
        target = history.entry(command.target_event_id)
        for event in decided:
            if isinstance(event, EventCorrected) and target is not None:
                replaced = codec.decode(
                    target.event.TYPE, event.replacement_schema_version, event.replacement
                )
                found += references(replaced, "replacement")
        return found
    return []


__all__ = ["Reference", "command_references", "references"]

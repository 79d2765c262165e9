"""The approved changes in a range of the log, (after, head], folded once and shared by every
subscription that covers the same range.

A change belongs to the range in which it was approved: an entry approved at the range's end
and not approved at its start. So a fact logged in one week and approved in the next is
reported in the next week's digest, and nothing is reported twice or skipped. Entries logged
in the range and still pending are counted, not listed. Each item says whether a reader of
public fields may see it (see `tracker.projections.visibility`).
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.case import summarize_case
from tracker.domain.describe import describe
from tracker.domain.events import (
    CaseOpened,
    DetentionRecorded,
    EventCorrected,
    EventRetracted,
    ReportLinkedToCase,
    ReportOpened,
)
from tracker.domain.review import Entry, ReviewState, StreamHistory, fold_history
from tracker.domain.streams import StreamKind, stream_kind
from tracker.domain.vocabulary import STATUSES, label
from tracker.eventstore.model import LogHead
from tracker.eventstore.protocol import EventStore
from tracker.history import to_recorded
from tracker.projections.visibility import hidden_event_ids

_KINDS = (StreamKind.CASE, StreamKind.REPORT)


@dataclass(frozen=True, slots=True)
class Item:
    """One approved change, as a line with its date and precision."""

    line: str
    hidden: bool
    """Hidden from readers of public fields (restricted, or about something restricted)."""
    detention: bool
    position: int


@dataclass(frozen=True, slots=True)
class RecordChange:
    """What changed in one case or report over the range."""

    stream_id: str
    kind: StreamKind
    title: str
    region: str
    status: str
    """The case's status at the end of the range (label); '' for a report."""
    previous_status: str
    items: tuple[Item, ...]
    pending_public: int
    pending_all: int
    linked_cases: tuple[str, ...] = ()

    @property
    def status_changed(self) -> bool:
        return self.kind is StreamKind.CASE and self.status != self.previous_status

    def visible(self, restricted: bool) -> tuple[Item, ...]:
        return self.items if restricted else tuple(i for i in self.items if not i.hidden)


@dataclass(frozen=True)
class ChangeSet:
    """Every case and report with approved changes in (after, head.position]."""

    after: int
    head: LogHead
    records: tuple[RecordChange, ...]


def changes_between(
    store: EventStore, after: int, head: LogHead, confidential: frozenset[str]
) -> ChangeSet:
    """The changes approved after position `after` up to `head` (inclusive)."""
    touched: dict[str, None] = {}
    if head.position > after:
        for event in store.iter_all(after):
            if event.global_position > head.position:
                break
            touched[event.stream_id] = None
    records = []
    for stream_id in touched:
        kind = stream_kind(stream_id)
        if kind not in _KINDS:
            continue
        recorded = [
            to_recorded(e) for e in store.read_stream(stream_id, up_to_position=head.position)
        ]
        now = fold_history(stream_id, recorded)
        then = fold_history(stream_id, (r for r in recorded if r.position <= after))
        found = _record(now, then, after, kind, confidential)
        if found is not None:
            records.append(found)
    return ChangeSet(after, head, tuple(records))


def _approved(entry: Entry | None) -> bool:
    return entry is not None and entry.review is ReviewState.APPROVED


def _record(
    now: StreamHistory,
    then: StreamHistory,
    after: int,
    kind: StreamKind,
    confidential: frozenset[str],
) -> RecordChange | None:
    opening = now.opening
    if opening is None or not _approved(opening) or opening.retracted_by is not None:
        return None
    hidden = hidden_event_ids(now, confidential)
    items: list[Item] = []
    for entry in now.entries:
        if not _approved(entry) or _approved(then.entry(entry.event_id)):
            continue
        line = _line(entry, now, then)
        if line is not None:
            items.append(
                Item(
                    line,
                    entry.event_id in hidden,
                    isinstance(entry.effective, DetentionRecorded),
                    entry.recorded.position,
                )
            )
    pending = [e for e in now.entries if e.is_pending and e.recorded.position > after]
    pending_public = sum(1 for e in pending if e.event_id not in hidden)
    if not items and not pending:
        return None
    opened = opening.effective
    if kind is StreamKind.CASE and isinstance(opened, CaseOpened):
        status = label(str(summarize_case(now).status), STATUSES)
        before = ""
        if _approved(then.opening):
            before = label(str(summarize_case(then).status), STATUSES)
        return RecordChange(
            now.stream_id, kind, opened.name, opened.region, status, before, tuple(items),
            pending_public, len(pending),
        )  # fmt: skip
    if isinstance(opened, ReportOpened):
        linked = tuple(
            e.case_id for e, _entry in now.counting() if isinstance(e, ReportLinkedToCase)
        )
        return RecordChange(
            now.stream_id, kind, opened.title, opened.region, "", "", tuple(items),
            pending_public, len(pending), linked,
        )  # fmt: skip
    return None


def _line(entry: Entry, now: StreamHistory, then: StreamHistory) -> str | None:
    """The change as a person reads it; None for what no longer stands."""
    if entry.retracted_by is not None:
        return None
    event = entry.event
    if isinstance(event, EventCorrected):
        target = now.entry(event.target_event_id)
        if target is None or target.retracted_by is not None:
            return None
        if not _approved(then.entry(event.target_event_id)):
            return None  # the target is reported in this range already, as corrected
        return f"Corrected: {describe(target.effective, dated=True)}"
    if isinstance(event, EventRetracted):
        target = now.entry(event.target_event_id)
        if target is None or not _approved(then.entry(event.target_event_id)):
            return None  # never reported, so nothing to withdraw
        return f"Withdrawn: {describe(target.effective, dated=True)}"
    return describe(entry.effective, dated=True)


__all__ = ["ChangeSet", "Item", "RecordChange", "changes_between"]

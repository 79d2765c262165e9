"""The evidence beside a pending event in the review queue: the whole event (or the correction
with what it corrects), its citations with their claims and the cited sources' own review state,
and, for a case, its status now and what approving the event would make it.

A fact whose cited sources are all unapproved is flagged, and so is one that cites none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection

from tracker.domain import codec
from tracker.domain.case import summarize_case
from tracker.domain.envelope import Recorded
from tracker.domain.events import (
    Decision,
    DomainEvent,
    EventCorrected,
    EventReviewed,
    Fact,
    SourceCited,
)
from tracker.domain.review import Entry, StreamHistory, fold_history
from tracker.domain.streams import StreamKind, stream_kind
from tracker.eventstore.protocol import EventStore
from tracker.history import to_recorded
from tracker.projections.lookups import get_source
from tracker.projections.visibility import citations_of

PREVIEW = "preview-of-approval"


@dataclass(frozen=True)
class CitedSource:
    """A citation with what is known of its source."""

    source_id: str
    locator: str
    claim: str
    title: str
    review: str
    """The source's own review state: approved, pending, rejected, or missing."""
    reliability: str
    confidential: bool


@dataclass(frozen=True)
class Evidence:
    """What a reviewer needs to decide one pending entry."""

    event_id: str
    shown: DomainEvent
    """The event to judge: the recorded event, or for a correction its replacement."""
    amends: DomainEvent | None
    """For a correction or retraction: the event as it stands now."""
    reason: str
    citations: list[CitedSource] = field(default_factory=list)
    status_now: str | None = None
    status_after: str | None = None
    unsupported: bool = False
    """A fact whose cited sources are all unapproved."""
    uncited: bool = False
    """A fact that cites no source."""


class EvidenceReader:
    """Builds evidence for queue rows, reading each stream once per page."""

    def __init__(self, store: EventStore, conn: Connection) -> None:
        self._store = store
        self._conn = conn
        self._records: dict[str, list[Recorded]] = {}
        self._sources: dict[str, CitedSource | None] = {}

    def _history(self, stream_id: str) -> tuple[StreamHistory, list[Recorded]]:
        if stream_id not in self._records:
            self._records[stream_id] = [to_recorded(e) for e in self._store.read_stream(stream_id)]
        records = self._records[stream_id]
        return fold_history(stream_id, records), records

    def evidence(self, stream_id: str, event_id: str) -> Evidence | None:
        """The evidence for one pending entry; None when it is no longer in the stream."""
        history, records = self._history(stream_id)
        entry = history.entry(event_id)
        if entry is None:
            return None
        shown, amends, reason = _what_is_judged(entry, history)
        cited = [self._cited(c.source_id, c.locator, c.claim) for c in citations_of(shown)]
        is_fact = isinstance(shown, Fact | SourceCited)
        approved = [c for c in cited if c.review == "approved"]
        evidence = Evidence(
            event_id=event_id,
            shown=shown,
            amends=amends,
            reason=reason,
            citations=cited,
            unsupported=is_fact and bool(cited) and not approved,
            uncited=isinstance(shown, Fact) and not cited,
        )
        if stream_kind(stream_id) is StreamKind.CASE:
            after = fold_history(stream_id, [*records, _approval(entry, history)])
            return _with_status(evidence, history, after)
        return evidence

    def _cited(self, source_id: str, locator: str, claim: str) -> CitedSource:
        if source_id not in self._sources:
            row = get_source(self._conn, source_id)
            self._sources[source_id] = (
                None
                if row is None
                else CitedSource(
                    source_id,
                    "",
                    "",
                    row["title"],
                    row["opened_review"],
                    row["reliability"],
                    bool(row["confidential"]),
                )
            )
        known = self._sources[source_id]
        if known is None:
            return CitedSource(source_id, locator, claim, source_id, "missing", "", False)
        return CitedSource(
            source_id, locator, claim, known.title, known.review, known.reliability,
            known.confidential,
        )  # fmt: skip


def _what_is_judged(
    entry: Entry, history: StreamHistory
) -> tuple[DomainEvent, DomainEvent | None, str]:
    event = entry.event
    target_id = getattr(event, "target_event_id", None)
    target = history.entry(target_id) if target_id else None
    reason: str = getattr(event, "reason", "")
    if isinstance(event, EventCorrected) and target is not None:
        replaced = codec.decode(
            target.event.TYPE, event.replacement_schema_version, event.replacement
        )
        return replaced, target.effective, reason
    if target is not None:
        return target.effective, target.effective, reason
    return entry.effective, None, reason


def _approval(entry: Entry, history: StreamHistory) -> Recorded:
    """A review approving the entry, as if recorded now (never stored: a preview)."""
    last = history.entries[-1].recorded
    return Recorded(
        event=EventReviewed(target_event_id=entry.event_id, decision=Decision.APPROVED),
        event_id=PREVIEW,
        stream_id=history.stream_id,
        version=history.version + 1,
        position=last.position + 1,
        actor=PREVIEW,
        recorded_at=last.recorded_at,
    )


def _with_status(evidence: Evidence, now: StreamHistory, after: StreamHistory) -> Evidence:
    before = str(summarize_case(now).status)
    then = str(summarize_case(after).status)
    return Evidence(**{**evidence.__dict__, "status_now": before, "status_after": then})


__all__ = ["CitedSource", "Evidence", "EvidenceReader"]

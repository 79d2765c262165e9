"""Four eyes, corrections and retractions: a stream's log folded into reviewed entries.

Every event except a review is an entry and starts PENDING. An EventReviewed is not an entry: it
approves or rejects its target (the first review wins; a review by the target's own author is
ignored, as decide refuses it). An EventCorrected or EventRetracted is an entry too and needs its
own approval; once approved, a correction replaces its target's effective event (the correction
with the highest version wins, whatever order the approvals came in) and a retraction withdraws
its target. Log entries that cannot take effect (a correction whose replacement no longer
validates, a review of an unknown event) are skipped and listed in `StreamHistory.problems`;
the fold never raises on what the log holds, so a projection rebuild never stops on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import ValidationError

from tracker.domain import codec
from tracker.domain.envelope import Recorded
from tracker.domain.events import (
    Decision,
    DomainEvent,
    EventCorrected,
    EventRetracted,
    EventReviewed,
)


class ReviewState(StrEnum):
    """Where an entry stands in review."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


AMENDMENTS: tuple[type[DomainEvent], ...] = (EventCorrected, EventRetracted)
"""Events that change another event rather than state a fact of their own."""
_AMENDS: dict[type[DomainEvent], bool] = {}


def _amends(event: DomainEvent) -> bool:
    """`isinstance(event, AMENDMENTS)`, worked out once per type (slow on model classes)."""
    amends = _AMENDS.get(type(event))
    if amends is None:
        amends = _AMENDS[type(event)] = issubclass(type(event), AMENDMENTS)
    return amends


@dataclass(frozen=True, slots=True)
class Entry:
    """One non-review event with its review and the correction or retraction that applies."""

    recorded: Recorded
    review: ReviewState
    reviewer: str | None
    review_note: str
    reviewed_at: str | None
    effective: DomainEvent
    """The event as replaced by its latest approved correction, else the event itself."""
    corrected_by: str | None
    retracted_by: str | None

    @property
    def event_id(self) -> str:
        return self.recorded.event_id

    @property
    def event(self) -> DomainEvent:
        """The event as first recorded (see `effective` for the corrected one)."""
        return self.recorded.event

    @property
    def is_amendment(self) -> bool:
        """True for a correction or a retraction."""
        return _amends(self.recorded.event)

    @property
    def counts(self) -> bool:
        """Approved, not retracted, and a fact of its own (not a correction or retraction)."""
        return (
            self.review is ReviewState.APPROVED
            and self.retracted_by is None
            and not _amends(self.recorded.event)
        )

    @property
    def is_pending(self) -> bool:
        """Waiting for a reviewer: pending and not retracted."""
        return self.review is ReviewState.PENDING and self.retracted_by is None


@dataclass(frozen=True)
class StreamHistory:
    """A stream's entries in version order, with its version and last recording time."""

    stream_id: str
    entries: tuple[Entry, ...] = ()
    version: int = 0
    last_recorded_at: str | None = None
    reviews: frozenset[str] = frozenset()
    """Event ids of the stream's EventReviewed events."""
    problems: tuple[str, ...] = ()
    """Log entries the fold skipped, one line each (see the module docstring)."""
    _index: dict[str, Entry] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self._index) != len(self.entries):
            object.__setattr__(self, "_index", {e.recorded.event_id: e for e in self.entries})

    def entry(self, event_id: str) -> Entry | None:
        """The entry with this event id; None for unknown ids and for reviews."""
        return self._index.get(event_id)

    def is_review(self, event_id: str) -> bool:
        return event_id in self.reviews

    @property
    def opening(self) -> Entry | None:
        """The first entry (the CaseOpened, ReportOpened or SourceRegistered)."""
        return self.entries[0] if self.entries else None

    @property
    def pending_count(self) -> int:
        """Entries waiting for review (retracted ones wait no more)."""
        return sum(1 for e in self.entries if e.is_pending)

    def counting(self) -> tuple[tuple[DomainEvent, Entry], ...]:
        """The effective events that count, each with its entry, in version order."""
        return tuple((e.effective, e) for e in self.entries if e.counts)


class _Draft:
    """An entry while the fold is still changing it."""

    __slots__ = (
        "corrected_by",
        "corrected_version",
        "effective",
        "note",
        "recorded",
        "retracted_by",
        "review",
        "reviewed_at",
        "reviewer",
    )

    def __init__(self, recorded: Recorded) -> None:
        self.recorded = recorded
        self.review = ReviewState.PENDING
        self.reviewer: str | None = None
        self.note = ""
        self.reviewed_at: str | None = None
        self.effective = recorded.event
        self.corrected_by: str | None = None
        self.corrected_version = 0
        self.retracted_by: str | None = None

    def freeze(self) -> Entry:
        return Entry(
            self.recorded,
            self.review,
            self.reviewer,
            self.note,
            self.reviewed_at,
            self.effective,
            self.corrected_by,
            self.retracted_by,
        )


def fold_history(stream_id: str, records: Iterable[Recorded]) -> StreamHistory:
    """Fold one stream's records, in version order, into its reviewed history.

    One pass, dictionary look-ups only. Raises ValueError if a record belongs to another stream
    or versions do not increase (a caller's bug, not a fact of the log).
    """
    drafts: list[_Draft] = []
    index: dict[str, _Draft] = {}
    reviews: set[str] = set()
    problems: list[str] = []
    version = 0
    last_at: str | None = None
    for rec in records:
        if rec.stream_id != stream_id:
            raise ValueError(f"record {rec.event_id} belongs to {rec.stream_id}, not {stream_id}")
        if rec.version <= version:
            raise ValueError(f"{stream_id}: version {rec.version} after {version}")
        version = rec.version
        last_at = rec.recorded_at
        event = rec.event
        if type(event) is EventReviewed:
            reviews.add(rec.event_id)
            _review(rec, event, index, problems)
            continue
        draft = _Draft(rec)
        drafts.append(draft)
        index[rec.event_id] = draft
    entries = tuple(d.freeze() for d in drafts)
    return StreamHistory(
        stream_id=stream_id,
        entries=entries,
        version=version,
        last_recorded_at=last_at,
        reviews=frozenset(reviews),
        problems=tuple(problems),
        _index={e.recorded.event_id: e for e in entries},
    )


def _review(
    rec: Recorded, review: EventReviewed, index: dict[str, _Draft], problems: list[str]
) -> None:
    target = index.get(review.target_event_id)
    if target is None:
        problems.append(f"v{rec.version}: review of unknown event {review.target_event_id}")
        return
    if target.review is not ReviewState.PENDING:
        problems.append(f"v{rec.version}: second review of {review.target_event_id} ignored")
        return
    if rec.actor == target.recorded.actor:
        problems.append(f"v{rec.version}: {rec.actor} reviewed their own event; ignored")
        return
    approved = review.decision is Decision.APPROVED
    target.review = ReviewState.APPROVED if approved else ReviewState.REJECTED
    target.reviewer = rec.actor
    target.note = review.note
    target.reviewed_at = rec.recorded_at
    if not approved:
        return
    amendment = target.recorded.event
    if type(amendment) is EventCorrected:
        _correct(target, amendment, index, problems)
    elif type(amendment) is EventRetracted:
        subject = _subject(target, amendment.target_event_id, index, problems)
        if subject is not None and subject.retracted_by is None:
            subject.retracted_by = target.recorded.event_id


def _correct(
    draft: _Draft, correction: EventCorrected, index: dict[str, _Draft], problems: list[str]
) -> None:
    subject = _subject(draft, correction.target_event_id, index, problems)
    if subject is None or draft.recorded.version < subject.corrected_version:
        return
    original = subject.recorded.event
    try:
        replaced = codec.decode(
            original.TYPE, correction.replacement_schema_version, correction.replacement
        )
    except (ValidationError, codec.UnknownEventType) as exc:
        first = str(exc).splitlines()[0]
        problems.append(f"v{draft.recorded.version}: correction does not apply: {first}")
        return
    subject.effective = replaced
    subject.corrected_by = draft.recorded.event_id
    subject.corrected_version = draft.recorded.version


def _subject(
    draft: _Draft, target_id: str, index: dict[str, _Draft], problems: list[str]
) -> _Draft | None:
    subject = index.get(target_id)
    where = f"v{draft.recorded.version}"
    if subject is None:
        problems.append(f"{where}: {draft.recorded.event.TYPE} of unknown event {target_id}")
        return None
    if _amends(subject.recorded.event):
        problems.append(f"{where}: {draft.recorded.event.TYPE} of an amendment ignored")
        return None
    return subject


__all__ = ["AMENDMENTS", "Entry", "ReviewState", "StreamHistory", "fold_history"]

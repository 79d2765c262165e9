"""A source's summary: what it is, who published it, and our current grade of its reliability."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.dates import PartialDate
from tracker.domain.events import Reliability, SourceAssessed, SourceKind, SourceRegistered
from tracker.domain.review import ReviewState, StreamHistory


@dataclass(frozen=True)
class SourceSummary:
    """One row of the source list. `confidential` sources are restricted as a whole."""

    source_id: str
    title: str
    kind: SourceKind
    publisher: str
    published: PartialDate
    url: str
    reference: str
    language: str
    reliability: Reliability
    """The latest approved SourceAssessed, else the grade given at registration."""
    confidential: bool
    opened_review: ReviewState
    retracted: bool
    pending_count: int
    version: int
    last_recorded_at: str | None


def summarize_source(history: StreamHistory) -> SourceSummary:
    """The source as its effective SourceRegistered (even if pending) and approved assessments
    make it. Raises ValueError if the history has no SourceRegistered."""
    opening = history.opening
    registered = opening.effective if opening is not None else None
    if opening is None or not isinstance(registered, SourceRegistered):
        raise ValueError(f"{history.stream_id} has no SourceRegistered")
    reliability = registered.reliability
    for event, _ in history.counting():
        if isinstance(event, SourceAssessed):
            reliability = event.reliability
    return SourceSummary(
        source_id=history.stream_id,
        title=registered.title,
        kind=registered.kind,
        publisher=registered.publisher,
        published=registered.published,
        url=registered.url,
        reference=registered.reference,
        language=registered.language,
        reliability=reliability,
        confidential=registered.confidential,
        opened_review=opening.review,
        retracted=opening.retracted_by is not None,
        pending_count=history.pending_count,
        version=history.version,
        last_recorded_at=history.last_recorded_at,
    )


__all__ = ["SourceSummary", "summarize_source"]

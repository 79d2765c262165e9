"""A report's summary: the incident, its victims, the cases linked to it and the figures given."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from tracker.domain.dates import PartialDate
from tracker.domain.events import (
    FigureReported,
    ReportLinkedToCase,
    ReportOpened,
    SourceCited,
)
from tracker.domain.review import ReviewState, StreamHistory
from tracker.domain.values import Count


class Figure(NamedTuple):
    """A figure a source gives, as (label, count, date): 'more than 70 political prisoners'."""

    label: str
    number: Count
    """The count as the source gives it (`count` would clash with tuple.count)."""
    date: PartialDate


@dataclass(frozen=True)
class ReportSummary:
    """One row of the incident list."""

    report_id: str
    title: str
    acts: tuple[str, ...]
    date: PartialDate
    region: str
    place: str
    victims: Count
    victim_description: str
    description: str
    case_ids: tuple[str, ...]
    figures: tuple[Figure, ...]
    opened_review: ReviewState
    retracted: bool
    pending_count: int
    version: int
    last_recorded_at: str | None
    sources: tuple[str, ...]


def summarize_report(history: StreamHistory) -> ReportSummary:
    """The report as its effective ReportOpened (even if pending) and counting events make it.

    Links and figures count once approved; figures come in date order, then version order.
    Raises ValueError if the history has no ReportOpened.
    """
    opening = history.opening
    opened = opening.effective if opening is not None else None
    if opening is None or not isinstance(opened, ReportOpened):
        raise ValueError(f"{history.stream_id} has no ReportOpened")
    linked: dict[str, None] = {}
    figures: list[tuple[tuple[int, str], int, Figure]] = []
    sources: dict[str, None] = {}
    for event, entry in history.counting():
        if isinstance(event, ReportLinkedToCase):
            linked[event.case_id] = None
        elif isinstance(event, FigureReported):
            figure = Figure(event.label, event.count, event.date)
            figures.append((event.date.sort_key(), entry.recorded.version, figure))
            sources.update((c.source_id, None) for c in event.citations)
        elif isinstance(event, ReportOpened):
            sources.update((c.source_id, None) for c in event.citations)
        elif isinstance(event, SourceCited):
            sources[event.citation.source_id] = None
    figures.sort(key=lambda item: (item[0], item[1]))
    return ReportSummary(
        report_id=history.stream_id,
        title=opened.title,
        acts=opened.acts,
        date=opened.date,
        region=opened.region,
        place=opened.place,
        victims=opened.victims,
        victim_description=opened.victim_description,
        description=opened.description,
        case_ids=tuple(linked),
        figures=tuple(figure for _, _, figure in figures),
        opened_review=opening.review,
        retracted=opening.retracted_by is not None,
        pending_count=history.pending_count,
        version=history.version,
        last_recorded_at=history.last_recorded_at,
        sources=tuple(sources),
    )


__all__ = ["Figure", "ReportSummary", "summarize_report"]

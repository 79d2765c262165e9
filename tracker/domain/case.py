"""A case's summary: one row of the political-prisoner list, derived from its history.

The status and the custody fields come from `status.derive` (the transitions are described
there); the name fields from the effective CaseOpened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from operator import itemgetter

from tracker.domain.dates import PartialDate
from tracker.domain.events import CaseOpened, Fact, Gender, SourceCited
from tracker.domain.review import ReviewState, StreamHistory
from tracker.domain.status import CUSTODIAL, Status, derive
from tracker.domain.values import Charge, Sentence


@dataclass(frozen=True)
class CaseSummary:
    """One row of the political-prisoner list: who, where they stand, and why."""

    case_id: str
    name: str
    name_variants: tuple[str, ...]
    birth_date: PartialDate
    gender: Gender
    community: str
    region: str
    status: Status
    status_since: PartialDate | None
    charges: tuple[Charge, ...]
    detention_date: PartialDate | None
    sentence: Sentence | None
    verdict_date: PartialDate | None
    """Date of the last verdict."""
    facility: str | None
    release_date: PartialDate | None
    """Date of the last release, while the status is released."""
    death_date: PartialDate | None
    acts: tuple[str, ...]
    health_concerns: int
    opened_review: ReviewState
    retracted: bool
    """The CaseOpened itself was retracted: the case is withdrawn."""
    pending_count: int
    version: int
    last_recorded_at: str | None
    sources: tuple[str, ...]


_DATE_THEN_VERSION = itemgetter(0, 1)


def summarize_case(history: StreamHistory, *, as_of: date | None = None) -> CaseSummary:
    """The case as its counting facts make it; with `as_of`, as things stood at the end of that day.

    With `as_of` only facts that had certainly happened by then count (`certainly_by`): 'March
    2014' counts as of 2014-03-31, not as of 2014-03-15; a fact of unknown date counts only if its
    `not_after` is on or before `as_of`. For 'as known at' a time, fold only the records
    recorded by then (reviews included) and summarize that prefix. Name fields come from the
    effective CaseOpened even while it is pending; facts count only once approved.
    Raises ValueError if the history has no CaseOpened.
    """
    opening = history.opening
    opened = opening.effective if opening is not None else None
    if opening is None or not isinstance(opened, CaseOpened):
        raise ValueError(f"{history.stream_id} has no CaseOpened")
    sources: dict[str, None] = {}
    facts: list[tuple[tuple[int, str], int, Fact]] = []
    for event, entry in history.counting():
        if isinstance(event, Fact):
            if as_of is not None and not event.date.certainly_by(as_of):
                continue
            facts.append((event.date.sort_key(), entry.recorded.version, event))
            if event.citations:
                sources.update((c.source_id, None) for c in event.citations)
        elif isinstance(event, CaseOpened):
            if event.citations:
                sources.update((c.source_id, None) for c in event.citations)
        elif isinstance(event, SourceCited):
            sources[event.citation.source_id] = None
    facts.sort(key=_DATE_THEN_VERSION)
    state = derive(fact for _, _, fact in facts)
    return CaseSummary(
        case_id=history.stream_id,
        name=opened.name,
        name_variants=opened.name_variants,
        birth_date=opened.birth_date,
        gender=opened.gender,
        community=opened.community,
        region=opened.region,
        status=state.status,
        status_since=state.since,
        charges=tuple(state.charges.values()),
        detention_date=state.detention_date,
        sentence=state.sentence,
        verdict_date=state.verdict_date,
        facility=state.facility,
        release_date=state.release_date if state.status is Status.RELEASED else None,
        death_date=state.death_date,
        acts=tuple(state.acts),
        health_concerns=state.health_concerns,
        opened_review=opening.review,
        retracted=opening.retracted_by is not None,
        pending_count=history.pending_count,
        version=history.version,
        last_recorded_at=history.last_recorded_at,
        sources=tuple(sources),
    )


__all__ = ["CUSTODIAL", "CaseSummary", "Status", "summarize_case"]

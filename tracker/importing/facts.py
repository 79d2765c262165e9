"""The facts a row states, as events, less those the case already holds.

A row never types in a status: its dates, charges and facility become facts (a detention, a
charge brought, a transfer, a release, a death), and its status column becomes the fact that
would make the case have that status ('serving a sentence' -> a detention at the sentenced
stage, or a verdict for someone already in custody; 'released' -> a release). The result is
checked by deriving the status from the case's facts (pending ones included) plus the new
ones; a status the facts cannot give is refused with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence

from tracker.domain.dates import PartialDate
from tracker.domain.events import (
    ChargeBrought,
    CustodyStage,
    DeathRecorded,
    DetentionRecorded,
    Disappeared,
    DomainEvent,
    Fact,
    NoteAdded,
    Released,
    RestrictionImposed,
    RestrictionKind,
    TransferredToFacility,
    VerdictDelivered,
)
from tracker.domain.review import ReviewState, StreamHistory
from tracker.domain.status import CUSTODIAL, CaseState, Status, derive
from tracker.domain.values import Citation
from tracker.domain.vocabulary import STATUSES, label
from tracker.importing.rows import RowData

_STAGE = {
    Status.PRE_TRIAL_DETENTION: CustodyStage.PRE_TRIAL,
    Status.HOUSE_ARREST: CustodyStage.PRE_TRIAL,
    Status.SERVING_SENTENCE: CustodyStage.SENTENCED,
}


class StatusError(ValueError):
    """The row's status cannot be expressed by facts on this case."""


def standing(history: StreamHistory | None) -> tuple[list[Fact], list[str]]:
    """(the case's facts that are not rejected or retracted, approved or pending, in version
    order; the texts of its notes)."""
    if history is None:
        return [], []
    facts: list[Fact] = []
    notes: list[str] = []
    for entry in history.entries:
        if entry.review is ReviewState.REJECTED or entry.retracted_by or entry.is_amendment:
            continue
        event = entry.effective
        if isinstance(event, Fact):
            facts.append(event)
        elif isinstance(event, NoteAdded):
            notes.append(event.text)
    return facts, notes


def simulate(facts: Sequence[Fact]) -> CaseState:
    """The state these facts give, in date order (then in the order given)."""
    ordered = sorted(enumerate(facts), key=lambda item: (item[1].date.sort_key(), item[0]))
    return derive(fact for _, fact in ordered)


def row_facts(
    row: RowData, facts: Sequence[Fact], notes: Sequence[str], cite: tuple[Citation, ...]
) -> list[DomainEvent]:
    """The new events for a row on a case whose standing facts and notes are given."""
    new: list[Fact] = []
    stage = _STAGE.get(row.status, CustodyStage.UNKNOWN) if row.status else CustodyStage.UNKNOWN
    if row.detention_date and not _has(facts, DetentionRecorded, date=row.detention_date):
        new.append(DetentionRecorded(date=row.detention_date, stage=stage, citations=cite))
    for charge in row.charges:
        if not any(isinstance(f, ChargeBrought) and f.charge.slug == charge.slug for f in facts):
            new.append(ChargeBrought(charge=charge, citations=cite))
    facility = row.facility.casefold()
    if facility and not any(
        isinstance(f, TransferredToFacility) and f.facility.casefold() == facility for f in facts
    ):
        new.append(TransferredToFacility(facility=row.facility, citations=cite))
    if row.release_date and not _has(facts, Released, date=row.release_date):
        new.append(Released(date=row.release_date, citations=cite))
    if row.death_date and not any(isinstance(f, DeathRecorded) for f in facts):
        new.append(DeathRecorded(date=row.death_date, citations=cite))
    if row.status is not None:
        state = simulate([*facts, *new])
        if state.status is not row.status:
            new.append(_status_fact(row, state, cite))
            state = simulate([*facts, *new])
        if state.status is not row.status:
            raise StatusError(
                f"{_label(row.status)!r} does not follow from this case's facts with the row's: "
                f"they give {_label(state.status)!r} (check the dates)"
            )
    events: list[DomainEvent] = list(new)
    if row.notes and row.notes not in notes:
        events.append(NoteAdded(text=row.notes, internal=True))
    return events


def _has(facts: Sequence[Fact], kind: type[Fact], *, date: PartialDate) -> bool:
    return any(isinstance(f, kind) and f.date == date for f in facts)


def _label(status: Status) -> str:
    return label(status.value, STATUSES).lower()


def _status_fact(row: RowData, state: CaseState, cite: tuple[Citation, ...]) -> Fact:
    """The fact that makes the status the row's, from the state the other facts give."""
    target = row.status or Status.NOT_ESTABLISHED
    if target is Status.PRE_TRIAL_DETENTION:
        return DetentionRecorded(stage=CustodyStage.PRE_TRIAL, citations=cite)
    if target is Status.SERVING_SENTENCE:
        if state.status in CUSTODIAL:
            return VerdictDelivered(citations=cite)  # convicted; the sentence is not given
        return DetentionRecorded(stage=CustodyStage.SENTENCED, citations=cite)
    if target is Status.IN_CUSTODY:
        return DetentionRecorded(stage=CustodyStage.UNKNOWN, citations=cite)
    if target is Status.HOUSE_ARREST:
        return RestrictionImposed(kind=RestrictionKind.HOUSE_ARREST, citations=cite)
    if target is Status.RELEASED and not row.release_date:
        return Released(citations=cite)
    if target is Status.MISSING:
        return Disappeared(citations=cite)
    if target is Status.DECEASED and not row.death_date:
        return DeathRecorded(citations=cite)
    if target is Status.PERSECUTED_AT_LIBERTY:
        raise StatusError(
            "'persecuted at liberty' is expressed by a charge (or a search, fine or other act "
            "logged in the tracker): give the charges, or leave the status blank"
        )
    raise StatusError(
        f"{_label(target)!r} does not follow from the row's facts "
        f"(they give {_label(state.status)!r}; check the dates)"
    )


__all__ = ["StatusError", "row_facts", "simulate", "standing"]

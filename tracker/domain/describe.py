"""One plain-English line per event, for timelines and digest emails.

Lines carry no dates (the timeline shows them; `describe(event, dated=True)` appends a fact's
date) and no contact details. Restricted events still describe themselves: callers check
`event.is_restricted()` before showing a line to someone who may not read restricted fields.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import singledispatch

from tracker.domain.charges import describe as describe_charge
from tracker.domain.events import (
    CaseOpened,
    ChargeBrought,
    ChargeDropped,
    CustodyStage,
    DeathRecorded,
    DetentionRecorded,
    Disappeared,
    DomainEvent,
    EventCorrected,
    EventRetracted,
    EventReviewed,
    Fact,
    FigureReported,
    HealthConcernReported,
    HearingHeld,
    NoteAdded,
    PersecutionRecorded,
    RelativeContactRecorded,
    Released,
    ReleaseReason,
    ReportLinkedToCase,
    ReportOpened,
    RestrictionImposed,
    RestrictionLifted,
    SourceAssessed,
    SourceCited,
    SourceRegistered,
    TransferredToFacility,
    VerdictDelivered,
    VerdictOutcome,
    WhereaboutsEstablished,
)
from tracker.domain.values import Charge
from tracker.domain.vocabulary import ACTS, RELIABILITY, SOURCE_KINDS, label

_STAGE = {
    CustodyStage.PRE_TRIAL: "pre-trial detention",
    CustodyStage.SENTENCED: "serving a sentence",
    CustodyStage.UNKNOWN: "in custody, stage unknown",
}


_LINES: dict[type[DomainEvent], Callable[[DomainEvent], str]] = {}


def describe(event: DomainEvent, *, dated: bool = False) -> str:
    """'Charged under art. 205.5 part 2 (terrorism)'; with `dated`, a fact's date in brackets."""
    line_of = _LINES.get(type(event))
    if line_of is None:  # singledispatch's own look-up, once per type
        line_of = _LINES[type(event)] = _line.dispatch(type(event))
    line = line_of(event)
    if dated and isinstance(event, Fact):
        return f"{line} [{event.date.display()}]"
    return line


def short(text: str, limit: int = 120) -> str:
    """Text on one line, cut to `limit` characters with an ellipsis."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def _joined(*parts: str) -> str:
    return ", ".join(p for p in parts if p)


@singledispatch
def _line(event: DomainEvent) -> str:
    return event.TYPE


@_line.register
def _(e: CaseOpened) -> str:
    return f"Case opened: {e.name}"


@_line.register
def _(e: DetentionRecorded) -> str:
    where = f" at {e.place}" if e.place else ""
    by = f" by {e.authority}" if e.authority else ""
    line = f"Detained ({label(e.act, ACTS).lower()}){where}{by}: {_STAGE[e.stage]}"
    return line + _charged(e.charges)


def _charge(charge: Charge) -> str:
    return describe_charge(charge)


def _charged(charges: tuple[Charge, ...]) -> str:
    return f"; charged under {'; '.join(_charge(c) for c in charges)}" if charges else ""


@_line.register
def _(e: ChargeBrought) -> str:
    return f"Charged under {_charge(e.charge)}"


@_line.register
def _(e: ChargeDropped) -> str:
    return f"Charge dropped: {_charge(e.charge)}"


@_line.register
def _(e: HearingHeld) -> str:
    court = f" at {e.court}" if e.court else ""
    outcome = f": {short(e.outcome)}" if e.outcome else ""
    return f"Hearing held{court}{outcome}"


@_line.register
def _(e: VerdictDelivered) -> str:
    court = f" ({e.court})" if e.court else ""
    appeal = " on appeal" if e.appeal else ""
    charged = _charged(e.charges)
    if e.outcome is VerdictOutcome.ACQUITTED:
        return f"Acquitted{appeal}{court}{charged}"
    if e.outcome is VerdictOutcome.CASE_CLOSED:
        return f"Case closed by the court{appeal}{court}{charged}"
    if e.sentence is None:
        return f"Convicted{appeal}, sentence not recorded{court}{charged}"
    return f"Sentenced{appeal}: {e.sentence.display()}{court}{charged}"


@_line.register
def _(e: TransferredToFacility) -> str:
    return f"Transferred to {_joined(e.facility, e.location)}"


@_line.register
def _(e: HealthConcernReported) -> str:
    return f"Health concern: {short(e.concern)}" if e.concern else "Health concern reported"


@_line.register
def _(e: Released) -> str:
    if e.reason is ReleaseReason.UNKNOWN:
        return "Released"
    return f"Released: {e.reason.value.replace('_', ' ')}"


@_line.register
def _(e: Disappeared) -> str:
    seen = f"; last seen {e.last_seen}" if e.last_seen else ""
    return f"Disappeared (whereabouts unknown){seen}"


@_line.register
def _(e: WhereaboutsEstablished) -> str:
    where = "in custody" if e.in_custody else "at liberty"
    return f"Whereabouts established: {_joined(where, e.location)}"


@_line.register
def _(e: DeathRecorded) -> str:
    return f"Died: {short(e.circumstances)}" if e.circumstances else "Died"


@_line.register
def _(e: RestrictionImposed) -> str:
    until = f" until {e.until.display()}" if e.until.is_known else ""
    return f"Restriction imposed: {e.kind.value.replace('_', ' ')}{until}"


@_line.register
def _(e: RestrictionLifted) -> str:
    return f"Restriction lifted: {e.kind.value.replace('_', ' ')}"


@_line.register
def _(e: PersecutionRecorded) -> str:
    return f"Persecution: {label(e.act, ACTS).lower()}"


@_line.register
def _(e: RelativeContactRecorded) -> str:
    return f"Contact recorded: {e.relation or 'relative or lawyer'}"


@_line.register
def _(e: ReportOpened) -> str:
    return f"Report opened: {e.title}"


@_line.register
def _(e: ReportLinkedToCase) -> str:
    return f"Linked to case {e.case_id}"


@_line.register
def _(e: FigureReported) -> str:
    return f"Figure: {e.label}: {e.count.display()}"


@_line.register
def _(e: SourceRegistered) -> str:
    return f"Source registered: {e.title} ({label(e.kind, SOURCE_KINDS).lower()})"


@_line.register
def _(e: SourceAssessed) -> str:
    return f"Reliability assessed: {label(e.reliability, RELIABILITY).lower()}"


@_line.register
def _(e: SourceCited) -> str:
    about = f" for event {e.about_event_id}" if e.about_event_id else ""
    return f"Source cited: {_joined(e.citation.source_id, e.citation.locator)}{about}"


@_line.register
def _(e: NoteAdded) -> str:
    return f"{'Internal note' if e.internal else 'Note'}: {short(e.text)}"


@_line.register
def _(e: EventCorrected) -> str:
    return f"Correction of {e.target_event_id}: {short(e.reason)}"


@_line.register
def _(e: EventRetracted) -> str:
    return f"Retraction of {e.target_event_id}: {short(e.reason)}"


@_line.register
def _(e: EventReviewed) -> str:
    note = f" ({short(e.note)})" if e.note else ""
    return f"Review: {e.decision.value}{note}"


__all__ = ["describe", "short"]

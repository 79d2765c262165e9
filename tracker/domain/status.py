"""A person's status derived from the facts that count, in date order: the transitions.

Facts that count (approved, not retracted, as corrected) are applied in the order of their dates
(`PartialDate.sort_key`, unknown dates last) and then of their versions, so a fact logged late
lands where it happened: a release logged before the detention still ends 'released'.

Transitions, from the status before the fact:
- DetentionRecorded: by stage: pre_trial -> pre_trial_detention, sentenced -> serving_sentence,
  unknown -> in_custody (an unknown stage does not override a known custodial status).
  Charges named at the detention are added, as by ChargeBrought.
- ChargeBrought adds the charge; someone not in custody, restricted, missing or dead becomes
  persecuted_at_liberty. ChargeDropped removes it (the status stays).
- VerdictDelivered, convicted: adds the charges it names; a custodial sentence ->
  serving_sentence; a non-custodial one -> persecuted_at_liberty (custody and restrictions end).
  With no sentence given the previous sentence stands, and someone in custody is taken to be
  serving. Acquitted or case closed:
  charges and sentence are cleared; someone in custody or restricted is released; someone at
  liberty stays (or becomes) persecuted_at_liberty - the prosecution happened and the record of
  it stands - and 'released' is kept for people freed from custody or restrictions.
- TransferredToFacility sets the facility, and in_custody if not already in custody.
- Released -> released; facility, restrictions and the detention date are cleared.
- Disappeared -> missing, remembering the status before. WhereaboutsEstablished: in custody ->
  the custodial status before (else in_custody); at liberty -> released.
- DeathRecorded -> deceased; no later fact changes the status.
- RestrictionImposed -> house_arrest, unless in custody; but house arrest ordered in place of
  pre-trial detention (a changed measure of restraint) moves the person to house_arrest.
  RestrictionLifted: once no restriction remains, house_arrest -> persecuted_at_liberty.
- PersecutionRecorded -> persecuted_at_liberty for someone not in custody, restricted, missing
  or dead. HearingHeld and HealthConcernReported leave the status as it is.
`detention_date` is the date of the detention that began the current deprivation of liberty
(kept through house arrest that follows it); release or a non-custodial verdict clears it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import Any

from tracker.domain.dates import PartialDate
from tracker.domain.events import (
    ChargeBrought,
    ChargeDropped,
    CustodyStage,
    DeathRecorded,
    DetentionRecorded,
    Disappeared,
    DomainEvent,
    Fact,
    HealthConcernReported,
    PersecutionRecorded,
    Released,
    ReleaseReason,
    RestrictionImposed,
    RestrictionKind,
    RestrictionLifted,
    TransferredToFacility,
    VerdictDelivered,
    VerdictOutcome,
    WhereaboutsEstablished,
)
from tracker.domain.values import Charge, Sentence


class Status(StrEnum):
    """Where a person stands now (labels and translations in vocabulary.STATUSES)."""

    PRE_TRIAL_DETENTION = "pre_trial_detention"
    HOUSE_ARREST = "house_arrest"
    SERVING_SENTENCE = "serving_sentence"
    RELEASED = "released"
    MISSING = "missing"
    DECEASED = "deceased"
    PERSECUTED_AT_LIBERTY = "persecuted_at_liberty"
    IN_CUSTODY = "in_custody"
    NOT_ESTABLISHED = "not_established"


CUSTODIAL = frozenset({Status.PRE_TRIAL_DETENTION, Status.SERVING_SENTENCE, Status.IN_CUSTODY})
_DEPRIVED = CUSTODIAL | {Status.HOUSE_ARREST}
_FREE = frozenset({Status.NOT_ESTABLISHED, Status.RELEASED, Status.PERSECUTED_AT_LIBERTY})
_BY_STAGE = {
    CustodyStage.PRE_TRIAL: Status.PRE_TRIAL_DETENTION,
    CustodyStage.SENTENCED: Status.SERVING_SENTENCE,
    CustodyStage.UNKNOWN: Status.IN_CUSTODY,
}


class CaseState:
    """What the facts applied so far say; one handler per fact type (see `derive`)."""

    def __init__(self) -> None:
        self.status = Status.NOT_ESTABLISHED
        self.since: PartialDate | None = None
        self.before_missing = Status.NOT_ESTABLISHED
        self.charges: dict[str, Charge] = {}
        self.detention_date: PartialDate | None = None
        self.sentence: Sentence | None = None
        self.verdict_date: PartialDate | None = None
        self.facility: str | None = None
        self.release_date: PartialDate | None = None
        self.death_date: PartialDate | None = None
        self.restrictions: set[RestrictionKind] = set()
        self.acts: dict[str, None] = {}
        self.health_concerns = 0

    def set(self, status: Status, when: PartialDate) -> None:
        if self.status is Status.DECEASED or status is self.status:
            return
        self.status = status
        self.since = when

    def take_into_custody(self, status: Status, when: PartialDate) -> None:
        if self.status is Status.DECEASED:
            return
        if self.detention_date is None:
            self.detention_date = when
        if self.status is Status.HOUSE_ARREST:
            self.restrictions.discard(RestrictionKind.HOUSE_ARREST)
        self.set(status, when)

    def free(self, status: Status, when: PartialDate) -> None:
        """Custody and restrictions end; `status` is released or persecuted_at_liberty."""
        if self.status is Status.DECEASED:
            return
        self.facility = None
        self.detention_date = None
        self.restrictions.clear()
        if status is Status.RELEASED:
            self.release_date = when
        self.set(status, when)

    def detention(self, f: DetentionRecorded) -> None:
        self.acts[f.act] = None
        for charge in f.charges:
            self.charges[charge.slug] = charge
        status = _BY_STAGE[f.stage]
        if status is Status.IN_CUSTODY and self.status in CUSTODIAL:
            status = self.status
        self.take_into_custody(status, f.date)

    def charged(self, f: ChargeBrought) -> None:
        self.charges[f.charge.slug] = f.charge
        if self.status in _FREE:
            self.set(Status.PERSECUTED_AT_LIBERTY, f.date)

    def charge_dropped(self, f: ChargeDropped) -> None:
        self.charges.pop(f.charge.slug, None)

    def verdict(self, f: VerdictDelivered) -> None:
        self.verdict_date = f.date
        if f.outcome is not VerdictOutcome.CONVICTED:
            self.charges.clear()
            self.sentence = None
            if self.status in _DEPRIVED:
                self.free(Status.RELEASED, f.date)
            elif self.status in _FREE and self.status is not Status.RELEASED:
                self.set(Status.PERSECUTED_AT_LIBERTY, f.date)
            return
        for charge in f.charges:
            self.charges[charge.slug] = charge
        if f.sentence is not None:
            self.sentence = f.sentence
        custodial = self.sentence.custodial if self.sentence else self.status in CUSTODIAL
        if self.status in (Status.MISSING, Status.DECEASED):
            return
        if custodial:
            self.take_into_custody(Status.SERVING_SENTENCE, f.date)
        else:
            self.free(Status.PERSECUTED_AT_LIBERTY, f.date)

    def transferred(self, f: TransferredToFacility) -> None:
        self.facility = f.facility
        if self.status is Status.MISSING:
            self.found_in_custody(f.date)
        elif self.status not in CUSTODIAL:
            self.take_into_custody(Status.IN_CUSTODY, f.date)

    def health_concern(self, f: HealthConcernReported) -> None:
        self.health_concerns += 1

    def released(self, f: Released) -> None:
        if f.reason in (ReleaseReason.ACQUITTED, ReleaseReason.CHARGES_DROPPED):
            self.charges.clear()
        self.free(Status.RELEASED, f.date)

    def disappeared(self, f: Disappeared) -> None:
        self.acts["enforced_disappearance"] = None
        if self.status is not Status.MISSING:
            self.before_missing = self.status
        self.set(Status.MISSING, f.date)

    def whereabouts(self, f: WhereaboutsEstablished) -> None:
        if f.in_custody and f.location:
            self.facility = f.location
        if self.status is not Status.MISSING:
            if f.in_custody and self.status not in CUSTODIAL:
                self.take_into_custody(Status.IN_CUSTODY, f.date)
            return
        if f.in_custody:
            self.found_in_custody(f.date)
        else:
            self.free(Status.RELEASED, f.date)

    def found_in_custody(self, when: PartialDate) -> None:
        before = self.before_missing
        self.take_into_custody(before if before in CUSTODIAL else Status.IN_CUSTODY, when)

    def death(self, f: DeathRecorded) -> None:
        if self.death_date is None:
            self.death_date = f.date
        self.set(Status.DECEASED, f.date)

    def restricted(self, f: RestrictionImposed) -> None:
        self.acts[_RESTRICTION_ACT[f.kind]] = None
        self.restrictions.add(f.kind)
        if self.status in (Status.MISSING, Status.DECEASED, Status.SERVING_SENTENCE):
            return
        if self.status in CUSTODIAL:
            if f.kind is RestrictionKind.HOUSE_ARREST:
                self.facility = None
                self.set(Status.HOUSE_ARREST, f.date)
            return
        self.set(Status.HOUSE_ARREST, f.date)

    def restriction_lifted(self, f: RestrictionLifted) -> None:
        self.restrictions.discard(f.kind)
        if self.status is Status.HOUSE_ARREST and not self.restrictions:
            self.free(Status.PERSECUTED_AT_LIBERTY, f.date)

    def persecuted(self, f: PersecutionRecorded) -> None:
        self.acts[f.act] = None
        if self.status in _FREE:
            self.set(Status.PERSECUTED_AT_LIBERTY, f.date)


_RESTRICTION_ACT = {
    RestrictionKind.HOUSE_ARREST: "house_arrest",
    RestrictionKind.TRAVEL_BAN: "travel_ban",
    RestrictionKind.RESTRICTION_OF_FREEDOM: "restriction_of_freedom",
    RestrictionKind.OTHER: "other",
}

_APPLY: dict[type[DomainEvent], Callable[[CaseState, Any], None]] = {
    DetentionRecorded: CaseState.detention,
    ChargeBrought: CaseState.charged,
    ChargeDropped: CaseState.charge_dropped,
    VerdictDelivered: CaseState.verdict,
    TransferredToFacility: CaseState.transferred,
    HealthConcernReported: CaseState.health_concern,
    Released: CaseState.released,
    Disappeared: CaseState.disappeared,
    WhereaboutsEstablished: CaseState.whereabouts,
    DeathRecorded: CaseState.death,
    RestrictionImposed: CaseState.restricted,
    RestrictionLifted: CaseState.restriction_lifted,
    PersecutionRecorded: CaseState.persecuted,
}


def derive(facts: Iterable[Fact]) -> CaseState:
    """Apply facts, already in date order, to a fresh state; other event types are skipped."""
    state = CaseState()
    for fact in facts:
        apply = _APPLY.get(type(fact))
        if apply is not None:
            apply(state, fact)
    return state


__all__ = ["CUSTODIAL", "CaseState", "Status", "derive"]

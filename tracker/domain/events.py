"""Every event the tracker records: frozen, past tense, versioned.

Three kinds of stream hold them: a case (one named person's persecution), a report (an incident,
possibly with many or unnamed victims) and a source (a document, statement, article or witness).
Review, correction and retraction events work on any stream and name their target by event id.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, ClassVar

from pydantic import Field

from tracker.domain.dates import PartialDate
from tracker.domain.values import (
    LONG,
    SHORT,
    Charge,
    Citation,
    Count,
    CountQualifier,
    Sentence,
    Value,
)

UNKNOWN_DATE = PartialDate.unknown()


class DomainEvent(Value):
    """Base of all events: `TYPE` is the stored name, `SCHEMA_VERSION` the shape's version."""

    TYPE: ClassVar[str]
    SCHEMA_VERSION: ClassVar[int] = 1
    RESTRICTED: ClassVar[bool] = False
    """True when the whole event is restricted (never shown to advocates)."""

    def is_restricted(self) -> bool:
        return self.RESTRICTED


class Fact(DomainEvent):
    """An event that states something happened; it has a date and may cite sources."""

    date: PartialDate = UNKNOWN_DATE
    description: str = Field(default="", max_length=LONG)
    citations: tuple[Citation, ...] = Field(default=(), max_length=50)


# --- case stream -------------------------------------------------------------------------------


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class CaseOpened(DomainEvent):
    """A case about one named person was opened."""

    TYPE = "CaseOpened"
    name: str = Field(min_length=1, max_length=SHORT)
    name_variants: tuple[str, ...] = Field(default=(), max_length=50)
    birth_date: PartialDate = UNKNOWN_DATE
    gender: Gender = Gender.UNKNOWN
    community: str = Field(default="", max_length=SHORT, description="e.g. Crimean Tatar")
    region: str = Field(default="", max_length=SHORT)
    description: str = Field(default="", max_length=LONG)
    citations: tuple[Citation, ...] = Field(default=(), max_length=50)


class CustodyStage(StrEnum):
    PRE_TRIAL = "pre_trial"
    SENTENCED = "sentenced"
    UNKNOWN = "unknown"


class DetentionRecorded(Fact):
    """The person was arrested, detained or abducted into custody.

    v2: the stage defaults to unknown (v1 defaulted to pre-trial) and the charges named at the
    detention may be given.
    """

    TYPE = "DetentionRecorded"
    SCHEMA_VERSION = 2
    act: str = Field(
        default="detention", max_length=60, description="act code: arrest, detention, abduction"
    )
    stage: CustodyStage = CustodyStage.UNKNOWN
    place: str = Field(default="", max_length=SHORT)
    authority: str = Field(default="", max_length=SHORT)
    charges: tuple[Charge, ...] = Field(default=(), max_length=20)


class ChargeBrought(Fact):
    """A criminal charge was brought."""

    TYPE = "ChargeBrought"
    charge: Charge


class ChargeDropped(Fact):
    """A charge was dropped or requalified away."""

    TYPE = "ChargeDropped"
    charge: Charge


class HearingHeld(Fact):
    """A court hearing took place."""

    TYPE = "HearingHeld"
    court: str = Field(default="", max_length=SHORT)
    outcome: str = Field(default="", max_length=SHORT)


class VerdictOutcome(StrEnum):
    CONVICTED = "convicted"
    ACQUITTED = "acquitted"
    CASE_CLOSED = "case_closed"


class VerdictDelivered(Fact):
    """A court delivered a verdict, and a sentence if convicted.

    v2: the charges the verdict names may be given.
    """

    TYPE = "VerdictDelivered"
    SCHEMA_VERSION = 2
    court: str = Field(default="", max_length=SHORT)
    outcome: VerdictOutcome = VerdictOutcome.CONVICTED
    sentence: Sentence | None = None
    appeal: bool = False
    charges: tuple[Charge, ...] = Field(default=(), max_length=20)


class TransferredToFacility(Fact):
    """The person was moved to a place of detention."""

    TYPE = "TransferredToFacility"
    facility: str = Field(min_length=1, max_length=SHORT)
    location: str = Field(default="", max_length=SHORT)


class HealthConcernReported(Fact):
    """A concern for the person's health or treatment in custody was reported."""

    TYPE = "HealthConcernReported"
    concern: str = Field(default="", max_length=SHORT)


class ReleaseReason(StrEnum):
    SENTENCE_SERVED = "sentence_served"
    ACQUITTED = "acquitted"
    EXCHANGE = "exchange"
    PARDON = "pardon"
    CHARGES_DROPPED = "charges_dropped"
    OTHER = "other"
    UNKNOWN = "unknown"


class Released(Fact):
    """The person was released from custody or restrictions."""

    TYPE = "Released"
    reason: ReleaseReason = ReleaseReason.UNKNOWN


class Disappeared(Fact):
    """The person went missing; whereabouts unknown."""

    TYPE = "Disappeared"
    last_seen: str = Field(default="", max_length=SHORT)


class WhereaboutsEstablished(Fact):
    """The whereabouts of a missing person became known."""

    TYPE = "WhereaboutsEstablished"
    location: str = Field(default="", max_length=SHORT)
    in_custody: bool = False


class DeathRecorded(Fact):
    """The person died."""

    TYPE = "DeathRecorded"
    circumstances: str = Field(default="", max_length=SHORT)


class RestrictionKind(StrEnum):
    HOUSE_ARREST = "house_arrest"
    TRAVEL_BAN = "travel_ban"
    RESTRICTION_OF_FREEDOM = "restriction_of_freedom"
    OTHER = "other"


class RestrictionImposed(Fact):
    """A restriction short of custody was imposed: house arrest, travel ban."""

    TYPE = "RestrictionImposed"
    kind: RestrictionKind
    until: PartialDate = UNKNOWN_DATE


class RestrictionLifted(Fact):
    """A restriction ended."""

    TYPE = "RestrictionLifted"
    kind: RestrictionKind


class PersecutionRecorded(Fact):
    """An act of persecution short of custody: search, fine, dismissal, forced passportization."""

    TYPE = "PersecutionRecorded"
    act: str = Field(max_length=60, description="act code from the vocabulary")


class RelativeContactRecorded(DomainEvent):
    """How to reach a relative or lawyer; restricted unless a researcher marks it public.

    v2: `internal` (True unless deliberately unticked); every v1 contact was restricted.
    """

    TYPE = "RelativeContactRecorded"
    SCHEMA_VERSION = 2
    name: str = Field(min_length=1, max_length=SHORT)
    relation: str = Field(default="", max_length=SHORT)
    contact: str = Field(min_length=1, max_length=SHORT)
    internal: bool = True

    def is_restricted(self) -> bool:
        return self.internal


# --- report stream -----------------------------------------------------------------------------


class ReportOpened(DomainEvent):
    """An incident of persecution was reported, possibly with many or unnamed victims."""

    TYPE = "ReportOpened"
    title: str = Field(min_length=1, max_length=SHORT)
    acts: tuple[str, ...] = Field(default=(), max_length=20)
    date: PartialDate = UNKNOWN_DATE
    region: str = Field(default="", max_length=SHORT)
    place: str = Field(default="", max_length=SHORT)
    victims: Count = Count(qualifier=CountQualifier.UNKNOWN)
    victim_description: str = Field(default="", max_length=SHORT)
    description: str = Field(default="", max_length=LONG)
    citations: tuple[Citation, ...] = Field(default=(), max_length=50)


class ReportLinkedToCase(DomainEvent):
    """A report was linked to a case (a named victim of it)."""

    TYPE = "ReportLinkedToCase"
    case_id: str = Field(min_length=1, max_length=100)


class FigureReported(Fact):
    """A figure a source gives, e.g. 'more than 70 political prisoners' as of a date."""

    TYPE = "FigureReported"
    label: str = Field(min_length=1, max_length=SHORT)
    count: Count


# --- source stream -----------------------------------------------------------------------------


class SourceKind(StrEnum):
    STATEMENT = "statement"
    ARTICLE = "article"
    DOCUMENT = "document"
    COURT_RECORD = "court_record"
    WITNESS = "witness"
    OTHER = "other"


class Reliability(StrEnum):
    """Our grade of a source (after the Admiralty scale), kept apart from its claims."""

    HIGHLY_RELIABLE = "highly_reliable"
    USUALLY_RELIABLE = "usually_reliable"
    FAIRLY_RELIABLE = "fairly_reliable"
    NOT_USUALLY_RELIABLE = "not_usually_reliable"
    UNRELIABLE = "unreliable"
    CANNOT_BE_JUDGED = "cannot_be_judged"


class SourceRegistered(DomainEvent):
    """A source was registered: a document, statement, article or witness."""

    TYPE = "SourceRegistered"
    title: str = Field(min_length=1, max_length=SHORT)
    kind: SourceKind = SourceKind.DOCUMENT
    publisher: str = Field(default="", max_length=SHORT)
    published: PartialDate = UNKNOWN_DATE
    url: str = Field(default="", max_length=2000)
    reference: str = Field(default="", max_length=SHORT)
    language: str = Field(default="", max_length=20)
    reliability: Reliability = Reliability.CANNOT_BE_JUDGED
    confidential: bool = False
    summary: str = Field(default="", max_length=LONG)

    def is_restricted(self) -> bool:
        return self.confidential


class SourceAssessed(DomainEvent):
    """We (re)graded a source's reliability."""

    TYPE = "SourceAssessed"
    reliability: Reliability
    reason: str = Field(default="", max_length=LONG)


# --- any stream --------------------------------------------------------------------------------


class SourceCited(DomainEvent):
    """A source was cited for the stream, or for one of its events."""

    TYPE = "SourceCited"
    citation: Citation
    about_event_id: str | None = Field(default=None, max_length=100)


class NoteAdded(DomainEvent):
    """A note was added; an internal note is restricted.

    v2: a new note is internal unless a researcher deliberately makes it public (v1 notes were
    public unless marked internal; their stored flag keeps its meaning).
    """

    TYPE = "NoteAdded"
    SCHEMA_VERSION = 2
    text: str = Field(min_length=1, max_length=LONG)
    internal: bool = True

    def is_restricted(self) -> bool:
        return self.internal


class EventCorrected(DomainEvent):
    """An earlier event is replaced by a corrected version (same type, all its fields).

    `replacement_schema_version` is the target type's schema version the replacement was
    written in, so an old replacement is upcast like the stored event it replaces.
    """

    TYPE = "EventCorrected"
    target_event_id: str = Field(min_length=1, max_length=100)
    replacement: dict[str, Any]
    reason: str = Field(min_length=1, max_length=LONG)
    replacement_schema_version: int = Field(default=1, ge=1)


class EventRetracted(DomainEvent):
    """An earlier event is withdrawn: it stays in the log and counts for nothing."""

    TYPE = "EventRetracted"
    target_event_id: str = Field(min_length=1, max_length=100)
    reason: str = Field(min_length=1, max_length=LONG)


class Decision(StrEnum):
    APPROVED = "approved"
    REJECTED = "rejected"


class EventReviewed(DomainEvent):
    """A reviewer who is not the author approved or rejected an event (four eyes)."""

    TYPE = "EventReviewed"
    target_event_id: str = Field(min_length=1, max_length=100)
    decision: Decision
    note: str = Field(default="", max_length=LONG)


CASE_EVENTS: tuple[type[DomainEvent], ...] = (
    CaseOpened,
    DetentionRecorded,
    ChargeBrought,
    ChargeDropped,
    HearingHeld,
    VerdictDelivered,
    TransferredToFacility,
    HealthConcernReported,
    Released,
    Disappeared,
    WhereaboutsEstablished,
    DeathRecorded,
    RestrictionImposed,
    RestrictionLifted,
    PersecutionRecorded,
    RelativeContactRecorded,
)
REPORT_EVENTS: tuple[type[DomainEvent], ...] = (ReportOpened, ReportLinkedToCase, FigureReported)
SOURCE_EVENTS: tuple[type[DomainEvent], ...] = (SourceRegistered, SourceAssessed)
COMMON_EVENTS: tuple[type[DomainEvent], ...] = (
    SourceCited,
    NoteAdded,
    EventCorrected,
    EventRetracted,
    EventReviewed,
)

EVENT_TYPES: dict[str, type[DomainEvent]] = {
    cls.TYPE: cls for cls in CASE_EVENTS + REPORT_EVENTS + SOURCE_EVENTS + COMMON_EVENTS
}

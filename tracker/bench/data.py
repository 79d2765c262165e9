"""Generated cases for the benchmark: realistic event mixes, reviewed by a second account."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

from tracker.domain.codec import encode
from tracker.domain.dates import PartialDate
from tracker.domain.events import (
    CaseOpened,
    ChargeBrought,
    CustodyStage,
    Decision,
    DetentionRecorded,
    DomainEvent,
    EventReviewed,
    TransferredToFacility,
    VerdictDelivered,
)
from tracker.domain.values import Charge, Sentence, SentenceKind
from tracker.eventstore.model import NewEvent, StreamAppend

RESEARCHER = {"actor": "bench-researcher@tracker.example", "role": "researcher"}
REVIEWER = {"actor": "bench-reviewer@tracker.example", "role": "reviewer"}
_NS = uuid.UUID("0b6f7a0e-2f8e-4a57-9d9b-7c1d2e3f4a5b")
_SURNAMES = ("Ahtemov", "Eiupov", "Kurtamet", "Lemeshko", "Ziza", "Dovhopola", "Asanov", "Umerov")


def case_id(index: int) -> str:
    return f"case-{uuid.uuid5(_NS, str(index))}"


def _facts(index: int) -> list[DomainEvent]:
    year = 2014 + index % 12
    day = PartialDate.parse(f"{year}-{1 + index % 12:02d}-{1 + index % 28:02d}")
    return [
        CaseOpened(
            name=f"Person {index} {_SURNAMES[index % len(_SURNAMES)]}",
            name_variants=(f"Person {index} variant",),
            region="Crimea",
        ),
        DetentionRecorded(date=day, stage=CustodyStage.PRE_TRIAL, act="arrest", place="Simferopol"),
        ChargeBrought(
            date=day, charge=Charge(article="205.5", part=str(1 + index % 2), label="terrorism")
        ),
        VerdictDelivered(
            date=PartialDate.parse(f"{year + 1}"),
            sentence=Sentence(kind=SentenceKind.IMPRISONMENT, years=5 + index % 15),
        ),
        TransferredToFacility(
            date=PartialDate.parse(f"{year + 1}"), facility=f"Colony {index % 40}"
        ),
    ]


def case_events(index: int) -> list[NewEvent]:
    """Ten events: five facts, each approved by the reviewer."""
    out: list[NewEvent] = []
    for fact in _facts(index):
        kind, version, data = encode(fact)
        fact_id = str(uuid.uuid5(_NS, f"{index}/{len(out)}"))
        out.append(NewEvent(kind, data, version, fact_id, RESEARCHER))
        review = EventReviewed(target_event_id=fact_id, decision=Decision.APPROVED)
        kind, version, data = encode(review)
        out.append(
            NewEvent(kind, data, version, str(uuid.uuid5(_NS, f"{index}/r{len(out)}")), REVIEWER)
        )
    return out


def batches(cases: int, *, start: int = 0) -> Iterator[StreamAppend]:
    for index in range(start, start + cases):
        yield StreamAppend(case_id(index), tuple(case_events(index)), 0)

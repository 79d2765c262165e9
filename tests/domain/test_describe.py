"""One plain line per event, for timelines and digests."""

from __future__ import annotations

import pytest

from tests.domain.builders import day
from tracker.domain.describe import _line, describe
from tracker.domain.events import (
    EVENT_TYPES,
    CaseOpened,
    ChargeBrought,
    CustodyStage,
    Decision,
    DetentionRecorded,
    DomainEvent,
    EventCorrected,
    EventReviewed,
    FigureReported,
    NoteAdded,
    PersecutionRecorded,
    RelativeContactRecorded,
    Released,
    ReleaseReason,
    Reliability,
    RestrictionImposed,
    RestrictionKind,
    SourceAssessed,
    VerdictDelivered,
    VerdictOutcome,
    WhereaboutsEstablished,
)
from tracker.domain.values import Charge, Count, CountQualifier, Sentence, SentenceKind


@pytest.mark.parametrize(
    ("event", "line"),
    [
        (
            ChargeBrought(charge=Charge(article="205.5", part="2", label="terrorism")),
            "Charged under RF Criminal Code 205.5 part 2 — participation in the activity of a "
            "terrorist organisation",
        ),
        (
            ChargeBrought(charge=Charge(code="UA-CC", article="111")),
            "Charged under Criminal Code of Ukraine 111 — high treason",
        ),
        (
            VerdictDelivered(
                sentence=Sentence(
                    kind=SentenceKind.IMPRISONMENT, years=13, regime="strict-regime colony"
                )
            ),
            "Sentenced: imprisonment, 13 y, strict-regime colony",
        ),
        (
            VerdictDelivered(outcome=VerdictOutcome.ACQUITTED, appeal=True, court="Supreme Court"),
            "Acquitted on appeal (Supreme Court)",
        ),
        (EventReviewed(target_event_id="e1", decision=Decision.APPROVED), "Review: approved"),
        (
            EventReviewed(target_event_id="e1", decision=Decision.REJECTED, note="no source"),
            "Review: rejected (no source)",
        ),
        (
            DetentionRecorded(act="abduction", stage=CustodyStage.UNKNOWN, authority="FSB"),
            "Detained (abduction) by FSB: in custody, stage unknown",
        ),
        (PersecutionRecorded(act="search_raid"), "Persecution: search or raid"),
        (Released(reason=ReleaseReason.SENTENCE_SERVED), "Released: sentence served"),
        (
            WhereaboutsEstablished(in_custody=True, location="SIZO-2 Simferopol"),
            "Whereabouts established: in custody, SIZO-2 Simferopol",
        ),
        (
            RestrictionImposed(kind=RestrictionKind.HOUSE_ARREST, until=day("2020-05")),
            "Restriction imposed: house arrest until 2020-05",
        ),
        (
            FigureReported(
                label="political prisoners",
                count=Count(qualifier=CountQualifier.MORE_THAN, value=70),
            ),
            "Figure: political prisoners: more than 70",
        ),
        (
            SourceAssessed(reliability=Reliability.USUALLY_RELIABLE),
            "Reliability assessed: usually reliable",
        ),
        (CaseOpened(name="Bohdan Ziza"), "Case opened: Bohdan Ziza"),
        (
            EventCorrected(target_event_id="case-1/e3", replacement={}, reason="typo\nin name"),
            "Correction of case-1/e3: typo in name",
        ),
    ],
)
def test_each_event_reads_as_one_plain_line(event: DomainEvent, line: str) -> None:
    assert describe(event) == line


def test_every_event_type_has_its_own_line_without_newlines() -> None:
    samples: dict[str, DomainEvent] = {}
    for name, cls in EVENT_TYPES.items():
        required = {
            "name": "Zair Smedlyaev",
            "title": "t",
            "text": "a\nb",
            "contact": "+380 00 000 0000",
            "facility": "SIZO-1",
            "label": "l",
            "count": {"value": 1},
            "case_id": "case-1",
            "charge": {"article": "205.5"},
            "kind": "house_arrest" if "Restriction" in name else "statement",
            "act": "search_raid",
            "reliability": "unreliable",
            "citation": {"source_id": "source-1"},
            "target_event_id": "e1",
            "replacement": {},
            "reason": "r",
            "decision": "approved",
        }
        fields = {
            k: v
            for k, v in required.items()
            if k in cls.model_fields and (cls.model_fields[k].is_required() or k == "text")
        }
        samples[name] = cls.model_validate(fields)
    for name, event in samples.items():
        assert type(event) in _line.registry, f"{name} has no line of its own"
        assert "\n" not in describe(event)


def test_a_contact_line_never_shows_the_contact_or_the_name() -> None:
    line = describe(
        RelativeContactRecorded(name="Elvira", relation="wife", contact="+380501234567")
    )
    assert line == "Contact recorded: wife"


def test_a_dated_line_ends_with_the_facts_date() -> None:
    assert describe(Released(date=day("March 2014")), dated=True) == "Released [2014-03]"
    assert describe(NoteAdded(text="x", internal=False), dated=True) == "Note: x"


def test_long_text_is_cut_with_an_ellipsis() -> None:
    line = describe(NoteAdded(text="word " * 100, internal=False))
    assert line.endswith("…")
    assert len(line) <= len("Note: ") + 120

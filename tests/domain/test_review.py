"""Four eyes, corrections and retractions as the fold sees them."""

from __future__ import annotations

import pytest

from tests.domain.builders import SECOND_REVIEWER, Log, case_log, day
from tracker.domain import codec
from tracker.domain.commands import Correct, Retract
from tracker.domain.envelope import Recorded
from tracker.domain.events import (
    CustodyStage,
    Decision,
    DetentionRecorded,
    EventCorrected,
    EventReviewed,
    NoteAdded,
    TransferredToFacility,
)
from tracker.domain.review import ReviewState, fold_history


def test_a_new_event_is_pending_and_counts_for_nothing() -> None:
    log = case_log()
    fact_id = log.fact(
        DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2019-03-27")), approve=False
    )
    history = log.history()
    entry = history.entry(fact_id)
    assert entry is not None
    assert entry.review is ReviewState.PENDING
    assert not entry.counts
    assert history.pending_count == 1
    assert [e.TYPE for e, _ in history.counting()] == ["CaseOpened"]


def test_an_approved_event_counts_and_keeps_who_reviewed_it_and_when() -> None:
    log = case_log()
    fact_id = log.fact(
        DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2019-03-27")), approve=False
    )
    review_id = log.review(fact_id, by=SECOND_REVIEWER)
    entry = log.history().entry(fact_id)
    assert entry is not None
    assert entry.review is ReviewState.APPROVED
    assert entry.reviewer == SECOND_REVIEWER.id
    assert entry.reviewed_at == log.records[-1].recorded_at
    assert entry.counts
    assert log.history().is_review(review_id)
    assert log.history().entry(review_id) is None


def test_a_rejected_event_counts_for_nothing() -> None:
    log = case_log()
    fact_id = log.fact(
        DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2019-03-27")), approve=False
    )
    log.review(fact_id, Decision.REJECTED)
    history = log.history()
    entry = history.entry(fact_id)
    assert entry is not None
    assert entry.review is ReviewState.REJECTED
    assert not entry.counts
    assert history.pending_count == 0
    assert all(not isinstance(e, DetentionRecorded) for e, _ in history.counting())


def test_a_review_by_the_author_in_the_log_is_ignored_and_reported() -> None:
    log = case_log()
    fact_id = log.fact(
        DetentionRecorded(
            stage=CustodyStage.PRE_TRIAL,
        ),
        approve=False,
    )
    log.append(EventReviewed(target_event_id=fact_id, decision=Decision.APPROVED), actor="ana")
    history = log.history()
    entry = history.entry(fact_id)
    assert entry is not None
    assert entry.review is ReviewState.PENDING
    assert any("own event" in p for p in history.problems)


def test_the_first_review_wins_over_a_second_in_the_log() -> None:
    log = case_log()
    fact_id = log.fact(
        DetentionRecorded(
            stage=CustodyStage.PRE_TRIAL,
        )
    )
    log.append(
        EventReviewed(target_event_id=fact_id, decision=Decision.REJECTED), SECOND_REVIEWER.id
    )
    history = log.history()
    entry = history.entry(fact_id)
    assert entry is not None
    assert entry.review is ReviewState.APPROVED
    assert any("second review" in p for p in history.problems)


def test_an_approved_correction_replaces_the_fact_and_keeps_the_original() -> None:
    log = case_log()
    fact_id = log.fact(TransferredToFacility(facility="SIZO-1", date=day("2019-04")))
    correction_id = log.do(Correct("case-1", fact_id, {"facility": "SIZO-2"}, "typo"))
    log.review(correction_id)
    entry = log.history().entry(fact_id)
    assert entry is not None
    assert isinstance(entry.effective, TransferredToFacility)
    assert entry.effective.facility == "SIZO-2"
    assert entry.effective.date == day("2019-04")
    assert isinstance(entry.event, TransferredToFacility)
    assert entry.event.facility == "SIZO-1"
    assert entry.corrected_by == correction_id


def test_a_pending_or_rejected_correction_changes_nothing() -> None:
    log = case_log()
    fact_id = log.fact(TransferredToFacility(facility="SIZO-1"))
    log.do(Correct("case-1", fact_id, {"facility": "SIZO-2"}, "typo"))
    rejected = log.do(Correct("case-1", fact_id, {"facility": "SIZO-3"}, "typo"))
    log.review(rejected, Decision.REJECTED)
    entry = log.history().entry(fact_id)
    assert entry is not None
    assert isinstance(entry.effective, TransferredToFacility)
    assert entry.effective.facility == "SIZO-1"
    assert entry.corrected_by is None


def test_a_correction_of_a_corrected_event_builds_on_the_correction() -> None:
    log = case_log()
    fact_id = log.fact(TransferredToFacility(facility="SIZO-1", location="Simferopol"))
    first = log.do(Correct("case-1", fact_id, {"facility": "SIZO-2"}, "wrong SIZO"))
    log.review(first)
    second = log.do(Correct("case-1", fact_id, {"location": "Sevastopol"}, "wrong city"))
    log.review(second)
    entry = log.history().entry(fact_id)
    assert entry is not None
    assert isinstance(entry.effective, TransferredToFacility)
    assert (entry.effective.facility, entry.effective.location) == ("SIZO-2", "Sevastopol")
    assert entry.corrected_by == second


def test_the_later_correction_wins_whatever_order_they_are_approved_in() -> None:
    log = case_log()
    fact_id = log.fact(TransferredToFacility(facility="SIZO-1"))
    earlier = log.do(Correct("case-1", fact_id, {"facility": "SIZO-2"}, "r"))
    later = log.do(Correct("case-1", fact_id, {"facility": "SIZO-3"}, "r"))
    log.review(later)
    log.review(earlier, by=SECOND_REVIEWER)
    entry = log.history().entry(fact_id)
    assert entry is not None
    assert isinstance(entry.effective, TransferredToFacility)
    assert entry.effective.facility == "SIZO-3"
    assert entry.corrected_by == later


def test_an_approved_retraction_removes_the_fact_from_what_counts() -> None:
    log = case_log()
    fact_id = log.fact(
        DetentionRecorded(
            stage=CustodyStage.PRE_TRIAL,
        )
    )
    retraction = log.do(Retract("case-1", fact_id, "wrong person"))
    before = log.history().entry(fact_id)
    assert before is not None
    assert before.counts
    log.review(retraction)
    history = log.history()
    entry = history.entry(fact_id)
    assert entry is not None
    assert entry.retracted_by == retraction
    assert not entry.counts
    assert all(not isinstance(e, DetentionRecorded) for e, _ in history.counting())


def test_a_retracted_pending_event_no_longer_waits_for_review() -> None:
    log = case_log()
    fact_id = log.fact(NoteAdded(text="unverified rumour"), approve=False)
    retraction = log.do(Retract("case-1", fact_id, "rumour"))
    assert log.history().pending_count == 2
    log.review(retraction)
    assert log.history().pending_count == 0


def test_corrections_and_retractions_never_count_themselves() -> None:
    log = case_log()
    fact_id = log.fact(TransferredToFacility(facility="SIZO-1"))
    log.review(log.do(Correct("case-1", fact_id, {"facility": "SIZO-2"}, "r")))
    history = log.history()
    amendments = [e for e in history.entries if e.is_amendment]
    assert len(amendments) == 1
    assert amendments[0].review is ReviewState.APPROVED
    assert not amendments[0].counts


def test_a_correction_that_no_longer_validates_is_skipped_and_reported() -> None:
    log = case_log()
    fact_id = log.fact(TransferredToFacility(facility="SIZO-1"))
    broken = EventCorrected(target_event_id=fact_id, replacement={"facility": ""}, reason="r")
    log.review(log.append(broken))
    history = log.history()
    entry = history.entry(fact_id)
    assert entry is not None
    assert isinstance(entry.effective, TransferredToFacility)
    assert entry.effective.facility == "SIZO-1"
    assert any("does not apply" in p for p in history.problems)


def test_the_history_knows_its_version_and_last_time_including_reviews() -> None:
    log = case_log()
    history = log.history()
    assert history.version == 2
    assert history.last_recorded_at == log.at(2)
    assert len(history.entries) == 1


def test_counting_gives_effective_events_in_version_order() -> None:
    log = case_log()
    first = log.fact(NoteAdded(text="one"))
    log.fact(NoteAdded(text="two"))
    log.review(log.do(Correct("case-1", first, {"text": "one, corrected"}, "r")))
    texts = [e.text for e, _ in log.history().counting() if isinstance(e, NoteAdded)]
    assert texts == ["one, corrected", "two"]


def test_folding_refuses_records_of_another_stream_or_out_of_order() -> None:
    log = Log("case-1")
    log.append(NoteAdded(text="x"))
    with pytest.raises(ValueError, match="belongs to"):
        fold_history("case-2", log.records)
    rec = log.records[0]
    again = Recorded(rec.event, "other", rec.stream_id, 1, 2, rec.actor, rec.recorded_at)
    with pytest.raises(ValueError, match="version 1 after 1"):
        fold_history("case-1", [rec, again])


def test_an_empty_history_has_no_opening_and_version_zero() -> None:
    history = fold_history("case-9", [])
    assert history.version == 0
    assert history.opening is None
    assert history.last_recorded_at is None
    assert history.entry("x") is None


def test_a_correction_of_a_pending_fact_applies_but_the_fact_still_needs_approval() -> None:
    log = case_log()
    fact_id = log.fact(TransferredToFacility(facility="SIZO-1"), approve=False)
    log.review(log.do(Correct("case-1", fact_id, {"facility": "SIZO-2"}, "typo")))
    entry = log.history().entry(fact_id)
    assert entry is not None
    assert isinstance(entry.effective, TransferredToFacility)
    assert entry.effective.facility == "SIZO-2"
    assert not entry.counts
    log.review(fact_id, by=SECOND_REVIEWER)
    history = log.history()
    facilities = [e.facility for e, _ in history.counting() if isinstance(e, TransferredToFacility)]
    assert facilities == ["SIZO-2"]


def test_an_old_replacement_is_upcast_like_the_event_it_replaces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    log = case_log()
    fact_id = log.fact(TransferredToFacility(facility="SIZO-1"))
    old = EventCorrected(
        target_event_id=fact_id,
        replacement={"prison": "SIZO-2"},
        reason="written before 'prison' became 'facility'",
        replacement_schema_version=1,
    )
    log.review(log.append(old))
    monkeypatch.setattr(TransferredToFacility, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(
        codec.UPCASTERS,
        ("TransferredToFacility", 1),
        lambda data: {"facility": data.pop("prison"), **data},
    )
    entry = log.history().entry(fact_id)
    assert entry is not None
    assert isinstance(entry.effective, TransferredToFacility)
    assert entry.effective.facility == "SIZO-2"

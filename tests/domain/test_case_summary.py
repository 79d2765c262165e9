"""The case summary: name fields, review state, sources, and 'as of' / 'as known at' views."""

from __future__ import annotations

from datetime import date

import pytest

from tests.domain.builders import REVIEWER, Log, case_log, day
from tracker.domain.case import Status, summarize_case
from tracker.domain.commands import Correct, Retract
from tracker.domain.dates import PartialDate
from tracker.domain.events import (
    CustodyStage,
    DetentionRecorded,
    Gender,
    NoteAdded,
    Released,
    SourceCited,
    TransferredToFacility,
)
from tracker.domain.review import ReviewState, fold_history
from tracker.domain.values import Citation


def test_a_pending_case_shows_its_name_fields_and_pending_review() -> None:
    log = case_log(
        "Iryna Danylovych",
        approve=False,
        name_variants=("Ирина Данилович",),
        birth_date={"precision": "year", "value": "1979"},
        gender="female",
        community="Ukrainian",
        region="Koktebel",
    )
    summary = summarize_case(log.history())
    assert summary.case_id == "case-1"
    assert summary.name == "Iryna Danylovych"
    assert summary.name_variants == ("Ирина Данилович",)
    assert summary.birth_date == day("1979")
    assert summary.gender is Gender.FEMALE
    assert (summary.community, summary.region) == ("Ukrainian", "Koktebel")
    assert summary.opened_review is ReviewState.PENDING
    assert summary.pending_count == 1
    assert summary.status is Status.NOT_ESTABLISHED


def test_an_approved_correction_of_the_opening_renames_the_case() -> None:
    log = case_log("Asan Akhtemov")
    log.review(log.do(Correct("case-1", "case-1/e1", {"name": "Asan Ahtemov"}, "CTRC spelling")))
    summary = summarize_case(log.history())
    assert summary.name == "Asan Ahtemov"
    assert summary.opened_review is ReviewState.APPROVED


def test_a_retracted_opening_marks_the_case_withdrawn() -> None:
    log = case_log()
    log.review(log.do(Retract("case-1", "case-1/e1", "duplicate of case-7")))
    assert summarize_case(log.history()).retracted


def test_version_time_and_pending_count_come_from_the_history() -> None:
    log = case_log()
    log.fact(NoteAdded(text="waiting"), approve=False)
    summary = summarize_case(log.history())
    assert summary.version == 3
    assert summary.last_recorded_at == log.at(3)
    assert summary.pending_count == 1


def test_sources_are_the_cited_ones_that_count_in_first_cited_order() -> None:
    log = case_log(citations=({"source_id": "source-ctrc"},))
    log.fact(
        DetentionRecorded(
            stage=CustodyStage.PRE_TRIAL,
            date=day("2019-03-27"),
            citations=(Citation(source_id="source-zmina"), Citation(source_id="source-ctrc")),
        )
    )
    log.fact(SourceCited(citation=Citation(source_id="source-platform")))
    log.fact(SourceCited(citation=Citation(source_id="source-pending")), approve=False)
    summary = summarize_case(log.history())
    assert summary.sources == ("source-ctrc", "source-zmina", "source-platform")


def test_a_retracted_fact_no_longer_shapes_the_status() -> None:
    log = case_log()
    fact_id = log.fact(DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2019-03-27")))
    assert summarize_case(log.history()).status is Status.PRE_TRIAL_DETENTION
    log.review(log.do(Retract("case-1", fact_id, "wrong person")))
    assert summarize_case(log.history()).status is Status.NOT_ESTABLISHED


def test_an_approved_correction_of_a_date_reorders_the_facts() -> None:
    log = case_log()
    log.fact(DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2019-03-27")))
    release = log.fact(Released(date=day("2019-03-01")))
    assert summarize_case(log.history()).status is Status.PRE_TRIAL_DETENTION
    fixed = {"date": {"precision": "day", "value": "2021-09-03"}}
    log.review(log.do(Correct("case-1", release, fixed, "misread date")))
    summary = summarize_case(log.history())
    assert summary.status is Status.RELEASED
    assert summary.status_since == day("2021-09-03")


def test_as_of_counts_a_month_only_once_the_month_is_over() -> None:
    log = case_log()
    log.fact(DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("March 2014")))
    history = log.history()
    mid_march = summarize_case(history, as_of=date(2014, 3, 15))
    assert mid_march.status is Status.NOT_ESTABLISHED
    end_of_march = summarize_case(history, as_of=date(2014, 3, 31))
    assert end_of_march.status is Status.PRE_TRIAL_DETENTION
    assert end_of_march.detention_date == day("2014-03")


def test_as_of_shows_the_status_before_a_later_release() -> None:
    log = case_log()
    log.fact(DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2019-03-27")))
    log.fact(TransferredToFacility(date=day("2019-04-02"), facility="SIZO-1"))
    log.fact(Released(date=day("2021-09-03")))
    history = log.history()
    then = summarize_case(history, as_of=date(2020, 1, 1))
    assert then.status is Status.PRE_TRIAL_DETENTION
    assert then.facility == "SIZO-1"
    assert summarize_case(history, as_of=date(2021, 9, 3)).status is Status.RELEASED


def test_as_of_counts_an_undated_fact_only_by_its_not_after_bound() -> None:
    log = case_log()
    log.fact(
        DetentionRecorded(
            stage=CustodyStage.PRE_TRIAL, date=PartialDate.unknown(not_after=date(2020, 5, 1))
        )
    )
    log.fact(Released())
    history = log.history()
    assert summarize_case(history, as_of=date(2020, 4, 30)).status is Status.NOT_ESTABLISHED
    assert summarize_case(history, as_of=date(2020, 5, 1)).status is Status.PRE_TRIAL_DETENTION
    assert summarize_case(history).status is Status.RELEASED


def test_as_known_at_a_time_a_fact_approved_later_does_not_count_yet() -> None:
    log = case_log()
    fact_id = log.fact(
        DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2019-03-27")), approve=False
    )
    before_review = log.records[-1].recorded_at
    log.review(fact_id, by=REVIEWER)
    assert summarize_case(log.history(known_at=before_review)).status is Status.NOT_ESTABLISHED
    assert summarize_case(log.history()).status is Status.PRE_TRIAL_DETENTION


def test_a_history_without_its_opening_cannot_be_summarized() -> None:
    with pytest.raises(ValueError, match="no CaseOpened"):
        summarize_case(fold_history("case-1", []))
    log = Log("case-2")
    log.append(NoteAdded(text="orphan"))
    with pytest.raises(ValueError, match="no CaseOpened"):
        summarize_case(log.history())

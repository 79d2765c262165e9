"""Report and source summaries."""

from __future__ import annotations

from tests.domain.builders import Log, day
from tracker.domain.commands import Correct, OpenReport, RegisterSource
from tracker.domain.events import (
    FigureReported,
    Reliability,
    ReportLinkedToCase,
    ReportOpened,
    SourceAssessed,
    SourceKind,
    SourceRegistered,
)
from tracker.domain.report import Figure, summarize_report
from tracker.domain.review import ReviewState
from tracker.domain.source import summarize_source
from tracker.domain.values import Citation, Count, CountQualifier


def report_log() -> Log:
    log = Log("report-1")
    opened = ReportOpened(
        title="Crimean Tatars dismissed for ignoring the 'election'",
        acts=("dismissal_from_work", "illegal_elections_coercion"),
        date=day("2018-03"),
        region="Crimea",
        victims=Count(qualifier=CountQualifier.SEVERAL),
        victim_description="Crimean Tatar employees",
        citations=(Citation(source_id="source-qha"),),
    )
    log.do(OpenReport("report-1", opened))
    return log


def test_a_pending_report_shows_what_it_was_opened_with() -> None:
    summary = summarize_report(report_log().history())
    assert summary.report_id == "report-1"
    assert summary.acts == ("dismissal_from_work", "illegal_elections_coercion")
    assert summary.date == day("2018-03")
    assert summary.victims.qualifier is CountQualifier.SEVERAL
    assert summary.victim_description == "Crimean Tatar employees"
    assert summary.opened_review is ReviewState.PENDING
    assert summary.sources == ()
    assert summary.pending_count == 1


def test_approved_links_and_figures_count_and_figures_come_in_date_order() -> None:
    log = report_log()
    log.review("report-1/e1")
    log.fact(ReportLinkedToCase(case_id="case-7"))
    log.fact(ReportLinkedToCase(case_id="case-8"), approve=False)
    later = FigureReported(
        label="political prisoners",
        count=Count(qualifier=CountQualifier.MORE_THAN, value=70),
        date=day("2019-02-11"),
        citations=(Citation(source_id="source-ctrc"),),
    )
    earlier = FigureReported(label="missing", count=Count(value=17), date=day("2019"))
    log.fact(later)
    log.fact(earlier)
    summary = summarize_report(log.history())
    assert summary.case_ids == ("case-7",)
    assert summary.figures == (
        Figure("missing", Count(value=17), day("2019")),
        Figure("political prisoners", later.count, day("2019-02-11")),
    )
    label, number, when = summary.figures[1]
    assert (label, number.display(), when.display()) == (
        "political prisoners",
        "more than 70",
        "2019-02-11",
    )
    assert summary.sources == ("source-qha", "source-ctrc")
    assert summary.pending_count == 1


def source_log(**fields: object) -> Log:
    log = Log("source-1")
    registered = SourceRegistered.model_validate({"title": "Joint statement", **fields})
    log.do(RegisterSource("source-1", registered))
    return log


def test_a_source_summary_carries_its_registration() -> None:
    log = source_log(
        kind="statement",
        publisher="International Crimea Platform",
        published={"precision": "day", "value": "2026-02-26"},
        url="https://example.org/statement",
        confidential=True,
    )
    summary = summarize_source(log.history())
    assert summary.source_id == "source-1"
    assert summary.kind is SourceKind.STATEMENT
    assert summary.publisher == "International Crimea Platform"
    assert summary.published == day("2026-02-26")
    assert summary.confidential
    assert summary.reliability is Reliability.CANNOT_BE_JUDGED
    assert summary.opened_review is ReviewState.PENDING


def test_reliability_is_the_latest_approved_assessment() -> None:
    log = source_log(reliability="fairly_reliable")
    log.review("source-1/e1")
    log.fact(SourceAssessed(reliability=Reliability.USUALLY_RELIABLE))
    log.fact(SourceAssessed(reliability=Reliability.HIGHLY_RELIABLE))
    log.fact(SourceAssessed(reliability=Reliability.UNRELIABLE), approve=False)
    assert summarize_source(log.history()).reliability is Reliability.HIGHLY_RELIABLE


def test_a_corrected_registration_shows_the_corrected_title() -> None:
    log = source_log()
    log.review("source-1/e1")
    log.review(log.do(Correct("source-1", "source-1/e1", {"title": "Joint Statement (ICP)"}, "r")))
    assert summarize_source(log.history()).title == "Joint Statement (ICP)"

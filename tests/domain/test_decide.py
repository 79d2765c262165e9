"""Commands decided against a stream's history: what is allowed, and what each refusal says."""

from __future__ import annotations

import pytest

from tests.domain.builders import (
    ADMIN,
    ADVOCATE,
    RESEARCHER,
    REVIEWER,
    Log,
    case_log,
    day,
)
from tracker.domain.commands import (
    Correct,
    OpenCase,
    OpenReport,
    Record,
    RegisterSource,
    Retract,
    Review,
)
from tracker.domain.decide import Conflict, Invalid, NotAllowed, NotFound, decide, stream_of
from tracker.domain.events import (
    CaseOpened,
    ChargeBrought,
    CustodyStage,
    Decision,
    DetentionRecorded,
    EventCorrected,
    EventRetracted,
    EventReviewed,
    FigureReported,
    NoteAdded,
    PersecutionRecorded,
    Reliability,
    ReportLinkedToCase,
    ReportOpened,
    SourceAssessed,
    SourceCited,
    SourceRegistered,
    TransferredToFacility,
)
from tracker.domain.review import StreamHistory, fold_history
from tracker.domain.streams import StreamKind, stream_kind
from tracker.domain.values import Charge, Citation, Count


def empty(stream_id: str = "case-1") -> StreamHistory:
    return fold_history(stream_id, [])


# --- opening -----------------------------------------------------------------------------------


def test_opening_a_case_gives_the_case_opened_event() -> None:
    opened = CaseOpened(name="Server Mustafayev")
    assert decide(OpenCase("case-1", opened), empty(), RESEARCHER) == [opened]


def test_opening_a_case_that_exists_is_a_conflict_on_the_id() -> None:
    log = case_log()
    with pytest.raises(Conflict, match="already exists") as err:
        decide(OpenCase("case-1", CaseOpened(name="X")), log.history(), RESEARCHER)
    assert err.value.field == "case_id"


@pytest.mark.parametrize("bad_id", ["report-1", "case-", "case-a b", "1", "case-" + "x" * 95])
def test_a_case_id_must_start_with_case_and_be_well_formed(bad_id: str) -> None:
    with pytest.raises(Invalid, match="is not a case id") as err:
        decide(OpenCase(bad_id, CaseOpened(name="X")), empty(bad_id), RESEARCHER)
    assert err.value.field == "case_id"


def test_reports_and_sources_open_on_their_own_prefixes() -> None:
    report = ReportOpened(title="Mass searches in Bakhchysarai", acts=("search_raid",))
    assert decide(OpenReport("report-7", report), empty("report-7"), RESEARCHER) == [report]
    source = SourceRegistered(title="Crimea Platform joint statement")
    assert decide(RegisterSource("source-3", source), empty("source-3"), REVIEWER) == [source]
    with pytest.raises(Invalid) as err:
        decide(RegisterSource("report-3", source), empty("report-3"), RESEARCHER)
    assert err.value.field == "source_id"


def test_every_command_names_its_stream() -> None:
    assert stream_of(OpenCase("case-9", CaseOpened(name="X"))) == "case-9"
    assert stream_of(RegisterSource("source-2", SourceRegistered(title="t"))) == "source-2"
    assert stream_of(Retract("report-1", "e1", "r")) == "report-1"


def test_stream_kind_is_told_by_the_prefix() -> None:
    assert stream_kind("case-abc") is StreamKind.CASE
    assert stream_kind("report-2019-02") is StreamKind.REPORT
    assert stream_kind("source-x") is StreamKind.SOURCE
    assert stream_kind("person-1") is None


def test_an_advocate_writes_nothing() -> None:
    with pytest.raises(NotAllowed, match="advocate"):
        decide(OpenCase("case-1", CaseOpened(name="X")), empty(), ADVOCATE)
    log = case_log()
    with pytest.raises(NotAllowed):
        decide(Record("case-1", NoteAdded(text="x")), log.history(), ADVOCATE)
    with pytest.raises(NotAllowed):
        decide(Retract("case-1", "case-1/e1", "x"), log.history(), ADVOCATE)


def test_an_unknown_act_in_a_report_names_the_index_and_suggests_a_code() -> None:
    report = ReportOpened(title="Searches", acts=("detention", "serch_raid"))
    with pytest.raises(Invalid, match="did you mean 'search_raid'") as err:
        decide(OpenReport("report-1", report), empty("report-1"), RESEARCHER)
    assert err.value.field == "opened.acts.1"


# --- recording ---------------------------------------------------------------------------------


def test_recording_on_a_stream_that_was_never_opened_is_not_found() -> None:
    with pytest.raises(NotFound, match="no case case-1") as err:
        decide(Record("case-1", NoteAdded(text="x")), empty(), RESEARCHER)
    assert err.value.field == "stream_id"


def test_an_event_of_another_stream_kind_is_refused() -> None:
    figure = FigureReported(label="political prisoners", count=Count(value=70))
    with pytest.raises(Invalid, match="does not belong on a case stream") as err:
        decide(Record("case-1", figure), case_log().history(), RESEARCHER)
    assert err.value.field == "event"


@pytest.mark.parametrize(
    ("event", "command"),
    [
        (EventReviewed(target_event_id="e", decision=Decision.APPROVED), "Review"),
        (EventCorrected(target_event_id="e", replacement={}, reason="r"), "Correct"),
        (EventRetracted(target_event_id="e", reason="r"), "Retract"),
    ],
)
def test_reviews_corrections_and_retractions_come_only_from_their_commands(
    event: NoteAdded, command: str
) -> None:
    with pytest.raises(Invalid, match=f"the {command} command"):
        decide(Record("case-1", event), case_log().history(), RESEARCHER)


def test_a_second_opening_event_is_refused_with_a_hint_to_correct() -> None:
    with pytest.raises(Invalid, match="correct its CaseOpened"):
        decide(Record("case-1", CaseOpened(name="X")), case_log().history(), RESEARCHER)


def test_any_stream_takes_notes_and_citations_and_each_its_own_facts() -> None:
    log = Log("source-1")
    log.do(RegisterSource("source-1", SourceRegistered(title="Statement")))
    assessed = SourceAssessed(reliability=Reliability.USUALLY_RELIABLE)
    assert decide(Record("source-1", assessed), log.history(), RESEARCHER) == [assessed]
    note = NoteAdded(text="checked against the original")
    assert decide(Record("source-1", note), log.history(), RESEARCHER) == [note]


def test_a_detention_must_name_a_custody_act() -> None:
    with pytest.raises(Invalid, match="arrest, detention, abduction") as err:
        decide(
            Record("case-1", DetentionRecorded(stage=CustodyStage.PRE_TRIAL, act="fine")),
            case_log().history(),
            RESEARCHER,
        )
    assert err.value.field == "event.act"


def test_an_unknown_persecution_act_is_refused_by_field() -> None:
    event = PersecutionRecorded(act="serch_raid")
    with pytest.raises(Invalid, match="unknown act code 'serch_raid'") as err:
        decide(Record("case-1", event), case_log().history(), RESEARCHER)
    assert err.value.field == "event.act"
    assert len(err.value.message) < 200


def test_a_citation_must_name_a_source_stream() -> None:
    fact = ChargeBrought(charge=Charge(article="205.5"), citations=(Citation(source_id="case-2"),))
    with pytest.raises(Invalid, match="not a source id") as err:
        decide(Record("case-1", fact), case_log().history(), RESEARCHER)
    assert err.value.field == "event.citations.0.source_id"


def test_a_citation_about_an_unknown_event_is_not_found() -> None:
    cited = SourceCited(citation=Citation(source_id="source-1"), about_event_id="case-1/e99")
    with pytest.raises(NotFound) as err:
        decide(Record("case-1", cited), case_log().history(), RESEARCHER)
    assert err.value.field == "event.about_event_id"


def test_a_report_links_only_to_case_ids_and_only_once() -> None:
    log = Log("report-1")
    log.review(log.do(OpenReport("report-1", ReportOpened(title="Searches"))))
    with pytest.raises(Invalid, match="not a case id") as err:
        decide(Record("report-1", ReportLinkedToCase(case_id="report-2")), log.history(), ADMIN)
    assert err.value.field == "event.case_id"
    log.fact(ReportLinkedToCase(case_id="case-1"))
    with pytest.raises(Conflict, match="already linked"):
        decide(Record("report-1", ReportLinkedToCase(case_id="case-1")), log.history(), ADMIN)


def test_nothing_more_is_recorded_on_a_case_rejected_in_review() -> None:
    log = case_log(approve=False)
    log.review("case-1/e1", Decision.REJECTED)
    with pytest.raises(Conflict, match="rejected in review"):
        decide(Record("case-1", NoteAdded(text="x")), log.history(), RESEARCHER)


# --- reviewing ---------------------------------------------------------------------------------


def test_a_researcher_may_not_review() -> None:
    log = case_log(approve=False)
    with pytest.raises(NotAllowed, match="researcher role may not review"):
        decide(Review("case-1", "case-1/e1", Decision.APPROVED), log.history(), RESEARCHER)


def test_nobody_reviews_their_own_event_not_even_an_admin() -> None:
    log = case_log(approve=False)
    note_id = log.do(Record("case-1", NoteAdded(text="x")), ADMIN)
    with pytest.raises(NotAllowed, match="four eyes") as err:
        decide(Review("case-1", note_id, Decision.APPROVED), log.history(), ADMIN)
    assert err.value.field == "target_event_id"
    assert decide(Review("case-1", "case-1/e1", Decision.APPROVED), log.history(), ADMIN)


def test_an_event_is_reviewed_only_once() -> None:
    log = case_log()
    with pytest.raises(Conflict, match="already approved by rustem") as err:
        decide(Review("case-1", "case-1/e1", Decision.REJECTED), log.history(), ADMIN)
    assert err.value.field == "target_event_id"


def test_a_review_is_not_reviewed() -> None:
    log = case_log()
    with pytest.raises(Invalid, match="is a review"):
        decide(Review("case-1", "case-1/e2", Decision.APPROVED), log.history(), ADMIN)


def test_reviewing_an_unknown_event_is_not_found() -> None:
    with pytest.raises(NotFound, match="no event nope") as err:
        decide(Review("case-1", "nope", Decision.APPROVED), case_log().history(), REVIEWER)
    assert err.value.field == "target_event_id"


def test_a_retracted_event_is_not_reviewed() -> None:
    log = case_log()
    note_id = log.fact(NoteAdded(text="x"), approve=False)
    log.review(log.do(Retract("case-1", note_id, "duplicate")))
    with pytest.raises(Conflict, match="retracted"):
        decide(Review("case-1", note_id, Decision.APPROVED), log.history(), ADMIN)


def test_a_review_note_too_long_is_invalid_on_the_note() -> None:
    log = case_log(approve=False)
    with pytest.raises(Invalid) as err:
        decide(Review("case-1", "case-1/e1", Decision.APPROVED, "x" * 20_001), log.history(), ADMIN)
    assert err.value.field == "note"


# --- correcting and retracting -----------------------------------------------------------------


def test_a_correction_stores_the_whole_replacement_and_its_schema_version() -> None:
    log = case_log()
    fact_id = log.fact(TransferredToFacility(facility="SIZO-1", date=day("2019-04-02")))
    [event] = decide(
        Correct("case-1", fact_id, {"facility": "SIZO-2"}, "typo"), log.history(), REVIEWER
    )
    assert isinstance(event, EventCorrected)
    assert event.replacement["facility"] == "SIZO-2"
    assert event.replacement["date"] == {
        "precision": "day",
        "value": "2019-04-02",
        "not_after": None,
    }
    assert event.replacement_schema_version == TransferredToFacility.SCHEMA_VERSION


def test_a_replacement_that_fails_validation_names_the_field_path() -> None:
    log = case_log()
    fact_id = log.fact(ChargeBrought(charge=Charge(article="205.5", part="2")))
    command = Correct("case-1", fact_id, {"charge": {"article": "205.5a"}}, "typo")
    with pytest.raises(
        Invalid, match=r"^replacement\.charge\.article: article must be digits"
    ) as err:
        decide(command, log.history(), RESEARCHER)
    assert err.value.field == "replacement.charge.article"


def test_a_replacement_with_an_unknown_field_is_invalid() -> None:
    log = case_log()
    fact_id = log.fact(NoteAdded(text="x"))
    with pytest.raises(Invalid, match="Extra inputs") as err:
        decide(Correct("case-1", fact_id, {"txt": "y"}, "r"), log.history(), RESEARCHER)
    assert err.value.field == "replacement.txt"


def test_a_replacement_is_held_to_the_vocabulary_too() -> None:
    log = case_log()
    fact_id = log.fact(PersecutionRecorded(act="search_raid"))
    with pytest.raises(Invalid) as err:
        decide(Correct("case-1", fact_id, {"act": "serch"}, "r"), log.history(), RESEARCHER)
    assert err.value.field == "replacement.act"


def test_a_correction_that_changes_nothing_is_refused() -> None:
    log = case_log()
    fact_id = log.fact(TransferredToFacility(facility="SIZO-1"))
    with pytest.raises(Invalid, match="does not change"):
        decide(Correct("case-1", fact_id, {"facility": " SIZO-1 "}, "r"), log.history(), ADMIN)


def test_a_correction_needs_a_reason() -> None:
    log = case_log()
    fact_id = log.fact(NoteAdded(text="x"))
    with pytest.raises(Invalid) as err:
        decide(Correct("case-1", fact_id, {"text": "y"}, ""), log.history(), RESEARCHER)
    assert err.value.field == "reason"


def test_corrections_and_retractions_cannot_target_reviews_or_amendments() -> None:
    log = case_log()
    fact_id = log.fact(NoteAdded(text="x"))
    correction = log.do(Correct("case-1", fact_id, {"text": "y"}, "r"))
    with pytest.raises(Invalid, match="is a review"):
        decide(Retract("case-1", "case-1/e2", "r"), log.history(), RESEARCHER)
    with pytest.raises(Invalid, match="is a EventCorrected") as err:
        decide(Correct("case-1", correction, {"text": "z"}, "r"), log.history(), RESEARCHER)
    assert err.value.field == "target_event_id"
    with pytest.raises(NotFound):
        decide(Retract("case-1", "missing", "r"), log.history(), RESEARCHER)


def test_a_rejected_event_is_neither_corrected_nor_retracted() -> None:
    log = case_log()
    fact_id = log.fact(NoteAdded(text="x"), approve=False)
    log.review(fact_id, Decision.REJECTED)
    with pytest.raises(Conflict, match="rejected"):
        decide(Correct("case-1", fact_id, {"text": "y"}, "r"), log.history(), RESEARCHER)
    with pytest.raises(Conflict, match="rejected"):
        decide(Retract("case-1", fact_id, "r"), log.history(), RESEARCHER)


def test_a_retracted_event_is_not_retracted_or_corrected_again() -> None:
    log = case_log()
    fact_id = log.fact(NoteAdded(text="x"))
    log.review(log.do(Retract("case-1", fact_id, "wrong")))
    with pytest.raises(Conflict, match="already retracted"):
        decide(Retract("case-1", fact_id, "again"), log.history(), RESEARCHER)
    with pytest.raises(Conflict, match="already retracted"):
        decide(Correct("case-1", fact_id, {"text": "y"}, "r"), log.history(), RESEARCHER)


def test_a_retraction_needs_a_reason() -> None:
    log = case_log()
    with pytest.raises(Invalid) as err:
        decide(Retract("case-1", "case-1/e1", ""), log.history(), RESEARCHER)
    assert err.value.field == "reason"


def test_a_history_of_another_stream_is_a_caller_bug() -> None:
    with pytest.raises(ValueError, match="history of case-2"):
        decide(Record("case-1", NoteAdded(text="x")), empty("case-2"), RESEARCHER)

"""A fact may cite only sources in the log, and a report link only cases in it: the command
path checks what the single-stream domain cannot, names the field, and stores nothing."""

from __future__ import annotations

import uuid

import pytest

from tests.app.builders import approve, day, log, open_case
from tests.app.conftest import RESEARCHER
from tracker.bootstrap import Services
from tracker.domain.commands import Correct, OpenReport, Record, RegisterSource
from tracker.domain.errors import Invalid
from tracker.domain.events import (
    CustodyStage,
    DetentionRecorded,
    ReportLinkedToCase,
    ReportOpened,
    SourceCited,
    SourceRegistered,
)
from tracker.domain.values import Citation

MISSING = "source-00000000-0000-4000-8000-000000000000"


def _source(services: Services) -> str:
    source_id = f"source-{uuid.uuid4()}"
    opened = SourceRegistered(title="Joint Statement, 2026-02-26")
    services.tracker.execute(RegisterSource(source_id, opened), RESEARCHER)
    return source_id


def test_a_fact_citing_a_source_not_in_the_log_is_refused_naming_the_field(
    services: Services,
) -> None:
    case_id = open_case(services, "Iryna Danylovych")
    head = services.store.head()
    detention = DetentionRecorded(
        stage=CustodyStage.PRE_TRIAL,
        date=day("2022-04-29"),
        citations=(Citation(source_id=MISSING),),
    )

    with pytest.raises(Invalid) as refused:
        services.tracker.execute(Record(case_id, detention), RESEARCHER)

    assert refused.value.field == "event.citations.0.source_id"
    assert MISSING in refused.value.message
    assert services.store.head() == head


def test_a_fact_citing_a_registered_source_is_stored(services: Services) -> None:
    case_id = open_case(services, "Iryna Danylovych")
    source_id = _source(services)
    cited = SourceCited(citation=Citation(source_id=source_id, locator="p. 2"))

    outcome = services.tracker.execute(Record(case_id, cited), RESEARCHER)

    assert outcome.events[0].data["citation"]["source_id"] == source_id


def test_a_correction_may_not_bring_in_an_unknown_source(services: Services) -> None:
    case_id = open_case(services, "Server Mustafayev")
    event_id = log(
        services, case_id, DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2018-05"))
    )
    approve(services, case_id, event_id)
    head = services.store.head()
    replacement = {"citations": [{"source_id": MISSING}]}

    with pytest.raises(Invalid) as refused:
        services.tracker.execute(Correct(case_id, event_id, replacement, "cited"), RESEARCHER)

    assert refused.value.field == "replacement.citations.0.source_id"
    assert services.store.head() == head


def test_a_report_links_only_to_a_case_in_the_log(services: Services) -> None:
    report_id = f"report-{uuid.uuid4()}"
    services.tracker.execute(OpenReport(report_id, ReportOpened(title="Searches")), RESEARCHER)
    missing = f"case-{uuid.uuid4()}"

    with pytest.raises(Invalid) as refused:
        services.tracker.execute(Record(report_id, ReportLinkedToCase(case_id=missing)), RESEARCHER)
    assert refused.value.field == "event.case_id"

    case_id = open_case(services, "Nariman Dzhelyal")
    linked = services.tracker.execute(
        Record(report_id, ReportLinkedToCase(case_id=case_id)), RESEARCHER
    )
    assert linked.events[0].data["case_id"] == case_id

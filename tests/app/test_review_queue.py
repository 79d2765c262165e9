"""The review queue holds exactly the entries waiting for a reviewer, on every write path."""

from __future__ import annotations

from tests.app.builders import approve, day, log, open_case, queued
from tests.app.conftest import RESEARCHER, REVIEWER
from tracker.batch import Step, batch_id, execute_batch
from tracker.bootstrap import Services
from tracker.domain.commands import Correct, Record, Retract, Review
from tracker.domain.events import CustodyStage, Decision, DetentionRecorded, NoteAdded
from tracker.projections.rebuild import rebuild


def _queued_ids(services: Services, case_id: str) -> list[str]:
    return [r["event_id"] for r in queued(services, case_id)]


def test_a_new_case_and_a_logged_fact_wait_until_reviewed(services: Services) -> None:
    case_id = open_case(services, "Server Mustafayev")
    opening = services.store.read_stream(case_id)[0].event_id
    fact = log(
        services,
        case_id,
        DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2018-05-21"), act="arrest"),
    )

    rows = queued(services, case_id)
    assert [r["event_id"] for r in rows] == [opening, fact]
    assert [r["review"] for r in rows] == ["pending", "pending"]
    assert rows[1]["author"] == RESEARCHER.id

    approve(services, case_id, opening)
    assert _queued_ids(services, case_id) == [fact]
    services.tracker.execute(Review(case_id, fact, Decision.REJECTED, "wrong date"), REVIEWER)
    assert _queued_ids(services, case_id) == []


def test_a_retraction_waits_and_once_approved_takes_its_pending_target_along(
    services: Services,
) -> None:
    case_id = open_case(services, "Nariman Dzhelyal")
    opening = services.store.read_stream(case_id)[0].event_id
    approve(services, case_id, opening)
    fact = log(services, case_id, NoteAdded(text="logged twice"))
    retraction = services.tracker.execute(Retract(case_id, fact, "duplicate"), RESEARCHER)
    retraction_id = retraction.events[0].event_id

    assert _queued_ids(services, case_id) == [fact, retraction_id]
    approve(services, case_id, retraction_id)
    assert _queued_ids(services, case_id) == []


def test_an_approved_correction_rewrites_the_queued_row_of_its_pending_target(
    services: Services,
) -> None:
    case_id = open_case(services, "Leniie Umerova")
    fact = log(
        services, case_id, DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2022-09"))
    )
    fix = services.tracker.execute(
        Correct(case_id, fact, {"date": {"precision": "day", "value": "2022-09-04"}}, "court"),
        RESEARCHER,
    )
    approve(services, case_id, fix.events[0].event_id)

    row = next(r for r in queued(services, case_id) if r["event_id"] == fact)
    assert (row["date_display"], row["corrected"]) == ("2022-09-04", True)


def test_a_batch_on_a_known_case_leaves_its_queue_as_the_command_path_would(
    services: Services,
) -> None:
    case_id = open_case(services, "Vilen Temeryanov")
    opening = services.store.read_stream(case_id)[0].event_id
    steps = [
        Step(Review(case_id, opening, Decision.APPROVED), REVIEWER, batch_id("t", "1")),
        Step(Record(case_id, NoteAdded(text="from a list")), RESEARCHER, batch_id("t", "2")),
    ]
    execute_batch(services.store, steps)

    note = services.store.read_stream(case_id)[-1].event_id
    assert _queued_ids(services, case_id) == [note]
    before = queued(services, case_id)
    rebuild(services.engine, services.store)
    assert queued(services, case_id) == before

"""The command path: decide, append and project in one transaction; four eyes; conflicts."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from tests.app.builders import approve, day, log, open_case, opened_and_approved, timeline
from tests.app.conftest import ADVOCATE, RESEARCHER, REVIEWER, SECOND_REVIEWER
from tracker.bootstrap import Services
from tracker.domain.commands import Correct, Record, Retract, Review
from tracker.domain.errors import Conflict, NotAllowed
from tracker.domain.events import CustodyStage, Decision, DetentionRecorded, NoteAdded
from tracker.eventstore.model import ConcurrencyConflict
from tracker.projections import projector
from tracker.projections.queries import get_case


def summary(services: Services, case_id: str) -> dict:  # type: ignore[type-arg]
    with services.engine.connect() as conn:
        row = get_case(conn, case_id)
    assert row is not None
    return row


def test_a_logged_detention_is_pending_until_another_person_approves_it(services: Services) -> None:
    case_id = opened_and_approved(services, "Iryna Danylovych")
    event_id = log(
        services,
        case_id,
        DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2022-04"), act="arrest"),
    )

    pending = summary(services, case_id)
    assert pending["status"] == "not_established"
    assert pending["pending_count"] == 1

    with pytest.raises(NotAllowed):
        services.tracker.execute(Review(case_id, event_id, Decision.APPROVED), RESEARCHER)
    approve(services, case_id, event_id)

    approved = summary(services, case_id)
    assert approved["status"] == "pre_trial_detention"
    assert approved["detention_date"] == "2022-04"
    assert approved["pending_count"] == 0


def test_a_reviewer_cannot_approve_their_own_event(services: Services) -> None:
    case_id = open_case(services, "Halyna Dovhopola")
    event_id = log(services, case_id, NoteAdded(text="seen in court"), by=REVIEWER)
    with pytest.raises(NotAllowed):
        approve(services, case_id, event_id, by=REVIEWER)
    approve(services, case_id, event_id, by=SECOND_REVIEWER)
    rows = [r for r in timeline(services, case_id) if r["event_id"] == event_id]
    assert rows[0]["review"] == "approved"
    assert rows[0]["reviewer"] == SECOND_REVIEWER.id


def test_an_advocate_writes_nothing(services: Services) -> None:
    case_id = open_case(services, "Bohdan Ziza")
    head = services.store.head()
    with pytest.raises(NotAllowed):
        services.tracker.execute(Record(case_id, NoteAdded(text="x")), ADVOCATE)
    assert services.store.head() == head


def test_a_rejected_event_stays_in_the_log_and_counts_for_nothing(services: Services) -> None:
    case_id = opened_and_approved(services, "Appaz Kurtamet")
    event_id = log(
        services, case_id, DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2019-03-27"))
    )
    services.tracker.execute(Review(case_id, event_id, Decision.REJECTED, "wrong person"), REVIEWER)

    assert summary(services, case_id)["status"] == "not_established"
    row = next(r for r in timeline(services, case_id) if r["event_id"] == event_id)
    assert (row["review"], row["review_note"]) == ("rejected", "wrong person")
    assert event_id in {e.event_id for e in services.store.read_stream(case_id)}
    with pytest.raises(Conflict):
        approve(services, case_id, event_id, by=SECOND_REVIEWER)


def test_an_approved_correction_changes_the_summary_and_marks_the_original(
    services: Services,
) -> None:
    case_id = opened_and_approved(services, "Azamat Eiupov")
    event_id = log(
        services, case_id, DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2019-03"))
    )
    approve(services, case_id, event_id)
    fix = services.tracker.execute(
        Correct(
            case_id, event_id, {"date": {"precision": "day", "value": "2019-03-27"}}, "court record"
        ),
        RESEARCHER,
    )
    assert summary(services, case_id)["detention_date"] == "2019-03"  # pending: no effect yet
    approve(services, case_id, fix.events[0].event_id)

    assert summary(services, case_id)["detention_date"] == "2019-03-27"
    original = next(r for r in timeline(services, case_id) if r["event_id"] == event_id)
    assert original["corrected"] is True
    assert original["date_display"] == "2019-03-27"


def test_an_approved_retraction_removes_the_fact(services: Services) -> None:
    case_id = opened_and_approved(services, "Esma Nimetullaeva")
    event_id = log(
        services, case_id, DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2020"))
    )
    approve(services, case_id, event_id)
    assert summary(services, case_id)["status"] == "pre_trial_detention"
    retraction = services.tracker.execute(Retract(case_id, event_id, "duplicate"), RESEARCHER)
    approve(services, case_id, retraction.events[0].event_id)
    assert summary(services, case_id)["status"] == "not_established"


def test_a_stale_expected_version_is_refused_with_the_current_version(services: Services) -> None:
    case_id = open_case(services, "Hennadii Lemeshko")
    log(services, case_id, NoteAdded(text="first"))
    head = services.store.head()
    with pytest.raises(ConcurrencyConflict) as caught:
        services.tracker.execute(
            Record(case_id, NoteAdded(text="second")), RESEARCHER, expected_version=1
        )
    assert caught.value.current_version == 2
    assert services.store.head() == head


def test_a_repeated_event_id_stores_nothing_and_answers_as_the_first_time(
    services: Services,
) -> None:
    case_id = open_case(services, "Tofik Abdulhaziev")
    command = Record(case_id, NoteAdded(text="lawyer visit"))
    first = services.tracker.execute(
        command, RESEARCHER, event_id="11111111-2222-4333-8444-555555555555"
    )
    head = services.store.head()
    again = services.tracker.execute(
        command, RESEARCHER, event_id="11111111-2222-4333-8444-555555555555"
    )
    assert again.replayed is True
    assert [e.event_id for e in again.events] == [e.event_id for e in first.events]
    assert again.version == first.version
    assert services.store.head() == head


def test_when_the_projection_fails_nothing_is_stored(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = open_case(services, "Aziz Ahtemov")
    head = services.store.head()
    before = summary(services, case_id)

    def broken(*_args: object) -> None:
        raise RuntimeError("projection failed")

    monkeypatch.setattr("tracker.application.project_append", broken)
    with pytest.raises(RuntimeError):
        log(services, case_id, NoteAdded(text="lost?"))
    assert services.store.head() == head
    assert summary(services, case_id) == before


def test_the_inline_position_follows_the_log(services: Services) -> None:
    case_id = open_case(services, "Asan Ahtemov")
    log(services, case_id, NoteAdded(text="x"))
    with services.engine.connect() as conn:
        position = conn.execute(
            text("SELECT position FROM projection_positions WHERE name = :n"),
            {"n": projector.INLINE},
        ).scalar_one()
    assert position == services.store.head().position == 2

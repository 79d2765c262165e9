"""Status as it stood: by when things happened, and by what the log held at the time."""

from __future__ import annotations

from datetime import date

import pytest

from tests.app.builders import day, log, log_approved, opened_and_approved
from tests.app.conftest import REVIEWER
from tests.support.clock import StepClock
from tracker.bootstrap import Services
from tracker.domain.commands import Review
from tracker.domain.events import (
    ChargeBrought,
    CustodyStage,
    Decision,
    DetentionRecorded,
    Released,
    VerdictDelivered,
)
from tracker.domain.values import Charge, Sentence, SentenceKind
from tracker.projections.as_of import cases_as_of


def status(services: Services, **when: date) -> str:
    (row,) = cases_as_of(services.store, **when)
    return str(row["status"])


@pytest.fixture
def case(services: Services) -> str:
    case_id = opened_and_approved(services, "Emir-Usein Kuku")
    log_approved(
        services,
        case_id,
        DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("March 2014"), act="arrest"),
    )
    log_approved(
        services, case_id, ChargeBrought(date=day("2014-04-02"), charge=Charge(article="205.5"))
    )
    sentence = Sentence(kind=SentenceKind.IMPRISONMENT, years=12)
    log_approved(services, case_id, VerdictDelivered(date=day("2015"), sentence=sentence))
    log_approved(services, case_id, Released(date=day("2019-05-01")))
    return case_id


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2014, 2, 28), "not_established"),
        (date(2014, 3, 15), "not_established"),  # 'March 2014' is not certainly by the 15th
        (date(2014, 3, 31), "pre_trial_detention"),
        (date(2015, 6, 1), "pre_trial_detention"),  # '2015' is not certainly by June
        (date(2016, 1, 1), "serving_sentence"),
        (date(2019, 4, 30), "serving_sentence"),
        (date(2019, 5, 1), "released"),
    ],
)
def test_as_of_counts_only_what_had_certainly_happened(
    services: Services, case: str, as_of: date, expected: str
) -> None:
    assert status(services, as_of=as_of) == expected


def test_known_at_counts_only_what_the_log_held_that_day(
    services: Services, clock: StepClock
) -> None:
    # Each append is one day later on the test clock, starting 2026-11-22.
    case_id = opened_and_approved(services, "Server Mustafayev")  # days 1-2
    log_approved(
        services, case_id, DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2018-05-21"))
    )  # days 3-4
    release = log(services, case_id, Released(date=day("2026-11-01")))  # day 5: 2026-11-26
    services.tracker.execute(Review(case_id, release, Decision.APPROVED), REVIEWER)  # 2026-11-27
    assert status(services, known_at=date(2026, 11, 22)) == "not_established"
    assert status(services, known_at=date(2026, 11, 25)) == "pre_trial_detention"
    assert (
        status(services, known_at=date(2026, 11, 26)) == "pre_trial_detention"
    )  # not approved yet
    assert status(services, known_at=date(2026, 11, 27)) == "released"
    assert status(services, known_at=date(2026, 11, 27), as_of=date(2026, 10, 1)) == (
        "pre_trial_detention"
    )

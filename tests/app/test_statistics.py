"""Statistics catch up from the log, count each range once, and count approved cases only."""

from __future__ import annotations

from tests.app.builders import day, log, log_approved, open_case, opened_and_approved
from tracker.bootstrap import Services
from tracker.domain.events import CustodyStage, DetentionRecorded, PersecutionRecorded
from tracker.projections.statistics import catch_up_statistics, counts
from tracker.seeding import run_seed


def current(services: Services) -> dict[str, dict[str, int]]:
    with services.engine.connect() as conn:
        return counts(conn)


def test_the_seed_counts_by_status_act_and_report(services: Services) -> None:
    run_seed(services, None)
    assert catch_up_statistics(services.engine, services.store) == services.store.head().position
    result = current(services)
    assert result["status"] == {"in_custody": 10}
    assert result["act"] == {"detention": 10}
    assert result["report_year"] == {"2019": 2, "2016": 1, "2018": 1}
    assert result["report_act"]["ban_of_representative_institution"] == 1


def test_a_second_catch_up_reads_nothing_and_new_events_are_counted_once(
    services: Services,
) -> None:
    run_seed(services, None)
    catch_up_statistics(services.engine, services.store)
    assert catch_up_statistics(services.engine, services.store) == 0

    case_id = opened_and_approved(services, "Server Mustafayev")
    log_approved(
        services,
        case_id,
        DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2018-05-21"), act="arrest"),
    )
    open_case(services, "Pending Person")  # not approved: not counted
    unapproved = opened_and_approved(services, "Lutfiye Zudiyeva")
    log(services, unapproved, PersecutionRecorded(date=day("2018-10"), act="search_raid"))

    assert catch_up_statistics(services.engine, services.store) == 8
    result = current(services)
    assert result["status"] == {"in_custody": 10, "not_established": 1, "pre_trial_detention": 1}
    assert result["act"] == {"detention": 10, "arrest": 1}
    assert result["detention_year"] == {"2018": 1}

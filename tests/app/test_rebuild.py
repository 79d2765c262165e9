"""Rebuilding the read model from the log gives exactly the rows the command path wrote."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.app.builders import approve, day, log, open_case, opened_and_approved
from tests.app.conftest import RESEARCHER, REVIEWER
from tracker.application import CaseTracker
from tracker.bootstrap import Services
from tracker.domain.commands import Correct, Record, Review
from tracker.domain.events import (
    ChargeBrought,
    Decision,
    DetentionRecorded,
    NoteAdded,
    RelativeContactRecorded,
)
from tracker.domain.values import Charge
from tracker.projections import projector, statistics
from tracker.projections.rebuild import catch_up, rebuild
from tracker.seeding import run_seed

TABLES = [
    *projector.SUMMARY_TABLES.values(),
    projector.TIMELINE,
    projector.POSITIONS,
    statistics.FACETS,
]


def dump(services: Services) -> dict[str, list[dict[str, Any]]]:
    with services.engine.connect() as conn:
        return {
            table.name: sorted((dict(r) for r in conn.execute(select(table)).mappings()), key=repr)
            for table in TABLES
        }


def busy_history(services: Services) -> None:
    run_seed(services, None)
    case_id = opened_and_approved(services, "Nariman Dzhelal")
    detention = log(services, case_id, DetentionRecorded(date=day("2021-09-04"), act="detention"))
    approve(services, case_id, detention)
    charge = log(
        services, case_id, ChargeBrought(date=day("2021-09"), charge=Charge(article="217.1"))
    )
    services.tracker.execute(Review(case_id, charge, Decision.REJECTED, "wrong article"), REVIEWER)
    fix = services.tracker.execute(
        Correct(case_id, detention, {"act": "arrest"}, "the court record says arrest"), RESEARCHER
    )
    approve(services, case_id, fix.events[0].event_id)
    log(services, case_id, NoteAdded(text="internal: lawyer's assessment", internal=True))
    log(services, case_id, RelativeContactRecorded(name="A relative", contact="+380 00 000 0000"))
    open_case(services, "Server Mustafayev")  # stays pending


def test_a_rebuild_reproduces_every_row(services: Services) -> None:
    busy_history(services)
    statistics.catch_up_statistics(services.engine, services.store)
    before = dump(services)

    report = rebuild(services.engine, services.store)

    assert report.events == services.store.head().position
    assert dump(services) == before


def test_catch_up_repairs_rows_for_appends_that_skipped_the_projection(
    services: Services,
) -> None:
    busy_history(services)
    unprojected = CaseTracker(services.store, project=False)
    case_id = open_case(services, "Vilen Temeryanov")
    command = Record(case_id, DetentionRecorded(date=day("2019-03-27")))
    event_id = unprojected.execute(command, RESEARCHER).events[0].event_id
    # The next projected append must not move the inline position over the gap.
    approve(services, case_id, event_id)
    assert catch_up(services.engine, services.store) >= 1
    statistics.catch_up_statistics(services.engine, services.store)
    repaired = dump(services)
    rebuild(services.engine, services.store)
    assert dump(services) == repaired

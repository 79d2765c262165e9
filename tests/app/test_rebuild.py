"""Rebuilding the read model from the log gives exactly the rows the command path wrote."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from tests.app.builders import approve, day, log, open_case, opened_and_approved
from tests.app.conftest import RESEARCHER, REVIEWER
from tracker.application import CaseTracker
from tracker.bootstrap import Services
from tracker.domain.commands import Correct, Record, Review
from tracker.domain.events import (
    ChargeBrought,
    CustodyStage,
    Decision,
    DetentionRecorded,
    NoteAdded,
    RelativeContactRecorded,
)
from tracker.domain.values import Charge
from tracker.eventstore.streams import ReplayEvent
from tracker.projections import projector, statistics
from tracker.projections.rebuild import RebuildError, catch_up, rebuild
from tracker.projections.streamrows import RowBatch
from tracker.projections.workers import RebuildWorkerError
from tracker.seeding import run_seed

TABLES = [
    *projector.SUMMARY_TABLES.values(),
    projector.QUEUE,
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
    detention = log(
        services,
        case_id,
        DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2021-09-04"), act="detention"),
    )
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


def awkward_text(services: Services) -> None:
    """Text COPY must escape (tabs, newlines, backslashes) and text that spells None."""
    case_id = opened_and_approved(services, "Tab\tand \\ backslash None")
    note = log(services, case_id, NoteAdded(text="first\nsecond\tthird \\N None"))
    services.tracker.execute(
        Review(case_id, note, Decision.APPROVED, "a note\r\nover two lines\t\\ None"), REVIEWER
    )


@pytest.mark.parametrize("workers", [0, 2])
def test_a_rebuild_in_any_number_of_processes_reproduces_every_row(
    services: Services, workers: int
) -> None:
    busy_history(services)
    awkward_text(services)
    for i in range(12):  # enough streams for every shard
        opened_and_approved(services, f"Person {i}")
    statistics.catch_up_statistics(services.engine, services.store)
    before = dump(services)

    report = rebuild(services.engine, services.store, workers=workers)

    assert report.events == services.store.head().position
    assert dump(services) == before


def test_a_failing_worker_fails_the_rebuild_and_leaves_every_row_as_it_was(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy_history(services)
    statistics.catch_up_statistics(services.engine, services.store)
    before = dump(services)

    def broken(self: RowBatch, events: Any) -> None:
        raise RuntimeError("cannot fold this")

    monkeypatch.setattr(RowBatch, "add", broken)
    with pytest.raises(RebuildWorkerError, match="cannot fold this"):
        rebuild(services.engine, services.store, workers=2)

    assert dump(services) == before


def test_a_replay_that_misses_an_event_fails_and_leaves_every_row_as_it_was(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    busy_history(services)
    statistics.catch_up_statistics(services.engine, services.store)
    before = dump(services)
    read = services.store.iter_streams

    def all_but_the_first(up_to_position: int, **shards: int) -> Iterator[list[ReplayEvent]]:
        return itertools.islice(read(up_to_position, **shards), 1, None)

    monkeypatch.setattr(services.store, "iter_streams", all_but_the_first)
    with pytest.raises(RebuildError, match="replayed"):
        rebuild(services.engine, services.store, workers=0)

    assert dump(services) == before


def test_catch_up_repairs_rows_for_appends_that_skipped_the_projection(
    services: Services,
) -> None:
    busy_history(services)
    unprojected = CaseTracker(services.store, project=False)
    case_id = open_case(services, "Vilen Temeryanov")
    command = Record(
        case_id, DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2019-03-27"))
    )
    event_id = unprojected.execute(command, RESEARCHER).events[0].event_id
    # The next projected append must not move the inline position over the gap.
    approve(services, case_id, event_id)
    assert catch_up(services.engine, services.store) >= 1
    statistics.catch_up_statistics(services.engine, services.store)
    repaired = dump(services)
    rebuild(services.engine, services.store)
    assert dump(services) == repaired

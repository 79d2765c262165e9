"""The case list: search across scripts, filters, sorting and paging; SQL and memory agree."""

from __future__ import annotations

import pytest

from tests.app.builders import day, log, log_approved, opened_and_approved
from tracker.bootstrap import Services
from tracker.domain.events import (
    ChargeBrought,
    CustodyStage,
    DetentionRecorded,
    PersecutionRecorded,
)
from tracker.domain.values import Charge
from tracker.projections.as_of import cases_as_of, page_of
from tracker.projections.queries import CaseFilter, list_cases
from tracker.seeding import run_seed


def names(services: Services, f: CaseFilter) -> list[str]:
    with services.engine.connect() as conn:
        return [row["name"] for row in list_cases(conn, f).rows]


@pytest.fixture
def seeded(services: Services) -> Services:
    run_seed(services, None)
    crimea = opened_and_approved(services, "Server Mustafayev", region="Crimea")
    log_approved(
        services,
        crimea,
        DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2018-05-21"), act="arrest"),
    )
    log_approved(
        services,
        crimea,
        ChargeBrought(date=day("2018-05"), charge=Charge(article="205.5", part="2")),
    )
    at_liberty = opened_and_approved(services, "Lutfiye Zudiyeva", region="Crimea")
    log_approved(services, at_liberty, PersecutionRecorded(date=day("2018-10"), act="search_raid"))
    log(services, at_liberty, PersecutionRecorded(date=day("2019"), act="fine"))  # pending
    return services


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Akhtemov", ["Asan Ahtemov", "Aziz Ahtemov"]),
        ("Ахтемов", ["Asan Ahtemov", "Aziz Ahtemov"]),
        ("ahtemov asan", ["Asan Ahtemov"]),
        ("Eyupov", ["Azamat Eiupov"]),
        ("Абдулгазиев", ["Tofik Abdulhaziev"]),
        ("Данилович", ["Iryna Danylovych"]),
        ("Мустафаев", ["Server Mustafayev"]),
        ("danyl", ["Iryna Danylovych"]),
        ("Smith", []),
    ],
)
def test_a_name_is_found_in_any_script_and_spelling(
    seeded: Services, query: str, expected: list[str]
) -> None:
    assert names(seeded, CaseFilter(search=query)) == expected


def test_filters_narrow_the_list(seeded: Services) -> None:
    assert names(seeded, CaseFilter(status="pre_trial_detention")) == ["Server Mustafayev"]
    assert names(seeded, CaseFilter(act="search_raid")) == ["Lutfiye Zudiyeva"]
    assert names(seeded, CaseFilter(charge="uk-205-5-ch-2")) == ["Server Mustafayev"]
    assert names(seeded, CaseFilter(region="crimea")) == ["Lutfiye Zudiyeva", "Server Mustafayev"]
    assert names(seeded, CaseFilter(review="pending")) == ["Lutfiye Zudiyeva"]
    assert len(names(seeded, CaseFilter(status="in_custody"))) == 10


def test_sorting_and_paging_report_the_total(seeded: Services) -> None:
    with seeded.engine.connect() as conn:
        page = list_cases(conn, CaseFilter(sort="name", descending=True, limit=3, offset=1))
    assert page.total == 12
    assert [r["name"] for r in page.rows] == [
        "Server Mustafayev",
        "Lutfiye Zudiyeva",
        "Iryna Danylovych",
    ]


@pytest.mark.parametrize(
    "f",
    [
        CaseFilter(),
        CaseFilter(search="ahtemov"),
        CaseFilter(status="in_custody", sort="name", descending=True, limit=4, offset=2),
        CaseFilter(region="Crimea", review="approved"),
        CaseFilter(act="search_raid"),
        CaseFilter(charge="uk-205-5-ch-2", sort="detention_date"),
        CaseFilter(review="pending"),
    ],
)
def test_the_list_in_memory_matches_the_list_in_sql(seeded: Services, f: CaseFilter) -> None:
    with seeded.engine.connect() as conn:
        sql_page = list_cases(conn, f)
    memory_page = page_of(cases_as_of(seeded.store), f)
    assert memory_page.total == sql_page.total
    assert [r["stream_id"] for r in memory_page.rows] == [r["stream_id"] for r in sql_page.rows]
    assert [r["status"] for r in memory_page.rows] == [r["status"] for r in sql_page.rows]

"""A deep page of the case list (chosen on ids first) holds the same rows, in the same order,
as the whole ordered list at that place, for every sort, filter and direction."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tracker.bench import data as benchdata
from tracker.bootstrap import Services
from tracker.projections.queries import (
    CASES,
    DEFERRED_FROM,
    CaseFilter,
    all_cases_query,
    list_cases,
)
from tracker.projections.rebuild import rebuild

CASE_COUNT = DEFERRED_FROM + 120


@pytest.fixture
def many(services: Services) -> Services:
    services.store.append_batch(list(benchdata.batches(CASE_COUNT)))
    rebuild(services.engine, services.store)
    return services


@pytest.mark.parametrize(
    "f",
    [
        CaseFilter(sort="last_change", descending=True),
        CaseFilter(sort="detention_date"),
        CaseFilter(sort="name", descending=True, status="serving_sentence"),
        CaseFilter(sort="region", region="crimea"),
        CaseFilter(search="person", sort="status"),
    ],
    ids=["last-change-desc", "detention", "name-desc-status", "region", "search-status"],
)
def test_a_deep_page_is_the_same_slice_of_the_whole_list(many: Services, f: CaseFilter) -> None:
    with many.engine.connect() as conn:
        everything = [r["stream_id"] for r in conn.execute(all_cases_query(f)).mappings()]
        deep = CaseFilter(**{**f.__dict__, "limit": 50, "offset": DEFERRED_FROM + 30})
        shallow = CaseFilter(**{**f.__dict__, "limit": 50, "offset": DEFERRED_FROM - 20})
        deep_page, shallow_page = list_cases(conn, deep), list_cases(conn, shallow)
        columns = set(conn.execute(select(CASES).limit(1)).mappings().one())
    assert len(everything) == CASE_COUNT
    assert [r["stream_id"] for r in deep_page.rows] == everything[DEFERRED_FROM + 30 :][:50]
    assert [r["stream_id"] for r in shallow_page.rows] == everything[DEFERRED_FROM - 20 :][:50]
    assert deep_page.total == shallow_page.total == CASE_COUNT
    assert set(deep_page.rows[0]) == columns  # whole rows, as on a shallow page


def test_the_count_within_conditions_comes_from_the_same_scan(many: Services) -> None:
    f = CaseFilter(search="person", limit=10)
    umerov = CASES.c.name.endswith("Umerov")
    with many.engine.connect() as conn:
        page = list_cases(conn, f, within=[umerov])
        expected = len(conn.execute(all_cases_query(f, umerov)).all())
        plain = list_cases(conn, f)
    assert (page.total, page.within) == (CASE_COUNT, expected)
    assert 0 < expected < CASE_COUNT
    assert plain.within is None and plain.rows == page.rows


def test_a_first_page_holding_every_match_counts_them_as_read(many: Services) -> None:
    f = CaseFilter(search="person 12", limit=50)
    umerov = CASES.c.name.endswith("Umerov")
    with many.engine.connect() as conn:
        page = list_cases(conn, f, within=[umerov])
        matching = [r["stream_id"] for r in conn.execute(all_cases_query(f)).mappings()]
        expected = len(conn.execute(all_cases_query(f, umerov)).all())
        later = list_cases(conn, CaseFilter(search="person 12", limit=5, offset=5), within=[umerov])
    assert 5 < len(matching) < 50
    assert [r["stream_id"] for r in page.rows] == matching
    assert (page.total, page.within) == (len(matching), expected)
    assert (later.total, later.within) == (len(matching), expected)  # counted: not all on it
    assert "_within" not in page.rows[0]

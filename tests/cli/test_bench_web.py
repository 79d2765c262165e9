"""`tracker bench --only`: choosing parts, refusing unknown ones; the web part on a small set."""

from __future__ import annotations

import ast

import pytest
from typer.testing import CliRunner

from tests.support.databases import ADMIN_URL, require_postgres
from tracker.bench.core import PARTS, chosen_parts
from tracker.bench.web import SEARCHES, Timing, format_timings, run_web_bench
from tracker.cli.main import app

runner = CliRunner()


def test_only_keeps_the_run_order_and_all_is_the_default() -> None:
    assert chosen_parts("web, core") == ["core", "web"]
    assert chosen_parts("") == list(PARTS)


def test_an_unknown_part_is_refused_naming_it_and_the_parts() -> None:
    result = runner.invoke(app, ["bench", "--only", "web,nope"])
    assert result.exit_code == 1
    assert "--only: unknown part 'nope'" in result.stderr and "core, io, web" in result.stderr


def test_p95_is_the_nearest_rank_and_the_verdict_follows_it() -> None:
    timing = Timing("x", [float(ms) for ms in range(1, 101)])
    assert (timing.p50, timing.p95) == (50.5, 95.0)
    assert timing.met is False
    assert Timing("y", [1.0, 2.0, 49.0]).met is True


@pytest.mark.parametrize(
    "server",
    [
        pytest.param(None, id="sqlite"),
        pytest.param(ADMIN_URL, id="postgres", marks=pytest.mark.postgres),
    ],
)
def test_the_web_bench_times_every_search_and_the_case_page(server: str | None) -> None:
    if server is not None:
        require_postgres()
    said: list[str] = []
    timings = run_web_bench(server, cases=200, rounds=3, say=said.append)
    names = [t.name for t in timings]
    assert len(timings) == len(SEARCHES) + 2
    assert names[-1] == "GET /cases/{id}: the case page"
    alone = [t for t in timings if not t.name.endswith("all of the above")]
    assert all(len(t.samples_ms) == 3 and min(t.samples_ms) > 0 for t in alone)
    assert len(timings[-2].samples_ms) == 3 * len(SEARCHES)
    assert "web: 200 bench cases, 2,000 events loaded and projected" in said
    found = ast.literal_eval(next(line for line in said if line.startswith("web: matches: "))[14:])
    assert found["search, Latin"] == found["search, Cyrillic"] == 25  # 200 cases, 8 surnames
    assert found["search, another Latin spelling"] == 25
    assert found["search and filter, no match"] == 0
    table = format_timings(timings)
    assert "search, Cyrillic" in table and "p95 < 50 ms" in table

"""`tracker bench`: the project's own paths against bare baselines measured in the same run.

Everything runs in a throwaway database (a temporary SQLite file, or a new database on the
PostgreSQL server named), which is dropped afterwards. Figures are events per second; ratios
compare a path with its baseline on the same database, in the same run.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, text

from tracker.bench import data as benchdata
from tracker.bench.floor import FloorAppend
from tracker.bootstrap import Services, bootstrap
from tracker.domain.commands import Record
from tracker.domain.events import HealthConcernReported
from tracker.domain.roles import Actor, Role
from tracker.migrate import upgrade
from tracker.projections.rebuild import rebuild
from tracker.projections.workers import produce
from tracker.scratch import scratch_database


@dataclass(frozen=True)
class Figure:
    name: str
    events: int
    seconds: float
    baseline: Figure | None = None
    target: str = ""

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds else float("inf")

    @property
    def ratio(self) -> float | None:
        return self.rate / self.baseline.rate if self.baseline else None


def _timed(fn: Callable[[], int]) -> tuple[int, float]:
    start = time.perf_counter()
    count = fn()
    return count, time.perf_counter() - start


def _bare_table(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "CREATE TABLE bench_bare (id BIGINT PRIMARY KEY, stream_id TEXT NOT NULL, "
                "data TEXT NOT NULL)"
            )
        )


class _Bare:
    """The per-commit baseline: one plain row per commit, straight through the driver, in
    autocommit mode (one statement, one round trip, one durable commit each)."""

    def __init__(self, engine: Engine) -> None:
        self.raw: Any = engine.raw_connection()
        driver: Any = self.raw.driver_connection
        self.driver = driver
        if engine.dialect.name == "postgresql":
            driver.autocommit = True
            self.sql = "INSERT INTO bench_bare (id, stream_id, data) VALUES (%s, %s, %s)"
        else:  # make_engine's SQLite connections are in autocommit mode already
            self.sql = "INSERT INTO bench_bare (id, stream_id, data) VALUES (?, ?, ?)"
        self.next_id = 1_000_000_000

    def insert(self, count: int) -> int:
        payload = json.dumps({"concern": "bench", "date": {"precision": "unknown"}})
        cursor = self.driver.cursor()
        for _ in range(count):
            self.next_id += 1
            cursor.execute(self.sql, (self.next_id, "case-bench", payload))
        cursor.close()
        return count

    def close(self) -> None:
        if hasattr(self.driver, "autocommit"):
            self.driver.autocommit = False
        self.raw.close()


def _commands(services: Services, cases: int) -> Callable[[int, int], int]:
    researcher = Actor(benchdata.RESEARCHER["actor"], Role.RESEARCHER)

    def run(first: int, count: int) -> int:
        for i in range(first, first + count):
            event = HealthConcernReported(concern=f"bench {i}")
            services.tracker.execute(Record(benchdata.case_id(i % cases), event), researcher)
        return count

    return run


def _bulk_rows(cases: int) -> Iterator[tuple[int, str, str]]:
    position = 0
    for batch in benchdata.batches(cases, start=cases * 10):
        for event in batch.events:
            position += 1
            yield position, batch.stream_id, json.dumps(event.data, sort_keys=True)


def _bulk_baseline(engine: Engine, cases: int) -> int:
    rows = list(_bulk_rows(cases))
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            raw: Any = conn.connection.dbapi_connection
            with (
                raw.cursor() as cursor,
                cursor.copy("COPY bench_bare (id, stream_id, data) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row(row)
        else:
            conn.exec_driver_sql(
                "INSERT INTO bench_bare (id, stream_id, data) VALUES (?, ?, ?)", rows
            )
    return len(rows)


def run_bench(
    server_url: str | None,
    *,
    cases: int = 10_000,
    commands: int = 2_000,
    say: Callable[[str], None] = print,
) -> list[Figure]:
    """Run every measurement in a scratch database; returns the figures."""
    figures: list[Figure] = []
    with scratch_database(server_url, prefix="tracker_bench") as url:
        services = bootstrap(database_url=url)
        try:
            upgrade(services.engine)
            _bare_table(services.engine)
            say(f"database: {services.engine.dialect.name} (scratch, dropped afterwards)")

            baseline_bulk = Figure(
                "bare bulk insert (COPY / executemany), plain table",
                *_timed(lambda: _bulk_baseline(services.engine, cases)),
            )
            batches = list(benchdata.batches(cases))
            events = sum(len(b.events) for b in batches)
            _, seconds = _timed(lambda: len(services.store.append_batch(batches)))
            figures.append(baseline_bulk)
            figures.append(
                Figure(
                    "bulk load (append_batch, one transaction)",
                    events,
                    seconds,
                    baseline_bulk,
                    ">= 25,000 events/s",
                )
            )
            say(f"loaded {events:,} events in {cases:,} cases")

            report, seconds = _timed_rebuild(services)
            figures.append(
                Figure("projection rebuild", report, seconds, None, ">= 100,000 events/s")
            )
            figures.append(_replay_alone(services))

            figures.extend(_per_commit(services, cases, commands))

            verified, seconds = _timed(lambda: services.store.verify().count)
            figures.append(
                Figure("chain verification", verified, seconds, None, ">= 50,000 events/s")
            )
        finally:
            services.close()
    return figures


def _replay_alone(services: Services) -> Figure:
    """The rebuild's domain work alone in this one process (read, decode, fold, build rows;
    nothing written), by CPU time: a rebuild on N cores cannot go faster than N times this."""
    head = services.store.head().position
    dialect = services.engine.dialect.name
    start = time.process_time()
    produce(services.store, head, 0, 1, dialect, lambda _chunk: None)
    cores = os.cpu_count() or 1
    return Figure(
        "rebuild's replay alone, one process, CPU time",
        head,
        time.process_time() - start,
        None,
        f"x {cores} cores bounds the rebuild",
    )


def _timed_rebuild(services: Services) -> tuple[int, float]:
    start = time.perf_counter()
    report = rebuild(services.engine, services.store)
    return report.events, time.perf_counter() - start


def _per_commit(services: Services, cases: int, commands: int) -> list[Figure]:
    """Alternate chunks of the three paths so that drift in the machine hits them alike."""
    bare = _Bare(services.engine)
    floor = FloorAppend(services.engine, cases)
    command = _commands(services, cases)
    try:
        return _alternate(bare, floor, command, commands)
    finally:
        floor.close()
        bare.close()


def _alternate(
    bare: _Bare, floor: FloorAppend, command: Callable[[int, int], int], commands: int
) -> list[Figure]:
    bare.insert(50)
    command(0, 50)  # warm the paths
    floor.refresh()
    floor.append(0, 50)
    chunk = 100
    times = {"bare": 0.0, "floor": 0.0, "command": 0.0}
    done = 0
    while done < commands:
        n = min(chunk, commands - done)
        times["bare"] += _timed(lambda n=n: bare.insert(n))[1]  # type: ignore[misc]
        floor.refresh()
        times["floor"] += _timed(lambda n=n, d=done: floor.append(50 + d, n))[1]  # type: ignore[misc]
        times["command"] += _timed(lambda n=n, d=done: command(50 + d, n))[1]  # type: ignore[misc]
        done += n
    baseline = Figure("bare insert, one row per commit, plain table", commands, times["bare"])
    return [
        baseline,
        Figure(
            "command SQL alone: head, chained event, summary (floor)",
            commands,
            times["floor"],
            baseline,
            "the most any command path can reach",
        ),
        Figure(
            "command path: load case, decide, append, project, commit",
            commands,
            times["command"],
            baseline,
            ">= 0.60 of the bare insert",
        ),
    ]


def format_figures(figures: list[Figure]) -> str:
    lines = [f"{'operation':<60} {'events/s':>12} {'ratio':>8}  target"]
    for f in figures:
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else ""
        lines.append(f"{f.name:<60} {f.rate:>12,.0f} {ratio:>8}  {f.target}")
    return "\n".join(lines)


PARTS = ("core", "io", "web", "digest")
"""The parts of `tracker bench` in the order they run: `--only` names some of them."""


def chosen_parts(only: str) -> list[str]:
    """The parts `--only a,b` names, in run order (all for ''); ValueError names an unknown one."""
    names = [n.strip() for n in only.split(",") if n.strip()]
    unknown = [n for n in names if n not in PARTS]
    if unknown:
        raise ValueError(f"--only: unknown part {unknown[0]!r}; the parts are {', '.join(PARTS)}")
    return [p for p in PARTS if p in names] if names else list(PARTS)

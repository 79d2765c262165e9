"""`tracker bench`, second part: exports, imports and the log restore against their targets.

In a scratch database of its own (as `bench.py`): the bench cases are loaded and projected,
then
- the current list of all cases is exported as CSV (the median of three runs);
- 100,000 case rows are streamed as CSV by a child process that reports its own peak resident
  memory (ru_maxrss): the rows are the bench cases cloned in the read model, which is what
  the export reads;
- the whole log is exported to JSON Lines and restored into a second scratch database, with
  and without the projection rebuild that follows;
- a list of new people is imported: the preview a person reads, then the commit (which
  previews again, then appends every row in one transaction).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, select

from tracker.backup import export_log, restore_log
from tracker.bench import data as benchdata
from tracker.bootstrap import Services, bootstrap
from tracker.domain.roles import Actor, Role
from tracker.migrate import upgrade
from tracker.projections.projector import CASES
from tracker.projections.rebuild import rebuild
from tracker.projections.sqlwrite import bulk_insert
from tracker.scratch import scratch_database


@dataclass(frozen=True)
class Measure:
    name: str
    value: float
    unit: str
    target: str
    met: bool


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def _export_csv(services: Services) -> tuple[int, int]:
    """(bytes, lines) of a CSV export of every case, written nowhere."""
    from tracker.exporting import ExportRequest, export_cases

    made = export_cases(services, ExportRequest(format="csv"), Role.RESEARCHER)
    size = lines = 0
    for chunk in made.chunks:
        size += len(chunk)
        lines += chunk.count(b"\n")
    return size, lines


def _clone_rows(engine: Engine, total: int) -> int:
    """Fill the read model up to `total` approved case rows by copying the bench's."""
    approved = CASES.c.opened_review == "approved"
    with engine.connect() as conn:
        template = [dict(r) for r in conn.execute(select(CASES).where(approved)).mappings()]
    have, copy = len(template), 0
    with engine.begin() as conn:
        while have < total:
            copy += 1
            batch = [
                row | {"stream_id": f"{row['stream_id']}-{copy}", "name": f"{row['name']} {copy}"}
                for row in template[: total - have]
            ]
            bulk_insert(conn, CASES, batch)
            have += len(batch)
    with engine.connect() as conn:
        count = select(func.count()).select_from(CASES).where(approved)
        return int(conn.execute(count).scalar_one())


def _peak_mb() -> float:
    """This process's peak resident memory: VmHWM of /proc/self/status where there is one (it
    belongs to the process's own address space; ru_maxrss can carry over the parent's peak
    across fork and exec), else ru_maxrss."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def stream_export(url: str) -> dict[str, float]:
    """In this process: export every case as CSV into nothing; report time and peak memory."""
    services = bootstrap(database_url=url)
    before = _peak_mb()
    start = time.perf_counter()
    size, lines = _export_csv(services)
    seconds = time.perf_counter() - start
    peak = _peak_mb()
    services.close()
    figures = {"bytes": size, "lines": lines, "seconds": seconds}
    return figures | {"peak_mb": peak, "start_mb": before}


def _child_stream_export(url: str) -> dict[str, float]:
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "tracker.bench.transfer", "stream-export", url],
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return figures


_GIVEN = ("Asan", "Olena", "Emir", "Iryna", "Server", "Lilia", "Bohdan", "Zarema", "Ruslan")
_SYLLABLES = ("ka", "lo", "mi", "ne", "ro", "su", "ta", "ve", "zi", "ba")


def import_list(rows: int) -> bytes:
    """A partner's list of `rows` new people, in Ukrainian headers."""
    lines = ["ПІБ;Дата народження;Дата затримання;Стаття;Статус;Місце утримання;Джерело"]
    statuses = ("під вартою", "відбуває покарання", "звільнений", "")
    for i in range(rows):
        surname = "".join(_SYLLABLES[int(d)] for d in str(i)).capitalize() + "enko"
        lines.append(
            f"{surname} {_GIVEN[i % len(_GIVEN)]};{1950 + i % 50};"
            f"{1 + i % 28:02d}.{1 + i % 12:02d}.{2014 + i % 10};ст. 205.5 ч. {1 + i % 2};"
            f"{statuses[i % 4]};{'СІЗО-1' if i % 3 else ''};https://example.org/{i % 100}"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def run_io_bench(
    server_url: str | None,
    *,
    cases: int = 10_000,
    stream_cases: int = 100_000,
    import_rows: int = 10_000,
    say: Callable[[str], None] = print,
) -> list[Measure]:
    """Every measurement of this module, in scratch databases dropped afterwards."""
    from tracker.importing import commit_import, preview_import

    measures: list[Measure] = []
    with scratch_database(server_url, prefix="tracker_bench_io") as url:
        services = bootstrap(database_url=url)
        try:
            upgrade(services.engine)
            services.store.append_batch(list(benchdata.batches(cases)))
            rebuild(services.engine, services.store)
            say(f"exports and imports: {cases:,} bench cases loaded")

            runs = [_timed(lambda: _export_csv(services)) for _ in range(3)]
            seconds = statistics.median(runs)
            measures.append(Measure(f"export {cases:,} cases as CSV (median of 3)", seconds, "s",
                                    "< 1 s", seconds < 1))  # fmt: skip

            with tempfile.TemporaryDirectory() as folder:
                backup = Path(folder) / "log.jsonl"
                with backup.open("wb") as out:
                    events = export_log(services.store, out).position
                measures += _restore(server_url, backup, events, say)

            actor = Actor("bench-importer@tracker.example", Role.RESEARCHER)
            data = import_list(import_rows)
            start = time.perf_counter()
            preview = preview_import(services, data, "bench.csv", actor)
            result = commit_import(services, data, "bench.csv", actor, confirmed=preview)
            seconds = time.perf_counter() - start
            if not preview.ok or result.preview.counts()["new"] != import_rows:
                raise RuntimeError(f"the bench import went wrong: {preview.errors()[:3]}")
            measures.append(Measure(f"import {import_rows:,} rows: preview, then commit "
                                    f"({result.events:,} events)", seconds, "s", "< 10 s",
                                    seconds < 10))  # fmt: skip

            total = _clone_rows(services.engine, stream_cases)
            child = _child_stream_export(url)
            rows = int(child["lines"]) - 7  # six heading lines and the column labels
            megabytes, start = child["bytes"] / 1e6, child["start_mb"]
            say(f"streamed {rows:,} of {total:,} cases: {megabytes:.0f} MB of CSV in "
                f"{child['seconds']:.1f} s; {start:.0f} MB resident before")  # fmt: skip
            measures.append(Measure(f"stream {rows:,} cases as CSV: peak memory of the process",
                                    child["peak_mb"], "MB", "< 200 MB",
                                    child["peak_mb"] < 200))  # fmt: skip
        finally:
            services.close()
    return measures


def _restore(
    server_url: str | None, backup: Path, events: int, say: Callable[[str], None]
) -> list[Measure]:
    with scratch_database(server_url, prefix="tracker_bench_restore") as url:
        target = bootstrap(database_url=url)
        try:
            upgrade(target.engine)
            with backup.open("rb") as lines:
                restore = _timed(lambda: restore_log(target.store, lines))
            projected = _timed(lambda: rebuild(target.engine, target.store))
            assert target.store.verify().intact
        finally:
            target.close()
    say(f"restored {events:,} events")
    return [
        Measure("log restore from JSON Lines (checked)", events / restore, "events/s",
                ">= 25,000 events/s", events / restore >= 25_000),
        Measure("log restore, then projection rebuild", events / (restore + projected),
                "events/s", "", True),
    ]  # fmt: skip


def format_measures(measures: list[Measure]) -> str:
    lines = [f"{'export, import, backup':<78} {'figure':>16}  target"]
    for m in measures:
        figure = f"{m.value:,.0f} {m.unit}" if m.value >= 100 else f"{m.value:.2f} {m.unit}"
        verdict = ("met" if m.met else "MISSED") if m.target else ""
        lines.append(f"{m.name:<78} {figure:>16}  {m.target} {verdict}".rstrip())
    return "\n".join(lines)


if __name__ == "__main__" and sys.argv[1:2] == ["stream-export"]:
    print(json.dumps(stream_export(sys.argv[2])))

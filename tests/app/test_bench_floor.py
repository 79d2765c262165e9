"""The bench's floor writes what a command's SQL writes, and leaves a log that verifies."""

from __future__ import annotations

from sqlalchemy import text

from tracker.bench import data as benchdata
from tracker.bench.floor import FloorAppend
from tracker.bootstrap import Services
from tracker.projections.rebuild import rebuild


def test_floor_appends_chain_onto_the_log_and_move_the_summary(services: Services) -> None:
    services.store.append_batch(list(benchdata.batches(3)))
    rebuild(services.engine, services.store, workers=0)
    before = services.store.head()

    floor = FloorAppend(services.engine, cases=3)
    try:
        floor.refresh()
        floor.append(0, 4)  # cases 0, 1, 2, then 0 again
    finally:
        floor.close()

    result = services.store.verify()
    assert result.intact and result.count == before.position + 4
    case = benchdata.case_id(0)
    assert [e.version for e in services.store.read_stream(case)][-2:] == [11, 12]
    with services.engine.connect() as conn:
        version, position = conn.execute(
            text("SELECT version, last_position FROM case_summaries WHERE stream_id = :s"),
            {"s": case},
        ).one()
    assert (version, position) == (12, before.position + 4)

"""The command path's upserts: whatever the row held before, it ends as given."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from tracker.eventstore.transaction import SqlTransaction
from tracker.projections import upserts
from tracker.projections.projector import CASES, QUEUE


def case_row(**changes: Any) -> dict[str, Any]:
    row: dict[str, Any] = {column.name: "" for column in CASES.columns}
    row.update(
        stream_id="case-1",
        name="Nariman Dzhelal",
        name_variants=["Нариман Джелял"],
        status="pre_trial_detention",
        charges=[{"slug": "uk-217-1", "display": "art. 217.1"}],
        health_concerns=0,
        opened_review="approved",
        retracted=False,
        pending_count=0,
        version=3,
        last_position=7,
        sources=[],
    )
    row.update(changes)
    return row


def write(engine: Engine, table: Any, rows: list[dict[str, Any]]) -> None:
    marker = "?" if engine.dialect.name == "sqlite" else "%s"
    with engine.begin() as conn:
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        upserts.upsert(SqlTransaction(conn, cursor, marker), table, rows)


def stored(engine: Engine, table: Any) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(table)).mappings()]


def test_an_upsert_inserts_then_replaces_every_column(sql_engine: Engine) -> None:
    write(sql_engine, CASES, [case_row()])
    assert stored(sql_engine, CASES) == [case_row()]

    changed = case_row(status="serving_sentence", health_concerns=2, version=4, sources=["s-1"])
    write(sql_engine, CASES, [changed])
    assert stored(sql_engine, CASES) == [changed]


def test_an_upsert_repairs_indexed_columns_that_differ(sql_engine: Engine) -> None:
    """Indexed columns are set apart on SQLite, only where they differ: a row that drifted
    (here by hand) is put right all the same."""
    write(sql_engine, CASES, [case_row()])
    with sql_engine.begin() as conn:
        conn.exec_driver_sql("UPDATE case_summaries SET status = 'drifted', name = 'x'")

    write(sql_engine, CASES, [case_row(version=4)])
    assert stored(sql_engine, CASES) == [case_row(version=4)]


def test_many_rows_at_once(sql_engine: Engine) -> None:
    rows = [
        {column.name: "" for column in QUEUE.columns}
        | {"position": p, "stream_id": "case-1", "version": p, "event_id": f"e-{p}"}
        | {"restricted": False, "retracted": False, "corrected": p == 2}
        for p in (1, 2, 3)
    ]
    write(sql_engine, QUEUE, rows[:2])
    write(sql_engine, QUEUE, [rows[1] | {"review": "approved"}, rows[2]])
    assert sorted(stored(sql_engine, QUEUE), key=lambda r: r["position"]) == [
        rows[0],
        rows[1] | {"review": "approved"},
        rows[2],
    ]

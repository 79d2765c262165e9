"""SQL helpers the projections share: cached upserts, and bulk inserts that skip the ORM."""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import JSON, Connection, Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.dml import Insert


@functools.cache
def _upsert_statement(dialect_name: str, table: Table) -> Insert:
    keys = [c.name for c in table.primary_key.columns]
    dialect = sqlite if dialect_name == "sqlite" else postgresql
    stmt = dialect.insert(table)
    updates = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys}
    upserting: Insert = stmt.on_conflict_do_update(index_elements=keys, set_=updates)
    return upserting


def upsert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows, replacing any row with the same primary key."""
    if rows:
        conn.execute(_upsert_statement(conn.dialect.name, table), list(rows))


def set_position(conn: Connection, table: Table, name: str, position: int) -> None:
    upsert(conn, table, [{"name": name, "position": position}])


def bulk_insert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows into an empty table fast: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    columns = [c.name for c in table.columns]
    as_json = {c.name for c in table.columns if isinstance(c.type, JSON)}
    values = [
        tuple(json.dumps(row[c]) if c in as_json else row[c] for c in columns) for row in rows
    ]
    raw = conn.connection.dbapi_connection
    assert raw is not None
    names = ", ".join(columns)
    if conn.dialect.name == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({names}) FROM STDIN") as copy:  # type: ignore[attr-defined]
            for value in values:
                copy.write_row(value)
    else:
        marks = ", ".join("?" for _ in columns)
        raw.cursor().executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", values)

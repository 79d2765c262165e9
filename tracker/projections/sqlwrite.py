"""Small SQL helpers the projections share: upserts that work on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql, sqlite


def upsert(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert rows, replacing any row with the same primary key."""
    if not rows:
        return
    keys = [c.name for c in table.primary_key.columns]
    dialect = sqlite if conn.dialect.name == "sqlite" else postgresql
    stmt = dialect.insert(table)
    updates = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys}
    conn.execute(stmt.on_conflict_do_update(index_elements=keys, set_=updates), list(rows))


def set_position(conn: Connection, table: Table, name: str, position: int) -> None:
    upsert(conn, table, [{"name": name, "position": position}])

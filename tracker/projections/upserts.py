"""The command path's writes to the read model, as cached SQL text in the driver's parameter
style, sent through the append's `Transaction` (no SQLAlchemy on the hot path; on PostgreSQL
they go out with the insert and COMMIT, in one round trip).

SQLite rewrites an index for every indexed column an UPDATE sets, changed or not: each is a
page more to write and sync at COMMIT. So there an upsert sets the other columns, and a second
statement sets the indexed ones only where they differ (on a case summary, a command seldom
changes them). Both statements together always leave the row as given.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import JSON, Table

from tracker.eventstore.protocol import Transaction

# json.dumps(value) with its default settings, from an encoder built once (json.dumps builds
# one per call, which costs more than encoding a summary's short lists). Same text either way.
_encoder = getattr(json.encoder, "c_make_encoder", None)
_dumps_c = (
    _encoder(
        None,  # no check for cycles: rows are plain data
        json.JSONEncoder().default,  # raises TypeError, as json.dumps does
        json.encoder.encode_basestring_ascii,
        None,
        ": ",
        ", ",
        False,
        False,
        True,
    )
    if _encoder is not None
    else None
)


def _dumps(value: Any) -> str:
    if _dumps_c is None or not isinstance(value, list | dict):
        return json.dumps(value)
    return "".join(_dumps_c(value, 0))


class _Upsert(NamedTuple):
    columns: tuple[str, ...]
    as_json: frozenset[str]
    upsert: str
    """Inserts the row; on a conflict sets the columns not in `indexed` (all, with no split)."""
    indexed: tuple[str, ...]
    keys: tuple[str, ...]
    update_indexed: str
    """Sets the `indexed` columns where they differ: their values, the keys, the values again."""


def quote(name: str) -> str:
    """An identifier as both SQLite and PostgreSQL read it, whatever the word."""
    return f'"{name}"'


def _indexed(table: Table) -> set[str]:
    """Columns in a secondary index (or a unique constraint) of the table."""
    names = {c.name for index in table.indexes for c in index.columns}
    return names | {c.name for c in table.columns if c.unique}


@functools.cache
def _statements(marker: str, table: Table, split: bool) -> _Upsert:
    columns = tuple(c.name for c in table.columns)
    keys = tuple(c.name for c in table.primary_key.columns)
    indexed = tuple(c for c in columns if split and c in _indexed(table) and c not in keys)
    updated = [c for c in columns if c not in keys and c not in indexed]
    sets = ", ".join(f"{quote(c)} = excluded.{quote(c)}" for c in updated)
    upsert = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)})"
        f" VALUES ({', '.join(marker for _ in columns)})"
        f" ON CONFLICT ({', '.join(quote(c) for c in keys)})"
        + (f" DO UPDATE SET {sets}" if updated else " DO NOTHING")
    )
    update_indexed = (
        f"UPDATE {quote(table.name)} SET {', '.join(f'{quote(c)} = {marker}' for c in indexed)}"
        f" WHERE {' AND '.join(f'{quote(c)} = {marker}' for c in keys)}"
        f" AND ({' OR '.join(f'{quote(c)} IS NOT {marker}' for c in indexed)})"
    )
    as_json = frozenset(c.name for c in table.columns if isinstance(c.type, JSON))
    return _Upsert(columns, as_json, upsert, indexed, keys, update_indexed)


def upsert(tx: Transaction, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert complete rows (JSON columns as Python values), replacing rows with the same key."""
    if not rows:
        return
    plan = _statements(tx.marker, table, tx.dialect == "sqlite")
    as_json = plan.as_json
    values = [tuple(_dumps(r[c]) if c in as_json else r[c] for c in plan.columns) for r in rows]
    if len(values) == 1:
        tx.execute(plan.upsert, values[0])
    else:
        tx.executemany(plan.upsert, values)
    if plan.indexed:
        changes = [
            (
                *(r[c] for c in plan.indexed),
                *(r[c] for c in plan.keys),
                *(r[c] for c in plan.indexed),
            )
            for r in rows
        ]
        tx.executemany(plan.update_indexed, changes)


@functools.cache
def _delete(marker: str, table: Table, column: str) -> str:
    return f"DELETE FROM {quote(table.name)} WHERE {quote(column)} = {marker}"


def delete(tx: Transaction, table: Table, column: str, values: Sequence[Any]) -> None:
    """Delete the rows whose `column` holds one of `values` (none: nothing is sent)."""
    if not values:
        return
    sql = _delete(tx.marker, table, column)
    if len(values) == 1:
        tx.execute(sql, (values[0],))
    else:
        tx.executemany(sql, [(v,) for v in values])


@functools.cache
def _advance(marker: str, table: Table) -> str:
    return (
        f'UPDATE {quote(table.name)} SET "position" = {marker}'
        f' WHERE "name" = {marker} AND "position" = {marker}'
    )


def advance(tx: Transaction, table: Table, name: str, before: int, after: int) -> None:
    """Move a projection's tracking row from `before` to `after`; elsewhere, it stays put."""
    tx.execute(_advance(tx.marker, table), (after, name, before))

"""What a SQL store hands a `within` callback: the append's transaction, on its own cursor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection


class SqlTransaction:
    """The `Transaction` a SQL store gives `within`: statements run at once on its cursor."""

    def __init__(self, conn: Connection, cursor: Any, marker: str) -> None:
        self._conn = conn
        self._cursor = cursor
        self.marker = marker
        self.dialect: str = conn.dialect.name

    @property
    def connection(self) -> Connection:
        return self._conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._cursor.execute(sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._cursor.executemany(sql, rows)

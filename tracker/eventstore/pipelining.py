"""Sending a PostgreSQL transaction's statements in psycopg pipelines, in one round trip.

A pipeline sends many statements and reads their answers in one round trip. The store uses one
for BEGIN, the head lock and the reads under it, and one for the insert, what `within` writes
and COMMIT (`PipelinedTransaction`); see also `optimistic`, which needs only the second.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import psycopg
from sqlalchemy import Connection

from tracker.eventstore.model import EventStoreError
from tracker.eventstore.transaction import SqlTransaction


def pipeline(conn: psycopg.Connection[Any]) -> AbstractContextManager[Any]:
    """Send what follows in one go where libpq can; one statement at a time otherwise."""
    return conn.pipeline() if psycopg.Pipeline.is_supported() else nullcontext()


def execute_prepared(cursor: psycopg.Cursor[Any], sql: str, params: Sequence[Any]) -> None:
    """Execute a statement prepared on the server from its first use, in a pipeline too.

    psycopg prepares a statement at its fifth use by default; if that use falls after an error
    in a pipeline, the server skips the PREPARE but psycopg 3.3 records it as done, and the
    statement fails on that connection ever after ("prepared statement _pg3_N does not exist").
    Asked to prepare from the first use, psycopg checks the outcome. BEGIN and COMMIT go
    unprepared (`prepare=False`) for the same reason.
    """
    cursor.execute(sql, params, prepare=True)


def check_committed(cursor: psycopg.Cursor[Any]) -> None:
    """Raise unless the cursor's COMMIT committed (COMMIT of a failed transaction answers
    ROLLBACK without raising)."""
    if cursor.statusmessage != "COMMIT":
        raise EventStoreError(f"the append was rolled back ({cursor.statusmessage})")


class PipelinedTransaction(SqlTransaction):
    """Holds writes back to send them, and the commit, in one pipeline: one round trip for all.

    `begin`: no transaction is open yet. The pipeline's statements then form one implicit
    transaction that the server commits at the pipeline's end (its Sync), or rolls back whole at
    the first error: no BEGIN or COMMIT to send. `connection` (for reads) sends what was held
    back first, in an explicit transaction then. Statements are prepared on the server from
    their first use (see `execute_prepared`).
    """

    def __init__(self, conn: Connection, cursor: psycopg.Cursor[Any], *, begin: bool) -> None:
        super().__init__(conn, cursor, "%s")
        self._queue: list[tuple[str, Any, bool]] = []
        self._open = not begin  # an explicit transaction is open, to end with COMMIT
        self._implicit = begin and psycopg.Pipeline.is_supported()

    @property
    def connection(self) -> Connection:
        self._send(commit=False)
        return self._conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        self._queue.append((sql, params, False))

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        self._queue.append((sql, rows, True))

    def commit(self) -> None:
        self._send(commit=True)

    def _send(self, *, commit: bool) -> None:
        queue, self._queue = self._queue, []
        cursor: psycopg.Cursor[Any] = self._cursor
        conn = cursor.connection
        with pipeline(conn):
            if not self._open and not (commit and self._implicit):
                self._open = True
                conn.execute("BEGIN", prepare=False)
            for sql, params, many in queue:
                if many:
                    cursor.executemany(sql, params)  # prepares, as execute_prepared does
                else:
                    execute_prepared(cursor, sql, params)
            done = conn.execute("COMMIT", prepare=False) if commit and self._open else None
        if done is not None:
            check_committed(done)

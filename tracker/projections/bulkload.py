"""A rebuild's writes: batches of rows encoded once (where they are computed, maybe in a worker
process) and written in bulk, COPY text on PostgreSQL and executemany on SQLite."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from tracker.projections.streamrows import TABLES, RowBatch, Values

_COLUMNS = {t.name: [c.name for c in t.columns] for t in TABLES}
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


@dataclass(frozen=True, slots=True)
class Chunk:
    """The encoded rows of a run of streams: per table, COPY text (PostgreSQL) or value tuples."""

    events: int
    streams: int
    tables: dict[str, str | list[Values]]


def _field(value: Any) -> str:
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    return str(value).translate(_ESCAPES)


def copy_text(rows: Sequence[Values], width: int) -> str:
    """Rows in COPY's text format. Fields are formatted as they are and the whole text checked
    once: only if a field holds a tab, newline, carriage return, backslash or is None (or the
    text 'None') are the rows escaped field by field."""
    template = "\t".join(["%s"] * width)
    text = "\n".join([template % row for row in rows])
    if (
        text.count("\t") == len(rows) * (width - 1)
        and text.count("\n") == len(rows) - 1
        and "\\" not in text
        and "\r" not in text
        and "None" not in text
    ):
        return text + "\n"
    return "".join("\t".join(map(_field, row)) + "\n" for row in rows)


def encode(batch: RowBatch, dialect: str) -> Chunk:
    """The batch ready to write on `dialect` (copy text for postgresql, tuples otherwise)."""
    copy = dialect == "postgresql"
    tables: dict[str, str | list[Values]] = {}
    for name, values in batch.tables.items():
        if values:
            tables[name] = copy_text(values, len(_COLUMNS[name])) if copy else values
    return Chunk(batch.events, batch.streams, tables)


class BulkWriter:
    """Writes chunks into the (emptied) read-model tables on the rebuild's connection."""

    def __init__(self, conn: Connection) -> None:
        self.dialect = conn.dialect.name
        raw = conn.connection.dbapi_connection
        assert raw is not None
        self._raw: Any = raw
        self.events = 0
        self.streams = 0

    def write(self, chunk: Chunk) -> None:
        for name, payload in chunk.tables.items():
            columns = _COLUMNS[name]
            names = ", ".join(columns)
            if isinstance(payload, str):
                with (
                    self._raw.cursor() as cursor,
                    cursor.copy(f"COPY {name} ({names}) FROM STDIN") as copy,
                ):
                    copy.write(payload)
            else:
                marks = ", ".join("?" for _ in columns)
                cursor = self._raw.cursor()
                try:
                    cursor.executemany(f"INSERT INTO {name} ({names}) VALUES ({marks})", payload)
                finally:
                    cursor.close()
        self.events += chunk.events
        self.streams += chunk.streams

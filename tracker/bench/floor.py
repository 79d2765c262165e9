"""The floor under the command path: what its SQL alone costs, with no domain work at all.

Each append here writes what a command's transaction must write, straight through the driver:
the head moved, one chained event inserted (its hash computed as the store does, so the log
still verifies), and the case summary's version and position set. No read, no decoding, no
decision, no projection: on PostgreSQL one statement in autocommit (one round trip, one
commit), on SQLite one `BEGIN IMMEDIATE` transaction. Measured beside the bare insert in the
same run, its ratio is the most any command path keeping this log could reach here.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Engine

from tracker.bench import data as benchdata
from tracker.eventstore.chain import canonical_event_from_json, canonical_text, link_hash
from tracker.eventstore.clock import format_timestamp, utc_now
from tracker.eventstore.sql import COLUMNS

_DATA = canonical_text({"concern": "floor", "date": {"precision": "unknown"}})
_METADATA = canonical_text(benchdata.RESEARCHER)

_POSTGRES = (
    "WITH head AS (UPDATE log_head SET position = %(position)s, hash = %(hash)s"
    " WHERE id = 1 AND position = %(previous)s RETURNING 1),"
    f" event AS (INSERT INTO events ({COLUMNS})"
    " SELECT %(position)s, %(stream)s, %(version)s, %(event)s, 'HealthConcernReported', 1,"
    " %(data)s::jsonb, %(metadata)s::jsonb, %(at)s, %(prev)s, %(hash)s FROM head RETURNING 1)"
    " UPDATE case_summaries SET version = %(version)s, last_position = %(position)s"
    " WHERE stream_id = %(stream)s AND EXISTS (SELECT 1 FROM event)"
)
_SQLITE = (
    "UPDATE log_head SET position = :position, hash = :hash WHERE id = 1",
    f"INSERT INTO events ({COLUMNS}) VALUES (:position, :stream, :version, :event,"
    " 'HealthConcernReported', 1, :data, :metadata, :at, :prev, :hash)",
    "UPDATE case_summaries SET version = :version, last_position = :position"
    " WHERE stream_id = :stream",
)


class FloorAppend:
    """Appends to the bench's cases as the command path's SQL would, and nothing else."""

    def __init__(self, engine: Engine, cases: int) -> None:
        self.raw: Any = engine.raw_connection()
        driver: Any = self.raw.driver_connection
        self.driver = driver
        self.postgres = engine.dialect.name == "postgresql"
        if self.postgres:
            self.driver.autocommit = True
        self.cases = cases
        self.versions: dict[str, int] = {}
        self.position = 0
        self.hash = ""

    def refresh(self) -> None:
        """Read the head and the streams' versions (untimed: others append between chunks)."""
        cursor = self.driver.cursor()
        cursor.execute("SELECT position, hash FROM log_head WHERE id = 1")
        self.position, self.hash = cursor.fetchone()
        cursor.execute("SELECT stream_id, MAX(version) FROM events GROUP BY stream_id")
        self.versions = dict(cursor.fetchall())
        cursor.close()

    def append(self, first: int, count: int) -> int:
        cursor = self.driver.cursor()
        for i in range(first, first + count):
            stream = benchdata.case_id(i % self.cases)
            version = self.versions[stream] + 1
            values = self._values(stream, version)
            if self.postgres:
                cursor.execute(_POSTGRES, values, prepare=True)
            else:
                cursor.execute("BEGIN IMMEDIATE")
                for sql in _SQLITE:
                    cursor.execute(sql, values)
                cursor.execute("COMMIT")
            self.versions[stream] = version
            self.position, self.hash = values["position"], values["hash"]
        cursor.close()
        return count

    def _values(self, stream: str, version: int) -> dict[str, Any]:
        position, event_id, at = self.position + 1, str(uuid.uuid4()), format_timestamp(utc_now())
        canonical = canonical_event_from_json(
            stream_id=stream,
            version=version,
            event_id=event_id,
            type="HealthConcernReported",
            schema_version=1,
            data_json=_DATA,
            metadata_json=_METADATA,
            recorded_at=at,
        )
        return {
            "position": position,
            "previous": self.position,
            "stream": stream,
            "version": version,
            "event": event_id,
            "data": _DATA,
            "metadata": _METADATA,
            "at": at,
            "prev": self.hash,
            "hash": link_hash(self.hash, position, canonical),
        }

    def close(self) -> None:
        if self.postgres:
            self.driver.autocommit = False
        self.raw.close()


__all__ = ["FloorAppend"]

"""The lean read a projection rebuild replays: each stream whole, in version order, as light rows.

A rebuild needs every event once, grouped by stream, and only some of each event: the data as
JSON text (the caller validates it straight from the text), the metadata's actor, the hash.
`EventStore.iter_streams` gives exactly that, one list per stream, so a rebuild holds one
stream's events at a time however long the log is. Shards split the streams between processes
into ranges of stream ids holding about as many events each (see `shard_bounds`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Engine

from tracker.eventstore.model import StoredEvent


class ReplayEvent(NamedTuple):
    """One event as a rebuild reads it."""

    global_position: int
    stream_id: str
    version: int
    event_id: str
    type: str
    schema_version: int
    data: str
    """The data as JSON text."""
    actor: str | None
    """The JSON text of the metadata's "actor" value; None when the metadata has none."""
    recorded_at: str
    hash: str


@lru_cache(maxsize=4096)
def actor_text(actor: str | None) -> str:
    """`str(metadata.get("actor", ""))` from `ReplayEvent.actor` (cached: actors repeat)."""
    if actor is None:
        return ""
    if actor[:1] == '"' and "\\" not in actor:
        return actor[1:-1]
    return str(json.loads(actor))


def check_shard(shard: int, shards: int) -> None:
    if shards < 1 or not 0 <= shard < shards:
        raise ValueError(f"shard {shard} of {shards} does not exist")


SAMPLES = 255
"""Events sampled to split the streams into shards."""


def sample_positions(up_to_position: int) -> list[int]:
    """Positions spread evenly over the log up to a position (none for an empty log)."""
    if up_to_position < 1:
        return []
    step = 2 * SAMPLES
    return sorted({max(1, up_to_position * (2 * j + 1) // step) for j in range(SAMPLES)})


def shard_bounds(sampled: Sequence[str], shard: int, shards: int) -> tuple[str | None, str | None]:
    """(lowest, first after) stream id of a shard, None for no bound, from the stream ids of
    the sampled events in the store's own order. The samples, and so the bounds, are the same
    for every caller with the same position: shards split the streams without gap or overlap."""
    if shards == 1:
        return None, None
    cut = [sampled[len(sampled) * k // shards] for k in range(1, shards)] if sampled else []
    lower = cut[shard - 1] if shard > 0 and cut else None
    upper = cut[shard] if shard < shards - 1 and cut else None
    return lower, upper


def replay_sql(data: str, actor: str, param: str, *, lower: bool, upper: bool) -> str:
    """The lean read in a dialect: `data` and `actor` are its expressions for the JSON texts,
    `param` its parameter marker; `lower` and `upper` bound the stream ids (>=, <)."""
    where = f"global_position <= {param}"
    if lower:
        where += f" AND stream_id >= {param}"
    if upper:
        where += f" AND stream_id < {param}"
    return (
        "SELECT global_position, stream_id, version, event_id, type, schema_version, "
        f"{data}, {actor}, recorded_at, hash FROM events WHERE {where} ORDER BY stream_id, version"
    )


def sample_sql(param: str, count: int) -> str:
    """The stream ids of the sampled events, in the store's order of stream ids."""
    marks = ", ".join([param] * count)
    return f"SELECT stream_id FROM events WHERE global_position IN ({marks}) ORDER BY stream_id"


def group_streams(rows: Iterable[Any]) -> Iterator[list[ReplayEvent]]:
    """Rows ordered by stream then version, as one list of ReplayEvents per stream."""
    make = ReplayEvent._make
    for _, group in groupby(rows, key=itemgetter(1)):
        yield list(map(make, group))


def from_stored(event: StoredEvent) -> ReplayEvent:
    """The lean view of a stored event (for a store that keeps StoredEvents: the in-memory one)."""
    metadata = event.metadata
    return ReplayEvent(
        event.global_position,
        event.stream_id,
        event.version,
        event.event_id,
        event.type,
        event.schema_version,
        json.dumps(event.data, ensure_ascii=False),
        json.dumps(metadata["actor"], ensure_ascii=False) if "actor" in metadata else None,
        event.recorded_at,
        event.hash,
    )


class SqlStreamReads:
    """`iter_streams` for the SQL stores, which name their dialect's expressions."""

    engine: Engine
    marker: str
    """The driver's parameter marker: `?` or `%s`."""
    replay_expressions: tuple[str, str]
    """SQL for the data as JSON text and for the metadata's actor as JSON text."""

    def iter_streams(
        self, up_to_position: int, *, shard: int = 0, shards: int = 1
    ) -> Iterator[list[ReplayEvent]]:
        check_shard(shard, shards)
        if shards > 1 and up_to_position < 1:
            return
        sampled = self._sampled(up_to_position) if shards > 1 else []
        lower, upper = shard_bounds(sampled, shard, shards)
        if shard > 0 and lower is None:  # nothing sampled: shard 0 takes the whole (empty) log
            return
        params = [up_to_position, *(b for b in (lower, upper) if b is not None)]
        data, actor = self.replay_expressions
        sql = replay_sql(data, actor, self.marker, lower=lower is not None, upper=upper is not None)
        with self._streaming(sql, params) as rows:
            yield from group_streams(rows)

    def _sampled(self, up_to_position: int) -> list[str]:
        positions = sample_positions(up_to_position)
        with self.engine.connect() as conn:
            raw: Any = conn.connection.dbapi_connection
            cursor = raw.cursor()
            try:
                cursor.execute(sample_sql(self.marker, len(positions)), positions)
                return [str(row[0]) for row in cursor.fetchall()]
            finally:
                cursor.close()

    @contextmanager
    def _streaming(self, sql: str, params: Sequence[Any]) -> Iterator[Iterable[Any]]:
        """The rows of one query as the driver steps through them. Here (SQLite) one statement
        is one snapshot, outside any transaction: it can run beside a rebuild's own."""
        with self.engine.connect() as conn:
            raw: Any = conn.connection.dbapi_connection
            cursor = raw.cursor()
            try:
                cursor.execute(sql, params)
                yield cursor
            finally:
                cursor.close()

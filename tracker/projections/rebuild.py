"""Rebuilding every projection from the log, and catching the read model up after a gap."""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, select, text

from tracker.db import writer
from tracker.eventstore.appending import paused_gc
from tracker.eventstore.protocol import EventStore
from tracker.projections import projector, statistics
from tracker.projections.bulkload import BulkWriter
from tracker.projections.sqlwrite import set_position
from tracker.projections.streamrows import TABLES
from tracker.projections.workers import in_workers, produce

PARALLEL_FROM = 20_000
"""Logs shorter than this are rebuilt in this process (forking costs more than it saves)."""
MAX_WORKERS = 4


class RebuildError(RuntimeError):
    """The replay did not read the log as it is; the rebuild rolled back."""


@dataclass(frozen=True, slots=True)
class RebuildReport:
    events: int
    streams: int
    position: int


def lock_log(conn: Connection) -> int:
    """Hold the log head for this transaction (appends wait) and return its position."""
    suffix = " FOR UPDATE" if conn.dialect.name == "postgresql" else ""
    return int(
        conn.execute(text(f"SELECT position FROM log_head WHERE id = 1{suffix}")).scalar_one()
    )


def _clear(conn: Connection) -> None:
    """Empty every table a rebuild fills. PostgreSQL truncates: far cheaper than DELETE for
    the COPY that follows (no dead rows, no index entries to step over, no bloat left), at
    the price of readers of these tables waiting for the rebuild to commit rather than reading
    the old rows meanwhile."""
    names = [table.name for table in TABLES]
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"TRUNCATE {', '.join(names)}"))
    else:
        for name in names:
            conn.execute(text(f"DELETE FROM {name}"))


def default_workers(engine: Engine, head: int) -> int:
    """Worker processes for a rebuild of `head` events: none for a small log, a one-core
    machine, an in-memory SQLite database or a platform without fork; else one per core."""
    cores = os.cpu_count() or 1
    forks = "fork" in multiprocessing.get_all_start_methods()
    database = engine.url.database or ""
    in_memory = engine.dialect.name == "sqlite" and (
        database in ("", ":memory:") or database.startswith("file:")  # a worker cannot share it
    )
    if head < PARALLEL_FROM or cores < 2 or not forks or in_memory:
        return 0
    return min(cores, MAX_WORKERS)


def rebuild(engine: Engine, store: EventStore, *, workers: int | None = None) -> RebuildReport:
    """Empty every projection and replay the whole log into it, in one transaction that
    holds the log head (appends wait). Streams are read and folded one at a time, their rows
    written in chunks, so memory stays flat however long the log; with `workers` (by default
    `default_workers`) forked processes compute the rows while this one writes them (pass 0
    from a process whose other threads hold locks a forked child could need)."""
    with paused_gc(), writer(engine).begin() as conn:
        head = lock_log(conn)
        _clear(conn)
        out = BulkWriter(conn)
        count = default_workers(engine, head) if workers is None else workers
        if count:
            in_workers(engine, store, head, count, out.write)
        else:
            produce(store, head, 0, 1, out.dialect, out.write)
        if out.events != head:  # positions have no gaps: every event up to the head, once
            raise RebuildError(f"replayed {out.events} events, not the {head} of the log")
        set_position(conn, projector.POSITIONS, projector.INLINE, head)
        set_position(conn, projector.POSITIONS, statistics.STATISTICS, head)
        return RebuildReport(out.events, out.streams, head)


def catch_up(engine: Engine, store: EventStore) -> int:
    """Re-project the streams touched after the inline position; returns how many."""
    with writer(engine).begin() as conn:
        head = lock_log(conn)
        done = int(
            conn.execute(
                select(projector.POSITIONS.c.position).where(
                    projector.POSITIONS.c.name == projector.INLINE
                )
            ).scalar_one()
        )
        if done >= head:
            return 0
        touched = {e.stream_id for e in store.iter_all(done) if e.global_position <= head}
        batch = [store.read_stream(s, up_to_position=head) for s in sorted(touched)]
        projector.replace_streams(conn, batch)
        set_position(conn, projector.POSITIONS, projector.INLINE, head)
        return len(touched)

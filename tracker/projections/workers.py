"""A rebuild's rows computed in worker processes, one shard of the streams each.

The rebuild's own transaction holds the log head, so every event up to the head is committed
and no other is written: a worker (forked, so it starts with the code loaded) reads its shard
of the log on a connection of its own, folds each stream, encodes the rows and sends them back
in chunks; the parent writes them in its transaction. Workers never write, and only read
events at or before the head. If a worker fails, or the parent does, the rebuild rolls back.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
import traceback
from collections.abc import Callable
from contextlib import suppress
from multiprocessing.connection import Connection as Pipe
from typing import Any

from sqlalchemy import Engine

from tracker.eventstore.protocol import EventStore
from tracker.projections.bulkload import Chunk, encode
from tracker.projections.streamrows import RowBatch

FLUSH_EVENTS = 5_000
"""Events per chunk: bounds the memory a rebuild holds, however long the log."""


_PARENTS: list[Any] = []
"""In a worker: the parent's connection pool, never to be touched."""


class RebuildWorkerError(RuntimeError):
    """A worker process failed or stopped; the rebuild's transaction rolls back."""


def produce(
    store: EventStore,
    head: int,
    shard: int,
    shards: int,
    dialect: str,
    emit: Callable[[Chunk], None],
) -> None:
    """Fold every stream of a shard up to `head` and emit its rows in chunks."""
    batch = RowBatch()
    for events in store.iter_streams(head, shard=shard, shards=shards):
        batch.add(events)
        if batch.events >= FLUSH_EVENTS:
            emit(encode(batch, dialect))
            batch = RowBatch()
    if batch.streams:
        emit(encode(batch, dialect))


def _work(
    engine: Engine, store: EventStore, head: int, shard: int, shards: int, pipe: Pipe
) -> None:
    # The pooled connections are the parent's: keep them referenced, so that nothing here
    # closes, resets or frees them, and read on new ones (the process ends with os._exit).
    _PARENTS.append(engine.pool)
    engine.dispose(close=False)
    try:
        produce(store, head, shard, shards, engine.dialect.name, pipe.send)
        pipe.send(None)
    except BaseException:
        pipe.send(traceback.format_exc())
    finally:
        pipe.close()


def in_workers(
    engine: Engine, store: EventStore, head: int, workers: int, write: Callable[[Chunk], Any]
) -> None:
    """Compute the rows in `workers` forked processes and `write` each chunk as it comes.

    A thread per worker receives its chunks into a short queue, so that a worker goes on
    computing while this thread writes another's chunk (the queue bounds the memory held)."""
    context = multiprocessing.get_context("fork")
    inbox: queue.Queue[Chunk | str | None] = queue.Queue(maxsize=2 * workers)
    processes: list[Any] = []
    pipes: list[Pipe] = []
    relays: list[threading.Thread] = []
    try:
        for shard in range(workers):
            receive, send = context.Pipe(duplex=False)
            process = context.Process(
                target=_work,
                args=(engine, store, head, shard, workers, send),
                name=f"tracker-rebuild-{shard}",
                daemon=True,
            )
            process.start()
            send.close()
            processes.append(process)
            pipes.append(receive)
        for pipe in pipes:
            relays.append(threading.Thread(target=_relay, args=(pipe, inbox), daemon=True))
            relays[-1].start()
        finished = 0
        while finished < workers:
            message = inbox.get()
            if isinstance(message, Chunk):
                write(message)
            elif message is None:
                finished += 1
            else:
                raise RebuildWorkerError(message)
    finally:
        _stop(processes, pipes, relays, inbox)


def _relay(pipe: Pipe, inbox: queue.Queue[Chunk | str | None]) -> None:
    """Pass a worker's messages on until its last one (None when done, text when failed)."""
    try:
        while True:
            message = pipe.recv()
            inbox.put(message)
            if not isinstance(message, Chunk):
                return
    except (EOFError, OSError):
        inbox.put("a rebuild worker stopped before it finished")


def _stop(
    processes: list[Any],
    pipes: list[Pipe],
    relays: list[threading.Thread],
    inbox: queue.Queue[Chunk | str | None],
) -> None:
    """End the workers (at once if they are still running: the rebuild failed) and their
    relays, which may be waiting to put a last message in the full queue."""
    for process in processes:
        if process.is_alive():
            process.kill()
        process.join()
    for relay in relays:
        while relay.is_alive():
            with suppress(queue.Empty):
                inbox.get_nowait()
            relay.join(0.01)
    for pipe in pipes:
        pipe.close()

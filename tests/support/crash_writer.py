"""A process to kill mid-append: `python -m tests.support.crash_writer URL EVENTS MARKER MODE`.

It appends one batch of EVENTS events (5 per stream) and touches MARKER when it gets to the
point where the test should kill it:
- "within": inside the append's transaction, after every row is written, before COMMIT
  (then it sleeps, waiting for SIGKILL);
- "midway": halfway through writing the rows (inside COPY on PostgreSQL, inside executemany
  on SQLite), then it sleeps;
- "committed": after the append returned, then it sleeps.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tracker.db import make_engine
from tracker.eventstore import open_store
from tracker.eventstore.appending import Linker
from tracker.eventstore.model import NewEvent, StoredEvent, StreamAppend


def main(url: str, count: int, marker: Path, mode: str) -> None:
    store = open_store(make_engine(url))
    batch = [
        StreamAppend(
            f"crash-{i}",
            tuple(
                NewEvent(type="NoteAdded", data={"i": i, "j": j, "text": "x" * 200})
                for j in range(5)
            ),
            0,
        )
        for i in range(count // 5)
    ]

    def hang(conn: Any, events: Sequence[StoredEvent]) -> None:
        marker.touch()
        time.sleep(120)

    if mode == "midway":
        rows = Linker.rows

        def rows_then_hang(self: Linker) -> Any:
            for index, row in enumerate(rows(self)):
                if index == count // 2:
                    marker.touch()
                    time.sleep(120)
                yield row

        Linker.rows = rows_then_hang  # type: ignore[method-assign]
    store.append_batch(batch, within=hang if mode == "within" else None)
    if mode == "committed":
        marker.touch()
        time.sleep(120)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4])

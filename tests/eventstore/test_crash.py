"""A writer killed mid-append leaves the log whole: the batch is all there or not at all.

The writer is killed at known points: inside the append's transaction (halfway through the rows,
and after all of them but before COMMIT), where none of it may survive, and after COMMIT.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tracker.eventstore import open_store
from tracker.eventstore.model import NewEvent

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
EVENTS = 20_000


def start_writer(url: str, marker: Path, mode: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.crash_writer", url, str(EVENTS), str(marker), mode],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def wait_for(marker: Path, writer: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        if writer.poll() is not None:
            stderr = writer.stderr.read().decode() if writer.stderr else ""
            pytest.fail(f"the writer exited early ({writer.returncode}): {stderr}")
        if time.monotonic() > deadline:
            writer.kill()
            pytest.fail("the writer never reached the kill point")
        time.sleep(0.01)


@pytest.mark.parametrize("mode", ["midway", "within", "committed"])
def test_a_killed_writer_leaves_all_or_nothing(
    sql_engine: Engine, tmp_path: Path, mode: str
) -> None:
    store = open_store(sql_engine)
    store.append("case-before", [NewEvent(type="NoteAdded", data={"n": 1})], 0)
    head = store.head()
    url = sql_engine.url.render_as_string(hide_password=False)
    marker = tmp_path / "started"

    writer = start_writer(url, marker, mode)
    wait_for(marker, writer)
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL

    result = store.verify()
    assert result.intact, result.problem
    written = store.head().position - head.position
    if mode == "committed":
        assert written == EVENTS
        assert len(store.read_stream(f"crash-{EVENTS // 5 - 1}")) == 5
    else:  # killed before COMMIT: none of it survives, not even the rows already sent
        assert written == 0
        assert store.head() == head
        assert store.read_stream("crash-0") == []
    # The lock died with the writer: the next append goes through, right after the head.
    after = store.append("case-after", [NewEvent(type="NoteAdded", data={})], 0)
    assert after[0].global_position == head.position + written + 1
    assert store.verify().intact

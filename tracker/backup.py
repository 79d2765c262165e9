"""The whole log as JSON Lines: the backup, and the way to move from SQLite to PostgreSQL.

Line 1 is a header naming the format and the log head the file was made from; then one event
per line in position order, with its position, times and hashes, so that anyone can check the
chain with the README's recipe. `restore_log` reads a file into an EMPTY log: every line is
checked while it is read (its shape here, its place in the chain by the store), and a broken,
altered or cut-short file is refused naming the line; then nothing is stored.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

from tracker.eventstore.chain import canonical_text
from tracker.eventstore.model import EventStoreError, LogHead, StoredEvent
from tracker.eventstore.protocol import EventStore
from tracker.eventstore.restore import RestoreError

if TYPE_CHECKING:
    from tracker.bootstrap import Services
    from tracker.projections.rebuild import RebuildReport

FORMAT = "crimea-case-tracker/log"
FORMAT_VERSION = 1
FIELDS = (
    "global_position",
    "stream_id",
    "version",
    "event_id",
    "type",
    "schema_version",
    "data",
    "metadata",
    "recorded_at",
    "prev_hash",
    "hash",
)
_TYPES: dict[str, type] = {
    name: int if name in {"global_position", "version", "schema_version"} else str
    for name in FIELDS
}
_TYPES |= {"data": dict, "metadata": dict}
_quote = json.encoder.encode_basestring
_DECODER = json.JSONDecoder()


class BackupError(EventStoreError):
    """A log file that cannot be restored; the message names the line."""


@dataclass(frozen=True, slots=True)
class RestoreReport:
    events: int
    head: LogHead


def event_line(e: StoredEvent) -> str:
    """One event as a line of the file (without the newline); keys in FIELDS order."""
    return (
        f'{{"global_position":{e.global_position},"stream_id":{_quote(e.stream_id)},'
        f'"version":{e.version},"event_id":{_quote(e.event_id)},"type":{_quote(e.type)},'
        f'"schema_version":{e.schema_version},"data":{canonical_text(e.data)},'
        f'"metadata":{canonical_text(e.metadata)},"recorded_at":{_quote(e.recorded_at)},'
        f'"prev_hash":{_quote(e.prev_hash)},"hash":{_quote(e.hash)}}}'
    )


def export_log(store: EventStore, out: IO[bytes], *, now: datetime | None = None) -> LogHead:
    """Write the header and every event up to the head as it was when the export began."""
    head = store.head()
    header = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "head_position": head.position,
        "head_hash": head.hash,
        "exported_at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
    }
    out.write(json.dumps(header).encode() + b"\n")
    buffer: list[str] = []
    for event in store.iter_all(0, page_size=5000):
        if event.global_position > head.position:
            break
        buffer.append(event_line(event))
        if len(buffer) >= 1000:
            out.write(("\n".join(buffer) + "\n").encode())
            buffer.clear()
    if buffer:
        out.write(("\n".join(buffer) + "\n").encode())
    return head


def export_log_file(store: EventStore, path: Path) -> LogHead:
    """`export_log` into a file, written beside it first and renamed when complete."""
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("wb") as out:
            head = export_log(store, out)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    return head


class _Reader:
    """Reads a log file line by line; `line` is the number of the line read last."""

    def __init__(self, lines: IO[bytes]) -> None:
        self._lines = lines
        self.line = 0
        self.count = 0

    def _next(self) -> bytes | None:
        for raw in self._lines:
            self.line += 1
            text = raw.rstrip(b"\r\n")
            if text:
                return text
            self._fail("is empty")
        return None

    def _fail(self, problem: str) -> NoReturn:
        raise BackupError(f"line {self.line}: {problem}")

    def _object(self, raw: bytes) -> dict[str, Any]:
        try:
            text = raw.decode("utf-8")
            value, end = _DECODER.raw_decode(text)
            if end != len(text):
                raise ValueError(f"extra data after the object at character {end}")
        except (UnicodeDecodeError, ValueError) as exc:
            raise BackupError(f"line {self.line}: not a JSON line ({exc})") from None
        if type(value) is not dict:
            self._fail("is not a JSON object")
        return value

    def header(self) -> LogHead:
        raw = self._next()
        if raw is None:
            raise BackupError("the file is empty: it has no header line")
        header = self._object(raw)
        if header.get("format") != FORMAT or header.get("format_version") != FORMAT_VERSION:
            self._fail(f"not a tracker log file (format {FORMAT} {FORMAT_VERSION} expected)")
        position, hash_ = header.get("head_position"), header.get("head_hash")
        if type(position) is not int or position < 0 or not isinstance(hash_, str):
            self._fail("the header's head_position or head_hash is missing or wrong")
        return LogHead(position, hash_)

    def events(self, head: LogHead) -> Iterator[StoredEvent]:
        """Every event line as a StoredEvent; at the end, the last hash must be the header's."""
        position, hash_ = 0, "0" * 64
        while (raw := self._next()) is not None:
            event = self._event(self._object(raw))
            self.count += 1
            position, hash_ = event.global_position, event.hash
            yield event
        if position != head.position or (head.position and hash_ != head.hash):
            self.line += 1
            self._fail(
                f"the file ends at position {position}, but its header says the log head "
                f"is position {head.position} ({head.hash[:12]}...): it was cut short or altered"
            )

    def _event(self, item: dict[str, Any]) -> StoredEvent:
        try:
            event = StoredEvent(
                item["global_position"],
                item["stream_id"],
                item["version"],
                item["event_id"],
                item["type"],
                item["schema_version"],
                item["data"],
                item["metadata"],
                item["recorded_at"],
                item["prev_hash"],
                item["hash"],
            )
        except KeyError:
            event = None
        if event is None or len(item) != len(FIELDS):
            missing = sorted(set(FIELDS) - set(item))
            extra = sorted(set(item) - set(FIELDS))
            self._fail(f"an event needs exactly {', '.join(FIELDS)} (missing {missing}, "
                       f"unexpected {extra})")  # fmt: skip
        if not (
            type(event.global_position) is int
            and type(event.version) is int
            and type(event.schema_version) is int
            and type(event.data) is dict
            and type(event.metadata) is dict
            and type(event.stream_id) is str
            and type(event.event_id) is str
            and type(event.type) is str
            and type(event.recorded_at) is str
            and type(event.prev_hash) is str
            and type(event.hash) is str
        ):
            wrong = next(n for n in FIELDS if type(item[n]) is not _TYPES[n])
            self._fail(f"{wrong} has the wrong type ({type(item[wrong]).__name__})")
        return event


def restore_log(store: EventStore, lines: IO[bytes]) -> RestoreReport:
    """Read a log file into the store's empty log, in one transaction: all of it, or nothing.

    Raises BackupError naming the line for a malformed or broken file (RestoreError's place in
    the chain becomes the line it came from), NotEmpty when the log already holds events.
    """
    reader = _Reader(lines)
    header = reader.header()
    try:
        head = store.restore(reader.events(header))
    except BackupError:
        raise
    except RestoreError as exc:
        if exc.position is None:
            raise
        raise BackupError(f"line {reader.line}: {exc}") from None
    return RestoreReport(reader.count, head)


def restore_file(services: Services, path: Path) -> tuple[RestoreReport, RebuildReport]:
    """Restore a log file into the services' empty database, then rebuild every projection."""
    from tracker.projections.rebuild import rebuild

    with path.open("rb") as lines:
        report = restore_log(services.store, lines)
    return report, rebuild(services.engine, services.store)


__all__ = [
    "FIELDS",
    "BackupError",
    "RestoreReport",
    "event_line",
    "export_log",
    "export_log_file",
    "restore_file",
    "restore_log",
]

"""The hash chain: canonical event bytes and the link hash (the recipe is in README.md).

H_i = SHA-256( H_(i-1) as 64 lowercase hex ASCII bytes
               || position as decimal ASCII || LF
               || canonical JSON bytes of the event )

The canonical JSON is an object with the keys data, event_id, metadata, recorded_at,
schema_version, stream_id, type, version; keys sorted at every level, no whitespace,
UTF-8 without escaping non-ASCII, integers only (no floats). The genesis H_0 is 64 zeros.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

from tracker.eventstore.model import JSON, InvalidEvent, LogHead

GENESIS_HASH = "0" * 64
_MAX_DEPTH = 32


def check_json(value: JSON, where: str = "data", depth: int = 0) -> None:
    """Refuse what canonical JSON (and PostgreSQL JSONB) cannot carry exactly, naming the place."""
    if depth > _MAX_DEPTH:
        raise InvalidEvent(f"{where}: nested deeper than {_MAX_DEPTH} levels")
    # This runs for every event appended: exact types first (isinstance against the Mapping
    # ABC is slow), and plain leaves inside containers are checked inline, without a call or
    # a path string; anything else recurses with its path.
    kind = type(value)
    inline = depth < _MAX_DEPTH
    if kind is dict or (kind is not list and kind is not tuple and isinstance(value, Mapping)):
        for key, item in value.items():
            if type(key) is not str and not isinstance(key, str):
                raise InvalidEvent(f"{where}: key {key!r} is not text")
            if "\x00" in key:
                raise InvalidEvent(f"{where}: key contains a NUL character")
            if not key.isascii():
                _check_text(key, f"{where}: key {key[:40]!r}")
            item_kind = type(item)
            if inline and (item is None or item_kind is int or item_kind is bool):
                continue
            if inline and item_kind is str and "\x00" not in item and item.isascii():
                continue
            check_json(item, f"{where}.{key}", depth + 1)
        return
    if kind is list or kind is tuple or isinstance(value, list | tuple):
        for index, item in enumerate(value):
            item_kind = type(item)
            if inline and (item is None or item_kind is int or item_kind is bool):
                continue
            if inline and item_kind is str and "\x00" not in item and item.isascii():
                continue
            check_json(item, f"{where}[{index}]", depth + 1)
        return
    if value is None or isinstance(value, bool | int):
        return
    if isinstance(value, str):
        _check_text(value, where)
        return
    if isinstance(value, float):
        reason = "not a finite number" if not math.isfinite(value) else "a float"
        raise InvalidEvent(f"{where}: {value!r} is {reason}; store numbers as integers or text")
    raise InvalidEvent(f"{where}: {type(value).__name__} is not a JSON value")


def _check_text(value: str, where: str) -> None:
    if "\x00" in value:
        raise InvalidEvent(f"{where}: text contains a NUL character")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidEvent(f"{where}: text is not valid Unicode (a lone surrogate)") from None


def _refuse(value: object) -> None:
    raise TypeError(f"{type(value).__name__} is not a JSON value")


# The C encoder json.dumps uses, built once with the canonical settings (json.dumps builds an
# encoder per call, which costs more than encoding a small event). Same bytes either way.
_encode = (
    json.encoder.c_make_encoder(  # type: ignore[attr-defined]
        None, _refuse, json.encoder.encode_basestring, None, ":", ",", True, False, False
    )
    if getattr(json.encoder, "c_make_encoder", None) is not None
    else None
)


def canonical_text(value: JSON) -> str:
    """`canonical_json` before UTF-8 encoding (what the SQL stores keep as text)."""
    if _encode is not None:
        return "".join(_encode(value, 0))
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def canonical_json(value: JSON) -> bytes:
    """Sorted keys, no whitespace, UTF-8; the bytes every verifier must reproduce."""
    return canonical_text(value).encode("utf-8")


def canonical_event(
    *,
    stream_id: str,
    version: int,
    event_id: str,
    type: str,
    schema_version: int,
    data: Mapping[str, JSON],
    metadata: Mapping[str, JSON],
    recorded_at: str,
) -> bytes:
    """The canonical bytes of one event (everything but its position and hashes)."""
    return canonical_json(
        {
            "data": data,
            "event_id": event_id,
            "metadata": metadata,
            "recorded_at": recorded_at,
            "schema_version": schema_version,
            "stream_id": stream_id,
            "type": type,
            "version": version,
        }
    )


def canonical_event_from_json(
    *,
    stream_id: str,
    version: int,
    event_id: str,
    type: str,
    schema_version: int,
    data_json: str,
    metadata_json: str,
    recorded_at: str,
) -> bytes:
    """`canonical_event`'s bytes when data and metadata are already canonical JSON text.

    The appender has that text (it is what it stores), and splicing it in spares encoding
    the data twice. Byte-for-byte equal to `canonical_event` (a property test checks it).
    """
    quote = json.encoder.encode_basestring  # what the encoder uses with ensure_ascii=False
    return (
        f'{{"data":{data_json},"event_id":{quote(event_id)},"metadata":{metadata_json},'
        f'"recorded_at":{quote(recorded_at)},"schema_version":{int(schema_version)},'
        f'"stream_id":{quote(stream_id)},"type":{quote(type)},"version":{int(version)}}}'
    ).encode()


def link_hash(prev_hash: str, position: int, canonical: bytes) -> str:
    """H_i from H_(i-1), the position and the event's canonical bytes."""
    digest = hashlib.sha256()
    digest.update(prev_hash.encode("ascii"))
    digest.update(str(position).encode("ascii"))
    digest.update(b"\n")
    digest.update(canonical)
    return digest.hexdigest()


class ChainLink(Protocol):
    """What hashing needs of an event: a StoredEvent, or any row with the same attributes."""

    @property
    def global_position(self) -> int: ...
    @property
    def stream_id(self) -> str: ...
    @property
    def version(self) -> int: ...
    @property
    def event_id(self) -> str: ...
    @property
    def type(self) -> str: ...
    @property
    def schema_version(self) -> int: ...
    @property
    def data(self) -> Mapping[str, JSON]: ...
    @property
    def metadata(self) -> Mapping[str, JSON]: ...
    @property
    def recorded_at(self) -> str: ...
    @property
    def prev_hash(self) -> str: ...
    @property
    def hash(self) -> str: ...


def event_canonical(event: ChainLink) -> bytes:
    """Canonical bytes of a stored event."""
    return canonical_event(
        stream_id=event.stream_id,
        version=event.version,
        event_id=event.event_id,
        type=event.type,
        schema_version=event.schema_version,
        data=event.data,
        metadata=event.metadata,
        recorded_at=event.recorded_at,
    )


@dataclass(frozen=True, slots=True)
class VerifyResult:
    """The outcome of walking the chain: how far it held, and where it broke if it did."""

    count: int
    head_hash: str
    first_bad_position: int | None = None
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.first_bad_position is None


def verify_chain(events: Iterable[ChainLink], head: LogHead | None = None) -> VerifyResult:
    """Walk events in position order; stop at the first gap, bad link or bad hash.

    `head` is the log head the store recorded: events missing from the end, or a head
    hash that the events do not reproduce, are caught too.
    """
    prev = GENESIS_HASH
    expected_position = 1
    count = 0
    for event in events:
        if event.global_position != expected_position:
            return VerifyResult(
                count, prev, expected_position, f"position {expected_position} is missing"
            )
        if event.prev_hash != prev:
            return VerifyResult(
                count, prev, event.global_position, "prev_hash does not match the previous hash"
            )
        actual = link_hash(prev, event.global_position, event_canonical(event))
        if actual != event.hash:
            return VerifyResult(
                count, prev, event.global_position, "hash does not match the event's content"
            )
        prev = actual
        expected_position += 1
        count += 1
    if head is not None:
        if head.position > count:
            return VerifyResult(count, prev, count + 1, f"position {count + 1} is missing")
        if head.position < count:
            return VerifyResult(count, prev, head.position + 1, "the log head is behind the events")
        if head.hash != prev:
            return VerifyResult(
                count, prev, max(count, 1), "the log head hash does not match the last event"
            )
    return VerifyResult(count, prev)

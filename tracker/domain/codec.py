"""Turning events into stored data and back, upcasting old schema versions on the way in.

Stored events are never rewritten: when an event's shape changes, its class's SCHEMA_VERSION
goes up and an upcaster from the old version is registered here.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from pydantic import ValidationError

from tracker.domain.events import EVENT_TYPES, DomainEvent
from tracker.domain.upcasts import STEPS

Upcaster = Callable[[dict[str, Any]], dict[str, Any]]

UPCASTERS: dict[tuple[str, int], Upcaster] = {}
"""(type, from_version) -> function returning the data at from_version + 1."""
UPCASTERS.update(STEPS)


class UnknownEventType(ValueError):
    """A stored event's type or schema version is not one this code knows."""


def upcaster(event_type: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Register a function that lifts `event_type` data from `from_version` to the next."""

    def register(fn: Upcaster) -> Upcaster:
        UPCASTERS[(event_type, from_version)] = fn
        return fn

    return register


def encode(event: DomainEvent) -> tuple[str, int, dict[str, Any]]:
    """(type, schema_version, JSON data) for storing."""
    return event.TYPE, event.SCHEMA_VERSION, event.model_dump(mode="json")


def upcast(event_type: str, schema_version: int, data: Mapping[str, Any]) -> dict[str, Any]:
    """Lift stored data to the current schema version of its type."""
    cls = EVENT_TYPES.get(event_type)
    if cls is None:
        raise UnknownEventType(f"unknown event type {event_type!r}")
    current = dict(data)
    version = schema_version
    while version < cls.SCHEMA_VERSION:
        step = UPCASTERS.get((event_type, version))
        if step is None:
            raise UnknownEventType(f"no upcaster for {event_type} v{version}")
        current = step(current)
        version += 1
    if version > cls.SCHEMA_VERSION:
        raise UnknownEventType(
            f"{event_type} v{schema_version} is newer than this code (v{cls.SCHEMA_VERSION})"
        )
    return current


def decode(event_type: str, schema_version: int, data: Mapping[str, Any]) -> DomainEvent:
    """A domain event from stored data, upcast first; raises UnknownEventType or ValidationError."""
    cls = EVENT_TYPES.get(event_type)
    if cls is None:
        raise UnknownEventType(f"unknown event type {event_type!r}")
    if schema_version == cls.SCHEMA_VERSION:
        return cls.model_validate(data)
    return cls.model_validate(upcast(event_type, schema_version, data))


def decode_json(event_type: str, schema_version: int, text: str | bytes) -> DomainEvent:
    """`decode` from the data's JSON text: a current-version event is validated straight from
    the text (no dict in between); an older one is parsed, upcast, then validated."""
    cls = EVENT_TYPES.get(event_type)
    if cls is None:
        raise UnknownEventType(f"unknown event type {event_type!r}")
    if schema_version == cls.SCHEMA_VERSION:  # model_validate_json minus its wrapper
        event: DomainEvent = cls.__pydantic_validator__.validate_json(text)
        return event
    return cls.model_validate(upcast(event_type, schema_version, json.loads(text)))


def validate(event_type: str, data: Mapping[str, Any]) -> DomainEvent:
    """Build a current-version event from user data; ValidationError names each bad field."""
    cls = EVENT_TYPES.get(event_type)
    if cls is None:
        raise UnknownEventType(f"unknown event type {event_type!r}")
    return cls.model_validate(data)


__all__ = [
    "UPCASTERS",
    "UnknownEventType",
    "ValidationError",
    "decode",
    "decode_json",
    "encode",
    "upcast",
    "upcaster",
    "validate",
]

"""The upcasters: each lifts one event type's stored data from one schema version to the next,
keeping what the stored event meant when it was written (stored events are never rewritten)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Data = dict[str, Any]


def note_v1_v2(data: Data) -> Data:
    """A v1 note without the flag was public (v1's default); v2 notes default to internal."""
    return {"internal": False, **data}


def contact_v1_v2(data: Data) -> Data:
    """Every v1 contact was restricted; v2 says so with `internal`."""
    return {**data, "internal": True}


def detention_v1_v2(data: Data) -> Data:
    """v1's stage defaulted to pre-trial (v2: unknown); v1 named no charges."""
    return {"stage": "pre_trial", **data, "charges": data.get("charges", [])}


def verdict_v1_v2(data: Data) -> Data:
    """v1 verdicts named no charges."""
    return {**data, "charges": data.get("charges", [])}


STEPS: dict[tuple[str, int], Callable[[Data], Data]] = {
    ("NoteAdded", 1): note_v1_v2,
    ("RelativeContactRecorded", 1): contact_v1_v2,
    ("DetentionRecorded", 1): detention_v1_v2,
    ("VerdictDelivered", 1): verdict_v1_v2,
}
"""(type, from_version) -> the step to from_version + 1."""

__all__ = ["STEPS"]

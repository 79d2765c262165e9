"""An event's fields as a person reads them, whole (no cutting): for the review queue, the
event page and 'My items'. Citations are left out: pages show them with their sources."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from tracker.domain import charges
from tracker.domain.dates import PartialDate
from tracker.domain.events import DomainEvent
from tracker.domain.values import Charge
from web.forms import date_text, words


@dataclass(frozen=True, slots=True)
class Shown:
    """One field: its label, its text, and whether it is a yes/no flag (`flag` is its value)."""

    label: str
    text: str
    flag: bool | None = None


def _text(value: Any) -> str:
    if isinstance(value, Charge):
        return charges.describe(value)
    if isinstance(value, PartialDate):
        return date_text(value) or "unknown"
    if isinstance(value, enum.Enum):
        return words(str(value.value))
    display = getattr(value, "display", None)
    if isinstance(value, BaseModel) and callable(display):
        return str(display())
    if isinstance(value, tuple):
        return "; ".join(_text(v) for v in value)
    return str(value)


def event_fields(event: DomainEvent) -> list[Shown]:
    """The event's filled-in fields, in the model's order."""
    shown: list[Shown] = []
    for name in type(event).model_fields:
        value = getattr(event, name)
        if name == "citations" or value in ("", None, ()):
            continue
        if isinstance(value, bool):
            shown.append(Shown(words(name), "", value))
        else:
            shown.append(Shown(words(name), _text(value)))
    return shown


__all__ = ["Shown", "event_fields"]

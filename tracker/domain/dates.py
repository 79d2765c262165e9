"""Partial dates: 'March 2014' stays March 2014, never becomes 2014-03-01."""

from __future__ import annotations

import calendar
import re
from datetime import date
from enum import StrEnum
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator


class Precision(StrEnum):
    """How much of a date is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    APPROXIMATE = "approximate"
    UNKNOWN = "unknown"


_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DOTTED = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name} | {
    name.lower(): i for i, name in enumerate(calendar.month_abbr) if name
}


class PartialDate(BaseModel):
    """A date known to a day, a month, a year, approximately, or not at all.

    `value` is an ISO prefix ('2014-03-05', '2014-03', '2014'); empty when unknown.
    An approximate date keeps the ISO prefix it approximates. An unknown date may carry
    `not_after`, the last day it can have been (known from the source's own date).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    precision: Precision
    value: str = ""
    not_after: str | None = None

    @model_validator(mode="after")
    def _check(self) -> PartialDate:
        _check_fields(self.precision, self.value, self.not_after)
        return self

    # constructors -------------------------------------------------------------------------
    @classmethod
    def unknown(cls, not_after: date | None = None) -> PartialDate:
        return cls(
            precision=Precision.UNKNOWN, not_after=not_after.isoformat() if not_after else None
        )

    @classmethod
    def day(cls, value: date) -> PartialDate:
        return cls(precision=Precision.DAY, value=value.isoformat())

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read '2014-03-05', '05.03.2014', '2014-03', 'March 2014', '2014', 'c. 2014',
        '~2014-03', 'unknown', '' or 'unknown, by 2026-02-26'. Raises ValueError naming the text."""
        raw = text.strip()
        lowered = raw.lower()
        if lowered in {"", "unknown", "?", "n/a"}:
            return cls.unknown()
        if lowered.startswith(("unknown, by ", "unknown by ", "before ", "by ")):
            bound = lowered.rsplit(" ", 1)[-1]
            return cls(precision=Precision.UNKNOWN, not_after=_parse_iso_day(bound).isoformat())
        for prefix in ("c. ", "c.", "ca. ", "circa ", "~", "about "):
            if lowered.startswith(prefix):
                inner = cls.parse(raw[len(prefix) :])
                if inner.precision is Precision.UNKNOWN:
                    raise ValueError(f"{text!r}: an approximate date needs a year")
                return cls(precision=Precision.APPROXIMATE, value=inner.value)
        dotted = _DOTTED.match(raw)
        if dotted:
            d, m, y = (int(g) for g in dotted.groups())
            return cls.day(_checked_date(y, m, d, text))
        words = lowered.replace(",", " ").split()
        if len(words) == 2 and words[0] in _MONTHS and words[1].isdigit() and len(words[1]) == 4:
            return cls(precision=Precision.MONTH, value=f"{words[1]}-{_MONTHS[words[0]]:02d}")
        match = _ISO.match(raw)
        if not match:
            raise ValueError(
                f"{text!r} is not a date: use 2014-03-05, 05.03.2014, 2014-03, March 2014, "
                "2014, c. 2014 or unknown"
            )
        year, month, day = match.groups()
        if day is not None:
            return cls.day(_checked_date(int(year), int(month), int(day), text))
        if month is not None:
            if not 1 <= int(month) <= 12:
                raise ValueError(f"{text!r}: month {month} does not exist")
            return cls(precision=Precision.MONTH, value=f"{year}-{month}")
        return cls(precision=Precision.YEAR, value=year)

    # reading ------------------------------------------------------------------------------
    @property
    def is_known(self) -> bool:
        return self.precision is not Precision.UNKNOWN

    def earliest(self) -> date | None:
        """The first day it can have been; None when unknown."""
        return _first_day(self.value) if self.value else None

    def latest(self) -> date | None:
        """The last day it can have been; for an unknown date, `not_after` or None."""
        if not self.value:
            return _parse_iso_day(self.not_after) if self.not_after else None
        return _last_day(self.value)

    def sort_key(self) -> tuple[int, str]:
        """Known dates in order of their first possible day; unknown dates after them."""
        return _sort_key(self.value, self.not_after)

    def certainly_by(self, day: date) -> bool:
        """True when it had certainly happened by the end of `day`."""
        last = self.latest()
        return last is not None and last <= day

    def display(self) -> str:
        """'2014-03-05', '2014-03', '2014', 'c. 2014', 'unknown' or 'unknown (by 2026-02-26)'."""
        if self.precision is Precision.UNKNOWN:
            return f"unknown (by {self.not_after})" if self.not_after else "unknown"
        if self.precision is Precision.APPROXIMATE:
            return f"c. {self.value}"
        return self.value

    def __str__(self) -> str:
        return self.display()


_PARTS = {Precision.DAY: 3, Precision.MONTH: 2, Precision.YEAR: 1}


@lru_cache(maxsize=65_536)
def _check_fields(precision: Precision, value: str, not_after: str | None) -> None:
    """Raise ValueError unless the fields make a date (cached: dates repeat across a log)."""
    if precision is Precision.UNKNOWN:
        if value:
            raise ValueError("an unknown date has no value")
        if not_after is not None:
            _parse_iso_day(not_after)
        return
    if not_after is not None:
        raise ValueError("only an unknown date carries not_after")
    parts = _iso_parts(value)
    expected = _PARTS.get(precision)
    if expected is not None and len(parts) != expected:
        raise ValueError(f"{value!r} does not have {precision.value} precision")


@lru_cache(maxsize=65_536)
def _iso_parts(value: str) -> tuple[int, ...]:
    match = _ISO.match(value)
    if not match:
        raise ValueError(f"{value!r} is not an ISO date prefix (YYYY, YYYY-MM or YYYY-MM-DD)")
    parts = tuple(int(g) for g in match.groups() if g is not None)
    if len(parts) >= 2 and not 1 <= parts[1] <= 12:
        raise ValueError(f"{value!r}: month {parts[1]} does not exist")
    if len(parts) == 3:
        _checked_date(parts[0], parts[1], parts[2], value)
    return parts


@lru_cache(maxsize=65_536)
def _sort_key(value: str, not_after: str | None) -> tuple[int, str]:
    if value:
        return (0, _first_day(value).isoformat())
    return (1, not_after or "9999-12-31")


@lru_cache(maxsize=65_536)
def _first_day(value: str) -> date:
    parts = _iso_parts(value)
    return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


@lru_cache(maxsize=65_536)
def _last_day(value: str) -> date:
    parts = _iso_parts(value)
    year = parts[0]
    if len(parts) == 3:
        return date(year, parts[1], parts[2])
    if len(parts) == 2:
        return date(year, parts[1], calendar.monthrange(year, parts[1])[1])
    return date(year, 12, 31)


def _checked_date(year: int, month: int, day: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a day of the calendar") from None


@lru_cache(maxsize=4096)
def _parse_iso_day(value: Any) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{value!r} is not a day (YYYY-MM-DD)") from None

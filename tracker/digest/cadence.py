"""When a subscription is due: daily or weekly, at an hour of a day in an IANA time zone. Pure.

A subscription is due once the latest scheduled moment at or before now is later than its last
run; a run missed while nothing was running is therefore done once, at the next check, and the
watermark (not the schedule) decides what it covers, so no change is ever skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class Frequency(StrEnum):
    DAILY = "daily"
    WEEKLY = "weekly"


class CadenceError(ValueError):
    """A cadence that cannot be scheduled; `field` names the bad part."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class Cadence:
    """Daily or weekly at `hour` (0..23) in `timezone`; weekly on `weekday` (0: Monday)."""

    frequency: Frequency
    hour: int
    timezone: str
    weekday: int | None = None

    @classmethod
    def parse(cls, frequency: str, hour: int, timezone: str, weekday: int | None) -> Cadence:
        """A checked cadence; CadenceError naming the field otherwise."""
        try:
            freq = Frequency(frequency)
        except ValueError:
            raise CadenceError("cadence", f"{frequency[:40]!r} is not daily or weekly") from None
        if not 0 <= hour <= 23:
            raise CadenceError("hour", f"{hour} is not an hour from 0 to 23")
        zone(timezone)
        if freq is Frequency.WEEKLY:
            if weekday is None:
                raise CadenceError("weekday", "a weekly digest needs a day of the week")
            if not 0 <= weekday <= 6:
                raise CadenceError("weekday", f"{weekday} is not a day from 0 (Monday) to 6")
        else:
            weekday = None
        return cls(freq, hour, timezone, weekday)

    def describe(self) -> str:
        when = f"{self.hour:02d}:00 ({self.timezone})"
        if self.frequency is Frequency.WEEKLY and self.weekday is not None:
            return f"weekly, {WEEKDAYS[self.weekday]}s at {when}"
        return f"daily at {when}"

    def last_slot(self, now: datetime) -> datetime:
        """The latest scheduled moment at or before `now`, in UTC."""
        tz = zone(self.timezone)
        local = now.astimezone(tz)
        day = local.date()
        for back in range(0, 9):
            candidate_day = day - timedelta(days=back)
            if self.weekday is not None and candidate_day.weekday() != self.weekday:
                continue
            moment = datetime(
                candidate_day.year, candidate_day.month, candidate_day.day, self.hour, tzinfo=tz
            )
            if moment.astimezone(UTC) <= now.astimezone(UTC):
                return moment.astimezone(UTC)
        raise AssertionError("a slot is always found within 8 days")  # pragma: no cover

    def is_due(self, last_run: datetime, now: datetime) -> bool:
        """True when a scheduled moment fell after the last run and at or before now."""
        return self.last_slot(now) > last_run


def zone(name: str) -> ZoneInfo:
    """The IANA time zone; CadenceError('timezone') when there is none of that name."""
    if not name or len(name) > 64 or name.startswith(("/", ".")) or ".." in name:
        raise CadenceError("timezone", f"{name[:64]!r} is not an IANA time zone (e.g. Europe/Kyiv)")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise CadenceError(
            "timezone", f"{name[:64]!r} is not an IANA time zone (e.g. Europe/Kyiv)"
        ) from None


__all__ = ["WEEKDAYS", "Cadence", "CadenceError", "Frequency", "zone"]

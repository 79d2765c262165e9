"""Time as the log records it: one UTC timestamp per append, fixed-width ISO-8601 text.

e.g. 2026-11-22T12:07:45.123456Z: text so the hashed bytes round-trip exactly, fixed width so
it sorts as time. Stores take a `Clock` so tests can control time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]
"""Returns the current moment; aware datetimes are converted to UTC, naive ones taken as UTC."""


def utc_now() -> datetime:
    """The default clock."""
    return datetime.now(UTC)


def format_timestamp(moment: datetime) -> str:
    """The stored form: UTC, microseconds, 'Z' (e.g. 2026-11-22T12:07:45.123456Z)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds") + "Z"


def normalize_timestamp(text: str) -> str:
    """Any ISO-8601 date or timestamp (naive means UTC) in the stored form, for comparisons."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"not an ISO-8601 timestamp: {text!r}") from exc
    return format_timestamp(moment)


def stamp(clock: Clock, last_recorded_at: str | None) -> str:
    """The transaction's timestamp; never earlier than the last one, so time follows position."""
    now = format_timestamp(clock())
    if last_recorded_at is not None and last_recorded_at > now:
        return last_recorded_at
    return now

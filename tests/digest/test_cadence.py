"""When digests are due: daily and weekly slots in a time zone, missed slots run once, and bad
schedules refused naming the field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tracker.digest.cadence import Cadence, CadenceError
from tracker.digest.subscriptions import SubscriptionError, check_request


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_daily_digest_is_due_once_its_hour_has_passed_since_the_last_run() -> None:
    daily = Cadence.parse("daily", 8, "UTC", None)
    last = at("2026-12-01T09:00:00")
    assert not daily.is_due(last, at("2026-12-02T07:59:00"))
    assert daily.is_due(last, at("2026-12-02T08:00:00"))
    assert daily.last_slot(at("2026-12-02T08:30:00")) == at("2026-12-02T08:00:00")


def test_a_weekly_digest_in_kyiv_follows_local_time_across_the_clock_change() -> None:
    weekly = Cadence.parse("weekly", 9, "Europe/Kyiv", 0)  # Mondays 09:00 Kyiv time
    # winter: UTC+2; summer: UTC+3 (the clocks went forward on Sunday 2026-03-29)
    assert weekly.last_slot(at("2026-03-25T12:00:00")) == at("2026-03-23T07:00:00")
    assert weekly.last_slot(at("2026-03-31T12:00:00")) == at("2026-03-30T06:00:00")
    assert not weekly.is_due(at("2026-03-30T06:00:01"), at("2026-04-05T23:00:00"))


def test_slots_missed_while_nothing_ran_make_one_run_not_many() -> None:
    daily = Cadence.parse("daily", 0, "UTC", None)
    last = at("2026-12-01T00:30:00")
    now = at("2026-12-06T10:00:00")  # five slots passed
    assert daily.is_due(last, now)
    assert not daily.is_due(now, now + timedelta(hours=13))


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone", "not an IANA time zone"),
        ({"timezone": "../../etc/passwd"}, "timezone", "not an IANA time zone"),
        ({"hour": 24}, "hour", "not an hour from 0 to 23"),
        ({"hour": "seven"}, "hour", "not a whole number"),
        ({"cadence": "hourly"}, "cadence", "not daily or weekly"),
        ({"cadence": "weekly", "weekday": 7}, "weekday", "not a day from 0"),
        ({"cadence": "weekly", "weekday": None}, "weekday", "needs a day of the week"),
        ({"name": "  "}, "name", "give the subscription a name"),
        ({"changes": "everything"}, "changes", "Input should be"),
        ({"case_ids": ["report-1"]}, "case_ids", "is not a case id"),
    ],
)
def test_bad_subscription_input_is_refused_naming_the_field(
    fields: dict[str, object], field: str, words: str
) -> None:
    values: dict[str, object] = {"name": "Mine", "cadence": "daily", "hour": 8, "timezone": "UTC"}
    values.update(fields)
    with pytest.raises(SubscriptionError) as caught:
        check_request(**values)  # type: ignore[arg-type]
    assert list(caught.value.errors) == [field]
    assert words in caught.value.errors[field]


def test_weekdays_may_be_named() -> None:
    request = check_request(
        name="Fridays", cadence="weekly", hour="17", timezone="Europe/Kyiv", weekday="friday"
    )
    assert request.cadence.weekday == 4
    assert request.cadence.describe() == "weekly, Fridays at 17:00 (Europe/Kyiv)"
    with pytest.raises(CadenceError):
        Cadence.parse("daily", -1, "UTC", None)

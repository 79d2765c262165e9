"""Subscriptions: create, list, find and end them; checked input with an error per field."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import Engine, update
from sqlmodel import Session, select

from tracker.accounts.sessions import Now, stamp, utc_now
from tracker.accounts.users import User
from tracker.digest.cadence import WEEKDAYS, Cadence, CadenceError, zone
from tracker.digest.filters import SavedFilter
from tracker.digest.model import Subscription
from tracker.eventstore.protocol import EventStore


class SubscriptionError(ValueError):
    """Bad subscription input: `errors` holds one message per field name."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


@dataclass(frozen=True, slots=True)
class Request:
    """A subscription as asked for, checked: its name, filter and cadence."""

    name: str
    filter: SavedFilter
    cadence: Cadence


def _int(raw: str | int | None, field: str, errors: dict[str, str]) -> int | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, int):
        return raw
    text = raw.strip()
    if not text.lstrip("-").isdigit() or len(text) > 4:
        errors[field] = f"{raw[:20]!r} is not a whole number"
        return None
    return int(text)


def check_request(
    *,
    name: str,
    cadence: str,
    hour: str | int | None,
    timezone: str,
    weekday: str | int | None = None,
    changes: str = "all",
    region: str = "",
    case_ids: tuple[str, ...] | list[str] = (),
    reports: bool = True,
    decisions: bool = False,
) -> Request:
    """The checked request; SubscriptionError with a message per bad field otherwise."""
    errors: dict[str, str] = {}
    clean_name = " ".join(name.split())
    if not clean_name:
        errors["name"] = "give the subscription a name"
    elif len(clean_name) > 100:
        errors["name"] = "at most 100 characters"
    saved: SavedFilter | None = None
    try:
        saved = SavedFilter(
            changes=changes,
            region=region,
            case_ids=tuple(c.strip() for c in case_ids if c.strip()),
            reports=reports,
            decisions=decisions,
        )
    except ValidationError as exc:
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "filter"
            errors.setdefault(field, str(err["msg"]).removeprefix("Value error, "))
    hour_value = _int(hour, "hour", errors)
    if isinstance(weekday, str) and weekday.strip().capitalize() in WEEKDAYS:
        weekday = WEEKDAYS.index(weekday.strip().capitalize())
    weekday_value = _int(weekday, "weekday", errors)
    checked: Cadence | None = None
    if hour_value is None and "hour" not in errors:
        errors["hour"] = "give an hour from 0 to 23"
    for check in (  # each part on its own, so that every bad one is named
        lambda: zone(timezone.strip()),
        lambda: Cadence.parse("daily", hour_value or 0, "UTC", None),
        lambda: Cadence.parse(cadence, 0, "UTC", weekday_value),
    ):
        try:
            check()
        except CadenceError as exc:
            errors.setdefault(exc.field, exc.message)
    if not errors and hour_value is not None:
        try:
            checked = Cadence.parse(cadence, hour_value, timezone.strip(), weekday_value)
        except CadenceError as exc:
            errors[exc.field] = exc.message
    if errors or saved is None or checked is None:
        raise SubscriptionError(errors)
    return Request(clean_name, saved, checked)


def subscribe(
    engine: Engine, store: EventStore, user_id: str, request: Request, *, now: Now = utc_now
) -> Subscription:
    """A new subscription of an account; its first digest covers what is approved from now on."""
    with Session(engine) as session:
        if session.get(User, user_id) is None:
            raise SubscriptionError({"user": "there is no such account"})
        row = Subscription(
            id=f"sub-{uuid.uuid4()}",
            user_id=user_id,
            name=request.name,
            filter=request.filter.model_dump(mode="json"),
            cadence=str(request.cadence.frequency),
            weekday=request.cadence.weekday,
            hour=request.cadence.hour,
            timezone=request.cadence.timezone,
            watermark=store.head().position,
            last_run_at=stamp(now()),
            created_at=stamp(now()),
        )
        session.add(row)
        session.commit()
        session.refresh(row)
        return row


def cadence_of(row: Subscription) -> Cadence:
    return Cadence.parse(row.cadence, row.hour, row.timezone, row.weekday)


def filter_of(row: Subscription) -> SavedFilter:
    return SavedFilter.model_validate(row.filter)


def get_subscription(engine: Engine, subscription_id: str) -> Subscription | None:
    with Session(engine) as session:
        return session.get(Subscription, subscription_id[:100])


def subscriptions_with_owners(
    engine: Engine, user_id: str | None = None, *, active_only: bool = False
) -> list[tuple[Subscription, User]]:
    """Subscriptions with their accounts (one account's, or everyone's), oldest first."""
    with Session(engine) as session:
        query = select(Subscription, User).join(
            User,
            User.id == Subscription.user_id,  # type: ignore[arg-type]
        )
        if user_id is not None:
            query = query.where(Subscription.user_id == user_id)
        if active_only:
            query = query.where(Subscription.active == True)  # noqa: E712
        query = query.order_by(Subscription.created_at, Subscription.id)
        return [(s, u) for s, u in session.exec(query)]


def unsubscribe(engine: Engine, subscription_id: str, *, now: Now = utc_now) -> bool:
    """End a subscription (no more digests); True if it was active. Its digests stay recorded."""
    with Session(engine) as session:
        result = session.execute(
            update(Subscription)
            .where(
                Subscription.id == subscription_id[:100],  # type: ignore[arg-type]
                Subscription.active == True,  # type: ignore[arg-type]  # noqa: E712
            )
            .values(active=False, unsubscribed_at=stamp(now()))
        )
        session.commit()
        return bool(getattr(result, "rowcount", 0))


def parse_stamp(text: str) -> datetime:
    """A stamp written by `tracker.accounts.sessions.stamp` as an aware UTC datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


__all__ = [
    "Request",
    "SubscriptionError",
    "cadence_of",
    "check_request",
    "filter_of",
    "get_subscription",
    "parse_stamp",
    "subscribe",
    "subscriptions_with_owners",
    "unsubscribe",
]

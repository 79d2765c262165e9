"""Helpers for the digest tests: approved updates, subscriptions per role, points in time."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.web.world import EMAILS, World
from tracker.accounts.sessions import utc_now
from tracker.digest.model import Subscription
from tracker.digest.subscriptions import check_request, subscribe
from tracker.domain.commands import Record, Review
from tracker.domain.events import Decision, DomainEvent
from tracker.domain.roles import Actor, Role

RESEARCHER = Actor(EMAILS["researcher"], Role.RESEARCHER)
REVIEWER = Actor(EMAILS["reviewer"], Role.REVIEWER)
START = utc_now()


def day(n: int) -> datetime:
    """n days after the tests' start, at 01:00 past that day's slot (daily digests at 00:00 UTC)."""
    return (START + timedelta(days=n)).replace(hour=1, minute=0, second=0, microsecond=0)


def logged(world: World, stream_id: str, event: DomainEvent) -> str:
    """Record an update as the researcher; it stays pending."""
    run = world.services.tracker.execute
    return run(Record(stream_id, event), RESEARCHER).events[0].event_id


def approved(world: World, stream_id: str, event: DomainEvent) -> str:
    """Record an update and have the reviewer approve it."""
    event_id = logged(world, stream_id, event)
    world.services.tracker.execute(
        Review(stream_id, event_id, Decision.APPROVED, "checked"), REVIEWER
    )
    return event_id


def subscribed(
    world: World, role: str, name: str = "Weekly changes", **fields: object
) -> Subscription:
    """A daily subscription at 00:00 UTC of the role's account (fields override the filter)."""
    values: dict[str, object] = {
        "name": name,
        "cadence": "daily",
        "hour": 0,
        "timezone": "UTC",
        **fields,
    }
    request = check_request(**values)  # type: ignore[arg-type]
    return subscribe(world.services.engine, world.services.store, world.user_ids[role], request)

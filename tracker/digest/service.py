"""Running the digests: record what is due, then send what is recorded and unsent.

`send_due` is what `tracker digest send` and the scheduler call; `preview` builds what a
subscription would get now without recording or sending anything. The hooks let tests stop a
run between recording and sending, and between sending and marking sent, as a crash would.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from tracker.accounts.sessions import utc_now
from tracker.accounts.users import User
from tracker.bootstrap import Services
from tracker.digest import outbox
from tracker.digest.build import Digest, DigestBuilder
from tracker.digest.config import DigestConfig
from tracker.digest.model import DigestRow, Subscription
from tracker.digest.subscriptions import (
    cadence_of,
    get_subscription,
    parse_stamp,
    subscriptions_with_owners,
)
from tracker.digest.tokens import unsubscribe_token
from tracker.mail import Mailer, MailError
from tracker.projections.lookups import confidential_source_ids


def _nothing(_row: DigestRow) -> None:
    return None


@dataclass(frozen=True)
class Hooks:
    """Called after a digest is recorded, and after it is sent but before it is marked sent."""

    after_record: Callable[[DigestRow], None] = _nothing
    after_send: Callable[[DigestRow], None] = _nothing


@dataclass
class RunReport:
    recorded: int = 0
    empty: int = 0
    """Due subscriptions with nothing to report (no email; the watermark moved)."""
    sent: int = 0
    failed: list[str] = field(default_factory=list)
    """One line per digest that could not be sent this time."""


def builder_for(services: Services) -> DigestBuilder:
    config = DigestConfig.from_settings(services.settings)
    with services.engine.connect() as conn:
        confidential = confidential_source_ids(conn)
    return DigestBuilder(services.store, config, confidential)


def record_due(
    services: Services, now: datetime, report: RunReport, hooks: Hooks = Hooks()
) -> None:
    """Record a digest for every due subscription (and move its watermark)."""
    builder = builder_for(services)
    head = services.store.head()
    for subscription, user in subscriptions_with_owners(services.engine, active_only=True):
        if not user.active:
            continue
        if not cadence_of(subscription).is_due(parse_stamp(subscription.last_run_at), now):
            continue
        digest = builder.build(subscription, user, head)
        result = outbox.record(services.engine, subscription, digest, head.position, now)
        if isinstance(result, DigestRow):
            report.recorded += 1
            hooks.after_record(result)
        elif result is True:
            report.empty += 1


def send_recorded(
    services: Services, mailer: Mailer, now: datetime, report: RunReport, hooks: Hooks = Hooks()
) -> None:
    """Send every recorded, unsent digest that is due for an attempt."""
    config = DigestConfig.from_settings(services.settings)
    for row in outbox.sendable(services.engine, now):
        assert row.id is not None
        if not outbox.claim(services.engine, row.id, now):
            continue  # another sender has it, or sent it meanwhile
        link = config.unsubscribe_url(
            row.subscription_id, unsubscribe_token(config.secret, row.subscription_id)
        )
        try:
            mailer.send(outbox.email_of(row, config.mail_from, link))
        except MailError as exc:
            outbox.mark_failed(services.engine, row, str(exc), now)
            report.failed.append(f"digest {row.id} to {row.recipient}: {exc}")
            continue
        hooks.after_send(row)
        outbox.mark_sent(services.engine, row.id, utc_now())
        report.sent += 1


def send_due(
    services: Services,
    mailer: Mailer,
    *,
    now: datetime | None = None,
    hooks: Hooks = Hooks(),
) -> RunReport:
    """Record what is due, then send what is recorded; returns what happened."""
    moment = now or utc_now()
    report = RunReport()
    record_due(services, moment, report, hooks)
    send_recorded(services, mailer, moment, report, hooks)
    return report


def preview(services: Services, subscription_id: str) -> tuple[Subscription, Digest | None]:
    """What the subscription would get if it ran now (nothing is recorded); ValueError if
    there is no such subscription."""
    subscription = get_subscription(services.engine, subscription_id)
    if subscription is None:
        raise ValueError(f"there is no subscription {subscription_id[:100]!r}")
    user = _user(services, subscription.user_id)
    return subscription, builder_for(services).build(subscription, user, services.store.head())


def _user(services: Services, user_id: str) -> User:
    from sqlmodel import Session

    with Session(services.engine) as session:
        user = session.get(User, user_id)
    if user is None:  # pragma: no cover - the foreign key keeps it
        raise ValueError(f"subscription of unknown account {user_id}")
    return user


__all__ = [
    "Hooks",
    "RunReport",
    "builder_for",
    "preview",
    "record_due",
    "send_due",
    "send_recorded",
]

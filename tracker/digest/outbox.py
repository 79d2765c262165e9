"""The exactly-once outbox: record a digest and move the watermark in one transaction, then
claim, send and mark it sent; a failure is recorded and tried again later, with backoff.

Recording is a compare-and-set on the subscription's `revision`: of two runs racing for one
subscription, one moves the watermark and records, the other changes nothing. Sending first
claims the row with a lease (an UPDATE only one sender can win), so two senders never send one
digest at once; a sender that dies holding a lease leaves the row to be sent again, the same
message with the same Message-ID, once the lease runs out.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from sqlalchemy import Engine, and_, insert, or_, select, update

from tracker.accounts.sessions import stamp
from tracker.db import writer
from tracker.digest.build import Digest
from tracker.digest.config import sender_address
from tracker.digest.model import DigestRow, Subscription
from tracker.digest.subscriptions import parse_stamp

LEASE = timedelta(minutes=10)
"""How long a claimed digest is left to its sender."""
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
)
"""Pause before the next attempt after the first, second, ... failure (the last repeats)."""

SUBSCRIPTIONS = Subscription.__table__  # type: ignore[attr-defined]
DIGESTS = DigestRow.__table__  # type: ignore[attr-defined]


def record(
    engine: Engine, subscription: Subscription, digest: Digest | None, upto: int, now: datetime
) -> DigestRow | bool:
    """Move the watermark to `upto` and record the digest (if any) in one transaction.

    Returns the recorded row, True when the range had nothing to send, or False when another
    run had moved the watermark first (then nothing is written)."""
    moment = stamp(now)
    with writer(engine).begin() as conn:
        moved = conn.execute(
            update(SUBSCRIPTIONS)
            .where(
                SUBSCRIPTIONS.c.id == subscription.id,
                SUBSCRIPTIONS.c.revision == subscription.revision,
                SUBSCRIPTIONS.c.active.is_(True),
            )
            .values(
                watermark=max(upto, subscription.watermark),
                revision=subscription.revision + 1,
                last_run_at=moment,
            )
        )
        if moved.rowcount != 1:
            return False  # nothing was written
        if digest is None:
            return True
        values: dict[str, Any] = {
            "subscription_id": subscription.id,
            "recipient": digest.recipient,
            "from_position": digest.after,
            "to_position": digest.upto,
            "head_hash": digest.head_hash,
            "message_id": digest.rendered.message_id,
            "subject": digest.rendered.subject,
            "text_body": digest.rendered.text,
            "html_body": digest.rendered.html,
            "created_at": moment,
            "attempts": 0,
            "last_error": "",
            "next_attempt_at": moment,
        }
        new_id = conn.execute(insert(DIGESTS).values(**values).returning(DIGESTS.c.id)).scalar_one()
    return DigestRow(id=new_id, **values)


def sendable(engine: Engine, now: datetime) -> list[DigestRow]:
    """Unsent digests whose next attempt is due and that no sender holds, oldest first."""
    moment = stamp(now)
    query = (
        select(DIGESTS)
        .where(
            DIGESTS.c.sent_at.is_(None),
            DIGESTS.c.next_attempt_at <= moment,
            or_(DIGESTS.c.lease_until.is_(None), DIGESTS.c.lease_until < moment),
        )
        .order_by(DIGESTS.c.id)
    )
    with engine.connect() as conn:
        return [DigestRow(**row) for row in conn.execute(query).mappings()]


def claim(engine: Engine, digest_id: int, now: datetime) -> bool:
    """Take the digest for sending (True), unless it was sent or another sender holds it."""
    moment = stamp(now)
    with writer(engine).begin() as conn:
        taken = conn.execute(
            update(DIGESTS)
            .where(
                DIGESTS.c.id == digest_id,
                DIGESTS.c.sent_at.is_(None),
                or_(DIGESTS.c.lease_until.is_(None), DIGESTS.c.lease_until < moment),
            )
            .values(lease_until=stamp(now + LEASE))
        )
        return bool(taken.rowcount == 1)


def mark_sent(engine: Engine, digest_id: int, now: datetime) -> None:
    with writer(engine).begin() as conn:
        conn.execute(
            update(DIGESTS)
            .where(DIGESTS.c.id == digest_id)
            .values(sent_at=stamp(now), lease_until=None, attempts=DIGESTS.c.attempts + 1)
        )


def mark_failed(engine: Engine, row: DigestRow, error: str, now: datetime) -> None:
    """Record the failure and when to try again; the row stays unsent."""
    pause = BACKOFF[min(row.attempts, len(BACKOFF) - 1)]
    with writer(engine).begin() as conn:
        conn.execute(
            update(DIGESTS)
            .where(DIGESTS.c.id == row.id)
            .values(
                attempts=DIGESTS.c.attempts + 1,
                last_error=error[:500],
                next_attempt_at=stamp(now + pause),
                lease_until=None,
            )
        )


def unsent(engine: Engine) -> list[DigestRow]:
    """Every digest not sent yet (for the admins' page), with its attempts and last error."""
    with engine.connect() as conn:
        query = select(DIGESTS).where(DIGESTS.c.sent_at.is_(None)).order_by(DIGESTS.c.id)
        return [DigestRow(**row) for row in conn.execute(query).mappings()]


def recent(engine: Engine, subscription_ids: list[str], limit: int = 20) -> list[DigestRow]:
    """The latest digests of some subscriptions, newest first."""
    if not subscription_ids:
        return []
    with engine.connect() as conn:
        query = (
            select(DIGESTS)
            .where(and_(DIGESTS.c.subscription_id.in_(subscription_ids)))
            .order_by(DIGESTS.c.id.desc())
            .limit(limit)
        )
        return [DigestRow(**row) for row in conn.execute(query).mappings()]


def email_of(row: DigestRow, mail_from: str, unsubscribe_url: str) -> EmailMessage:
    """The MIME message of a recorded digest: the same bytes-to-be at every attempt."""
    message = EmailMessage()
    message["From"] = sender_address(mail_from)
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Message-ID"] = row.message_id
    message["Date"] = format_datetime(parse_stamp(row.created_at))
    message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
    message["X-Tracker-Log-Head"] = f"{row.to_position} {row.head_hash}"
    message.set_content(row.text_body)
    message.add_alternative(row.html_body, subtype="html")
    return message


__all__ = [
    "BACKOFF",
    "LEASE",
    "claim",
    "email_of",
    "mark_failed",
    "mark_sent",
    "recent",
    "record",
    "sendable",
    "unsent",
]

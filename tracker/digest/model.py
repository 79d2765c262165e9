"""The digest tables: subscriptions (a saved filter, a cadence and a watermark) and the outbox
of recorded digests (range, recipient, Message-ID and rendered body, then whether it was sent).

A digest row is written in the same transaction that moves its subscription's watermark, before
anything is sent; sending only ever reads the recorded row, so a retry sends the same message.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Subscription(SQLModel, table=True):
    """One user's subscription: what to report (the filter), when, and how far it has reported."""

    __tablename__ = "digest_subscriptions"
    id: str = Field(primary_key=True)
    user_id: str = Field(foreign_key="users.id", index=True)
    name: str
    filter: dict[str, object] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    cadence: str
    """daily or weekly"""
    weekday: int | None = None
    """0 Monday ... 6 Sunday, for weekly digests"""
    hour: int
    timezone: str
    watermark: int = 0
    """The last log position a digest of this subscription covered (or skipped as empty)."""
    revision: int = 0
    """Bumped with every watermark move: the compare-and-set that lets one run win a race."""
    last_run_at: str
    """When the subscription was last run (UTC stamp); its first run is the next slot after."""
    active: bool = True
    created_at: str
    unsubscribed_at: str | None = None


class DigestRow(SQLModel, table=True):
    """A recorded digest: what is (to be) sent to whom, for which range of the log."""

    __tablename__ = "digests"
    __table_args__ = (
        UniqueConstraint("subscription_id", "from_position", name="uq_digests_range"),
        Index("ix_digests_unsent", "sent_at", "next_attempt_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    subscription_id: str = Field(foreign_key="digest_subscriptions.id", index=True)
    recipient: str
    from_position: int
    """The range covered is (from_position, to_position]."""
    to_position: int
    head_hash: str
    message_id: str = Field(unique=True)
    subject: str
    text_body: str = Field(sa_column=Column(Text, nullable=False))
    html_body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: str
    sent_at: str | None = None
    attempts: int = 0
    last_error: str = ""
    next_attempt_at: str = ""
    lease_until: str | None = None
    """A sender claimed it until then (another sender leaves it alone meanwhile)."""


__all__ = ["DigestRow", "Subscription"]

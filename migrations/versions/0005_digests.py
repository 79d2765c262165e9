"""Digest emails: subscriptions with their watermark, and the outbox of recorded digests.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "digest_subscriptions",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("user_id", sa.String(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("filter", sa.JSON(), nullable=False),
        sa.Column("cadence", sa.String(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=True),
        sa.Column("hour", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(), nullable=False),
        sa.Column("watermark", sa.Integer(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("last_run_at", sa.String(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("unsubscribed_at", sa.String(), nullable=True),
    )
    op.create_index("ix_digest_subscriptions_user_id", "digest_subscriptions", ["user_id"])
    op.create_table(
        "digests",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column(
            "subscription_id",
            sa.String(),
            sa.ForeignKey("digest_subscriptions.id"),
            nullable=False,
        ),
        sa.Column("recipient", sa.String(), nullable=False),
        sa.Column("from_position", sa.Integer(), nullable=False),
        sa.Column("to_position", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.String(), nullable=False),
        sa.Column("message_id", sa.String(), nullable=False, unique=True),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("text_body", sa.Text(), nullable=False),
        sa.Column("html_body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("sent_at", sa.String(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(), nullable=False),
        sa.Column("next_attempt_at", sa.String(), nullable=False),
        sa.Column("lease_until", sa.String(), nullable=True),
        sa.UniqueConstraint("subscription_id", "from_position", name="uq_digests_range"),
    )
    op.create_index("ix_digests_subscription_id", "digests", ["subscription_id"])
    op.create_index("ix_digests_unsent", "digests", ["sent_at", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_digests_unsent", table_name="digests")
    op.drop_index("ix_digests_subscription_id", table_name="digests")
    op.drop_table("digests")
    op.drop_index("ix_digest_subscriptions_user_id", table_name="digest_subscriptions")
    op.drop_table("digest_subscriptions")

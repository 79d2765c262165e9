"""The read model (case summaries, timeline, reports, sources, facets, projection positions)
and accounts. Every read-model table can be emptied and refilled by `tracker rebuild`.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(name: str, **kwargs: object) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.String(), nullable=False, server_default="", **kwargs)  # type: ignore[arg-type]


def _int(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.Integer(), nullable=False, server_default="0")


def _json(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.JSON(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "projection_positions",
        sa.Column("name", sa.String(), primary_key=True),
        sa.Column("position", sa.BigInteger(), nullable=False, server_default="0"),
    )
    op.bulk_insert(
        sa.table("projection_positions", sa.column("name"), sa.column("position")),
        [{"name": "inline", "position": 0}, {"name": "statistics", "position": 0}],
    )
    op.create_table(
        "case_summaries",
        sa.Column("stream_id", sa.String(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        _json("name_variants"),
        _text("search_text"),
        _text("birth_date"),
        _text("gender"),
        _text("community"),
        _text("region"),
        sa.Column("status", sa.String(), nullable=False),
        _text("status_since"),
        _json("charges"),
        _text("charge_slugs"),
        _text("acts"),
        _text("detention_date"),
        _text("detention_sort"),
        _text("sentence"),
        _text("verdict_date"),
        _text("release_date"),
        _text("death_date"),
        _text("facility"),
        _int("health_concerns"),
        sa.Column("opened_review", sa.String(), nullable=False),
        sa.Column("retracted", sa.Boolean(), nullable=False, server_default=sa.false()),
        _int("pending_count"),
        sa.Column("version", sa.Integer(), nullable=False),
        _text("last_recorded_at"),
        sa.Column("last_position", sa.BigInteger(), nullable=False, server_default="0"),
        _json("sources"),
    )
    op.create_index("ix_case_summaries_status", "case_summaries", ["status"])
    op.create_index("ix_case_summaries_region", "case_summaries", ["region"])
    op.create_index("ix_case_summaries_opened_review", "case_summaries", ["opened_review"])
    op.create_index("ix_case_summaries_name", "case_summaries", ["name"])
    op.create_table(
        "timeline",
        sa.Column("position", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("stream_id", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False, unique=True),
        sa.Column("type", sa.String(), nullable=False),
        _text("date_display"),
        _text("date_sort"),
        _text("summary"),
        sa.Column("review", sa.String(), nullable=False),
        _text("author"),
        _text("reviewer"),
        _text("review_note"),
        _text("reviewed_at"),
        sa.Column("recorded_at", sa.String(), nullable=False),
        sa.Column("restricted", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("retracted", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("corrected", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("hash", sa.String(), nullable=False),
    )
    op.create_index("ix_timeline_stream_id", "timeline", ["stream_id"])
    op.create_table(
        "reports",
        sa.Column("stream_id", sa.String(), primary_key=True),
        sa.Column("title", sa.String(), nullable=False),
        _text("acts"),
        _text("date_display"),
        _text("date_sort"),
        _text("region"),
        _text("place"),
        _text("victims"),
        _text("victim_description"),
        _json("case_ids"),
        _json("figures"),
        sa.Column("opened_review", sa.String(), nullable=False),
        _int("pending_count"),
        sa.Column("version", sa.Integer(), nullable=False),
        _text("last_recorded_at"),
        _json("sources"),
    )
    op.create_table(
        "sources",
        sa.Column("stream_id", sa.String(), primary_key=True),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        _text("publisher"),
        _text("published"),
        _text("url"),
        _text("reference"),
        sa.Column("reliability", sa.String(), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("opened_review", sa.String(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        _text("last_recorded_at"),
    )
    op.create_table(
        "facets",
        sa.Column("stream_id", sa.String(), primary_key=True),
        sa.Column("dimension", sa.String(), primary_key=True),
        sa.Column("key", sa.String(), primary_key=True),
    )
    op.create_index("ix_facets_dimension_key", "facets", ["dimension", "key"])
    op.create_table(
        "users",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("password_hash", sa.String(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_at", sa.String(), nullable=False),
    )
    op.create_index("ix_users_email", "users", ["email"], unique=True)


def downgrade() -> None:
    for table in ("users", "facets", "sources", "reports", "timeline", "case_summaries"):
        op.drop_table(table)
    op.drop_table("projection_positions")

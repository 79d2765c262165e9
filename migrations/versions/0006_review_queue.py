"""The review queue replaces the timeline table: only pending entries keep a row.

A stream's page folds its timeline from the log itself, so the `timeline` table was read only
for the review queue, at the price of one more row (and three index entries) written for every
event. `review_queue` has the same columns and holds only entries waiting for a reviewer.
The pending rows are carried over; after a downgrade, run `tracker rebuild` to fill `timeline`.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (
    "position, stream_id, version, event_id, type, date_display, date_sort, summary, review,"
    " author, reviewer, review_note, reviewed_at, recorded_at, restricted, retracted,"
    " corrected, hash"
)


def _text(name: str) -> sa.Column[str]:
    return sa.Column(name, sa.String(), nullable=False, server_default="")


def _create(name: str) -> None:
    op.create_table(
        name,
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
    op.create_index(f"ix_{name}_stream_id", name, ["stream_id"])


def _drop(name: str) -> None:
    op.drop_index(f"ix_{name}_stream_id", table_name=name)
    op.drop_table(name)


def upgrade() -> None:
    _create("review_queue")
    op.execute(
        f"INSERT INTO review_queue ({_COLUMNS}) SELECT {_COLUMNS} FROM timeline"
        " WHERE review = 'pending' AND NOT retracted"
    )
    _drop("timeline")


def downgrade() -> None:
    _create("timeline")
    op.execute(f"INSERT INTO timeline ({_COLUMNS}) SELECT {_COLUMNS} FROM review_queue")
    _drop("review_queue")

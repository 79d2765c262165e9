"""The event log: `events`, its single-row `log_head`, and triggers that keep both append-only.

Positions are not drawn from a sequence: the appender assigns head+1.. while holding the head
row's lock, so they are gapless and commit in order. `recorded_at` is fixed-width ISO-8601 text
(2026-11-22T12:07:45.123456Z) so the hashed bytes round-trip exactly and sort as time.

Revision ID: 0001
Revises:
Create Date: 2026-05-09
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS_HASH = "0" * 64
JSON_TYPE = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
# On SQLite INTEGER PRIMARY KEY makes the position the rowid: the table is stored in log order.
POSITION_TYPE = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

SQLITE_TRIGGERS = [
    """CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    BEGIN SELECT RAISE(ABORT, 'events is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN SELECT RAISE(ABORT, 'events is append-only: DELETE refused'); END""",
    """CREATE TRIGGER log_head_forward_only BEFORE UPDATE ON log_head
    WHEN NEW.id <> OLD.id OR NEW.position < OLD.position
         OR (NEW.position = OLD.position AND NEW.hash <> OLD.hash)
    BEGIN SELECT RAISE(ABORT, 'log_head is append-only: it cannot move backwards'); END""",
    """CREATE TRIGGER log_head_no_delete BEFORE DELETE ON log_head
    BEGIN SELECT RAISE(ABORT, 'log_head is append-only: DELETE refused'); END""",
]

POSTGRES_TRIGGERS = [
    """CREATE FUNCTION tracker_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
            USING ERRCODE = 'restrict_violation';
    END $$""",
    """CREATE FUNCTION tracker_log_head_forward_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.id <> OLD.id OR NEW.position < OLD.position
           OR (NEW.position = OLD.position AND NEW.hash <> OLD.hash) THEN
            RAISE EXCEPTION 'log_head is append-only: it cannot move backwards (% to %)',
                OLD.position, NEW.position USING ERRCODE = 'restrict_violation';
        END IF;
        RETURN NEW;
    END $$""",
    """CREATE TRIGGER events_no_update_delete BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION tracker_refuse_change()""",
    """CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_refuse_change()""",
    """CREATE TRIGGER log_head_forward_only BEFORE UPDATE ON log_head
    FOR EACH ROW EXECUTE FUNCTION tracker_log_head_forward_only()""",
    """CREATE TRIGGER log_head_no_delete BEFORE DELETE ON log_head
    FOR EACH ROW EXECUTE FUNCTION tracker_refuse_change()""",
    """CREATE TRIGGER log_head_no_truncate BEFORE TRUNCATE ON log_head
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_refuse_change()""",
    # Replica mode (session_replication_role = replica) skips ordinary triggers; not these.
    "ALTER TABLE events ENABLE ALWAYS TRIGGER events_no_update_delete",
    "ALTER TABLE events ENABLE ALWAYS TRIGGER events_no_truncate",
    "ALTER TABLE log_head ENABLE ALWAYS TRIGGER log_head_forward_only",
    "ALTER TABLE log_head ENABLE ALWAYS TRIGGER log_head_no_delete",
    "ALTER TABLE log_head ENABLE ALWAYS TRIGGER log_head_no_truncate",
]


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("global_position", POSITION_TYPE, primary_key=True, autoincrement=False),
        sa.Column("stream_id", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("data", JSON_TYPE, nullable=False),
        sa.Column("metadata", JSON_TYPE, nullable=False),
        sa.Column("recorded_at", sa.Text(), nullable=False),
        sa.Column("prev_hash", sa.Text(), nullable=False),
        sa.Column("hash", sa.Text(), nullable=False),
        sa.UniqueConstraint("stream_id", "version", name="uq_events_stream_version"),
        sa.UniqueConstraint("event_id", name="uq_events_event_id"),
        sa.CheckConstraint("global_position >= 1", name="ck_events_position"),
        sa.CheckConstraint("version >= 1", name="ck_events_version"),
        sa.CheckConstraint("schema_version >= 1", name="ck_events_schema_version"),
        sa.CheckConstraint("length(recorded_at) = 27", name="ck_events_recorded_at"),
    )
    # (recorded_at, position): 'the last position at or before t' is one index probe.
    op.create_index("ix_events_recorded_at", "events", ["recorded_at", "global_position"])
    op.create_table(
        "log_head",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("position", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.Text(), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_log_head_single_row"),
        sa.CheckConstraint("position >= 0", name="ck_log_head_position"),
    )
    op.execute(
        sa.text("INSERT INTO log_head (id, position, hash) VALUES (1, 0, :genesis)").bindparams(
            genesis=GENESIS_HASH
        )
    )
    triggers = SQLITE_TRIGGERS if op.get_bind().dialect.name == "sqlite" else POSTGRES_TRIGGERS
    for statement in triggers:
        op.execute(statement)


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TABLE log_head")
        op.execute("DROP TABLE events")
        op.execute("DROP FUNCTION tracker_log_head_forward_only()")
        op.execute("DROP FUNCTION tracker_refuse_change()")
        return
    for name in (
        "events_no_update",
        "events_no_delete",
        "log_head_forward_only",
        "log_head_no_delete",
    ):
        op.execute(f"DROP TRIGGER {name}")
    op.drop_table("log_head")
    op.drop_index("ix_events_recorded_at", table_name="events")
    op.drop_table("events")

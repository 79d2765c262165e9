"""Accounts an organisation can trust: one-time invitation and reset links, TOTP authenticators,
recovery codes (hashes only), and the append-only `account_audit`, whose rows the database
itself refuses to change or delete (as it does for the event log).

Revision ID: 0010
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_TRIGGERS = [
    """CREATE TRIGGER account_audit_no_update BEFORE UPDATE ON account_audit
    BEGIN SELECT RAISE(ABORT, 'account_audit is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER account_audit_no_delete BEFORE DELETE ON account_audit
    BEGIN SELECT RAISE(ABORT, 'account_audit is append-only: DELETE refused'); END""",
]
# tracker_refuse_change() comes from 0001 (the event log's own triggers use it).
POSTGRES_TRIGGERS = [
    """CREATE TRIGGER account_audit_no_update_delete BEFORE UPDATE OR DELETE ON account_audit
    FOR EACH ROW EXECUTE FUNCTION tracker_refuse_change()""",
    """CREATE TRIGGER account_audit_no_truncate BEFORE TRUNCATE ON account_audit
    FOR EACH STATEMENT EXECUTE FUNCTION tracker_refuse_change()""",
    "ALTER TABLE account_audit ENABLE ALWAYS TRIGGER account_audit_no_update_delete",
    "ALTER TABLE account_audit ENABLE ALWAYS TRIGGER account_audit_no_truncate",
]


def upgrade() -> None:
    op.create_table(
        "account_audit",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.String(), nullable=False),
        sa.Column("actor_id", sa.String(), nullable=True),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("target_id", sa.String(), nullable=True),
        sa.Column("target", sa.String(), nullable=False),
        sa.Column("detail", sa.String(), nullable=False),
        sa.Column("ip", sa.String(), nullable=False),
    )
    triggers = SQLITE_TRIGGERS if op.get_bind().dialect.name == "sqlite" else POSTGRES_TRIGGERS
    for statement in triggers:
        op.execute(statement)
    op.create_table(
        "totp_credentials",
        sa.Column("user_id", sa.String(), sa.ForeignKey("users.id"), primary_key=True),
        sa.Column("secret", sa.String(), nullable=False),
        sa.Column("enrolled_at", sa.String(), nullable=False),
        sa.Column("last_step", sa.Integer(), nullable=True),
    )
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("user_id", sa.String(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("used_at", sa.String(), nullable=True),
    )
    op.create_index("ix_recovery_codes_user_id", "recovery_codes", ["user_id"])
    op.create_table(
        "account_links",
        sa.Column("id", sa.String(), primary_key=True),
        sa.Column("user_id", sa.String(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("purpose", sa.String(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=True),
        sa.Column("created_at", sa.String(), nullable=False),
        sa.Column("expires_at", sa.String(), nullable=False),
        sa.Column("used_at", sa.String(), nullable=True),
        sa.Column("replaced_at", sa.String(), nullable=True),
    )
    op.create_index("ix_account_links_user_id", "account_links", ["user_id"])


def downgrade() -> None:
    op.drop_index("ix_account_links_user_id", table_name="account_links")
    op.drop_table("account_links")
    op.drop_index("ix_recovery_codes_user_id", table_name="recovery_codes")
    op.drop_table("recovery_codes")
    op.drop_table("totp_credentials")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER account_audit_no_update")
        op.execute("DROP TRIGGER account_audit_no_delete")
    op.drop_table("account_audit")  # its PostgreSQL triggers go with it

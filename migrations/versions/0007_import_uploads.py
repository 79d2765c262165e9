"""Uploaded import files kept in the database between preview and commit (any instance may
take the commit), instead of in one machine's temporary folder.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_uploads",
        sa.Column("digest", sa.String(), primary_key=True),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("kept_at", sa.String(), nullable=False),
    )
    op.create_index("ix_import_uploads_kept_at", "import_uploads", ["kept_at"])


def downgrade() -> None:
    op.drop_index("ix_import_uploads_kept_at", table_name="import_uploads")
    op.drop_table("import_uploads")

"""The migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine
from sqlmodel import SQLModel

import tracker.accounts.api_tokens
import tracker.accounts.audit
import tracker.accounts.links
import tracker.accounts.login_throttle
import tracker.accounts.recovery
import tracker.accounts.sessions
import tracker.accounts.totp
import tracker.accounts.users
import tracker.digest.model
import tracker.projections.tables
import tracker.uploads
from tracker.migrate import downgrade, upgrade


def _differences(engine: Engine) -> list[object]:
    # importing the modules registers their tables on the metadata
    assert tracker.projections.tables and tracker.accounts.users and tracker.accounts.sessions
    assert tracker.accounts.api_tokens and tracker.uploads
    assert tracker.digest.model
    assert tracker.accounts.audit and tracker.accounts.links
    assert tracker.accounts.recovery and tracker.accounts.totp
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": False})
        diffs = compare_metadata(context, SQLModel.metadata)
    assert tracker.accounts.login_throttle
    # The event log tables are not SQLModel models: they belong to the store alone.
    return [d for d in diffs if not _is_log_table(d)]


def _is_log_table(diff: object) -> bool:
    """True for a difference on the event log's own tables (events, log_head)."""
    first = diff[0] if isinstance(diff, list) else diff
    assert isinstance(first, tuple)
    for item in first[1:]:
        table = getattr(item, "table", item)
        if getattr(table, "name", None) in {"events", "log_head"} or item in {"events", "log_head"}:
            return True
    return False


def test_the_read_model_tables_match_the_models(sql_engine: Engine) -> None:
    assert _differences(sql_engine) == []


def test_the_migrations_go_down_and_up_again(database_url: str, sql_engine: Engine) -> None:
    downgrade(database_url, "0001")
    upgrade(database_url)
    assert _differences(sql_engine) == []

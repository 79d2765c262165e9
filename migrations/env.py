"""Alembic environment: runs on a connection handed in by `tracker.migrate`, or on a URL.

`tracker.migrate.upgrade` passes its connection in ``config.attributes["connection"]`` (that is
how an in-memory SQLite database gets migrated). Run from the command line, the URL comes from
``sqlalchemy.url`` or the TRACKER_DATABASE_URL environment variable.
"""

from __future__ import annotations

import os

from alembic import context
from sqlalchemy import Connection

from tracker.db import make_engine, writer

config = context.config


def run_on(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=None,
        render_as_batch=connection.dialect.name == "sqlite",
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_on(connection)
        return
    url = config.get_main_option("sqlalchemy.url") or os.environ.get("TRACKER_DATABASE_URL")
    if not url:
        raise RuntimeError("set sqlalchemy.url or TRACKER_DATABASE_URL")
    engine = make_engine(url)
    try:
        with writer(engine).connect() as conn:
            run_on(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise RuntimeError("offline (--sql) migrations are not supported; the DDL is dialect-specific")
run_online()

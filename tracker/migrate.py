"""Schema migrations, run programmatically with Alembic (no alembic.ini needed).

The scripts live in the top-level `migrations/` directory of a checkout, or in
`tracker/_migrations` inside an installed wheel.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Connection, Engine, text

import tracker
from tracker.db import is_postgres, make_engine, writer

_MIGRATION_LOCK = 7_362_021_001
"""PostgreSQL advisory lock key: two processes starting at once migrate one after the other."""


def script_location() -> Path:
    """Where the migration scripts are: the checkout's `migrations/` or the wheel's copy."""
    package = Path(tracker.__file__).resolve().parent
    for candidate in (package.parent / "migrations", package / "_migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise FileNotFoundError(f"no migrations next to {package}")


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic Config built in code, optionally carrying the connection to migrate."""
    config = Config()
    config.set_main_option("script_location", str(script_location()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine_or_url: Engine | str, revision: str = "head") -> None:
    """Migrate the database up to `revision`, in one transaction."""
    engine, owned = _engine(engine_or_url)
    try:
        with writer(engine).begin() as conn:
            if is_postgres(conn):
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            command.upgrade(alembic_config(conn), revision)
    finally:
        if owned:
            engine.dispose()


def downgrade(engine_or_url: Engine | str, revision: str) -> None:
    """Migrate the database down to `revision` ("base" for nothing)."""
    engine, owned = _engine(engine_or_url)
    try:
        with writer(engine).begin() as conn:
            command.downgrade(alembic_config(conn), revision)
    finally:
        if owned:
            engine.dispose()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None before the first migration."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def _engine(engine_or_url: Engine | str) -> tuple[Engine, bool]:
    if isinstance(engine_or_url, str):
        return make_engine(engine_or_url), True
    return engine_or_url, False


def head_revision() -> str | None:
    """The newest revision the migration scripts define."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()

"""Throwaway databases for tests: a SQLite file under tmp_path, or a PostgreSQL database of its own.

PostgreSQL databases are named ``tracker_test_<uuid hex>``, created on the server named by
TRACKER_TEST_POSTGRES_URL (default: postgres on 127.0.0.1:5432, trust auth) and dropped WITH
(FORCE) afterwards; no other database is touched. When the server does not answer, tests that
need it are skipped, except under CI=true, where they fail.
"""

from __future__ import annotations

import atexit
import functools
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import URL, make_url

from tracker.migrate import upgrade

ADMIN_URL = os.environ.get(
    "TRACKER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)


def sqlite_url(tmp_path: Path, name: str = "tracker.db") -> str:
    """A URL for a SQLite file in the test's temporary directory (not created yet)."""
    return f"sqlite:///{tmp_path / name}"


def migrated_sqlite_url(tmp_path: Path, name: str = "tracker.db") -> str:
    """A URL for a SQLite file migrated to head."""
    url = sqlite_url(tmp_path, name)
    upgrade(url)
    return url


def _admin() -> URL:
    return make_url(ADMIN_URL)


def _conninfo(url: URL) -> str:
    return psycopg.conninfo.make_conninfo(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password or None,
        dbname=url.database or "postgres",
        connect_timeout=3,
    )


@functools.cache
def postgres_problem() -> str | None:
    """Why PostgreSQL cannot be used, or None when it answers."""
    try:
        with psycopg.connect(_conninfo(_admin()), autocommit=True) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return (
            f"PostgreSQL at {_admin().render_as_string(hide_password=True)} is not answering: {exc}"
        )
    return None


def require_postgres() -> None:
    """Skip the calling test when PostgreSQL is down, or fail it when CI=true."""
    problem = postgres_problem()
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{problem} (CI=true: PostgreSQL tests must run)", pytrace=False)
    pytest.skip(problem)


def _create(name: str, template: str | None = None) -> None:
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with psycopg.connect(_conninfo(_admin()), autocommit=True) as conn:
        conn.execute(statement)


def _drop(name: str) -> None:
    with psycopg.connect(_conninfo(_admin()), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def _url(name: str) -> str:
    return (
        _admin()
        .set(drivername="postgresql+psycopg", database=name)
        .render_as_string(hide_password=False)
    )


@functools.cache
def _migrated_template() -> str:
    """A database migrated once per test process, copied for each test (cheaper than migrating
    each time); dropped when the process exits."""
    name = f"tracker_test_{uuid.uuid4().hex}"
    _create(name)
    atexit.register(_drop, name)
    upgrade(_url(name))  # the engine upgrade() makes is disposed: no session stays on it
    return name


@contextmanager
def postgres_database(*, migrate: bool = False) -> Iterator[str]:
    """Create a fresh database (migrated to head if asked), yield its URL, drop it afterwards
    (even with clients still connected)."""
    require_postgres()
    name = f"tracker_test_{uuid.uuid4().hex}"
    _create(name, _migrated_template() if migrate else None)
    try:
        yield _url(name)
    finally:
        _drop(name)

"""Engines for SQLite and PostgreSQL, configured the way the event store needs them.

SQLite: WAL, synchronous=FULL, foreign keys on, a 30 s busy timeout, and transactions begun by
SQLAlchemy rather than by the sqlite3 module, so a writer can ask for ``BEGIN IMMEDIATE`` and
take the write lock up front::

    writer = engine.execution_options(sqlite_begin="IMMEDIATE")
    with writer.begin() as conn:
        ...

(A deferred transaction that upgrades to a write under WAL can fail with SQLITE_BUSY_SNAPSHOT
instead of waiting.) PostgreSQL goes through psycopg 3. Nothing here runs on import.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

SQLITE_BEGIN = "sqlite_begin"
"""Execution option choosing how a SQLite transaction begins: DEFERRED, IMMEDIATE or EXCLUSIVE."""

_BEGIN_MODES = frozenset({"DEFERRED", "IMMEDIATE", "EXCLUSIVE"})
_SQLITE_PRAGMAS = (
    "PRAGMA journal_mode=WAL",
    "PRAGMA synchronous=FULL",
    "PRAGMA foreign_keys=ON",
    "PRAGMA busy_timeout=30000",
)


def normalize_url(url: str) -> str:
    """Send ``postgres://`` and ``postgresql://`` URLs to the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for a ``sqlite:///path``, ``sqlite://`` (in memory) or PostgreSQL URL."""
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(url, in_memory=parsed.database in (None, "", ":memory:"), **kwargs)
    if parsed.get_backend_name() == "postgresql":
        options: dict[str, Any] = {
            "pool_size": 5,
            "max_overflow": 10,
            "pool_pre_ping": False,
            "pool_recycle": 3600,
        }
        options.update(kwargs)
        return create_engine(url, **options)
    raise ValueError(f"unsupported database URL {parsed.render_as_string(hide_password=True)}")


def _sqlite_engine(url: str, *, in_memory: bool, **kwargs: Any) -> Engine:
    options: dict[str, Any] = {"connect_args": {"check_same_thread": False}}
    if in_memory:
        options["poolclass"] = StaticPool  # one shared connection, or every checkout is empty
    options.update(kwargs)
    engine = create_engine(url, **options)
    event.listen(engine, "connect", _on_sqlite_connect)
    event.listen(engine, "begin", _on_sqlite_begin)
    # Marks the engine as configured here; a store refuses a SQLite engine without it.
    engine.update_execution_options(**{SQLITE_BEGIN: "DEFERRED"})
    return engine


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # the driver emits no BEGIN; we do, in _on_sqlite_begin
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _SQLITE_PRAGMAS:
            cursor.execute(pragma)
    finally:
        cursor.close()


def _on_sqlite_begin(conn: Connection) -> None:
    mode = str(conn.get_execution_options().get(SQLITE_BEGIN, "DEFERRED")).upper()
    if mode not in _BEGIN_MODES:
        raise ValueError(f"{SQLITE_BEGIN} must be one of {sorted(_BEGIN_MODES)}, not {mode!r}")
    raw: Any = conn.connection.dbapi_connection  # straight to the driver: it is every BEGIN
    raw.execute(f"BEGIN {mode}")


def is_sqlite(engine: Engine | Connection) -> bool:
    """True for a SQLite engine or connection."""
    return engine.dialect.name == "sqlite"


def is_postgres(engine: Engine | Connection) -> bool:
    """True for a PostgreSQL engine or connection."""
    return engine.dialect.name == "postgresql"


def is_configured_sqlite(engine: Engine) -> bool:
    """True when a SQLite engine came from `make_engine` (it controls BEGIN itself)."""
    return SQLITE_BEGIN in engine.get_execution_options()


def writer(engine: Engine) -> Engine:
    """The engine to write through: on SQLite its transactions begin IMMEDIATE."""
    if is_sqlite(engine):
        return engine.execution_options(**{SQLITE_BEGIN: "IMMEDIATE"})
    return engine

"""Fixtures shared by every test module: throwaway databases and a fresh event store per test.

`database_url` yields a migrated SQLite or PostgreSQL URL; `make_store` builds stores on one
fresh database per test for each backend (memory, sqlite, postgres); `store` is one of them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.support.databases import migrated_sqlite_url, postgres_database
from tracker.db import make_engine
from tracker.eventstore import open_store
from tracker.eventstore.clock import Clock, utc_now
from tracker.eventstore.memory import InMemoryEventStore
from tracker.eventstore.protocol import EventStore

StoreFactory = Callable[..., EventStore]

SQL_BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]
ALL_BACKENDS = [pytest.param("memory", id="memory"), *SQL_BACKENDS]


@pytest.fixture(params=SQL_BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of a database migrated to head: a SQLite file, or a throwaway PostgreSQL db."""
    if request.param == "sqlite":
        yield migrated_sqlite_url(tmp_path)
    else:
        with postgres_database(migrate=True) as url:
            yield url


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database migrated to head (for PostgreSQL-only tests)."""
    with postgres_database(migrate=True) as url:
        yield url


@pytest.fixture
def postgres_engine(postgres_url: str) -> Iterator[Engine]:
    engine = make_engine(postgres_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sql_engine(database_url: str) -> Iterator[Engine]:
    """An engine on `database_url`, disposed afterwards."""
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(params=ALL_BACKENDS)
def make_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    """Builds stores (optionally with a clock) over one fresh, empty log per test."""
    if request.param == "memory":
        yield lambda clock=None: InMemoryEventStore(clock=clock or utc_now)
        return
    with ExitStack() as cleanup:
        if request.param == "sqlite":
            url = migrated_sqlite_url(tmp_path)
        else:
            url = cleanup.enter_context(postgres_database(migrate=True))

        def make(clock: Clock | None = None) -> EventStore:
            engine = make_engine(url)
            cleanup.callback(engine.dispose)  # runs before the database is dropped
            return open_store(engine, clock=clock)

        yield make


@pytest.fixture
def store(make_store: StoreFactory) -> EventStore:
    """A fresh, empty event store on each backend."""
    return make_store()

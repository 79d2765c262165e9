"""The one place that chooses the database, the store and the settings, and wires them."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from tracker.application import CaseTracker
from tracker.db import make_engine
from tracker.eventstore import open_store
from tracker.eventstore.protocol import EventStore
from tracker.settings import Settings


@dataclass
class Services:
    """Everything a front end (CLI, web, scheduler) needs, wired once."""

    settings: Settings
    engine: Engine
    store: EventStore
    tracker: CaseTracker

    def close(self) -> None:
        self.engine.dispose()


def bootstrap(settings: Settings | None = None, *, database_url: str | None = None) -> Services:
    """Wire the services for a database URL (from the settings unless given)."""
    settings = settings or Settings()
    if database_url:
        settings = settings.model_copy(update={"database_url": database_url})
    engine = make_engine(settings.database_url)
    store = open_store(engine)
    return Services(settings, engine, store, CaseTracker(store))

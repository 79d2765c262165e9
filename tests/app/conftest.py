"""Services wired on a throwaway database (SQLite and PostgreSQL), with a clock the test steers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from tests.support.clock import StepClock
from tracker.application import CaseTracker
from tracker.bootstrap import Services
from tracker.db import make_engine
from tracker.domain.roles import Actor, Role
from tracker.eventstore import open_store
from tracker.settings import Settings

RESEARCHER = Actor("researcher@example.org", Role.RESEARCHER)
REVIEWER = Actor("reviewer@example.org", Role.REVIEWER)
SECOND_REVIEWER = Actor("second-reviewer@example.org", Role.REVIEWER)
ADVOCATE = Actor("advocate@example.org", Role.ADVOCATE)


@pytest.fixture
def clock() -> StepClock:
    """One reading per append; a day apart, so 'known at' dates fall between appends."""
    return StepClock(step=timedelta(days=1))


@pytest.fixture
def services(database_url: str, clock: StepClock) -> Iterator[Services]:
    engine = make_engine(database_url)
    store = open_store(engine, clock=clock)
    yield Services(Settings(database_url=database_url), engine, store, CaseTracker(store))
    engine.dispose()

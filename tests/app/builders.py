"""Short ways to run the commands the app tests need."""

from __future__ import annotations

import uuid
from typing import Any

from tests.app.conftest import RESEARCHER, REVIEWER
from tracker.application import Outcome
from tracker.bootstrap import Services
from tracker.domain.commands import OpenCase, Record, Review
from tracker.domain.dates import PartialDate
from tracker.domain.events import CaseOpened, Decision, DomainEvent
from tracker.domain.roles import Actor
from tracker.projections.detail import stream_detail
from tracker.projections.review_queue import pending_events


def open_case(services: Services, name: str, **fields: Any) -> str:
    case_id = f"case-{uuid.uuid4()}"
    services.tracker.execute(OpenCase(case_id, CaseOpened(name=name, **fields)), RESEARCHER)
    return case_id


def approve(services: Services, stream_id: str, event_id: str, by: Actor = REVIEWER) -> Outcome:
    return services.tracker.execute(Review(stream_id, event_id, Decision.APPROVED), by)


def opened_and_approved(services: Services, name: str, **fields: Any) -> str:
    case_id = open_case(services, name, **fields)
    first = services.store.read_stream(case_id)[0]
    approve(services, case_id, first.event_id)
    return case_id


def log(services: Services, stream_id: str, event: DomainEvent, by: Actor = RESEARCHER) -> str:
    """Log an event; returns its event id."""
    return services.tracker.execute(Record(stream_id, event), by).events[0].event_id


def log_approved(services: Services, stream_id: str, event: DomainEvent) -> str:
    event_id = log(services, stream_id, event)
    approve(services, stream_id, event_id)
    return event_id


def day(text: str) -> PartialDate:
    return PartialDate.parse(text)


def timeline(services: Services, stream_id: str) -> list[dict[str, Any]]:
    """A stream's timeline as a researcher's page shows it (folded from the log)."""
    detail = stream_detail(services.store, stream_id, restricted=True, confidential=frozenset())
    assert detail is not None
    return detail.items


def queued(services: Services, stream_id: str) -> list[dict[str, Any]]:
    """The stream's rows in the review queue, oldest first."""
    with services.engine.connect() as conn:
        rows, _total = pending_events(conn, limit=1000)
    return [r for r in rows if r["stream_id"] == stream_id]

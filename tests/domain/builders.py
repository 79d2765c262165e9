"""Builders for domain tests: a stream's log as the store would hold it, without a store."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from tracker.domain.case import CaseSummary, summarize_case
from tracker.domain.commands import Command, OpenCase, Record, Review
from tracker.domain.dates import PartialDate
from tracker.domain.decide import decide
from tracker.domain.envelope import Recorded
from tracker.domain.events import CaseOpened, Decision, DomainEvent
from tracker.domain.review import StreamHistory, fold_history
from tracker.domain.roles import Actor, Role

RESEARCHER = Actor("ana", Role.RESEARCHER)
REVIEWER = Actor("rustem", Role.REVIEWER)
SECOND_REVIEWER = Actor("olha", Role.REVIEWER)
ADMIN = Actor("admin", Role.ADMIN)
ADVOCATE = Actor("ava", Role.ADVOCATE)

START = datetime(2024, 1, 1, tzinfo=UTC)


def day(text: str) -> PartialDate:
    return PartialDate.parse(text)


class Log:
    """One stream's records, appended through `decide` (or raw with `append`)."""

    def __init__(self, stream_id: str = "case-1") -> None:
        self.stream_id = stream_id
        self.records: list[Recorded] = []

    def at(self, version: int) -> str:
        """The recorded_at of a version: one minute apart from START."""
        return (START + timedelta(minutes=version)).isoformat()

    def append(self, event: DomainEvent, actor: str = RESEARCHER.id) -> str:
        version = len(self.records) + 1
        event_id = f"{self.stream_id}/e{version}"
        position = 1000 + version
        at = self.at(version)
        self.records.append(Recorded(event, event_id, self.stream_id, version, position, actor, at))
        return event_id

    def history(self, known_at: str | None = None) -> StreamHistory:
        records = [r for r in self.records if known_at is None or r.recorded_at <= known_at]
        return fold_history(self.stream_id, records)

    def do(self, command: Command, actor: Actor = RESEARCHER) -> str:
        """Decide and append; the id of the (single) event appended."""
        events = decide(command, self.history(), actor)
        assert len(events) == 1
        return self.append(events[0], actor.id)

    def review(
        self, event_id: str, decision: Decision = Decision.APPROVED, by: Actor = REVIEWER
    ) -> str:
        return self.do(Review(self.stream_id, event_id, decision), by)

    def fact(self, event: DomainEvent, *, approve: bool = True) -> str:
        """Record an event by the researcher and, unless told not to, have it approved."""
        event_id = self.do(Record(self.stream_id, event))
        if approve:
            self.review(event_id)
        return event_id


def case_log(name: str = "Server Mustafayev", *, approve: bool = True, **fields: object) -> Log:
    """A case stream opened (and approved) through decide."""
    log = Log("case-1")
    opened = CaseOpened.model_validate({"name": name, **fields})
    event_id = log.do(OpenCase("case-1", opened))
    if approve:
        log.review(event_id)
    return log


def summary_of(*facts: DomainEvent, as_of: date | None = None) -> CaseSummary:
    """The summary of an approved case whose facts were all logged and approved in this order."""
    log = case_log()
    for fact in facts:
        log.fact(fact)
    return summarize_case(log.history(), as_of=as_of)

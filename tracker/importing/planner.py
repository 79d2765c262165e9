"""From rows to commands: find each row's case, work out what is new, and say so per row.

Every command gets an event id derived from the file's digest, the row and the command's
place in it, so importing the same file again is recognised as already done. Each imported
fact cites the file itself (a source registered once per file, 'row N' as the locator) and
the row's own source links (a source registered once per link).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import ValidationError

from tracker.batch import Step, batch_id
from tracker.domain.commands import Command, Correct, OpenCase, Record, RegisterSource
from tracker.domain.dates import PartialDate
from tracker.domain.describe import describe
from tracker.domain.events import CaseOpened, Gender, SourceKind, SourceRegistered
from tracker.domain.review import StreamHistory
from tracker.domain.roles import Actor
from tracker.domain.values import Citation
from tracker.eventstore.model import StoredEvent
from tracker.eventstore.protocol import EventStore
from tracker.history import history_of
from tracker.importing.facts import StatusError, row_facts, standing
from tracker.importing.matching import Match, People, Person, best, spellings
from tracker.importing.opening import correction
from tracker.importing.rows import Problem, RowData


class Outcome(StrEnum):
    NEW = "new"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    ERROR = "error"


@dataclass(frozen=True)
class RowPreview:
    """What importing one row would do."""

    row: int
    outcome: Outcome
    name: str = ""
    case_id: str = ""
    match: Match | None = None
    """The existing case an update or an unchanged row was matched to, for a person to check."""
    changes: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass
class Known:
    """What the planner knows of the database before it starts."""

    people: People
    closed: set[str]
    """Cases that exist but take no more facts (rejected in review or retracted)."""
    sources_by_url: dict[str, str]
    source_ids: set[str]


class _RowError(Exception):
    def __init__(self, column: str, message: str) -> None:
        self.column, self.message = column, message


def _new_id(*parts: str) -> str:
    return batch_id("import", *parts)


@dataclass
class Planner:
    store: EventStore
    known: Known
    actor: Actor
    digest: str
    filename: str
    steps: list[Step] = field(default_factory=list)
    step_rows: list[int] = field(default_factory=list)
    preloaded: dict[str, list[StoredEvent]] = field(default_factory=dict)
    _sources: list[Step] = field(default_factory=list)
    _in_file: People = field(default_factory=People)
    _claimed: dict[str, int] = field(default_factory=dict)
    file_source: str = field(init=False)

    def __post_init__(self) -> None:
        self.file_source = f"source-{_new_id('file', self.digest)}"

    def all_steps(self) -> tuple[list[Step], list[int]]:
        """Source registrations first (row 0), then the rows' commands."""
        return [*self._sources, *self.steps], [0] * len(self._sources) + self.step_rows

    def row(self, data: RowData) -> RowPreview:
        try:
            return self._row(data)
        except _RowError as exc:
            problem = Problem(data.number, exc.column, exc.message)
            return RowPreview(data.number, Outcome.ERROR, data.name, problems=(problem,))

    def _row(self, data: RowData) -> RowPreview:
        names = spellings(data.name, data.variants)
        case_id, match = self._target(data, names)
        cite, sources = self._citations(data)
        history: StreamHistory | None = None
        commands: list[tuple[str, Command]] = []
        warnings: list[str] = []
        if match is None:
            commands.append(("open", OpenCase(case_id, self._opened(data, cite))))
            self.preloaded[case_id] = []
        else:
            stored = self.store.read_stream(case_id)
            self.preloaded[case_id] = stored
            history = history_of(case_id, stored)
            try:
                correct, warnings = correction(data, history, self.filename)
            except ValueError as exc:
                raise _RowError(data.column("name"), str(exc)) from None
            if correct is not None:
                commands.append(("correct", correct))
        facts, notes = standing(history)
        try:
            events = row_facts(data, facts, notes, cite)
        except StatusError as exc:
            raise _RowError(data.column("status"), str(exc)) from None
        commands += [(f"fact/{i}", Record(case_id, e)) for i, e in enumerate(events)]
        self._claim(data, names, case_id, match)
        if not commands:
            return RowPreview(data.number, Outcome.UNCHANGED, data.name, case_id, match)
        self._register(sources)
        for key, command in commands:
            self.steps.append(
                Step(command, self.actor, batch_id(self.digest, str(data.number), key))
            )
            self.step_rows.append(data.number)
        outcome = Outcome.NEW if match is None else Outcome.UPDATE
        changes = tuple(_describe(command) for _, command in commands)
        return RowPreview(
            data.number, outcome, data.name, case_id, match, changes, warnings=tuple(warnings)
        )

    def _target(self, data: RowData, names: tuple[frozenset[str], ...]) -> tuple[str, Match | None]:
        """The case the row is about (existing: with the match), refusing duplicates."""
        birth = data.birth_date or PartialDate.unknown()
        if data.case_id:
            person = self.known.people.by_id.get(data.case_id)
            if data.case_id in self.known.closed:
                raise _RowError(data.column("case_id"), f"{data.case_id} was rejected in "
                                "review or retracted: it takes no more facts")  # fmt: skip
            match = None if person is None else _match(person, "case id")
            return self._unclaimed(data, data.case_id), match
        earlier = self._in_file.find(names, birth)
        if earlier:
            first = self._claimed.get(earlier[0][0].case_id, 0)
            raise _RowError(data.column("name"), f"duplicate: the same person as row {first}")
        person, how, ambiguous = best(self.known.people.find(names, birth))
        if ambiguous:
            listed = "; ".join(f"{p.case_id} ({p.name}, born {p.birth_date})" for p in ambiguous)
            raise _RowError(data.column("name"), f"matches more than one case: {listed}; add "
                            "a case id column to say which")  # fmt: skip
        if person is not None:
            return self._unclaimed(data, person.case_id), _match(person, how)
        case_id = f"case-{_new_id(self.digest, str(data.number))}"
        if case_id in self.known.closed:
            raise _RowError(data.column("name"), f"this row was imported before as {case_id}, "
                            "which was rejected in review or retracted")  # fmt: skip
        return case_id, None

    def _unclaimed(self, data: RowData, case_id: str) -> str:
        if case_id in self._claimed:
            raise _RowError(data.column("case_id" if data.case_id else "name"),
                            f"duplicate: row {self._claimed[case_id]} is about the same case "
                            f"({case_id})")  # fmt: skip
        return case_id

    def _claim(
        self, data: RowData, names: tuple[frozenset[str], ...], case_id: str, match: Match | None
    ) -> None:
        self._claimed[case_id] = data.number
        if match is None:
            birth = data.birth_date or PartialDate.unknown()
            self._in_file.add(Person(case_id, data.name, names, birth))

    def _opened(self, data: RowData, cite: tuple[Citation, ...]) -> CaseOpened:
        try:
            return CaseOpened(
                name=data.name,
                name_variants=data.variants,
                birth_date=data.birth_date or PartialDate.unknown(),
                gender=data.gender or Gender.UNKNOWN,
                region=data.region,
                citations=cite,
            )
        except ValidationError as exc:
            error = exc.errors()[0]
            field_name = {"name_variants": "variants"}.get(
                str(error["loc"][0]), str(error["loc"][0])
            )
            raise _RowError(data.column(field_name), error["msg"]) from None

    def _citations(self, data: RowData) -> tuple[tuple[Citation, ...], list[Step]]:
        """The row's citations, and the registrations of the sources they need that are new."""
        cites = {
            self.file_source: Citation(source_id=self.file_source, locator=f"row {data.number}")
        }
        needed: list[Step] = []
        if self.file_source not in self.known.source_ids:
            title = f"Imported list: {self.filename}"[:300]
            registered = SourceRegistered(
                title=title, kind=SourceKind.DOCUMENT, reference=f"sha256:{self.digest}"
            )
            needed.append(self._source_step(self.file_source, registered))
        for ref in data.sources:
            source_id = self.known.sources_by_url.get(ref.url) if ref.url else None
            if source_id is None:
                source_id = f"source-{_new_id('link', ref.url or ref.title.casefold())}"
                if source_id not in self.known.source_ids:
                    registered = SourceRegistered(
                        title=ref.title[:300], kind=SourceKind.OTHER, url=ref.url[:2000]
                    )
                    needed.append(self._source_step(source_id, registered))
            cites.setdefault(source_id, Citation(source_id=source_id))
        return tuple(cites.values()), needed

    def _source_step(self, source_id: str, registered: SourceRegistered) -> Step:
        command = RegisterSource(source_id, registered)
        return Step(command, self.actor, batch_id("source", source_id))

    def _register(self, needed: list[Step]) -> None:
        for step in needed:
            source_id = step.command.stream_id
            if source_id not in self.known.source_ids:
                self.known.source_ids.add(source_id)
                self.preloaded[source_id] = []
                self._sources.append(step)


def _match(person: Person, how: str) -> Match:
    return Match(person.case_id, person.name, person.birth_date.display(), how)


def _describe(command: Command) -> str:
    if isinstance(command, OpenCase):
        return f"new case: {describe(command.opened)}"
    if isinstance(command, Correct):
        fields = ", ".join(f"{k.replace('_', ' ')}" for k in command.replacement)
        return f"correct the opening: {fields}"
    if isinstance(command, Record):
        return describe(command.event, dated=True)
    return type(command).__name__


__all__ = ["Known", "Outcome", "Planner", "RowPreview"]

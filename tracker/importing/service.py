"""Importing a spreadsheet list: the preview, and the commit of the whole file at once.

`preview_import` reads the file, maps its columns (recognised headers, then the person's
mapping), and says per row what importing would do: a new case, an update of a matched case,
no change, or an error naming the row, the column and what is wrong. `commit_import` makes the
same preview and, only if no row has an error, appends every event in one transaction,
attributed to the importing user and pending review. Importing the same file again finds
every row unchanged and stores nothing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import select

from tracker.batch import Plan, Step, StepRefused, append_plan, plan_batch
from tracker.domain.errors import NotAllowed
from tracker.domain.roles import Action, Actor
from tracker.eventstore.appending import paused_gc
from tracker.eventstore.model import ConcurrencyConflict
from tracker.importing.headers import ColumnUse, resolve
from tracker.importing.matching import load_people
from tracker.importing.planner import Known, Outcome, Planner, RowPreview
from tracker.importing.reading import FileError, read_table
from tracker.importing.rows import Problem, RowData, parse_row
from tracker.projections.projector import CASES, SOURCES

if TYPE_CHECKING:
    from tracker.bootstrap import Services

_RETRIES = 3


@dataclass(frozen=True)
class ImportPreview:
    """What importing a file would do, row by row (`ok`: nothing stops the commit)."""

    filename: str
    digest: str
    encoding: str
    columns: tuple[ColumnUse, ...]
    rows: tuple[RowPreview, ...]
    problems: tuple[str, ...] = ()
    """Problems of the whole file (no name column, two columns for one field...)."""
    plan: Plan | None = field(default=None, repr=False)
    head: int = -1
    """The log position the preview was made at."""

    @property
    def ok(self) -> bool:
        return not self.problems and all(r.outcome is not Outcome.ERROR for r in self.rows)

    def counts(self) -> dict[str, int]:
        found = Counter(r.outcome.value for r in self.rows)
        return {outcome.value: found[outcome.value] for outcome in Outcome}

    def errors(self) -> list[str]:
        """Every problem, the file's first, as one line each."""
        return [*self.problems, *(str(p) for r in self.rows for p in r.problems)]


class ImportRefused(ValueError):
    """The file has errors: nothing was imported. `preview` says which rows, and why."""

    def __init__(self, preview: ImportPreview) -> None:
        errors = preview.errors()
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        super().__init__("nothing imported: " + "; ".join(errors[:5]) + more)
        self.preview = preview


@dataclass(frozen=True)
class ImportResult:
    preview: ImportPreview
    events: int
    """Events stored (0 when the file was imported before)."""


def _known(services: Services) -> Known:
    with services.engine.connect() as conn:
        people = load_people(conn)
        closed = set(
            conn.execute(
                select(CASES.c.stream_id).where(
                    (CASES.c.opened_review == "rejected") | CASES.c.retracted.is_(True)
                )
            ).scalars()
        )
        sources = conn.execute(select(SOURCES.c.stream_id, SOURCES.c.url)).all()
    by_url = {url: source_id for source_id, url in sources if url}
    return Known(people, closed, by_url, {source_id for source_id, _ in sources})


def _file_problems(uses: list[ColumnUse]) -> list[str]:
    problems = []
    by_field: dict[str, list[str]] = {}
    for use in uses:
        if use.field:
            by_field.setdefault(use.field, []).append(use.header)
    for name, headers in by_field.items():
        if len(headers) > 1:
            listed = " and ".join(repr(h) for h in headers)
            problems.append(
                f"columns {listed} both give {name}: map one of them with --map "
                f"'{headers[-1]}=ignore' (or to another field)"
            )
    if "name" not in by_field:
        problems.append(
            "no column gives the name: map one with --map 'COLUMN=name'; the columns are "
            + ", ".join(repr(u.header) for u in uses)
        )
    return problems


def preview_import(
    services: Services,
    data: bytes,
    filename: str,
    actor: Actor,
    mapping: Mapping[str, str] | None = None,
) -> ImportPreview:
    """Read the file and say what importing it would do; nothing is written.

    Raises FileError for a file that is no table, MappingError for a bad mapping and
    NotAllowed for a role that may not write."""
    if not actor.may(Action.WRITE):
        raise NotAllowed(f"the {actor.role} role may not import")
    with paused_gc():
        return _preview(services, data, filename, actor, mapping or {})


def _preview(
    services: Services, data: bytes, filename: str, actor: Actor, mapping: Mapping[str, str]
) -> ImportPreview:
    head = services.store.head().position
    digest = hashlib.sha256(data).hexdigest()
    table = read_table(data, filename)
    uses = resolve(table.headers, mapping)
    problems = _file_problems(uses)
    base = ImportPreview(filename, digest, table.encoding, tuple(uses), (), tuple(problems))
    if problems:
        return base
    planner = Planner(services.store, _known(services), actor, digest, filename or "upload")
    previews: list[RowPreview] = []
    for number, cells in table.rows:
        parsed = parse_row(number, cells, uses)
        if isinstance(parsed, RowData):
            previews.append(planner.row(parsed))
        else:
            name = next((cells[u.index] for u in uses if u.field == "name"), "")
            previews.append(RowPreview(number, Outcome.ERROR, name, problems=tuple(parsed)))
    rows = tuple(previews)
    if any(r.outcome is Outcome.ERROR for r in rows):
        return ImportPreview(filename, digest, table.encoding, tuple(uses), rows)
    steps, step_rows = planner.all_steps()
    try:
        plan = plan_batch(
            services.store, steps, request_id=f"import:{digest}", preloaded=planner.preloaded
        )
    except StepRefused as refused:
        rows = _refused(rows, step_rows[refused.index], refused, steps[refused.index])
        return ImportPreview(filename, digest, table.encoding, tuple(uses), rows)
    return ImportPreview(filename, digest, table.encoding, tuple(uses), rows, plan=plan, head=head)


def _refused(
    rows: tuple[RowPreview, ...], number: int, refused: StepRefused, step: Step
) -> tuple[RowPreview, ...]:
    """The rows, with the one whose command the domain refused turned into an error."""
    if number == 0:  # a source registration serves several rows: name the first that cites it
        number = next((r.row for r in rows if r.changes), rows[0].row if rows else 0)
    column = refused.field or type(step.command).__name__
    problem = Problem(number, column, refused.message)
    return tuple(
        RowPreview(r.row, Outcome.ERROR, r.name, r.case_id, r.match, r.changes, (problem,))
        if r.row == number
        else r
        for r in rows
    )


class ImportChanged(ImportRefused):
    """The cases changed since the preview a person confirmed: nothing was imported."""

    def __init__(self, preview: ImportPreview) -> None:
        ValueError.__init__(
            self, "nothing imported: the cases changed since the preview; preview the file again"
        )
        self.preview = preview


def _said(preview: ImportPreview) -> list[tuple[object, ...]]:
    return [(r.row, r.outcome, r.case_id, r.changes) for r in preview.rows]


def commit_import(
    services: Services,
    data: bytes,
    filename: str,
    actor: Actor,
    mapping: Mapping[str, str] | None = None,
    *,
    confirmed: ImportPreview | None = None,
) -> ImportResult:
    """Append every event of the file in one transaction; ImportRefused (and nothing stored)
    when any row has an error.

    `confirmed` is the preview a person saw (of the same file, mapping and account): if the
    log has not moved since, its plan is appended as it is; otherwise the file is previewed
    again and imported only if every row still does what the person saw (ImportChanged)."""
    digest = hashlib.sha256(data).hexdigest()
    if confirmed is not None and confirmed.digest != digest:
        raise ValueError("the confirmed preview is of another file")
    with paused_gc():
        for _attempt in range(_RETRIES):
            preview = confirmed
            if preview is None or preview.head != services.store.head().position:
                preview = preview_import(services, data, filename, actor, mapping)
                if confirmed is not None and _said(preview) != _said(confirmed):
                    raise ImportChanged(preview)
            if not preview.ok or preview.plan is None:
                raise ImportRefused(preview)
            try:
                stored = append_plan(services.store, preview.plan)
            except ConcurrencyConflict:
                continue  # a case moved meanwhile: look again (against what was confirmed)
            return ImportResult(preview, len(stored))
    raise ConcurrencyConflict("(import)", None, -1)


__all__ = [
    "FileError",
    "ImportChanged",
    "ImportPreview",
    "ImportRefused",
    "ImportResult",
    "commit_import",
    "preview_import",
]

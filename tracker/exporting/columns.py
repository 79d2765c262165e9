"""The columns an export can have: key, label, whether it is restricted, and its value.

Public columns come from the case summary (approved facts only) and the sources it cites.
Restricted columns hold what only researchers, reviewers and admins may read: internal notes,
relatives' and lawyers' contacts, and confidential sources. Advocates get public columns only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from tracker.domain.events import NoteAdded, RelativeContactRecorded
from tracker.domain.review import StreamHistory
from tracker.domain.roles import Action, Role, may
from tracker.domain.vocabulary import STATUSES, label
from tracker.exporting.cells import Cell


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """What an export shows of a cited source."""

    title: str
    url: str
    confidential: bool
    approved: bool

    def display(self) -> str:
        return f"{self.title} <{self.url}>" if self.url else self.title


@dataclass(frozen=True, slots=True)
class CaseDetails:
    """What the summary row lacks, from the case's history: notes and contacts that count."""

    notes: tuple[str, ...] = ()
    internal_notes: tuple[str, ...] = ()
    contacts: tuple[str, ...] = ()


def case_details(history: StreamHistory) -> CaseDetails:
    """Approved, unretracted notes and contacts, as corrected, in the order they were logged."""
    notes: list[str] = []
    internal: list[str] = []
    contacts: list[str] = []
    for event, _entry in history.counting():
        if isinstance(event, NoteAdded):
            (internal if event.internal else notes).append(event.text)
        elif isinstance(event, RelativeContactRecorded):
            who = f"{event.name} ({event.relation})" if event.relation else event.name
            contacts.append(f"{who}: {event.contact}")
    return CaseDetails(tuple(notes), tuple(internal), tuple(contacts))


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """One case as an export sees it: its summary row, and its details when a column needs them."""

    row: Mapping[str, Any]
    details: CaseDetails | None = None


@dataclass(frozen=True)
class ExportContext:
    base_url: str
    sources: Mapping[str, SourceInfo] = field(default_factory=dict)


Value = Callable[[CaseRecord, ExportContext], Cell]


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    value: Value
    restricted: bool = False
    default: bool = True
    """In the export when no columns are named."""
    needs_history: bool = False


def _field(name: str) -> Value:
    return lambda r, _c: r.row[name] if isinstance(r.row[name], int) else str(r.row[name] or "")


def _sources(*, confidential: bool) -> Value:
    def value(r: CaseRecord, c: ExportContext) -> Cell:
        found = (c.sources.get(source_id) for source_id in r.row["sources"] or [])
        return [s.display() for s in found if s and s.approved and s.confidential is confidential]

    return value


def _details(name: str) -> Value:
    def value(r: CaseRecord, _c: ExportContext) -> Cell:
        return list(getattr(r.details, name)) if r.details is not None else []

    return value


COLUMNS: tuple[Column, ...] = (
    Column("case_id", "Case ID", _field("stream_id")),
    Column("name", "Name", _field("name")),
    Column("name_variants", "Other spellings", lambda r, _c: list(r.row["name_variants"] or [])),
    Column("birth_date", "Date of birth", _field("birth_date")),
    Column("gender", "Gender", _field("gender")),
    Column("community", "Community", _field("community"), default=False),
    Column("region", "Region", _field("region")),
    Column("status", "Status", _field("status")),
    Column(
        "status_label",
        "Status (label)",
        lambda r, _c: label(r.row["status"], STATUSES),
    ),
    Column("status_since", "Status since", _field("status_since")),
    Column("detention_date", "Detention date", _field("detention_date")),
    Column("charges", "Charges", lambda r, _c: [c["display"] for c in r.row["charges"] or []]),
    Column(
        "charge_codes",
        "Charge codes",
        lambda r, _c: r.row["charge_slugs"].split(),
    ),
    Column("acts", "Acts", lambda r, _c: r.row["acts"].split(), default=False),
    Column("sentence", "Sentence", _field("sentence")),
    Column("verdict_date", "Verdict date", _field("verdict_date")),
    Column("facility", "Place of detention", _field("facility")),
    Column("release_date", "Release date", _field("release_date")),
    Column("death_date", "Date of death", _field("death_date")),
    Column("health_concerns", "Health concerns", _field("health_concerns"), default=False),
    Column("sources", "Sources", _sources(confidential=False)),
    Column("notes", "Notes", _details("notes"), default=False, needs_history=True),
    Column("last_recorded_at", "Last recorded", _field("last_recorded_at"), default=False),
    Column(
        "permalink",
        "Permalink",
        lambda r, c: f"{c.base_url.rstrip('/')}/cases/{r.row['stream_id']}",
    ),
    Column(
        "internal_notes",
        "Internal notes",
        _details("internal_notes"),
        restricted=True,
        default=False,
        needs_history=True,
    ),
    Column(
        "relative_contacts",
        "Contacts of relatives and lawyers",
        _details("contacts"),
        restricted=True,
        default=False,
        needs_history=True,
    ),
    Column(
        "confidential_sources",
        "Confidential sources",
        _sources(confidential=True),
        restricted=True,
        default=False,
    ),
)
BY_KEY: dict[str, Column] = {c.key: c for c in COLUMNS}
ALL = "all"
"""Names every column the role may read, in the registry's order."""


class ColumnError(ValueError):
    """Columns asked for that do not exist or that the role may not read."""


def readable(role: Role) -> tuple[Column, ...]:
    """Every column the role may export."""
    restricted = may(role, Action.READ_RESTRICTED)
    return tuple(c for c in COLUMNS if restricted or not c.restricted)


def choose(keys: tuple[str, ...] | list[str], role: Role) -> tuple[Column, ...]:
    """The columns named, in that order ('all' for every readable one; none for the default
    set). ColumnError lists the valid names, or says which are restricted."""
    allowed = readable(role)
    if not keys:
        return tuple(c for c in allowed if c.default)
    chosen: list[Column] = []
    for key in keys:
        if key == ALL:
            chosen.extend(c for c in allowed if c not in chosen)
            continue
        column = BY_KEY.get(key)
        if column is None:
            raise ColumnError(
                f"unknown column {key!r}; the columns are: {', '.join(c.key for c in allowed)}"
                f" (or {ALL})"
            )
        if column not in allowed:
            raise ColumnError(
                f"column {key!r} is restricted: the {role} role may not export it; "
                f"the columns it may export are: {', '.join(c.key for c in allowed)}"
            )
        if column in chosen:
            raise ColumnError(f"column {key!r} is named twice")
        chosen.append(column)
    return tuple(chosen)


__all__ = [
    "ALL",
    "BY_KEY",
    "COLUMNS",
    "CaseDetails",
    "CaseRecord",
    "Column",
    "ColumnError",
    "ExportContext",
    "SourceInfo",
    "case_details",
    "choose",
    "readable",
]

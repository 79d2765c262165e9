"""One row of a partner's list, read into typed values, or the problems that stop it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from tracker.domain.dates import PartialDate
from tracker.domain.events import Gender
from tracker.domain.status import Status
from tracker.domain.streams import StreamKind, stream_kind
from tracker.domain.values import Charge
from tracker.importing import values
from tracker.importing.headers import ColumnUse
from tracker.importing.reading import BAD_BYTES


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong, where: the row (as a spreadsheet numbers it) and the column's header."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class RowData:
    """A row's values; None (or empty) where the file says nothing."""

    number: int
    name: str
    case_id: str = ""
    variants: tuple[str, ...] = ()
    birth_date: PartialDate | None = None
    gender: Gender | None = None
    region: str = ""
    detention_date: PartialDate | None = None
    charges: tuple[Charge, ...] = ()
    status: Status | None = None
    facility: str = ""
    release_date: PartialDate | None = None
    death_date: PartialDate | None = None
    sources: tuple[values.SourceRef, ...] = ()
    notes: str = ""
    columns: dict[str, str] | None = None
    """{field: header} of the columns this row was read from (to name them in problems)."""

    def column(self, field: str) -> str:
        return (self.columns or {}).get(field, field)


def _known(text: str) -> PartialDate | None:
    found = values.parse_date(text)
    return found if found.is_known else None


def _case_id(text: str) -> str:
    if text and stream_kind(text) is not StreamKind.CASE:
        raise ValueError(f"{text!r} is not a case id (case-...)")
    return text


_PARSERS: dict[str, Callable[[str], Any]] = {
    "case_id": _case_id,
    "name": lambda text: text,
    "variants": lambda text: tuple(values.split_list(text)),
    "birth_date": _known,
    "gender": lambda text: values.parse_gender(text) if text else None,
    "region": lambda text: text,
    "detention_date": _known,
    "charges": values.parse_charges,
    "status": values.parse_status,
    "facility": lambda text: text,
    "release_date": _known,
    "death_date": _known,
    "source": values.parse_sources,
    "notes": lambda text: text,
}
_ATTRIBUTE = {"source": "sources"}


def parse_row(
    number: int, cells: Sequence[str], uses: Sequence[ColumnUse]
) -> RowData | list[Problem]:
    """The row's values, or every problem found in it."""
    found: dict[str, Any] = {}
    columns: dict[str, str] = {}
    problems: list[Problem] = []
    for use in uses:
        if use.field is None:
            continue
        columns[use.field] = use.header
        text = cells[use.index]
        if BAD_BYTES in text:
            problems.append(
                Problem(number, use.header, "bad encoding: the file is not UTF-8 or "
                        "Windows-1251 here (save it again as UTF-8)")
            )  # fmt: skip
            continue
        try:
            found[_ATTRIBUTE.get(use.field, use.field)] = _PARSERS[use.field](text)
        except ValidationError as exc:
            message = "; ".join(e["msg"].removeprefix("Value error, ") for e in exc.errors())
            problems.append(Problem(number, use.header, message))
        except ValueError as exc:
            problems.append(Problem(number, use.header, str(exc)))
    if not found.get("name") and not any(p.column == columns.get("name") for p in problems):
        problems.append(Problem(number, columns.get("name", "name"), "the name is missing"))
    if problems:
        return problems
    return RowData(number=number, columns=columns, **found)


__all__ = ["Problem", "RowData", "parse_row"]

"""The case list's query parameters (search, filters, sort, 'as of', 'as known at'), read and
checked once for every route that shows or exports a list: the list page and its export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, Query

from tracker.domain.errors import Invalid
from tracker.domain.status import Status
from tracker.domain.vocabulary import is_act
from tracker.projections.queries import CaseFilter, SortKey

SORTS: tuple[SortKey, ...] = ("name", "status", "detention_date", "last_change", "region")
Text = Annotated[str, Query(max_length=200)]
Day = Annotated[str, Query(max_length=40)]


def parse_day(value: str, name: str) -> date | None:
    """A YYYY-MM-DD parameter; Invalid (422) naming the parameter otherwise."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Invalid(f"{name}: {value[:40]!r} is not a date (YYYY-MM-DD)", name) from None


@dataclass(frozen=True)
class CaseQuery:
    """What narrows and orders the list, as the browser sent it and as the core takes it."""

    search: str
    status: str
    act: str
    charge: str
    region: str
    review: Literal["", "approved", "pending", "rejected"]
    sort: SortKey
    desc: bool
    as_of: str
    known_at: str
    as_of_day: date | None
    known_at_day: date | None

    def filter(self, *, limit: int = 50, offset: int = 0) -> CaseFilter:
        return CaseFilter(
            search=self.search,
            status=self.status or None,
            act=self.act or None,
            charge=self.charge or None,
            region=self.region or None,
            review=self.review or None,
            sort=self.sort,
            descending=self.desc,
            limit=limit,
            offset=offset,
        )

    @property
    def from_log(self) -> bool:
        """The list is folded from the log as it stood, not read from the read model."""
        return self.as_of_day is not None or self.known_at_day is not None

    def params(self) -> dict[str, Any]:
        """The parameters to carry into links (the pager, the export)."""
        return {
            "search": self.search, "status": self.status, "act": self.act,
            "charge": self.charge, "region": self.region, "review": self.review,
            "sort": self.sort, "desc": self.desc, "as_of": self.as_of, "known_at": self.known_at,
        }  # fmt: skip


def case_query(
    search: Text = "",
    status: Text = "",
    act: Text = "",
    charge: Text = "",
    region: Text = "",
    review: Literal["", "approved", "pending", "rejected"] = "",
    sort: Literal["name", "status", "detention_date", "last_change", "region"] = "name",
    desc: bool = False,
    as_of: Day = "",
    known_at: Day = "",
) -> CaseQuery:
    """The list's parameters; Invalid (422) naming a bad status, act or date."""
    if status and status not in {s.value for s in Status}:
        raise Invalid(f"status: unknown status {status!r}", "status")
    if act and not is_act(act):
        raise Invalid(f"act: unknown act code {act!r}", "act")
    return CaseQuery(
        search, status, act, charge, region, review, sort, desc, as_of, known_at,
        parse_day(as_of, "as_of"), parse_day(known_at, "known_at"),
    )  # fmt: skip


CaseQueryDep = Annotated[CaseQuery, Depends(case_query)]

__all__ = ["SORTS", "CaseQuery", "CaseQueryDep", "case_query", "parse_day"]

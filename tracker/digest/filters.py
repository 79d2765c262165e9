"""Saved filters: which approved changes a subscription reports. Pure: no I/O.

A filter picks records (a region, or a list of followed cases) and kinds of change (every
change, new detentions only, or status changes only), and whether new reports are included.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tracker.domain.streams import StreamKind, stream_kind


class Changes(StrEnum):
    """Which changes of a matching case a digest lists."""

    ALL = "all"
    DETENTIONS = "detentions"
    STATUS = "status"


CHANGE_LABELS = {
    Changes.ALL: "every approved change",
    Changes.DETENTIONS: "new detentions",
    Changes.STATUS: "status changes",
}


class SavedFilter(BaseModel):
    """What a subscription reports; an empty region and no followed cases match every case."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    changes: Changes = Changes.ALL
    region: str = Field(default="", max_length=100)
    case_ids: tuple[str, ...] = Field(default=(), max_length=200)
    """Followed cases; none: every case."""
    reports: bool = True
    """Also list new and changed reports (in the region, or linked to a followed case)."""
    decisions: bool = False
    """Also tell the subscriber about review decisions on the items they recorded."""

    @field_validator("region")
    @classmethod
    def _strip(cls, value: str) -> str:
        return " ".join(value.split())

    @field_validator("case_ids")
    @classmethod
    def _cases(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for case_id in value:
            if stream_kind(case_id) is not StreamKind.CASE:
                raise ValueError(f"{case_id[:80]!r} is not a case id (case-...)")
        return tuple(dict.fromkeys(value))

    def matches_case(self, case_id: str, region: str) -> bool:
        if self.case_ids and case_id not in self.case_ids:
            return False
        return not self.region or region.casefold() == self.region.casefold()

    def matches_report(self, region: str, case_ids: tuple[str, ...]) -> bool:
        if not self.reports:
            return False
        if self.case_ids and not set(case_ids) & set(self.case_ids):
            return False
        return not self.region or region.casefold() == self.region.casefold()

    def describe(self) -> str:
        """'new detentions in Crimea, and new reports' and the like."""
        where = f" in {self.region}" if self.region else ""
        cases = f" of {len(self.case_ids)} followed case(s)" if self.case_ids else ""
        reports = ", and new reports" if self.reports else ""
        decisions = ", and review decisions on your items" if self.decisions else ""
        return f"{CHANGE_LABELS[self.changes]}{cases}{where}{reports}{decisions}"


__all__ = ["CHANGE_LABELS", "Changes", "SavedFilter"]

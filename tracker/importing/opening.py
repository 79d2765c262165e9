"""Updating a matched case's opening from a row: spellings it lacks are added, and a birth
date, gender or region the case does not know yet is filled in. Where the case and the file
both know and differ, the case is left as it is and the preview warns.

The opening compared is the one the latest correction not rejected or retracted would make,
so a second import of the same facts (from another file) finds nothing to correct.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from tracker.domain import codec
from tracker.domain.commands import Correct
from tracker.domain.dates import PartialDate
from tracker.domain.events import CaseOpened, EventCorrected, Gender
from tracker.domain.names import search_key
from tracker.domain.review import ReviewState, StreamHistory
from tracker.importing.rows import RowData


def correction(
    data: RowData, history: StreamHistory, filename: str
) -> tuple[Correct | None, list[str]]:
    """Fill what the case's opening lacks (spellings, birth date, gender, region); where
    both know and differ, leave the case as it is and warn."""
    opening = history.opening
    if opening is None or not isinstance(opening.effective, CaseOpened):
        raise ValueError(f"{history.stream_id} has no opening")
    opened = _pending_opening(history, opening.effective)
    change: dict[str, Any] = {}
    warnings: list[str] = []
    have = {search_key(t) for t in (opened.name, *opened.name_variants)}
    added = [t for t in (data.name, *data.variants) if search_key(t) not in have]
    if added:
        change["name_variants"] = [*opened.name_variants, *dict.fromkeys(added)]
    for name, new, old, empty in (
        ("birth_date", data.birth_date, opened.birth_date, PartialDate.unknown()),
        ("gender", data.gender, opened.gender, Gender.UNKNOWN),
        ("region", data.region or None, opened.region, ""),
    ):
        if new is None or new == old:
            continue
        if old == empty:
            change[name] = new.model_dump(mode="json") if isinstance(new, PartialDate) else new
        else:
            warnings.append(f"{name.replace('_', ' ')}: the case has {old}, the file {new}; "
                             "not changed")  # fmt: skip
    if not change:
        return None, warnings
    reason = f"Imported from {filename}, row {data.number}"
    return Correct(history.stream_id, opening.event_id, change, reason), warnings


def _pending_opening(history: StreamHistory, effective: CaseOpened) -> CaseOpened:
    """The opening as the latest correction that is not rejected or retracted would make it."""
    opening_id = history.entries[0].event_id
    for entry in reversed(history.entries):
        event = entry.event
        if (
            isinstance(event, EventCorrected)
            and event.target_event_id == opening_id
            and entry.review is not ReviewState.REJECTED
            and entry.retracted_by is None
        ):
            try:
                replaced = codec.decode(
                    CaseOpened.TYPE, event.replacement_schema_version, event.replacement
                )
            except (ValidationError, codec.UnknownEventType):
                return effective
            return replaced if isinstance(replaced, CaseOpened) else effective
    return effective


__all__ = ["correction"]

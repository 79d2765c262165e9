"""Read-model rows and stream timelines as API answers, cut to what the reader may see.

The rows come from the same queries and `stream_detail` the pages use; here only their shape
changes. A reader of public fields gets the page's view of an event (summary, details, visible
citations; no author, reviewer or review note) and its `data` only with citations of
confidential sources taken out; corrections and retractions carry no `data` for such a reader.
"""

from __future__ import annotations

from typing import Any

from tracker.domain.events import DomainEvent
from tracker.domain.review import Entry
from tracker.projections.detail import StreamDetail
from tracker.projections.queries import Row
from tracker.projections.visibility import visible_citations
from web.api import schemas


def permalink(base_url: str, case_id: str) -> str:
    return f"{base_url.rstrip('/')}/cases/{case_id}"


def case_of(row: Row, base_url: str) -> schemas.Case:
    """A case summary row (current or 'as of') as the API shows it."""
    return schemas.Case(
        id=row["stream_id"],
        url=permalink(base_url, row["stream_id"]),
        name=row["name"],
        name_variants=list(row["name_variants"]),
        birth_date=row["birth_date"],
        gender=row["gender"],
        community=row["community"],
        region=row["region"],
        status=row["status"],
        status_since=row["status_since"],
        charges=[schemas.Charge(**c) for c in row["charges"]],
        acts=row["acts"].split(),
        detention_date=row["detention_date"],
        sentence=row["sentence"],
        verdict_date=row["verdict_date"],
        release_date=row["release_date"],
        death_date=row["death_date"],
        facility=row["facility"],
        health_concerns=row["health_concerns"],
        opened_review=row["opened_review"],
        retracted=bool(row["retracted"]),
        pending_count=row["pending_count"],
        version=row["version"],
        last_recorded_at=row["last_recorded_at"],
    )


def _data(
    entry: Entry | None, confidential: frozenset[str], restricted: bool
) -> dict[str, Any] | None:
    if entry is None:
        return None
    effective: DomainEvent = entry.effective
    if restricted:
        return effective.model_dump(mode="json")
    if entry.is_amendment:
        return None
    data = effective.model_dump(mode="json")
    if "citations" in data:
        kept = visible_citations(effective, confidential, restricted=False)
        data["citations"] = [c.model_dump(mode="json") for c in kept]
    return data


def event_of(
    item: Row, detail: StreamDetail, confidential: frozenset[str], restricted: bool
) -> schemas.Event:
    """One timeline row of `stream_detail` (already cut for the reader) as the API shows it."""
    entry = detail.history.entry(item["event_id"])
    return schemas.Event(
        position=item["position"],
        version=item["version"],
        event_id=item["event_id"],
        stream_id=item["stream_id"],
        type=item["type"],
        date=item["date_display"],
        precision=item["precision"],
        summary=item["summary"],
        details=item["details"],
        citations=[schemas.Citation(**c) for c in item["citations"]],
        review=item["review"],
        author=item["author"],
        reviewer=item["reviewer"],
        review_note=item["review_note"],
        reviewed_at=item["reviewed_at"],
        recorded_at=item["recorded_at"],
        retracted=item["retracted"],
        corrected=item["corrected"],
        target_event_id=item["target_event_id"],
        hash=item["hash"],
        data=_data(entry, confidential, restricted),
    )


def events_of(
    detail: StreamDetail,
    confidential: frozenset[str],
    restricted: bool,
    *,
    since: int | None = None,
) -> list[schemas.Event]:
    """The stream's visible events in version order (only those after `since`, if given)."""
    items = sorted(detail.items, key=lambda r: r["version"])
    if since is not None:
        items = [r for r in items if r["version"] > since]
    return [event_of(r, detail, confidential, restricted) for r in items]


__all__ = ["case_of", "event_of", "events_of", "permalink"]

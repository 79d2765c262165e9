"""An event's own page (its permalink): the event whole, its citations, its review, and its
history of corrections, retractions and their reviews, as the reader may see them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tracker.domain import codec
from tracker.domain.errors import NotFound
from tracker.domain.events import EventCorrected
from tracker.projections.detail import StreamDetail
from tracker.projections.lookups import source_titles
from web.deps import Reader, ServicesDep
from web.event_fields import event_fields
from web.render import render
from web.routes.common import check_stream, load_detail, stream_url

router = APIRouter()


@router.get("/{path}/{stream_id}/events/{event_id}")
def event_page(
    request: Request, path: str, stream_id: str, event_id: str, who: Reader, services: ServicesDep
) -> Response:
    check_stream(path, stream_id)
    with services.engine.connect() as conn:
        detail = load_detail(services, conn, stream_id, who)
        rows = {r["event_id"]: r for r in detail.items}
        row = rows.get(event_id[:100])
        entry = detail.history.entry(event_id[:100])
        if row is None or entry is None:
            raise NotFound(f"there is no event {event_id[:100]!r} in this record")
        amendments = [r for r in detail.items if r.get("target_event_id") == entry.event_id]
        amendments.sort(key=lambda r: r["version"])
        for amendment in amendments:
            amended = detail.history.entry(amendment["event_id"])
            event = amended.event if amended else None
            amendment["fields"] = (
                event_fields(
                    codec.decode(
                        entry.event.TYPE, event.replacement_schema_version, event.replacement
                    )
                )
                if isinstance(event, EventCorrected)
                else []
            )
            amendment["reason"] = getattr(event, "reason", "")
        cited = {c["source_id"] for c in row["citations"]}
        titles = source_titles(conn, cited, restricted=who.restricted)
    context = {
        "row": row,
        "stream_url": stream_url(stream_id),
        "stream_title": _title(detail),
        "fields": event_fields(entry.effective) if _may_show_fields(row, who.restricted) else [],
        "original": event_fields(entry.event) if entry.corrected_by else [],
        "amendments": amendments,
        "titles": titles,
    }
    return render(request, "event.html", context)


def _may_show_fields(row: dict[str, object], restricted: bool) -> bool:
    """A reader of public fields sees no restricted event (the page is a 404 then anyway)."""
    return restricted or not row["restricted"]


def _title(detail: StreamDetail) -> str:
    opening = detail.history.opening
    event = opening.effective if opening is not None else None
    return str(getattr(event, "name", "") or getattr(event, "title", "") or "")


__all__ = ["router"]

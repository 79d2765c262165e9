"""'My items': what the signed-in author recorded that waits for review or was rejected, with
the reviewer's note, and 'fix and resend' opening the form filled with the rejected values."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tracker.reviewing.decisions import authored_streams, my_items
from web.deps import ServicesDep, Writer
from web.render import render
from web.routes.common import stream_url

router = APIRouter()


@router.get("/my-items")
def my_items_page(request: Request, who: Writer, services: ServicesDep) -> Response:
    with services.engine.connect() as conn:
        streams = authored_streams(conn, who.email)
    items = my_items(services.store, streams, who.email)
    context = {
        "rejected": [i for i in items if i.review == "rejected"],
        "pending": [i for i in items if i.review == "pending"],
        "url": {i.stream_id: stream_url(i.stream_id) for i in items},
    }
    return render(request, "my_items.html", context)


__all__ = ["router"]

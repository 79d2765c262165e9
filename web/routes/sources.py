"""Sources: the list (confidential ones only for roles that may read restricted fields), a
source's page, registering one. Assessments are logged like any update (see `events.py`)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tracker.domain.errors import NotFound
from tracker.domain.streams import StreamKind
from tracker.projections.lookups import get_source, source_titles
from tracker.projections.queries import list_sources
from web.deps import Reader, ServicesDep, Writer
from web.render import render
from web.routes.common import PostedForm, check_stream, load_detail, update_types
from web.routes.opening import OPENINGS, open_form, open_stream

router = APIRouter()


@router.get("/sources")
def source_list(request: Request, who: Reader, services: ServicesDep) -> Response:
    with services.engine.connect() as conn:
        rows = list_sources(conn, restricted=who.restricted)
    return render(request, "sources.html", {"rows": rows})


@router.get("/sources/new")
def new_source(request: Request, who: Writer, services: ServicesDep) -> Response:
    return open_form(request, services, OPENINGS["sources"])


@router.post("/sources")
def create_source(
    request: Request, who: Writer, services: ServicesDep, form: PostedForm
) -> Response:
    return open_stream(request, services, who, OPENINGS["sources"], form)


@router.get("/sources/{source_id}")
def source_page(request: Request, source_id: str, who: Reader, services: ServicesDep) -> Response:
    check_stream("sources", source_id)
    with services.engine.connect() as conn:
        source = get_source(conn, source_id)
        if source is None or (source["confidential"] and not who.restricted):
            raise NotFound(f"there is no source {source_id!r}")
        detail = load_detail(services, conn, source_id, who)
        cited = {c["source_id"] for item in detail.items for c in item["citations"]}
        titles = source_titles(conn, cited, restricted=who.restricted)
    context = {
        "source": source,
        "detail": detail,
        "titles": titles,
        "update_types": update_types(StreamKind.SOURCE),
    }
    return render(request, "source.html", context)


__all__ = ["router"]

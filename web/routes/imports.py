"""Importing a partner's list from the web: upload a CSV or XLSX file, see per row what it
would do (new case, update of a matched case, unchanged, or an error naming the row and the
column), map other columns to fields, then commit the whole file in one transaction, logged
by the signed-in user and pending review.

The preview and the commit are `tracker.importing`'s; this module only carries the file
between them (kept server-side by its SHA-256, see `tracker.uploads`) and refuses a commit that
would not do what the person saw (409) or that has error rows (422). Writers only.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from tracker.bootstrap import Services
from tracker.domain.errors import Invalid
from tracker.importing import (
    FIELDS,
    IGNORE,
    FileError,
    ImportChanged,
    ImportPreview,
    ImportRefused,
    ImportResult,
    MappingError,
    commit_import,
    preview_import,
)
from tracker.importing.reading import read_table
from tracker.uploads import MAX_AGE, Uploads
from web.deps import ConfigDep, Principal, ServicesDep, Writer, get_services
from web.import_form import (
    SUFFIXES,
    Upload,
    chosen_mapping,
    confirmed,
    fingerprint,
    kept,
    received,
)
from web.render import render
from web.routes.common import PostedForm

router = APIRouter()

TEMPLATE = "imports.html"


def _uploads(request: Request) -> Uploads:
    """The uploaded files, kept in the app's database (tests may set `app.state.uploads`)."""
    state = request.app.state
    if getattr(state, "uploads", None) is None:
        state.uploads = Uploads(get_services(request).engine)
    uploads: Uploads = state.uploads
    return uploads


def _page(
    request: Request,
    *,
    upload: Upload | None = None,
    preview: ImportPreview | None = None,
    result: ImportResult | None = None,
    message: str = "",
    status: int = 200,
    block: str = "preview",
) -> Response:
    context: dict[str, Any] = {
        "upload": upload,
        "preview": preview,
        "result": result,
        "message": message,
        "confirm": fingerprint(preview) if preview else "",
        "fields": [(IGNORE, "— ignore this column —"), *FIELDS.items()],
        "suffixes": ", ".join(SUFFIXES),
        "max_bytes": request.app.state.web.max_body_bytes,
        "kept_hours": int(MAX_AGE.total_seconds()) // 3600,
    }
    return render(request, TEMPLATE, context, status=status, block=block)


@router.get("/imports")
def import_page(request: Request, who: Writer) -> Response:
    """The upload form (fragment: the page's content)."""
    return _page(request, block="content")


def _preview(
    services: Services, who: Principal, upload: Upload, form: FormData
) -> tuple[ImportPreview, dict[str, str]]:
    """The preview of the kept file with the columns chosen, and that mapping; Invalid for a
    file that is no table or a mapping that does not fit it."""
    try:
        headers = read_table(upload.data, upload.filename).headers
        mapping = chosen_mapping(form, headers)
        made = preview_import(services, upload.data, upload.filename, who.actor, mapping)
    except (FileError, MappingError) as exc:
        raise Invalid(f"file {upload.filename[:80]!r}: {exc}", "file") from None
    return made, mapping


def _upload(request: Request, form: FormData, who: Principal, key: bytes) -> Upload:
    found = received(form, _uploads(request), key, who.session_id)
    return found or kept(form, _uploads(request), key, who.session_id)


@router.post("/imports/preview")
def preview(
    request: Request, who: Writer, services: ServicesDep, config: ConfigDep, form: PostedForm
) -> Response:
    """Upload a file (or re-preview the kept one with other columns): 200 when it can be
    imported, 422 with the rows and columns at fault when it cannot."""
    upload = _upload(request, form, who, config.secret_key)
    shown, _mapping = _preview(services, who, upload, form)
    status = 200 if shown.ok else 422
    message = "" if shown.ok else "This file cannot be imported as it is: see the errors below."
    return _page(request, upload=upload, preview=shown, message=message, status=status)


@router.post("/imports/commit")
def commit(
    request: Request, who: Writer, services: ServicesDep, config: ConfigDep, form: PostedForm
) -> Response:
    """Import the kept file as previewed: every row in one transaction, or nothing."""
    upload = kept(form, _uploads(request), config.secret_key, who.session_id)
    shown, mapping = _preview(services, who, upload, form)
    if fingerprint(shown) != confirmed(form):
        message = (
            "Nothing was imported: what the import would do changed since your preview (the "
            "cases or the columns changed). Check the preview below and import again."
        )
        return _page(request, upload=upload, preview=shown, message=message, status=409)
    if not shown.ok:
        message = "Nothing was imported: the file has errors (see below)."
        return _page(request, upload=upload, preview=shown, message=message, status=422)
    try:
        done = commit_import(
            services, upload.data, upload.filename, who.actor, mapping, confirmed=shown
        )
    except ImportChanged as changed:
        message = "Nothing was imported: the cases changed meanwhile. Check the preview again."
        return _page(request, upload=upload, preview=changed.preview, message=message, status=409)
    except ImportRefused as refused:
        message = "Nothing was imported: the file has errors (see below)."
        return _page(request, upload=upload, preview=refused.preview, message=message, status=422)
    _uploads(request).drop(upload.digest)
    return _page(request, preview=done.preview, result=done)


__all__ = ["router"]

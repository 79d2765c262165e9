"""Errors become plain pages (or fragments) with a clear message and the right status.

Domain errors keep their own message (NotAllowed 403, NotFound 404, Invalid 422, Conflict 409);
bad query or path parameters get 422 naming the parameter; a missing session sends the browser
to the sign-in page; anything else is caught by `security.Guard` and never shows a traceback.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException

from tracker.domain.errors import Conflict, DomainError, Invalid, NotAllowed, NotFound
from tracker.eventstore.model import ConcurrencyConflict, DuplicateEventId, InvalidEvent
from web.deps import CsrfRefused, EnrolmentRequired, NotSignedIn
from web.render import render

STATUS: dict[type[DomainError], int] = {NotAllowed: 403, NotFound: 404, Invalid: 422, Conflict: 409}
_TITLES = {
    400: "Bad request",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    422: "Not valid",
    429: "Too many attempts",
}


def domain_status(exc: DomainError) -> int:
    return next((code for cls, code in STATUS.items() if isinstance(exc, cls)), 400)


def error_page(request: Request, status: int, message: str) -> Response:
    title = _TITLES.get(status, "Error")
    context = {"title": title, "message": message, "status": status}
    return render(request, "error.html", context, status=status)


async def _domain(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    return error_page(request, domain_status(exc), exc.message)


async def _http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 404:
        return error_page(request, 404, "There is no page at this address.")
    if exc.status_code == 405:
        return error_page(request, 405, "This address does not take that kind of request.")
    return error_page(request, exc.status_code, str(exc.detail))


async def _validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = []
    for error in exc.errors()[:5]:
        where = ".".join(str(p) for p in error.get("loc", ())[1:]) or "request"
        problems.append(f"{where}: {error.get('msg', 'not valid')}")
    return error_page(request, 422, "; ".join(problems))


async def _not_signed_in(request: Request, exc: Exception) -> Response:
    target = request.url.path
    if request.url.query and request.method == "GET":
        target += "?" + request.url.query
    url = "/login?next=" + quote(target, safe="")
    if request.headers.get("hx-request") == "true":
        return Response(status_code=401, headers={"HX-Redirect": url})
    if request.method != "GET":
        return error_page(request, 401, "Your session has ended; sign in again.")
    return RedirectResponse(url, status_code=303)


ENROL_PAGE = "/account/two-factor"


async def _enrol_first(request: Request, exc: Exception) -> Response:
    """Anything but setting up two factors sends a role that must use them to do that first."""
    assert isinstance(exc, EnrolmentRequired)
    if request.headers.get("hx-request") == "true":
        return Response(status_code=403, headers={"HX-Redirect": ENROL_PAGE})
    if request.method == "GET":
        return RedirectResponse(ENROL_PAGE, status_code=303)
    return error_page(request, 403, exc.message)


async def _csrf(request: Request, exc: Exception) -> Response:
    message = (
        "This form was not sent from this site's own page, or it has expired. "
        "Reload the page and try again."
    )
    return error_page(request, 403, message)


async def _conflict(request: Request, exc: Exception) -> Response:
    return error_page(request, 409, "This record changed since you opened it; reload the page.")


async def _duplicate_id(request: Request, exc: Exception) -> Response:
    message = (
        "This form's event id was already used for something else (a form copied or sent "
        "to another record). Nothing was stored; reload the page and enter it again."
    )
    return error_page(request, 409, message)


async def _invalid_event(request: Request, exc: Exception) -> Response:
    return error_page(request, 422, f"This cannot be stored as given: {exc}.")


def install(app: FastAPI) -> None:
    """Register the handlers on an app."""
    app.add_exception_handler(DomainError, _domain)
    app.add_exception_handler(HTTPException, _http)
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(NotSignedIn, _not_signed_in)
    app.add_exception_handler(EnrolmentRequired, _enrol_first)
    app.add_exception_handler(CsrfRefused, _csrf)
    app.add_exception_handler(ConcurrencyConflict, _conflict)
    app.add_exception_handler(DuplicateEventId, _duplicate_id)
    app.add_exception_handler(InvalidEvent, _invalid_event)


__all__ = ["STATUS", "domain_status", "error_page", "install"]

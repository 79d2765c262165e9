"""Every route for every role, with HX-Request true, false and missing: who may, who may not,
page or fragment, and no restricted string ever reaching an advocate (or anyone signed out)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient

from tests.web.world import MARKERS, ROLES, World, csrf_of

WRITERS = ("admin", "reviewer", "researcher")
REVIEWERS = ("admin", "reviewer")
EVERYONE = ROLES
HEADERS = {"true": {"HX-Request": "true"}, "false": {"HX-Request": "false"}, "missing": {}}


@dataclass(frozen=True)
class Route:
    method: str
    path: Callable[[World], str]
    allowed: tuple[str, ...]
    ok: int = 200
    """Status for an allowed role (POSTs send an empty form: a 422 proves the role got in)."""
    denied: int = 403
    denied_to: tuple[str, ...] | None = None
    """Roles that get `denied` (default: the roles not allowed)."""
    ok_htmx: int | None = None
    """Status for an allowed role's htmx request, when not `ok` (a redirect is 200 there)."""


def _case(w: World) -> str:
    return f"/cases/{w.case_id}"


ROUTES = {
    "case list": Route("GET", lambda w: "/cases?search=Akhtemov&sort=status&desc=true", EVERYONE),
    "case list as of": Route("GET", lambda w: "/cases?as_of=2016-01-01", EVERYONE),
    "case page": Route("GET", _case, EVERYONE),
    "open case form": Route("GET", lambda w: "/cases/new", WRITERS),
    "name matches": Route("GET", lambda w: "/cases/new/matches?name=Ahtemov", WRITERS),
    "update chooser": Route("GET", lambda w: _case(w) + "/events/new", WRITERS),
    "update form": Route("GET", lambda w: _case(w) + "/events/new?type=ChargeBrought", WRITERS),
    "correct form": Route("GET", lambda w: f"{_case(w)}/events/{w.note_id}/correct", WRITERS),
    "retract form": Route("GET", lambda w: f"{_case(w)}/events/{w.contact_id}/retract", WRITERS),
    "reports": Route("GET", lambda w: "/reports", EVERYONE),
    "report page": Route("GET", lambda w: _first(w, "/reports", "/reports/report-"), EVERYONE),
    "open report form": Route("GET", lambda w: "/reports/new", WRITERS),
    "sources": Route("GET", lambda w: "/sources", EVERYONE),
    "public source": Route("GET", lambda w: f"/sources/{w.public_source}", EVERYONE),
    "confidential source": Route(
        "GET", lambda w: f"/sources/{w.confidential_source}", WRITERS, denied=404
    ),
    "register source form": Route("GET", lambda w: "/sources/new", WRITERS),
    "review queue": Route("GET", lambda w: "/review", REVIEWERS),
    "statistics": Route("GET", lambda w: "/stats", EVERYONE),
    "log": Route("GET", lambda w: "/log", EVERYONE),
    "older log": Route("GET", lambda w: "/log?before=40", EVERYONE),
    "accounts": Route("GET", lambda w: "/admin/users", ("admin",)),
    "open case": Route("POST", lambda w: "/cases", WRITERS, ok=422),
    "open report": Route("POST", lambda w: "/reports", WRITERS, ok=422),
    "register source": Route("POST", lambda w: "/sources", WRITERS, ok=422),
    "log update": Route("POST", lambda w: _case(w) + "/events", WRITERS, ok=422),
    "correct": Route("POST", lambda w: f"{_case(w)}/events/{w.note_id}/correct", WRITERS, ok=422),
    "retract": Route("POST", lambda w: f"{_case(w)}/events/{w.note_id}/retract", WRITERS, ok=422),
    "review": Route("POST", lambda w: f"{_case(w)}/review/{w.pending_id}", REVIEWERS, ok=422),
    "charge search": Route("GET", lambda w: "/forms/charge-search?group=charges.0&q=205", WRITERS),
    "charge pick": Route(
        "GET", lambda w: "/forms/charge-pick?group=charge&slug=uk-205-5-ch-2", WRITERS
    ),
    "charge check": Route(
        "GET", lambda w: "/forms/charge-check?group=charge&charge.article=205.5", WRITERS
    ),
    "citation slot": Route("GET", lambda w: "/forms/citations?n=1&type=NoteAdded", WRITERS, ok=422),
    "charge slot": Route("GET", lambda w: "/forms/charges?n=1&type=DetentionRecorded", WRITERS),
    "source dialog": Route("GET", lambda w: "/forms/source?slot=citations.0.source_id", WRITERS),
    "source dialog closed": Route("GET", lambda w: "/forms/source-close", WRITERS),
    "register and cite": Route("POST", lambda w: "/forms/source", WRITERS, ok=422),
    "event page": Route("GET", lambda w: f"{_case(w)}/events/{w.detention_id}", EVERYONE),
    "restricted event page": Route(
        "GET",
        lambda w: f"{_case(w)}/events/{w.contact_id}",
        WRITERS,
        denied=404,
        denied_to=("advocate",),
    ),
    "my items": Route("GET", lambda w: "/my-items", WRITERS),
    "fix and resend": Route(
        "GET", lambda w: f"{_case(w)}/events/new?type=NoteAdded&again={w.pending_id}", WRITERS
    ),
    "case as of": Route(
        "GET", lambda w: _case(w) + "?as_of=2016-01-01&known_at=2030-01-01", EVERYONE
    ),
    "follow": Route("POST", lambda w: "/cases/case-none/follow", EVERYONE, ok=404),
    "revoke": Route(
        "POST", lambda w: f"/admin/users/{w.user_ids['advocate']}x/revoke", ("admin",), ok=404
    ),
    "account": Route("GET", lambda w: "/account", EVERYONE),
    "change password": Route("POST", lambda w: "/account/password", EVERYONE, ok=422),
    "end a session": Route("POST", lambda w: "/account/sessions/nope/end", EVERYONE, ok=404),
    "end other sessions": Route(
        "POST", lambda w: "/account/sessions/end-others", EVERYONE, ok=303, ok_htmx=200
    ),
    "two-factor set-up": Route("GET", lambda w: "/account/two-factor", EVERYONE),
    "two-factor confirm": Route("POST", lambda w: "/account/two-factor", EVERYONE, ok=422),
    "new recovery codes": Route("POST", lambda w: "/account/recovery-codes", EVERYONE, ok=422),
    "account audit": Route("GET", lambda w: "/admin/audit", ("admin",)),
    "older audit": Route("GET", lambda w: "/admin/audit?before=5", ("admin",)),
    "invite": Route("POST", lambda w: "/admin/users/invite", ("admin",), ok=422),
    "deactivate": Route("POST", lambda w: _account(w, "deactivate"), ("admin",), ok=404),
    "reactivate": Route("POST", lambda w: _account(w, "reactivate"), ("admin",), ok=404),
    "change role": Route("POST", lambda w: _account(w, "role"), ("admin",), ok=422),
    "reset password": Route("POST", lambda w: _account(w, "reset-password"), ("admin",), ok=404),
    "reset two-factor": Route(
        "POST", lambda w: _account(w, "reset-two-factor"), ("admin",), ok=404
    ),
}


def _account(w: World, action: str) -> str:
    """An account action on an id that is no account (404 proves the role got in)."""
    return f"/admin/users/{w.user_ids['advocate']}x/{action}"


_FIRST: dict[str, str] = {}


def _first(w: World, listing: str, prefix: str) -> str:
    """The first link with this prefix on a listing page (found once with the services)."""
    if listing not in _FIRST:
        from tracker.projections.queries import list_reports

        with w.services.engine.connect() as conn:
            _FIRST[listing] = prefix + list_reports(conn)[0]["stream_id"].removeprefix("report-")
    return _FIRST[listing]


def _request(client: TestClient, route: Route, world: World, headers: dict[str, str]) -> object:
    path = route.path(world)
    if route.method == "GET":
        return client.get(path, headers=headers, follow_redirects=False)
    token = csrf_of(client.get("/login").text) if "tracker_session" not in client.cookies else None
    token = token or csrf_of(client.get("/cases").text)
    return client.post(path, data={"csrf_token": token}, headers=headers, follow_redirects=False)


@pytest.mark.parametrize("header", list(HEADERS))
@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_every_route_answers_each_role_as_its_rights_say(
    world: World, clients: dict[str, TestClient], role: str, header: str
) -> None:
    client = clients[role]
    headers = HEADERS[header]
    fragment = header == "true"
    problems = []
    for name, route in ROUTES.items():
        response = _request(client, route, world, headers)
        status = response.status_code  # type: ignore[attr-defined]
        text = response.text  # type: ignore[attr-defined]
        if role == "anonymous":
            expected = 303 if route.method == "GET" and not fragment else 401
        elif role in route.allowed:
            expected = route.ok_htmx if fragment and route.ok_htmx else route.ok
        else:
            expected = route.denied
        if status != expected:
            problems.append(f"{name}: {status} (expected {expected}) {text[:200]!r}")
            continue
        if "hx-request" not in response.headers.get("vary", "").lower():  # type: ignore[attr-defined]
            problems.append(f"{name}: no Vary: HX-Request")
        if role == "anonymous" and fragment:
            if not response.headers.get("hx-redirect", "").startswith("/login?next="):  # type: ignore[attr-defined]
                problems.append(f"{name}: no HX-Redirect to the sign-in page")
        elif status != 303 and not response.headers.get("hx-redirect"):  # type: ignore[attr-defined]
            whole = "<!doctype html>" in text
            if whole == fragment:
                problems.append(
                    f"{name}: {'a whole page' if whole else 'a fragment'} for HX={header}"
                )
        if role in ("advocate", "anonymous"):
            leaked = [key for key, marker in MARKERS.items() if marker in text]
            if leaked:
                problems.append(f"{name}: shows restricted {leaked}")
    assert problems == []


@pytest.mark.parametrize("role", WRITERS)
def test_roles_that_may_read_restricted_fields_see_them_on_the_case_page(
    world: World, clients: dict[str, TestClient], role: str
) -> None:
    text = clients[role].get(f"/cases/{world.case_id}").text
    for key in ("contact", "note", "claim", "source"):
        assert MARKERS[key] in text, key


def test_an_advocate_sees_the_public_parts_of_the_same_case(
    world: World, clients: dict[str, TestClient]
) -> None:
    text = clients["advocate"].get(f"/cases/{world.case_id}").text
    assert "public claim" in text and "Detained (arrest)" in text
    assert world.confidential_source not in text
    assert world.note_id not in text and world.contact_id not in text


PUBLIC = {
    "code page": ("GET", "/login/code", 303),
    "code": ("POST", "/login/code", 303),
    "invitation": ("GET", "/invite/nope.0000", 404),
    "accept invitation": ("POST", "/invite/nope.0000", 404),
    "reset link": ("GET", "/reset/nope.0000", 404),
    "choose a new password": ("POST", "/reset/nope.0000", 404),
}
"""Pages anyone may open (the second sign-in step, one-time links): the same answer for every
role and for nobody signed in, never a page that needs a role."""


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_the_public_account_pages_answer_everyone_alike(
    world: World, clients: dict[str, TestClient], role: str
) -> None:
    client = clients[role]
    problems = []
    for name, (method, path, expected) in PUBLIC.items():
        if method == "GET":
            response = client.get(path, follow_redirects=False)
        else:
            token = csrf_of(client.get("/login").text) if role == "anonymous" else None
            token = token or csrf_of(client.get("/cases").text)
            response = client.post(path, data={"csrf_token": token}, follow_redirects=False)
        if response.status_code != expected:
            problems.append(f"{name}: {response.status_code} (expected {expected})")
        if expected == 303 and response.headers.get("location") != "/login":
            problems.append(f"{name}: not sent to the sign-in page")
        leaked = [key for key, marker in MARKERS.items() if marker in response.text]
        if leaked:
            problems.append(f"{name}: shows restricted {leaked}")
    assert problems == []

"""Every API route for every role and every token that must not work: who may, who may not,
JSON errors (never a redirect or a page), and no restricted string ever reaching an advocate."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import BAD, ApiWorld
from tests.web.world import MARKERS, ROLES, World

WRITERS = ("admin", "reviewer", "researcher")
REVIEWERS = ("admin", "reviewer")
EVERYONE = ROLES


@dataclass(frozen=True)
class Route:
    method: str
    template: str
    """The path as the OpenAPI schema names it (under /api)."""
    path: Callable[[World], str]
    allowed: tuple[str, ...]
    ok: int = 200
    """Status for an allowed role (writes send an empty body: 422 proves the role got in)."""
    denied: int = 403
    media: str = "application/json"


def _case(w: World) -> str:
    return f"/api/cases/{w.case_id}"


ROUTES = {
    "case list": Route(
        "GET", "/cases", lambda w: "/api/cases?search=Ахтемов&sort=status", EVERYONE
    ),
    "case list as of": Route("GET", "/cases", lambda w: "/api/cases?as_of=2016-01-01", EVERYONE),
    "case list known at": Route(
        "GET", "/cases", lambda w: "/api/cases?known_at=2030-01-01&review=approved", EVERYONE
    ),
    "case": Route("GET", "/cases/{case_id}", _case, EVERYONE),
    "events": Route("GET", "/{kind}/{stream_id}/events", lambda w: _case(w) + "/events", EVERYONE),
    "confidential source events": Route(
        "GET",
        "/{kind}/{stream_id}/events",
        lambda w: f"/api/sources/{w.confidential_source}/events",
        WRITERS,
        denied=404,
    ),
    "review queue": Route("GET", "/review", lambda w: "/api/review", REVIEWERS),
    "log": Route("GET", "/log", lambda w: "/api/log", EVERYONE),
    "log head": Route("GET", "/log/head", lambda w: "/api/log/head", EVERYONE),
    "export": Route("GET", "/export", lambda w: "/api/export", EVERYONE, media="text/csv"),
    "tokens": Route("GET", "/tokens", lambda w: "/api/tokens", EVERYONE),
    "open case": Route("POST", "/cases", lambda w: "/api/cases", WRITERS, ok=422),
    "append": Route(
        "POST", "/{kind}/{stream_id}/events", lambda w: _case(w) + "/events", WRITERS, ok=422
    ),
    "open report": Route("POST", "/reports", lambda w: "/api/reports", WRITERS, ok=422),
    "register source": Route("POST", "/sources", lambda w: "/api/sources", WRITERS, ok=422),
    "correct": Route(
        "POST",
        "/{kind}/{stream_id}/events/{event_id}/correct",
        lambda w: f"{_case(w)}/events/{w.note_id}/correct",
        WRITERS,
        ok=422,
    ),
    "retract": Route(
        "POST",
        "/{kind}/{stream_id}/events/{event_id}/retract",
        lambda w: f"{_case(w)}/events/{w.note_id}/retract",
        WRITERS,
        ok=422,
    ),
    "review": Route(
        "POST",
        "/{kind}/{stream_id}/events/{event_id}/review",
        lambda w: f"{_case(w)}/events/{w.pending_id}/review",
        REVIEWERS,
        ok=422,
    ),
    "make token": Route("POST", "/tokens", lambda w: "/api/tokens", EVERYONE, ok=422),
    "revoke token": Route(
        "DELETE", "/tokens/{token_id}", lambda w: "/api/tokens/nope", EVERYONE, ok=404
    ),
    "schema": Route("GET", "", lambda w: "/api/openapi.json", EVERYONE),
    "docs": Route("GET", "", lambda w: "/api/docs", EVERYONE, media="text/html"),
}


def _send(client: TestClient, route: Route, world: World) -> Any:
    path = route.path(world)
    if route.method == "GET":
        return client.get(path, follow_redirects=False)
    if route.method == "DELETE":
        return client.delete(path, follow_redirects=False)
    return client.post(path, json={}, follow_redirects=False)


def _leaks(world: World, who: str, path: str, text: str) -> list[str]:
    """What the answer shows that the caller may not see (not counting what it sent itself,
    nor its own email on a page's header)."""
    secrets = {**MARKERS, "note id": world.note_id, "contact id": world.contact_id}
    secrets["confidential source id"] = world.confidential_source
    for role in ROLES:
        if role != who:
            secrets[f"{role} email"] = f"{role}@web.test"
    return [name for name, marker in secrets.items() if marker in text and marker not in path]


@pytest.mark.parametrize("who", [*ROLES, "anonymous", *BAD])
def test_every_route_answers_each_caller_as_its_rights_say(api: ApiWorld, who: str) -> None:
    client = api.client(who)
    problems = []
    for name, route in ROUTES.items():
        response = _send(client, route, api.world)
        if who in ("anonymous", *BAD):
            expected = 401
        elif who in route.allowed:
            expected = route.ok
        else:
            expected = route.denied
        if response.status_code != expected:
            problems.append(f"{name}: {response.status_code} (expected {expected})")
            continue
        media = route.media if response.status_code == 200 else "application/json"
        if not response.headers["content-type"].startswith(media):
            problems.append(f"{name}: {response.headers['content-type']}, not {media}")
        elif response.status_code != 200:
            body = response.json()
            if not (isinstance(body["detail"], str) and isinstance(body["errors"], list)):
                problems.append(f"{name}: not the API's error shape: {body}")
        if expected == 401 and response.headers.get("www-authenticate") != "Bearer":
            problems.append(f"{name}: 401 without WWW-Authenticate: Bearer")
        if who in ("advocate", "anonymous", *BAD):
            leaked = _leaks(api.world, who, route.path(api.world), response.text)
            if leaked:
                problems.append(f"{name}: shows {leaked}")
    assert problems == []


def test_the_matrix_covers_every_route_of_the_schema(api: ApiWorld) -> None:
    schema = api.client("admin").get("/api/openapi.json").json()
    listed = {
        (method.upper(), path)
        for path, item in schema["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    }
    assert listed == {(r.method, r.template) for r in ROUTES.values() if r.template}


def test_a_deactivated_accounts_token_stops_working(api: ApiWorld) -> None:
    from tests.api.conftest import deactivated_token

    token = deactivated_token(api)
    response = TestClient(api.app).get("/api/cases", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


@pytest.mark.parametrize("who", ROLES)
def test_a_role_that_must_enrol_gets_403_on_every_route_until_it_has(
    api: ApiWorld, who: str
) -> None:
    """With two factors required of admins and reviewers, their (unenrolled) accounts' tokens
    get 403 on every route, as JSON naming why; the other roles answer as the matrix says."""
    from tests.web.world import settings_for
    from tracker.domain.roles import Role
    from web.app import create_app

    url = api.world.services.settings.database_url
    strict = settings_for(url, require_2fa=(Role.ADMIN, Role.REVIEWER))
    client = TestClient(create_app(api.world.services, strict))
    client.headers.update(api.bearer(who))
    problems = []
    for name, route in ROUTES.items():
        response = _send(client, route, api.world)
        if who in ("admin", "reviewer"):
            expected = 403
        else:
            expected = route.ok if who in route.allowed else route.denied
        if response.status_code != expected:
            problems.append(f"{name}: {response.status_code} (expected {expected})")
        elif who in ("admin", "reviewer") and "two factors" not in response.json()["detail"]:
            problems.append(f"{name}: {response.json()}")
    assert problems == []

"""Security measures: headers, no inline script or style, the pinned htmx, CSRF on every
state-changing route, cookies, sessions that end, sign-in throttling, limits, error pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.web.world import EMAILS, PASSWORD, SECRET, World, csrf_of, page_token, sign_in
from tracker.settings import Settings
from web.app import HTMX_VERSION, ROUTERS, create_app
from web.security import CSP

STATIC = Path(__file__).resolve().parents[2] / "web" / "static"
PAGES = ["/cases", "/cases/new", "/reports", "/reports/new", "/sources", "/sources/new",
         "/review", "/stats", "/log", "/admin/users"]  # fmt: skip
INLINE = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=", re.I)


def test_every_page_sends_the_security_headers(clients: dict[str, TestClient]) -> None:
    response = clients["admin"].get("/cases")
    h = response.headers
    assert h["content-security-policy"] == CSP
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
    assert h["x-content-type-options"] == "nosniff"
    assert h["x-frame-options"] == "DENY"
    assert h["referrer-policy"] == "same-origin"
    assert h["cache-control"] == "no-store"
    assert "HX-Request" in h["vary"]
    static = clients["admin"].get(f"/static/htmx-{HTMX_VERSION}.min.js")
    assert static.status_code == 200 and "max-age" in static.headers["cache-control"]
    assert static.headers["content-security-policy"] == CSP


def test_no_page_has_inline_script_style_or_handlers(
    world: World, clients: dict[str, TestClient]
) -> None:
    case = f"/cases/{world.case_id}"
    pages = [*PAGES, case, f"{case}/events/new?type=VerdictDelivered", "/login"]
    pages += [f"/sources/{world.public_source}", f"{case}/events/{world.detention_id}/correct"]
    for path in pages:
        text = clients["admin"].get(path).text
        assert not INLINE.search(text), path
    assert not INLINE.search(TestClient(world.app).get("/login").text)


def test_htmx_is_served_from_the_app_pinned_with_its_licence(
    clients: dict[str, TestClient],
) -> None:
    script = (STATIC / f"htmx-{HTMX_VERSION}.min.js").read_text(encoding="utf-8")
    assert f'version:"{HTMX_VERSION}"' in script and HTMX_VERSION.startswith("2.")
    assert "BSD" in (STATIC / f"htmx-{HTMX_VERSION}.LICENSE").read_text(encoding="utf-8")
    page = clients["advocate"].get("/cases").text
    assert f'<script src="/static/htmx-{HTMX_VERSION}.min.js" defer></script>' in page
    assert "&#34;includeIndicatorStyles&#34;:false" in page
    assert not re.search(r"(src|href)=\"(https?:)?//", page), "nothing is loaded from elsewhere"


def test_every_state_changing_route_refuses_a_request_without_the_token(
    world: World, clients: dict[str, TestClient]
) -> None:
    client = clients["admin"]
    routes = [route for module in ROUTERS for route in module.router.routes]
    unsafe = [
        r for r in routes if {"POST", "PUT", "PATCH", "DELETE"} & set(getattr(r, "methods", ()))
    ]
    assert len(unsafe) >= 9
    for route in unsafe:
        path = re.sub(r"\{path\}", "cases", route.path)  # type: ignore[attr-defined]
        path = re.sub(r"\{action\}", "retract", path)
        path = re.sub(r"\{[a-z_]+\}", world.case_id, path)
        for data, headers in (
            ({}, {}),
            ({"csrf_token": "0" * 64}, {}),
            ({}, {"X-CSRF-Token": "x"}),
        ):
            response = client.post(path, data=data, headers=headers, follow_redirects=False)
            assert response.status_code == 403, (path, data, headers)
            assert "expired" in response.text
    assert client.get("/cases").status_code == 200, "still signed in"


def test_the_token_may_come_as_the_htmx_header_and_other_origins_are_refused(
    sqlite_world: World,
) -> None:
    client = sign_in(sqlite_world.app, "researcher")
    token = page_token(client)
    refused = client.post(
        "/logout", headers={"X-CSRF-Token": token, "Origin": "https://evil.example"}
    )
    assert refused.status_code == 403
    done = client.post("/logout", headers={"X-CSRF-Token": token, "HX-Request": "true"})
    assert done.status_code == 200 and done.headers["hx-redirect"] == "/login"


def test_session_cookie_flags_and_a_tampered_cookie(sqlite_world: World) -> None:
    client = TestClient(sqlite_world.app)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": EMAILS["advocate"], "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    value = client.cookies["tracker_session"]
    client.cookies.clear()
    client.cookies.set("tracker_session", value[:-4] + ("0000" if value[-4:] != "0000" else "1111"))
    assert client.get("/cases", follow_redirects=False).status_code == 303


def test_cookies_are_secure_when_the_base_url_is_https(sqlite_world: World) -> None:
    settings = Settings(
        database_url="sqlite://", secret_key=SECRET, base_url="https://tracker.example.org"
    )
    app = create_app(sqlite_world.services, settings)
    response = TestClient(app, base_url="https://tracker.example.org").get("/login")
    assert "Secure" in response.headers["set-cookie"]
    assert "max-age=31536000" in response.headers["strict-transport-security"]


def test_a_missing_or_short_secret_key_stops_the_app(sqlite_world: World) -> None:
    for key in (None, "short"):
        with pytest.raises(ValueError, match="TRACKER_SECRET_KEY"):
            create_app(sqlite_world.services, Settings(database_url="sqlite://", secret_key=key))


def test_logout_revokes_the_session_on_the_server(sqlite_world: World) -> None:
    client = sign_in(sqlite_world.app, "researcher")
    stolen = client.cookies["tracker_session"]
    client.post("/logout", data={"csrf_token": page_token(client)})
    thief = TestClient(sqlite_world.app)
    thief.cookies.set("tracker_session", stolen)
    assert thief.get("/cases", follow_redirects=False).status_code == 303


def test_an_admin_revokes_someone_elses_sessions(sqlite_world: World) -> None:
    advocate = sign_in(sqlite_world.app, "advocate")
    admin = sign_in(sqlite_world.app, "admin")
    assert advocate.get("/cases").status_code == 200
    page = admin.get("/admin/users").text
    assert EMAILS["advocate"] in page
    uid = sqlite_world.user_ids["advocate"]
    response = admin.post(
        f"/admin/users/{uid}/revoke", data={"csrf_token": csrf_of(page)}, follow_redirects=False
    )
    assert response.status_code == 303
    assert advocate.get("/cases", follow_redirects=False).status_code == 303


def test_a_bearer_token_works_without_csrf(sqlite_world: World) -> None:
    browser = sign_in(sqlite_world.app, "admin")
    token = browser.cookies["tracker_session"].rpartition(".")[0]
    api = TestClient(sqlite_world.app, headers={"Authorization": f"Bearer {token}"})
    assert api.get("/cases").status_code == 200
    assert api.post("/cases", data={}).status_code == 422, "in, without a CSRF token"
    assert (
        TestClient(sqlite_world.app, headers={"Authorization": "Bearer nope"})
        .get("/cases", follow_redirects=False)
        .status_code
        == 303
    )


def test_sign_in_is_throttled_after_repeated_failures(sqlite_world: World) -> None:
    client = TestClient(sqlite_world.app)
    token = csrf_of(client.get("/login").text)
    attempt = {"email": EMAILS["reviewer"], "password": "wrong password", "csrf_token": token}
    codes = [client.post("/login", data=attempt).status_code for _ in range(5)]
    assert codes == [401, 401, 401, 401, 429]
    right = client.post("/login", data={**attempt, "password": PASSWORD}, follow_redirects=False)
    assert right.status_code == 429 and "Too many failed attempts" in right.text
    unknown = client.post("/login", data={**attempt, "email": "nobody@web.test"})
    assert unknown.status_code == 401 and "Wrong email or password" in unknown.text


def test_after_sign_in_only_local_addresses_are_followed(sqlite_world: World) -> None:
    client = TestClient(sqlite_world.app)
    token = csrf_of(client.get("/login").text)
    form = {"email": EMAILS["advocate"], "password": PASSWORD, "csrf_token": token}
    response = client.post(
        "/login", data={**form, "next": "//evil.example/x"}, follow_redirects=False
    )
    assert response.headers["location"] == "/cases"


def test_a_huge_body_is_refused_with_413(clients: dict[str, TestClient]) -> None:
    client = clients["researcher"]
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    response = client.post("/cases", content=b"name=" + b"x" * 1_100_000, headers=form)
    assert response.status_code == 413


def test_an_unexpected_error_shows_a_plain_500_without_a_traceback(sqlite_world: World) -> None:
    app = sqlite_world.app

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    response = TestClient(app, raise_server_exceptions=False).get("/boom")
    assert response.status_code == 500
    assert "Something went wrong" in response.text
    assert "secret internals" not in response.text and "Traceback" not in response.text
    assert response.headers["content-security-policy"] == CSP

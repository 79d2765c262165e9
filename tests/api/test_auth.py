"""How the API knows who is asking: API tokens, session tokens and the session cookie; CSRF
needed for cookie writes and not for bearer writes; JSON 401 and 403, never a redirect."""

from __future__ import annotations

import uuid

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.api.conftest import ApiWorld
from tests.web.world import page_token
from tracker.accounts.api_tokens import ApiToken
from tracker.accounts.sessions import start_session, token_hash


def _new_case(name: str) -> dict[str, object]:
    return {"case": {"name": name}, "confirm_new": True, "event_id": str(uuid.uuid4())}


def test_a_cookie_write_without_the_csrf_header_is_refused_and_stores_nothing(
    api: ApiWorld, cookie_clients: dict[str, TestClient]
) -> None:
    client = cookie_clients["researcher"]
    body = _new_case("Cookie Without Header")
    before = api.world.services.store.head().position
    refused = client.post("/api/cases", json=body)
    assert refused.status_code == 403
    assert refused.json()["errors"] == [{"field": "X-CSRF-Token", "message": "missing or wrong"}]
    wrong = client.post("/api/cases", json=body, headers={"X-CSRF-Token": "0" * 64})
    assert wrong.status_code == 403
    assert api.world.services.store.head().position == before


def test_a_cookie_write_with_the_pages_csrf_header_is_stored(
    api: ApiWorld, cookie_clients: dict[str, TestClient]
) -> None:
    client = cookie_clients["researcher"]
    token = page_token(client)
    created = client.post(
        "/api/cases", json=_new_case("Cookie With Header"), headers={"X-CSRF-Token": token}
    )
    assert created.status_code == 201, created.text
    assert client.get(f"/api/cases/{created.json()['stream_id']}").json()["name"] == (
        "Cookie With Header"
    )


def test_a_cookie_write_from_another_origin_is_refused(
    api: ApiWorld, cookie_clients: dict[str, TestClient]
) -> None:
    client = cookie_clients["researcher"]
    headers = {"X-CSRF-Token": page_token(client), "Origin": "https://evil.example"}
    assert (
        client.post("/api/cases", json=_new_case("Cross Origin"), headers=headers).status_code
        == 403
    )


def test_a_bearer_write_needs_no_csrf_header(api: ApiWorld) -> None:
    created = api.client("researcher").post("/api/cases", json=_new_case("Bearer Write"))
    assert created.status_code == 201, created.text


def test_a_session_token_works_as_a_bearer_too(api: ApiWorld) -> None:
    session_token = start_session(api.world.services.engine, api.world.user_ids["reviewer"])
    client = TestClient(api.app, headers={"Authorization": f"Bearer {session_token}"})
    assert client.get("/api/review").status_code == 200
    assert client.post("/api/cases", json=_new_case("Session Bearer")).status_code == 201


def test_a_bad_token_is_401_even_with_a_good_cookie(
    api: ApiWorld, cookie_clients: dict[str, TestClient]
) -> None:
    client = cookie_clients["admin"]
    assert client.get("/api/cases").status_code == 200
    refused = client.get("/api/cases", headers={"Authorization": "Bearer trk_nope"})
    assert refused.status_code == 401
    assert refused.json()["detail"].startswith("sign in, or send a live API token")


def test_the_pages_still_send_a_signed_out_browser_to_sign_in(api: ApiWorld) -> None:
    page = TestClient(api.app).get("/cases", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    with_bad_token = TestClient(api.app).get(
        "/cases", headers={"Authorization": "Bearer trk_nope"}, follow_redirects=False
    )
    assert with_bad_token.status_code == 303


def test_a_token_notes_when_it_was_last_used(api: ApiWorld) -> None:
    token = api.tokens["advocate"]
    assert api.client("advocate").get("/api/log/head").status_code == 200
    with Session(api.world.services.engine) as session:
        row = session.get(ApiToken, token_hash(token))
        assert row is not None and row.last_used_at is not None

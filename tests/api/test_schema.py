"""The OpenAPI schema covers every API route (and no page), the docs page needs nothing from
outside, and hostile requests get a clear JSON 4xx, never a page or a traceback."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.api.conftest import ApiWorld
from web.api import ROUTERS
from web.config import WebConfig
from web.security import Guard, Receive, Scope, Send


def _api_routes() -> set[tuple[str, str]]:
    """Every route the API's routers declare for the schema."""
    return {
        (method, route.path)
        for module in ROUTERS
        for route in module.router.routes
        if isinstance(route, APIRoute) and route.include_in_schema
        for method in route.methods or ()
    }


def test_the_schema_lists_every_api_route_and_no_page(api: ApiWorld) -> None:
    schema = api.client("advocate").get("/api/openapi.json").json()
    assert schema["servers"] == [{"url": "/api"}]
    listed = {(m.upper(), path) for path, item in schema["paths"].items() for m in item}
    assert listed == _api_routes()
    assert len(listed) >= 12
    assert not any(path.startswith(("/login", "/admin", "/stats")) for _, path in listed)
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert "Problem" in schema["components"]["schemas"]


def test_the_page_app_serves_no_schema_of_its_own(api: ApiWorld) -> None:
    for path in ("/openapi.json", "/docs", "/redoc"):
        assert api.client("admin").get(path).status_code == 404


def test_the_docs_page_lists_the_operations_with_nothing_from_outside(api: ApiWorld) -> None:
    page = api.client("advocate").get("/api/docs")
    assert page.status_code == 200
    assert "<code>/api/cases/{case_id}</code>" in page.text
    assert "<code>/api/{kind}/{stream_id}/events</code>" in page.text
    outside = re.findall(r'(?:src|href)="(https?:)?//', page.text)
    assert outside == [] and "<script>" not in page.text and "style=" not in page.text


def test_a_body_over_the_limit_gets_413_as_json(api: ApiWorld) -> None:
    huge = {"type": "NoteAdded", "data": {"text": "x" * 1_100_000}, "expected_version": 1}
    response = api.client("researcher").post(f"/api/cases/{api.world.case_id}/events", json=huge)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/json"
    assert "bytes" in response.json()["detail"]


def test_malformed_bodies_get_422_as_json(api: ApiWorld) -> None:
    client = api.client("researcher")
    path = f"/api/cases/{api.world.case_id}/events"
    for content, kind in [
        (b"{not json", "application/json"),
        (b"[1, 2]", "application/json"),
        (b"name=x", "application/x-www-form-urlencoded"),
        (b"\xff\xfe", "application/json"),
    ]:
        response = client.post(path, content=content, headers={"Content-Type": kind})
        assert response.status_code == 422, content
        assert response.json()["errors"], content
        assert "Traceback" not in response.text


def test_unknown_api_addresses_and_methods_answer_in_json(api: ApiWorld) -> None:
    client = api.client("admin")
    nowhere = client.get("/api/nowhere/at/all")
    assert nowhere.status_code == 404 and nowhere.json()["detail"]
    wrong = client.put("/api/log/head")
    assert wrong.status_code == 405 and wrong.json()["detail"]
    anonymous = api.client("anonymous").get("/api/nowhere")
    assert anonymous.headers["content-type"] == "application/json"


def test_validation_errors_do_not_echo_what_was_sent(api: ApiWorld) -> None:
    hostile = "<script>alert(1)</script>"
    response = api.client("advocate").get(f"/api/cases?page={hostile}")
    assert response.status_code == 422 and hostile not in response.text


def test_an_unexpected_error_is_a_json_500_under_api_and_a_page_elsewhere() -> None:
    async def broken(scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError("SECRET-INTERNAL-DETAIL")

    config = WebConfig(secret_key=b"k" * 32, secure_cookies=False, origin="http://testserver")
    client = TestClient(Guard(broken, config))
    api_answer = client.get("/api/cases")
    assert api_answer.status_code == 500
    assert api_answer.json() == {"detail": "server error; it was logged", "errors": []}
    page = client.get("/cases")
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert "SECRET-INTERNAL-DETAIL" not in api_answer.text + page.text

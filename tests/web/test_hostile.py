"""Hostile input: markup and quotes escaped, huge fields, malformed dates and unknown ids
refused with a clear 4xx, never a 500 (the test client raises on any unhandled error)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.world import World, csrf_of, sign_in

HOSTILE = "<script>alert('x')</script>\"Ahmet' <img src=x onerror=alert(1)>"


def test_markup_and_quotes_in_a_name_are_escaped_everywhere(sqlite_world: World) -> None:
    client = sign_in(sqlite_world.app, "researcher")
    page = client.get("/cases/new").text
    form = {
        "csrf_token": csrf_of(page),
        "name": HOSTILE,
        "name_variants": HOSTILE,
        "confirm_new": "on",
        "event_id": "6b0b6d7e-8f1c-4f67-9a55-0a4f8c3f1a11",
    }
    created = client.post("/cases", data=form, follow_redirects=False)
    assert created.status_code == 303
    for path in (created.headers["location"], "/cases", "/log", "/review",
                 "/cases/new/matches?name=Ahmet", "/cases?search=%3Cscript%3E"):  # fmt: skip
        text = (
            sign_in(sqlite_world.app, "reviewer").get(path).text
            if path == "/review"
            else client.get(path).text
        )
        assert "<script>alert" not in text and "<img src=x" not in text, path
    assert (
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&#34;Ahmet&#39;"
        in client.get(created.headers["location"]).text
    )


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/cases/case-does-not-exist", 404),
        ("/cases/not-an-id", 404),
        ("/cases/report-x", 404),
        ("/sources/case-x", 404),
        ("/reports/" + "r" * 5000, 404),
        ("/nowhere", 404),
        ("/cases?page=abc", 422),
        ("/cases?page=0", 422),
        ("/cases?as_of=2020-13-45", 422),
        ("/cases?as_of=" + "9" * 41, 422),
        ("/cases?status=free", 422),
        ("/cases?act=<b>", 422),
        ("/cases?sort=password", 422),
        ("/cases?search=" + "x" * 201, 422),
        ("/log?before=-1", 422),
        ("/cases/{case}/events/new?type=Bogus", 422),
        ("/cases/{case}/events/new?type=ReportLinkedToCase", 422),
        ("/cases/{case}/events/no-such-event/correct", 404),
        ("/cases/{case}/events/{note}/delete", 404),
    ],
)
def test_bad_addresses_get_a_clear_4xx(
    world: World, clients: dict[str, TestClient], path: str, status: int
) -> None:
    for hx in ({}, {"HX-Request": "true"}):
        response = clients["admin"].get(
            path.format(case=world.case_id, note=world.note_id), headers=hx
        )
        assert response.status_code == status, response.text[:300]
        assert "Traceback" not in response.text
    if status == 422:
        assert (
            "Not valid"
            in clients["admin"].get(path.format(case=world.case_id, note=world.note_id)).text
        )


def test_huge_and_malformed_form_fields_are_refused_field_by_field(sqlite_world: World) -> None:
    client = sign_in(sqlite_world.app, "researcher")
    page = client.get(f"/cases/{sqlite_world.case_id}/events/new?type=VerdictDelivered").text
    version = str(sqlite_world.services.store.stream_version(sqlite_world.case_id))
    base = {"csrf_token": csrf_of(page), "type": "VerdictDelivered", "expected_version": version,
            "event_id": "not-a-uuid"}  # fmt: skip
    cases = [
        ({"court": "x" * 301}, "f-court-error"),
        ({"description": "y" * 20_001}, "f-description-error"),
        ({"date": "the day after"}, "f-date-error"),
        ({"sentence.years": "many"}, "f-sentence-years-error"),
        ({"sentence.years": "150", "sentence.kind": "imprisonment"}, "f-sentence-years-error"),
        ({"sentence.years": "5"}, "f-sentence-kind-error"),
        ({"outcome": "<b>"}, "f-outcome-error"),
        ({"citations.0.source_id": "case-x"}, "f-citations-0-source_id-error"),
    ]
    for fields, error in cases:
        response = client.post(f"/cases/{sqlite_world.case_id}/events", data={**base, **fields})
        assert response.status_code == 422, (fields, response.status_code)
        assert f'id="{error}"' in response.text or "Nothing was saved" in response.text, fields
    login = TestClient(sqlite_world.app)
    token = csrf_of(login.get("/login").text)
    assert login.post("/login", data={"csrf_token": token, "email": "a" * 300}).status_code == 422


def test_a_review_of_an_unknown_event_is_404_and_a_bad_decision_422(
    sqlite_world: World,
) -> None:
    client = sign_in(sqlite_world.app, "reviewer")
    token = csrf_of(client.get("/review").text)
    path = f"/cases/{sqlite_world.case_id}/review/"
    assert (
        client.post(path + "nope", data={"csrf_token": token, "decision": "approved"}).status_code
        == 404
    )
    assert (
        client.post(path + "nope", data={"csrf_token": token, "decision": "maybe"}).status_code
        == 422
    )


def test_an_event_id_from_another_record_and_a_nul_character_get_a_4xx(
    sqlite_world: World,
) -> None:
    client = sign_in(sqlite_world.app, "researcher")
    case = sqlite_world.case_id
    page = client.get(f"/cases/{case}/events/new?type=NoteAdded").text
    head = sqlite_world.services.store.head()
    foreign = next(e for e in sqlite_world.services.store.iter_all() if e.stream_id != case)
    base = {"csrf_token": csrf_of(page), "type": "NoteAdded", "text": "seen in court",
            "expected_version": str(sqlite_world.services.store.stream_version(case))}  # fmt: skip
    reused = client.post(f"/cases/{case}/events", data={**base, "event_id": foreign.event_id})
    assert reused.status_code == 409, reused.text[:300]
    assert "already used" in reused.text
    nul = client.post(
        f"/cases/{case}/events",
        data={**base, "text": "a\x00b", "event_id": "6b0b6d7e-8f1c-4f67-9a55-0a4f8c3f1a12"},
    )
    assert nul.status_code == 422, nul.text[:300]
    assert "Traceback" not in nul.text
    assert sqlite_world.services.store.head() == head

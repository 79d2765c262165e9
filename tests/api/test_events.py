"""A record's events through the API (positions, hashes, what each reader may see) and
appending one: 201, 409 on a stale version with the current version, 422 naming the field,
and a repeated event_id answered as the first time."""

from __future__ import annotations

import uuid
from typing import Any

from tests.api.conftest import ApiWorld
from tests.web.world import MARKERS


def _open(api: ApiWorld, name: str) -> str:
    body = {"case": {"name": name}, "confirm_new": True}
    created = api.client("researcher").post("/api/cases", json=body)
    assert created.status_code == 201, created.text
    return str(created.json()["stream_id"])


DETENTION = {"date": {"precision": "month", "value": "2019-03"}, "act": "arrest", "place": "Sudak"}


def _append(api: ApiWorld, case_id: str, **body: Any) -> Any:
    payload = {"type": "DetentionRecorded", "data": DETENTION, "expected_version": 1, **body}
    return api.client("researcher").post(f"/api/cases/{case_id}/events", json=payload)


def test_events_carry_the_logs_positions_and_hashes(api: ApiWorld) -> None:
    world = api.world
    answer = api.client("admin").get(f"/api/cases/{world.case_id}/events").json()
    stored = {e.event_id: e for e in world.services.store.read_stream(world.case_id)}
    assert answer["version"] == max(e.version for e in stored.values())
    assert [e["version"] for e in answer["events"]] == sorted(
        e["version"] for e in answer["events"]
    )
    for event in answer["events"]:
        original = stored[event["event_id"]]
        assert (event["position"], event["version"], event["hash"], event["type"]) == (
            original.global_position, original.version, original.hash, original.type
        )  # fmt: skip
    assert {world.note_id, world.contact_id, world.detention_id} <= set(stored)


def test_a_reader_of_public_fields_sees_only_public_events_and_citations(api: ApiWorld) -> None:
    world = api.world
    admin = api.client("admin").get(f"/api/cases/{world.case_id}/events").json()
    advocate = api.client("advocate").get(f"/api/cases/{world.case_id}/events")
    shown = {e["event_id"]: e for e in advocate.json()["events"]}
    assert world.note_id in {e["event_id"] for e in admin["events"]}
    assert world.note_id not in shown and world.contact_id not in shown
    detention = shown[world.detention_id]
    assert [c["source_id"] for c in detention["citations"]] == [world.public_source]
    assert [c["source_id"] for c in detention["data"]["citations"]] == [world.public_source]
    assert all(e["author"] == e["reviewer"] == e["review_note"] == "" for e in shown.values())
    assert not [key for key, marker in MARKERS.items() if marker in advocate.text]
    full = {e["event_id"]: e for e in admin["events"]}[world.detention_id]
    assert len(full["data"]["citations"]) == 2 and full["author"] == "researcher@web.test"


def test_an_advocate_cannot_read_a_confidential_sources_events(api: ApiWorld) -> None:
    path = f"/api/sources/{api.world.confidential_source}/events"
    assert api.client("advocate").get(path).status_code == 404
    assert api.client("researcher").get(path).status_code == 200


def test_an_append_stores_the_event_pending_and_answers_201(api: ApiWorld) -> None:
    case_id = _open(api, "Append Testov")
    event_id = str(uuid.uuid4())
    created = _append(api, case_id, event_id=event_id)
    assert created.status_code == 201, created.text
    answer = created.json()
    assert (answer["event_id"], answer["version"], answer["type"]) == (
        event_id, 2, "DetentionRecorded"
    )  # fmt: skip
    last = api.world.services.store.read_stream(case_id)[-1]
    assert (last.global_position, last.hash, last.data["place"]) == (
        answer["position"], answer["hash"], "Sudak"
    )  # fmt: skip
    events = api.client("researcher").get(f"/api/cases/{case_id}/events").json()["events"]
    assert events[-1]["review"] == "pending" and events[-1]["date"] == "2019-03"
    assert events[-1]["precision"] == "month"


def test_a_stale_version_gets_409_with_the_current_version_and_what_changed(
    api: ApiWorld,
) -> None:
    case_id = _open(api, "Stale Formov")
    assert _append(api, case_id).status_code == 201
    before = api.world.services.store.head().position
    stale = _append(api, case_id, data={**DETENTION, "place": "Kerch"})
    assert stale.status_code == 409
    body = stale.json()
    assert body["current_version"] == 2
    assert [e["version"] for e in body["since"]] == [2]
    assert body["since"][0]["data"]["place"] == "Sudak"
    assert body["errors"][0]["field"] == "expected_version"
    assert api.world.services.store.head().position == before
    assert _append(api, case_id, expected_version=2).status_code == 201


def test_a_repeated_event_id_stores_once_and_answers_as_the_first_time(api: ApiWorld) -> None:
    case_id = _open(api, "Twice Sentov")
    event_id = str(uuid.uuid4())
    first = _append(api, case_id, event_id=event_id)
    again = _append(api, case_id, event_id=event_id)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert len(api.world.services.store.read_stream(case_id)) == 2


def test_an_event_id_used_on_another_record_gets_409(api: ApiWorld) -> None:
    one, other = _open(api, "Keyholder Odin"), _open(api, "Keyholder Dva")
    event_id = str(uuid.uuid4())
    assert _append(api, one, event_id=event_id).status_code == 201
    reused = _append(api, other, event_id=event_id)
    assert reused.status_code == 409
    assert reused.json()["errors"] == [{"field": "event_id", "message": "already used"}]
    assert len(api.world.services.store.read_stream(other)) == 1


def test_invalid_data_gets_422_naming_the_field_and_stores_nothing(api: ApiWorld) -> None:
    case_id = _open(api, "Invalid Datov")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"type": "Bogus"}, "type"),
        ({"type": "ReportLinkedToCase", "data": {"case_id": case_id}}, "type"),
        ({"data": {**DETENTION, "date": {"precision": "day", "value": "2019-02-30"}}}, "data.date"),
        ({"data": {**DETENTION, "date": "March 2019"}}, "data.date"),
        ({"data": {**DETENTION, "act": "picnic"}}, "data.act"),
        ({"data": {**DETENTION, "stage": "eternal"}}, "data.stage"),
        ({"data": {**DETENTION, "place": "x" * 301}}, "data.place"),
        ({"data": {**DETENTION, "password": "x"}}, "data.password"),
        ({"data": {**DETENTION, "citations": [{"source_id": "x"}]}}, "data.citations.0.source_id"),
        ({"expected_version": -1}, "expected_version"),
        ({"expected_version": "two"}, "expected_version"),
        ({"event_id": "1234"}, "event_id"),
    ]
    before = api.world.services.store.head().position
    for body, field in cases:
        response = _append(api, case_id, **body)
        assert response.status_code == 422, (body, response.text)
        assert [e["field"] for e in response.json()["errors"]] == [field], body
    assert api.world.services.store.head().position == before


def test_unknown_records_get_404_and_unknown_kinds_422(api: ApiWorld) -> None:
    client = api.client("researcher")
    for path in (
        "/api/cases/case-nope/events",
        "/api/reports/case-x/events",
        "/api/cases/x/events",
    ):
        assert client.get(path).status_code == 404, path
        assert client.post(path, json={"type": "NoteAdded", "data": {"text": "x"},
                                       "expected_version": 0}).status_code == 404, path  # fmt: skip
    wrong_kind = client.get(f"/api/people/{api.world.case_id}/events")
    assert wrong_kind.status_code == 422
    assert wrong_kind.json()["errors"][0]["field"] == "kind"


def test_script_tags_are_stored_as_text_and_answered_as_json(api: ApiWorld) -> None:
    hostile = "<script>alert('x')</script>\"Ahmet' <img src=x onerror=alert(1)>"
    case_id = _open(api, hostile)
    note = {"type": "NoteAdded", "data": {"text": hostile}, "expected_version": 1}
    assert (
        api.client("researcher").post(f"/api/cases/{case_id}/events", json=note).status_code == 201
    )
    read = api.client("researcher").get(f"/api/cases/{case_id}/events")
    assert read.headers["content-type"] == "application/json"
    assert read.headers["x-content-type-options"] == "nosniff"
    assert [e["data"].get("text", e["data"].get("name")) for e in read.json()["events"]] == [
        hostile, hostile
    ]  # fmt: skip

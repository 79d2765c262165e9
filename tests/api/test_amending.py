"""Opening reports and sources, and correcting or retracting an event, through the API: the
same command path as the pages, at an expected version, pending review, repeatable."""

from __future__ import annotations

import uuid
from typing import Any

from tests.api.conftest import ApiWorld


def _case_with_detention(api: ApiWorld) -> tuple[str, str]:
    """A new case with one detention on it: (case id, detention event id)."""
    opened = api.client("researcher").post(
        "/api/cases",
        json={"case": {"name": f"Amend Subject {uuid.uuid4().hex[:6]}"}, "confirm_new": True},
    )
    case_id = opened.json()["stream_id"]
    detention = {"date": {"precision": "year", "value": "2017"}, "act": "arrest", "place": "Yalta"}
    appended = api.client("researcher").post(
        f"/api/cases/{case_id}/events",
        json={"type": "DetentionRecorded", "data": detention, "expected_version": 1},
    )
    assert appended.status_code == 201, appended.text
    return case_id, appended.json()["event_id"]


def _amend(api: ApiWorld, case_id: str, target: str, action: str, **body: Any) -> Any:
    return api.client("researcher").post(
        f"/api/cases/{case_id}/events/{target}/{action}", json=body
    )


def test_a_correction_is_a_new_event_and_counts_once_approved(api: ApiWorld) -> None:
    case_id, target = _case_with_detention(api)
    corrected = _amend(
        api, case_id, target, "correct",
        replacement={"place": "Simferopol"}, reason="the court record says so", expected_version=2,
    )  # fmt: skip
    assert corrected.status_code == 201, corrected.text
    assert corrected.json()["type"] == "EventCorrected" and corrected.json()["version"] == 3
    approve = api.client("reviewer").post(
        f"/api/cases/{case_id}/events/{corrected.json()['event_id']}/review",
        json={"decision": "approved"},
    )
    assert approve.status_code == 201
    events = api.client("admin").get(f"/api/cases/{case_id}/events").json()["events"]
    detention = next(e for e in events if e["event_id"] == target)
    assert detention["data"]["place"] == "Simferopol" and detention["corrected"] is True
    stored = api.world.services.store.read_stream(case_id)
    assert next(e for e in stored if e.event_id == target).data["place"] == "Yalta"


def test_a_retraction_names_its_reason_and_is_repeatable(api: ApiWorld) -> None:
    case_id, target = _case_with_detention(api)
    key = str(uuid.uuid4())
    body = {"reason": "wrong person", "expected_version": 2, "event_id": key}
    first = _amend(api, case_id, target, "retract", **body)
    again = _amend(api, case_id, target, "retract", **body)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert first.json()["type"] == "EventRetracted"
    assert len(api.world.services.store.read_stream(case_id)) == 3


def test_amending_at_a_stale_version_gets_409_with_what_changed(api: ApiWorld) -> None:
    case_id, target = _case_with_detention(api)
    stale = _amend(api, case_id, target, "retract", reason="gone", expected_version=1)
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2
    assert [e["event_id"] for e in stale.json()["since"]] == [target]


def test_bad_amendments_get_a_clear_4xx_and_store_nothing(api: ApiWorld) -> None:
    case_id, target = _case_with_detention(api)
    before = api.world.services.store.head().position
    unknown = _amend(api, case_id, "no-such-event", "retract", reason="x", expected_version=2)
    assert unknown.status_code == 404 and unknown.json()["errors"][0]["field"] == "event_id"
    fix = {"reason": "r", "expected_version": 2}
    cases: list[tuple[str, dict[str, Any], str]] = [
        ("retract", {"reason": "", "expected_version": 2}, "reason"),
        ("retract", {"expected_version": 2}, "reason"),
        ("correct", {"replacement": {"place": "x" * 301}, **fix}, "replacement.place"),
        ("correct", {"replacement": {"colour": "red"}, **fix}, "replacement.colour"),
        ("correct", {"replacement": {"place": "Yalta"}, **fix}, "replacement"),
    ]
    for action, body, field in cases:
        response = _amend(api, case_id, target, action, **body)
        assert response.status_code == 422, (body, response.text)
        assert [e["field"] for e in response.json()["errors"]] == [field], body
    assert api.world.services.store.head().position == before


def test_reports_and_sources_open_once_per_event_id(api: ApiWorld) -> None:
    client = api.client("researcher")
    key = str(uuid.uuid4())
    report = {
        "report": {"title": "Searches in Bakhchysarai", "acts": ["search_raid"]},
        "event_id": key,
    }
    first, again = (
        client.post("/api/reports", json=report),
        client.post("/api/reports", json=report),
    )
    assert first.status_code == again.status_code == 201 and first.json() == again.json()
    assert first.json()["stream_id"] == f"report-{key}"
    bad_act = client.post("/api/reports", json={"report": {"title": "x", "acts": ["picnic"]}})
    assert bad_act.status_code == 422 and bad_act.json()["errors"][0]["field"] == "report.acts.0"
    source = {"source": {"title": "WITNESS-FROM-API", "kind": "witness", "confidential": True}}
    registered = client.post("/api/sources", json=source)
    assert registered.status_code == 201
    path = f"/api/sources/{registered.json()['stream_id']}/events"
    assert api.client("researcher").get(path).status_code == 200
    assert api.client("advocate").get(path).status_code == 404
    assert "WITNESS-FROM-API" not in api.client("advocate").get("/api/log?limit=500").text

"""Reviewing through the API: approve or reject with a note, never one's own (403), never
twice (409); the queue lists what waits, marking one's own."""

from __future__ import annotations

import uuid
from typing import Any

from tests.api.conftest import ApiWorld


def _pending(api: ApiWorld, by: str) -> tuple[str, str]:
    """A case opened by `by`, and the id of its (pending) opening event."""
    body = {"case": {"name": f"Review Subject {uuid.uuid4().hex[:6]}"}, "confirm_new": True}
    created = api.client(by).post("/api/cases", json=body)
    assert created.status_code == 201, created.text
    return created.json()["stream_id"], created.json()["event_id"]


def _review(api: ApiWorld, who: str, case_id: str, target: str, **body: Any) -> Any:
    payload = {"decision": "approved", "note": "checked against the source", **body}
    return api.client(who).post(f"/api/cases/{case_id}/events/{target}/review", json=payload)


def test_a_reviewer_approves_someone_elses_event(api: ApiWorld) -> None:
    case_id, event_id = _pending(api, "researcher")
    approved = _review(api, "reviewer", case_id, event_id)
    assert approved.status_code == 201, approved.text
    assert approved.json()["type"] == "EventReviewed" and approved.json()["version"] == 2
    events = api.client("admin").get(f"/api/cases/{case_id}/events").json()["events"]
    assert events[0]["review"] == "approved" and events[0]["reviewer"] == "reviewer@web.test"
    assert events[0]["review_note"] == "checked against the source"
    assert api.client("advocate").get(f"/api/cases/{case_id}").json()["opened_review"] == "approved"


def test_a_rejection_keeps_the_note(api: ApiWorld) -> None:
    case_id, event_id = _pending(api, "researcher")
    rejected = _review(api, "admin", case_id, event_id, decision="rejected", note="no source")
    assert rejected.status_code == 201
    events = api.client("reviewer").get(f"/api/cases/{case_id}/events").json()["events"]
    assert (events[0]["review"], events[0]["review_note"]) == ("rejected", "no source")


def test_nobody_reviews_their_own_event(api: ApiWorld) -> None:
    case_id, event_id = _pending(api, "reviewer")
    own = _review(api, "reviewer", case_id, event_id)
    assert own.status_code == 403
    assert own.json()["detail"].startswith("four eyes")
    assert len(api.world.services.store.read_stream(case_id)) == 1


def test_an_event_is_decided_once(api: ApiWorld) -> None:
    case_id, event_id = _pending(api, "researcher")
    assert _review(api, "reviewer", case_id, event_id).status_code == 201
    again = _review(api, "admin", case_id, event_id, decision="rejected")
    assert again.status_code == 409
    assert len(api.world.services.store.read_stream(case_id)) == 2


def test_a_repeated_review_key_answers_as_the_first_time(api: ApiWorld) -> None:
    case_id, event_id = _pending(api, "researcher")
    key = str(uuid.uuid4())
    first = _review(api, "reviewer", case_id, event_id, event_id=key)
    again = _review(api, "reviewer", case_id, event_id, event_id=key)
    assert first.status_code == again.status_code == 201 and first.json() == again.json()


def test_bad_reviews_get_a_clear_4xx(api: ApiWorld) -> None:
    case_id, event_id = _pending(api, "researcher")
    bad_decision = _review(api, "reviewer", case_id, event_id, decision="maybe")
    assert bad_decision.status_code == 422
    assert [e["field"] for e in bad_decision.json()["errors"]] == ["decision"]
    huge = _review(api, "reviewer", case_id, event_id, note="x" * 20_001)
    assert huge.status_code == 422 and huge.json()["errors"][0]["field"] == "note"
    unknown = _review(api, "reviewer", case_id, "no-such-event")
    assert unknown.status_code == 404 and unknown.json()["errors"][0]["field"] == "event_id"
    assert _review(api, "researcher", case_id, event_id).status_code == 403
    assert len(api.world.services.store.read_stream(case_id)) == 1


def test_the_queue_lists_pending_events_oldest_first_marking_ones_own(api: ApiWorld) -> None:
    _, mine = _pending(api, "reviewer")
    _, theirs = _pending(api, "researcher")
    queue = api.client("reviewer").get("/api/review").json()
    listed = {e["event_id"]: e for e in queue["events"]}
    positions = [e["position"] for e in queue["events"]]
    assert positions == sorted(positions) and queue["total"] >= 2
    if mine in listed:
        assert listed[mine]["own"] is True
    all_pages = [
        e
        for page in range(1, queue["pages"] + 1)
        for e in api.client("reviewer").get(f"/api/review?page={page}").json()["events"]
    ]
    by_id = {e["event_id"]: e for e in all_pages}
    assert by_id[mine]["own"] is True and by_id[theirs]["own"] is False
    assert api.world.pending_id in by_id

"""Through the API too, a note or a contact is restricted unless the caller makes it public in
so many words, and a detention's stage is unknown unless given: an advocate never sees a note
or contact sent without `"internal": false`."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import ApiWorld


def _open(api: ApiWorld, name: str) -> str:
    body = {"case": {"name": name}, "confirm_new": True}
    created = api.client("researcher").post("/api/cases", json=body)
    assert created.status_code == 201, created.text
    return str(created.json()["stream_id"])


def _append(api: ApiWorld, case_id: str, version: int, kind: str, data: dict[str, Any]) -> Any:
    body = {"type": kind, "data": data, "expected_version": version}
    answer = api.client("researcher").post(f"/api/cases/{case_id}/events", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def test_notes_and_contacts_sent_without_the_flag_stay_from_advocates(api: ApiWorld) -> None:
    case_id = _open(api, "Restricted Default Person")
    _append(api, case_id, 1, "NoteAdded", {"text": "THE-FAMILY-ASKS-NOT-TO-PUBLISH"})
    contact = {"name": "A sister", "contact": "SISTER-PHONE-0000"}
    _append(api, case_id, 2, "RelativeContactRecorded", contact)
    _append(api, case_id, 3, "NoteAdded", {"text": "A-PUBLIC-NOTE", "internal": False})
    _append(api, case_id, 4, "DetentionRecorded", {"act": "arrest"})
    events = api.world.services.store.read_stream(case_id)
    stored = {e.type + str(e.version): e.data for e in events}
    assert stored["NoteAdded2"]["internal"] is True
    assert stored["RelativeContactRecorded3"]["internal"] is True
    assert stored["DetentionRecorded5"]["stage"] == "unknown"
    advocate = api.client("advocate").get(f"/api/cases/{case_id}/events").text
    assert "THE-FAMILY-ASKS-NOT-TO-PUBLISH" not in advocate
    assert "SISTER-PHONE-0000" not in advocate
    assert "A-PUBLIC-NOTE" in advocate
    researcher = api.client("researcher").get(f"/api/cases/{case_id}/events").text
    assert "THE-FAMILY-ASKS-NOT-TO-PUBLISH" in researcher and "SISTER-PHONE-0000" in researcher

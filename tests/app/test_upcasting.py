"""Old events are never rewritten: they are upcast on the way in, and the chain still holds."""

from __future__ import annotations

from typing import Any

import pytest

from tests.app.builders import open_case, queued, timeline
from tracker.bootstrap import Services
from tracker.domain import codec
from tracker.domain.events import NoteAdded
from tracker.eventstore.model import NewEvent
from tracker.projections.rebuild import rebuild


def note_v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """In this imagined v1 the note's text was called 'body'."""
    upgraded = dict(data)
    upgraded["text"] = upgraded.pop("body")
    return upgraded


def test_a_version_1_event_is_read_as_the_current_version_and_stays_as_stored(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = open_case(services, "Oleh Prykhodko")
    old = NewEvent("NoteAdded", {"body": "written by an older release", "internal": False}, 1)
    services.store.append(case_id, [old], 1)

    monkeypatch.setattr(NoteAdded, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(codec.UPCASTERS, ("NoteAdded", 1), note_v1_to_v2)
    rebuild(services.engine, services.store)

    expected = ["Note: written by an older release"]
    rows = timeline(services, case_id)
    assert [r["summary"] for r in rows if r["type"] == "NoteAdded"] == expected
    waiting = queued(services, case_id)  # written by the rebuild: the note is pending
    assert [r["summary"] for r in waiting if r["type"] == "NoteAdded"] == expected
    stored = services.store.read_stream(case_id)[-1]
    assert (stored.schema_version, dict(stored.data)) == (
        1,
        {"body": "written by an older release", "internal": False},
    )
    assert services.store.verify().intact


def test_an_event_newer_than_the_code_is_refused_by_name() -> None:
    with pytest.raises(codec.UnknownEventType, match="NoteAdded v9 is newer than this code"):
        codec.decode("NoteAdded", 9, {"text": "from the future"})

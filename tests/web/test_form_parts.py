"""The researcher's forms: restricted by default with a word on who reads each field, charges
picked from the shared vocabulary (or typed and marked outside it), several citations, and a
source registered from inside the form and cited there."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.world import World, csrf_of, sign_in
from tracker.domain.events import DetentionRecorded, NoteAdded, SourceRegistered
from tracker.domain.values import Charge

HX = {"HX-Request": "true"}


def _form(client: TestClient, path: str) -> dict[str, str]:
    html = client.get(path).text
    hidden = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', html))
    hidden["csrf_token"] = csrf_of(html)
    return hidden


def _last_event(world: World, stream_id: str) -> object:
    from tracker.history import load_history

    history, _ = load_history(world.services.store, stream_id)
    return history.entries[-1].event


def test_a_new_note_is_internal_unless_unticked_and_every_field_says_who_reads_it(
    world: World, clients: dict[str, TestClient]
) -> None:
    html = clients["researcher"].get(f"/cases/{world.case_id}/events/new?type=NoteAdded").text
    box = re.search(r'<input type="checkbox" id="f-internal"[^>]*>', html)
    assert box and "checked" in box.group(0), "the internal box is ticked on a new note"
    assert "Untick only to make it public to advocates" in html
    assert "Advocates see this only if “Internal” is unticked." in html
    detention = (
        clients["researcher"].get(f"/cases/{world.case_id}/events/new?type=DetentionRecorded").text
    )
    assert '<option value="unknown" selected>' in detention, "the stage defaults to unknown"
    assert detention.count("Advocates see this once it is approved.") >= 5
    assert "Advocates see this unless the cited source is confidential." in detention


def test_a_note_posted_with_the_box_ticked_is_restricted_and_unticked_is_public(
    fresh: World,
) -> None:
    client = sign_in(fresh.app, "researcher")
    path = f"/cases/{fresh.case_id}/events"
    form = _form(client, f"{path}/new?type=NoteAdded")
    ticked = {**form, "text": "the family asks not to publish their address", "internal": "on"}
    assert client.post(path, data=ticked, follow_redirects=False).status_code == 303
    note = _last_event(fresh, fresh.case_id)
    assert isinstance(note, NoteAdded) and note.internal
    unticked = {**_form(client, f"{path}/new?type=NoteAdded"), "text": "a public note"}
    assert client.post(path, data=unticked, follow_redirects=False).status_code == 303
    public = _last_event(fresh, fresh.case_id)
    assert isinstance(public, NoteAdded) and not public.internal


def test_a_form_sent_back_with_errors_keeps_an_unticked_box_unticked(
    world: World, clients: dict[str, TestClient]
) -> None:
    client = clients["researcher"]
    path = f"/cases/{world.case_id}/events"
    answer = client.post(path, data={**_form(client, f"{path}/new?type=NoteAdded"), "text": ""})
    assert answer.status_code == 422
    box = re.search(r'<input type="checkbox" id="f-internal"[^>]*>', answer.text)
    assert box and "checked" not in box.group(0)


def test_the_charge_search_offers_vocabulary_entries_readably(
    clients: dict[str, TestClient],
) -> None:
    found = clients["researcher"].get(
        "/forms/charge-search?group=charges.0&q=terrorist organisation", headers=HX
    )
    assert found.status_code == 200 and "<!doctype" not in found.text
    assert "RF Criminal Code 205.5 part 2 — participation in the activity of a terrorist" in (
        found.text
    )
    assert "slug=uk-205-5-ch-2" in found.text
    none = clients["researcher"].get("/forms/charge-search?group=charges.0&q=zzzz", headers=HX)
    assert "marked as outside the list" in none.text
    bad = clients["researcher"].get("/forms/charge-search?group=../x&q=1", headers=HX)
    assert bad.status_code == 422


def test_picking_fills_the_picker_and_a_typed_charge_is_marked_outside_the_list(
    clients: dict[str, TestClient],
) -> None:
    picked = (
        clients["researcher"]
        .get("/forms/charge-pick?group=charges.1&slug=uk-205-5-ch-2", headers=HX)
        .text
    )
    assert 'name="charges.1.article" value="205.5"' in picked
    assert 'name="charges.1.part" value="2"' in picked
    assert "in the list" in picked
    typed = (
        clients["researcher"]
        .get("/forms/charge-check?group=charge&charge.code=RF-CC&charge.article=999", headers=HX)
        .text
    )
    assert "outside the list" in typed and "RF Criminal Code 999" in typed
    unknown = clients["researcher"].get(
        "/forms/charge-pick?group=charge&slug=not-a-slug", headers=HX
    )
    assert unknown.status_code == 422


def test_a_detention_stores_its_charges_and_several_citations(fresh: World) -> None:
    client = sign_in(fresh.app, "researcher")
    path = f"/cases/{fresh.case_id}/events"
    form = {
        **_form(client, f"{path}/new?type=DetentionRecorded"),
        "act": "arrest",
        "charges.0.code": "RF-CC",
        "charges.0.article": "205.5",
        "charges.0.part": "2",
        "charges.1.article": "999",
        "charges.1.label": "typed by hand",
        "citations.0.source_id": fresh.public_source,
        "citations.0.claim": "first claim",
        "citations.1.source_id": fresh.public_source,
        "citations.1.locator": "p. 2",
        "citations.1.claim": "second claim",
    }
    assert client.post(path, data=form, follow_redirects=False).status_code == 303
    event = _last_event(fresh, fresh.case_id)
    assert isinstance(event, DetentionRecorded)
    assert event.stage.value == "unknown"
    assert event.charges == (
        Charge(code="RF-CC", article="205.5", part="2"),
        Charge(code="RF-CC", article="999", label="typed by hand"),
    )
    assert [c.claim for c in event.citations] == ["first claim", "second claim"]


def test_another_slot_comes_with_the_button_for_the_next(clients: dict[str, TestClient]) -> None:
    slot = clients["researcher"].get("/forms/citations?n=2&type=DetentionRecorded", headers=HX)
    assert 'name="citations.2.source_id"' in slot.text and "forms/citations?n=3" in slot.text
    charge = clients["researcher"].get("/forms/charges?n=1&type=VerdictDelivered", headers=HX)
    assert 'name="charges.1.article"' in charge.text and "forms/charges?n=2" in charge.text
    wrong = clients["researcher"].get("/forms/charges?n=1&type=NoteAdded", headers=HX)
    assert wrong.status_code == 422


def test_a_source_registered_from_the_dialog_is_cited_in_the_slot(fresh: World) -> None:
    client = sign_in(fresh.app, "researcher")
    dialog = client.get("/forms/source?slot=citations.1.source_id", headers=HX).text
    assert "<dialog open" in dialog and "Reliability" in dialog
    token = csrf_of(dialog)
    event_id = re.search(r'name="event_id" value="([^"]+)"', dialog)
    assert event_id
    form = {
        "csrf_token": token,
        "slot": "citations.1.source_id",
        "event_id": event_id.group(1),
        "title": "Statement of the Crimean Human Rights Group",
        "reliability": "usually_reliable",
    }
    answer = client.post("/forms/source", data=form, headers=HX)
    assert answer.status_code == 200
    source_id = f"source-{event_id.group(1)}"
    assert 'id="field-f-citations-1-source_id" hx-swap-oob="true"' in answer.text
    assert f'<option value="{source_id}" selected>' in answer.text
    registered = _last_event(fresh, source_id)
    assert isinstance(registered, SourceRegistered)
    assert registered.reliability.value == "usually_reliable"
    again = client.post("/forms/source", data=form, headers=HX)
    assert again.status_code == 200, "the same dialog sent twice registers one source"
    empty = client.post("/forms/source", data={**form, "title": "", "event_id": ""}, headers=HX)
    assert empty.status_code == 422 and "<dialog open" in empty.text
    bad_slot = client.post("/forms/source", data={**form, "slot": "x"}, headers=HX)
    assert bad_slot.status_code == 422

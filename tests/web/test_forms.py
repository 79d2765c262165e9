"""The forms as people use them: open a case past its possible duplicates, log updates with
errors shown inline, a stale form answered with what changed, corrections, retractions,
reviews (never one's own), reports linked to cases. The first tests run on PostgreSQL too."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.world import World, csrf_of, sign_in
from tracker.projections.queries import get_case


def _form(client: TestClient, path: str) -> dict[str, str]:
    """The hidden fields of the form on a page."""
    html = client.get(path).text
    hidden = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', html))
    hidden["csrf_token"] = csrf_of(html)
    return hidden


def test_opening_a_case_shows_possible_duplicates_first(fresh: World) -> None:
    client = sign_in(fresh.app, "researcher")
    form = {**_form(client, "/cases/new"), "name": "Server Ahtemov"}
    first = client.post("/cases", data=form)
    assert first.status_code == 422
    assert "Possible matches" in first.text and "Akhtemov" in first.text
    assert "open the case again" in first.text
    done = client.post("/cases", data={**form, "confirm_new": "on"}, follow_redirects=False)
    assert done.status_code == 303
    again = client.post("/cases", data={**form, "confirm_new": "on"}, follow_redirects=False)
    assert again.headers["location"] == done.headers["location"], "the same form opens one case"
    page = client.get(done.headers["location"])
    assert page.status_code == 200 and "Server Ahtemov" in page.text and "pending" in page.text


def test_a_stale_form_gets_409_with_the_new_events_and_stores_nothing(fresh: World) -> None:
    alice = sign_in(fresh.app, "researcher")
    bob = sign_in(fresh.app, "reviewer")
    path = f"/cases/{fresh.case_id}/events/new?type=HearingHeld"
    mine = {**_form(alice, path), "court": "Kyiv district court"}
    theirs = {**_form(bob, path), "court": "Simferopol court"}
    stored = bob.post(f"/cases/{fresh.case_id}/events", data=theirs, follow_redirects=False)
    assert stored.status_code == 303
    before = fresh.services.store.stream_version(fresh.case_id)
    stale = alice.post(f"/cases/{fresh.case_id}/events", data=mine, headers={"HX-Request": "true"})
    assert stale.status_code == 409
    assert "This record changed since you opened it" in stale.text
    assert "Hearing held at Simferopol court" in stale.text
    assert 'value="Kyiv district court"' in stale.text, "the form keeps what was typed"
    assert "<!doctype html>" not in stale.text
    assert fresh.services.store.stream_version(fresh.case_id) == before
    resent = alice.post(
        f"/cases/{fresh.case_id}/events", data={**mine, "expected_version": str(before)}
    )
    assert resent.status_code == 200 and "Kyiv district court" in resent.text


def test_field_errors_come_back_inline_with_422(fresh: World) -> None:
    client = sign_in(fresh.app, "researcher")
    path = f"/cases/{fresh.case_id}/events/new?type=ChargeBrought"
    form = {**_form(client, path), "date": "31.02.2020", "charge.article": "two-oh-five"}
    response = client.post(
        f"/cases/{fresh.case_id}/events", data=form, headers={"HX-Request": "true"}
    )
    assert response.status_code == 422
    assert re.search(r'id="f-date-error">[^<]*not a day of the calendar', response.text)
    form["date"] = "2020-02"
    response = client.post(f"/cases/{fresh.case_id}/events", data=form)
    assert response.status_code == 422
    assert re.search(r'id="f-charge-article-error">article must be digits', response.text)
    form["charge.article"] = "205.5"
    form["charge.part"] = "2"
    assert client.post(f"/cases/{fresh.case_id}/events", data=form).status_code == 200


def test_correct_retract_and_review_a_detention(sqlite_world: World) -> None:
    w = sqlite_world
    researcher = sign_in(w.app, "researcher")
    reviewer = sign_in(w.app, "reviewer")
    base = f"/cases/{w.case_id}/events/{w.detention_id}"
    form = _form(researcher, f"{base}/correct")
    page = researcher.get(f"{base}/correct").text
    assert 'value="2015-03"' in page, "the form starts from the event as it stands"
    unchanged = researcher.post(f"{base}/correct", data={**form, "date": "2015-03", "reason": "x"})
    assert unchanged.status_code == 422
    corrected = researcher.post(
        f"{base}/correct",
        data={
            **form,
            "date": "2015-03-12",
            "act": "arrest",
            "reason": "the court record gives the day",
        },
        follow_redirects=False,
    )
    assert corrected.status_code == 303
    case_page = reviewer.get(f"/cases/{w.case_id}").text
    assert "Correction of" in case_page
    correction = w.services.store.read_stream(w.case_id)[-1].event_id
    token = csrf_of(case_page)
    approve = {"csrf_token": token, "decision": "approved", "note": "checked"}
    done = reviewer.post(
        f"/cases/{w.case_id}/review/{correction}", data=approve, follow_redirects=False
    )
    assert done.status_code == 303
    assert "2015-03-12" in reviewer.get(f"/cases/{w.case_id}").text
    with w.services.engine.connect() as conn:
        assert get_case(conn, w.case_id)["detention_date"] == "2015-03-12"  # type: ignore[index]
    form = _form(researcher, f"{base}/retract")
    no_reason = researcher.post(f"{base}/retract", data=form)
    assert no_reason.status_code == 422 and 'class="error"' in no_reason.text
    retracted = researcher.post(
        f"{base}/retract", data={**form, "reason": "duplicate entry"}, follow_redirects=False
    )
    assert retracted.status_code == 303


def test_a_reviewer_cannot_review_their_own_event(sqlite_world: World) -> None:
    w = sqlite_world
    reviewer = sign_in(w.app, "reviewer")
    form = {
        **_form(reviewer, f"/cases/{w.case_id}/events/new?type=NoteAdded"),
        "text": "my own note",
    }
    reviewer.post(f"/cases/{w.case_id}/events", data=form)
    own = w.services.store.read_stream(w.case_id)[-1].event_id
    queue = reviewer.get("/review").text
    assert "my own note" in queue and "another reviewer decides" in queue
    token = csrf_of(queue)
    refused = reviewer.post(
        f"/cases/{w.case_id}/review/{own}", data={"csrf_token": token, "decision": "approved"}
    )
    assert refused.status_code == 403 and "four eyes" in refused.text
    admin = sign_in(w.app, "admin")
    ok = admin.post(
        f"/cases/{w.case_id}/review/{own}",
        data={
            "csrf_token": csrf_of(admin.get("/review").text),
            "decision": "rejected",
            "note": "no",
            "next": "/review",
        },
        follow_redirects=False,
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/review"


def test_register_a_source_open_a_report_and_link_a_case(sqlite_world: World) -> None:
    w = sqlite_world
    client = sign_in(w.app, "researcher")
    source = {
        **_form(client, "/sources/new"),
        "title": "Court record 1-23/2024",
        "kind": "court_record",
    }
    made = client.post("/sources", data=source, follow_redirects=False)
    assert made.status_code == 303 and made.headers["location"].startswith("/sources/source-")
    report = {
        **_form(client, "/reports/new"),
        "title": "Searches in Bakhchysarai",
        "acts": ["search_raid"],
        "date": "2024-05",
        "citations.0.source_id": made.headers["location"].split("/")[-1],
    }
    opened = client.post("/reports", data=report, follow_redirects=False)
    assert opened.status_code == 303
    report_url = opened.headers["location"]
    link = {**_form(client, report_url), "case_id": w.case_id}
    linked = client.post(f"{report_url}/events", data=link, follow_redirects=False)
    assert linked.status_code == 303
    assert f"Linked to case {w.case_id}" in client.get(report_url).text

"""The reviewer's and reader's pages: the queue with each event's evidence, the event page with
its history, 'My items' with fix and resend, the Follow button, the case as it stood, counts that
match what an advocate is shown, and the log naming its records."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.web.world import EMAILS, MARKERS, World, csrf_of, sign_in
from tracker.digest.following import following
from tracker.domain.commands import Record, Review
from tracker.domain.events import Decision, DetentionRecorded, HearingHeld
from tracker.domain.roles import Actor, Role
from tracker.domain.values import Citation

RESEARCHER = Actor(EMAILS["researcher"], Role.RESEARCHER)
REVIEWER = Actor(EMAILS["reviewer"], Role.REVIEWER)


def _pending_source(world: World) -> str:
    """A source registered by the researcher and not yet reviewed."""
    from tracker.domain.commands import RegisterSource
    from tracker.domain.events import SourceRegistered

    source_id = "source-unreviewed-statement"
    if world.services.store.stream_version(source_id) == 0:
        world.services.tracker.execute(
            RegisterSource(source_id, SourceRegistered(title="Unreviewed statement")), RESEARCHER
        )
    return source_id


def test_the_queue_shows_the_whole_event_its_sources_state_and_the_status_it_would_make(
    fresh: World,
) -> None:
    long_claim = "The court ruled " + "word " * 60 + "END-OF-CLAIM"
    source = _pending_source(fresh)
    fact = DetentionRecorded(
        act="arrest", place="Simferopol", citations=(Citation(source_id=source, claim=long_claim),)
    )
    fresh.services.tracker.execute(Record(fresh.case_id, fact), RESEARCHER)
    page = sign_in(fresh.app, "reviewer").get("/review").text
    assert "END-OF-CLAIM" in page, "the claim is shown whole"
    assert "Unreviewed statement" in page and "source pending" in page
    assert "Unsupported:" in page, "a fact whose only source is unapproved is flagged"
    assert "Status now: <strong>Pre-trial detention</strong>" in page
    assert "if approved: <strong>Pre-trial detention</strong> (unchanged)" in page
    assert "Simferopol" in page


def test_approving_shows_the_status_change_before_it_happens(fresh: World) -> None:
    released = HearingHeld(court="Kyiv court")
    fresh.services.tracker.execute(Record(fresh.case_id, released), RESEARCHER)
    page = sign_in(fresh.app, "reviewer").get("/review").text
    assert "No source:" in page, "a fact without a source is flagged"


def test_the_event_page_shows_the_event_its_corrections_and_reviews(
    world: World, clients: dict[str, TestClient]
) -> None:
    base = f"/cases/{world.case_id}/events"
    note = clients["researcher"].get(f"{base}/{world.note_id}")
    assert note.status_code == 200
    assert MARKERS["note"] + " (fixed)" in note.text and MARKERS["reason"] in note.text
    assert "Corrected:" in note.text and "History" in note.text
    assert 'data-copy="' in note.text, "the whole hash can be copied"
    assert clients["advocate"].get(f"{base}/{world.note_id}").status_code == 404
    assert clients["advocate"].get(f"{base}/{world.contact_id}").status_code == 404
    public = clients["advocate"].get(f"{base}/{world.detention_id}")
    assert public.status_code == 200 and MARKERS["claim"] not in public.text
    assert "researcher@web.test" not in public.text
    assert clients["advocate"].get(f"{base}/no-such-event").status_code == 404


def test_the_timeline_marks_undated_events_after_the_dated_and_shortens_hashes(
    world: World, clients: dict[str, TestClient]
) -> None:
    page = clients["researcher"].get(f"/cases/{world.case_id}").text
    rows = re.findall(r'<tr id="e-([^"]+)"', page)
    assert rows[0] != world.note_id
    assert page.index(f'id="e-{world.detention_id}"') < page.index(f'id="e-{world.note_id}"')
    assert ">undated</span>" in page
    full = re.findall(r'<code class="hash-full">([0-9a-f]{64})</code>', page)
    assert full and all(f"<code>{h[:12]}…</code>" in page for h in full)


def test_an_advocates_counts_match_the_rows_they_see(
    world: World, clients: dict[str, TestClient]
) -> None:
    page = clients["advocate"].get(f"/cases/{world.case_id}").text
    rows = len(re.findall(r'<tr id="e-', page))
    assert f"{rows} shown, 1 pending review" in page
    assert "in the log" not in page


def test_the_case_page_carries_the_lists_as_of_date(
    world: World, clients: dict[str, TestClient]
) -> None:
    listing = clients["advocate"].get("/cases?as_of=2015-01-01").text
    assert f"/cases/{world.case_id}?as_of=2015-01-01" in listing
    then = clients["advocate"].get(f"/cases/{world.case_id}?as_of=2015-01-01").text
    assert "As it stood on 2015-01-01" in then
    assert "Pre-trial detention" not in then.split("<dl")[0], "not detained yet then"
    now = clients["advocate"].get(f"/cases/{world.case_id}").text
    assert "Pre-trial detention" in now.split("<dl")[0]
    bad = clients["advocate"].get(f"/cases/{world.case_id}?as_of=yesterday")
    assert bad.status_code == 422


def test_following_makes_then_extends_one_subscription(fresh: World) -> None:
    client = sign_in(fresh.app, "advocate")
    page = client.get(f"/cases/{fresh.case_id}").text
    assert "Follow this case" in page
    token = csrf_of(page)
    done = client.post(f"/cases/{fresh.case_id}/follow", data={"csrf_token": token})
    assert done.status_code == 200 and "You follow this case" in done.text
    user_id = fresh.user_ids["advocate"]
    made = following(fresh.services.engine, user_id, fresh.case_id)
    assert made is not None and made.name == "Followed cases"
    other = next(
        m.group(1)
        for m in re.finditer(r'href="/cases/(case-[^"?]+)"', client.get("/cases").text)
        if m.group(1) != fresh.case_id
    )
    client.post(f"/cases/{other}/follow", data={"csrf_token": token})
    extended = following(fresh.services.engine, user_id, other)
    assert extended is not None and extended.id == made.id
    assert client.post("/cases/case-nope/follow", data={"csrf_token": token}).status_code == 404
    assert client.post(f"/cases/{other}/follow").status_code == 403, "CSRF"


def test_my_items_lists_rejected_and_pending_and_fix_and_resend_fills_the_form(
    fresh: World,
) -> None:
    hearing = HearingHeld(court="Wrong court", outcome="postponed")
    stored = fresh.services.tracker.execute(Record(fresh.case_id, hearing), RESEARCHER)
    event_id = stored.events[0].event_id
    note = "the hearing was in Simferopol, not here"
    fresh.services.tracker.execute(
        Review(fresh.case_id, event_id, Decision.REJECTED, note), REVIEWER
    )
    client = sign_in(fresh.app, "researcher")
    page = client.get("/my-items").text
    assert note in page and "Hearing held at Wrong court" in page
    assert "a public note awaiting review" in page, "pending items are listed too"
    link = f"/cases/{fresh.case_id}/events/new?type=HearingHeld&amp;again={event_id}"
    assert link in page
    form = client.get(link.replace("&amp;", "&")).text
    assert 'value="Wrong court"' in form and 'value="postponed"' in form
    other = client.get(f"/cases/{fresh.case_id}/events/new?type=NoteAdded&again={event_id}")
    assert other.status_code == 422
    assert sign_in(fresh.app, "advocate").get("/my-items").status_code == 403


def test_the_log_names_records_not_ids(world: World, clients: dict[str, TestClient]) -> None:
    page = clients["advocate"].get("/log").text
    assert re.search(r'<a href="/cases/case-[^"]+">[A-Z][a-z]+ [A-Z]', page)
    assert MARKERS["source"] not in page

"""The subscriptions pages: your own subscriptions (admins: all, and the unsent outbox), 422
next to the field for a bad schedule, previews, and the emailed unsubscribe link's confirm form."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from tests.digest.support import approved, day, subscribed
from tests.web.world import EMAILS, MARKERS, World, csrf_of, page_token, sign_in
from tracker.digest import outbox
from tracker.digest.config import DigestConfig
from tracker.digest.service import RunReport, record_due
from tracker.digest.subscriptions import get_subscription, subscriptions_with_owners
from tracker.digest.tokens import unsubscribe_token
from tracker.domain.dates import PartialDate
from tracker.domain.events import CustodyStage, DetentionRecorded, NoteAdded

GOOD = {
    "name": "Crimea detentions",
    "changes": "detentions",
    "region": "",
    "case_ids": "",
    "reports": "on",
    "cadence": "weekly",
    "weekday": "4",
    "hour": "9",
    "timezone": "Europe/Kyiv",
}


def _post(client: TestClient, url: str, data: dict[str, str], **headers: str) -> object:
    return client.post(
        url,
        data={**data, "csrf_token": page_token(client)},
        headers=headers,
        follow_redirects=False,
    )


def test_a_user_subscribes_and_bad_fields_get_422_next_to_them(world: World) -> None:
    client = sign_in(world.app, "advocate")
    page = client.get("/subscriptions")
    assert page.status_code == 200 and 'name="timezone"' in page.text
    bad = {**GOOD, "timezone": "Europe/Atlantis", "hour": "99"}
    response = _post(client, "/subscriptions", bad, **{"HX-Request": "true"})
    assert response.status_code == 422  # type: ignore[attr-defined]
    html = response.text  # type: ignore[attr-defined]
    assert re.search(r'id="f-timezone-error">.*not an IANA time zone', html)
    assert re.search(r'id="f-hour-error">.*99 is not an hour from 0 to 23', html)
    assert "<html" not in html  # the form fragment for htmx
    assert subscriptions_with_owners(world.services.engine) == []

    response = _post(client, "/subscriptions", GOOD)
    assert response.status_code == 303  # type: ignore[attr-defined]
    listed = client.get("/subscriptions").text
    assert "Crimea detentions" in listed and "weekly, Fridays at 09:00 (Europe/Kyiv)" in listed
    ((row, owner),) = subscriptions_with_owners(world.services.engine)
    assert (
        owner.email == EMAILS["advocate"] and row.watermark == world.services.store.head().position
    )


def test_people_see_their_own_subscriptions_and_admins_see_all(world: World) -> None:
    mine = subscribed(world, "advocate", name="Advocate own")
    theirs = subscribed(world, "researcher", name="Researcher own")
    advocate = sign_in(world.app, "advocate")
    page = advocate.get("/subscriptions").text
    assert "Advocate own" in page and "Researcher own" not in page
    assert advocate.get(f"/subscriptions/{theirs.id}/preview").status_code == 404
    ended = _post(advocate, f"/subscriptions/{theirs.id}/end", {})
    assert ended.status_code == 404  # type: ignore[attr-defined]
    assert get_subscription(world.services.engine, theirs.id).active  # type: ignore[union-attr]

    admin = sign_in(world.app, "admin").get("/subscriptions").text
    assert "Advocate own" in admin and "Researcher own" in admin and EMAILS["researcher"] in admin
    assert _post(advocate, f"/subscriptions/{mine.id}/end", {}).status_code == 303  # type: ignore[attr-defined]
    assert not get_subscription(world.services.engine, mine.id).active  # type: ignore[union-attr]
    assert TestClient(world.app).get("/subscriptions", follow_redirects=False).status_code == 303


def test_the_preview_shows_what_would_go_out_without_restricted_fields(world: World) -> None:
    subscription = subscribed(world, "advocate")
    advocate = sign_in(world.app, "advocate")
    assert "Nothing to report" in advocate.get(f"/subscriptions/{subscription.id}/preview").text
    approved(
        world,
        world.case_id,
        DetentionRecorded(
            stage=CustodyStage.PRE_TRIAL, date=PartialDate.parse("2025-02"), act="arrest"
        ),
    )
    approved(world, world.case_id, NoteAdded(text=MARKERS["note"] + " new", internal=True))
    page = advocate.get(f"/subscriptions/{subscription.id}/preview").text
    assert "[2025-02]" in page and MARKERS["note"] not in page and "Internal note" not in page
    assert outbox.unsent(world.services.engine) == []  # a preview records nothing


def test_the_unsubscribe_link_confirms_first_and_its_post_needs_the_csrf_token(
    world: World,
) -> None:
    subscription = subscribed(world, "advocate")
    config = DigestConfig.from_settings(world.services.settings)
    token = unsubscribe_token(config.secret, subscription.id)
    url = f"/subscriptions/{subscription.id}/unsubscribe"
    browser = TestClient(world.app)  # signed out, as from a mail client
    assert browser.get(f"{url}?token={'0' * 64}").status_code == 403
    other = subscribed(world, "researcher")
    assert browser.get(f"/subscriptions/{other.id}/unsubscribe?token={token}").status_code == 403

    confirm = browser.get(f"{url}?token={token}")
    assert confirm.status_code == 200 and "Stop the digest emails" in confirm.text
    assert get_subscription(world.services.engine, subscription.id).active  # type: ignore[union-attr]
    refused = browser.post(url, data={"token": token}, follow_redirects=False)
    assert refused.status_code == 403
    assert get_subscription(world.services.engine, subscription.id).active  # type: ignore[union-attr]
    forged = browser.post(url, data={"token": "f" * 64, "csrf_token": csrf_of(confirm.text)})
    assert forged.status_code == 403
    done = browser.post(url, data={"token": token, "csrf_token": csrf_of(confirm.text)})
    assert done.status_code == 200 and "has ended" in done.text
    assert not get_subscription(world.services.engine, subscription.id).active  # type: ignore[union-attr]
    assert get_subscription(world.services.engine, other.id).active  # type: ignore[union-attr]


def test_admins_see_digests_that_could_not_be_sent_with_the_error(world: World) -> None:
    subscribed(world, "advocate")
    approved(
        world,
        world.case_id,
        DetentionRecorded(
            stage=CustodyStage.PRE_TRIAL, date=PartialDate.parse("2025-03"), act="arrest"
        ),
    )
    report = RunReport()
    record_due(world.services, day(1), report)
    (row,) = outbox.unsent(world.services.engine)
    outbox.mark_failed(world.services.engine, row, "smtp 127.0.0.1:25: connection refused", day(1))
    (failed,) = outbox.unsent(world.services.engine)
    assert failed.attempts == 1 and failed.next_attempt_at > row.next_attempt_at
    assert outbox.sendable(world.services.engine, day(1)) == []
    assert [
        r.id for r in outbox.sendable(world.services.engine, day(1) + timedelta(minutes=2))
    ] == [row.id]
    admin = sign_in(world.app, "admin").get("/subscriptions").text
    assert "Not sent yet" in admin and "connection refused" in admin
    advocate = sign_in(world.app, "advocate").get("/subscriptions").text
    assert "Not sent yet" not in advocate

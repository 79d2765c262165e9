"""The digest option for authors: review decisions on the items they recorded, with the
reviewer's note and a link to the event; off by default, and only one's own items."""

from __future__ import annotations

from tests.digest.support import RESEARCHER, REVIEWER, subscribed
from tests.web.world import World
from tracker.digest.service import preview
from tracker.domain.commands import Record, Review
from tracker.domain.events import Decision, HearingHeld


def test_an_author_hears_of_decisions_on_their_items_only_when_asked(world: World) -> None:
    asked = subscribed(world, "researcher", name="Mine", decisions=True, case_ids=["case-none"])
    not_asked = subscribed(world, "researcher", name="Plain", case_ids=["case-none"])
    other = subscribed(world, "reviewer", name="Theirs", decisions=True, case_ids=["case-none"])
    run = world.services.tracker.execute
    hearing = run(Record(world.case_id, HearingHeld(court="Wrong court")), RESEARCHER)
    event_id = hearing.events[0].event_id
    run(Review(world.case_id, event_id, Decision.REJECTED, "not this court"), REVIEWER)

    _, digest = preview(world.services, asked.id)
    assert digest is not None
    text = digest.rendered.text
    assert "Review decisions on your items" in text
    assert "Hearing held at Wrong court: rejected" in text and "not this court" in text
    assert f"/events/{event_id}" in text
    assert "not this court" in digest.rendered.html
    assert "review decisions on your items" in text  # the filter says so in the footer
    assert preview(world.services, not_asked.id)[1] is None
    assert preview(world.services, other.id)[1] is None, "not the reviewer's own item"

"""The researcher's, reviewer's and advocate's day in chromium: restricted by default, charges
from the list, several citations and a source registered from the form; review with evidence
and 'fix and resend'; reading (event pages, the hash, 'as of', Follow); and the phone-sized,
keyboard-driven pages (no sideways scrolling at 390x844, a skip link, visible focus)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Served, Visitor, sign_in
from tracker.domain.commands import Record
from tracker.domain.events import HearingHeld
from tracker.domain.roles import Actor, Role

pytestmark = pytest.mark.browser
Visit = Callable[[str], Visitor]
PHONE = {"width": 390, "height": 844}


def timeline_row(page: Any, text: str) -> Any:
    return page.locator("table.timeline tbody tr", has_text=text)


def test_a_detention_with_charges_from_the_list_citations_and_a_new_source(
    visit: Visit, served: Served
) -> None:
    me = visit("researcher")
    case = f"/cases/{served.world.case_id}"
    me.go(f"{case}/events/new?type=DetentionRecorded")
    page = me.page
    expect(page.locator("#f-stage")).to_have_value("unknown")
    expect(page.locator("#field-f-place .audience")).to_have_text(
        "Advocates see this once it is approved."
    )
    page.select_option("#f-act", "arrest")
    page.locator("#picker-charges-0-q").press_sequentially("participation terrorist", delay=20)
    page.get_by_role("button", name=re.compile(r"205\.5 part 2 — participation")).click()
    expect(page.locator("#f-charges-0-article")).to_have_value("205.5")
    expect(page.locator("#picker-charges-0-known")).to_contain_text("in the list")
    page.get_by_role("button", name="Add another charge").click()
    page.fill("#f-charges-1-article", "999")
    page.fill("#f-charges-1-label", "typed by hand")
    page.locator("#f-charges-1-part").focus()  # leaving the field checks it against the list
    expect(page.locator("#picker-charges-1-known")).to_contain_text("outside the list")

    page.select_option("#f-citations-0-source_id", served.world.public_source)
    page.fill("#f-citations-0-claim", "first source says so")
    page.get_by_role("button", name="Add another citation").click()
    page.locator("#slot-citations-1").get_by_role(
        "button", name="Register a new source for this citation"
    ).click()
    dialog = page.locator("dialog.source-dialog")
    title = f"Lawyer's statement {uuid.uuid4().hex[:6]}"
    dialog.locator("#f-title").fill(title)
    dialog.locator("#f-reliability").select_option("usually_reliable")
    dialog.get_by_role("button", name="Register and cite it").click()
    expect(page.locator("#dialog-area")).to_contain_text(f"Registered “{title}”")
    expect(page.locator("#f-citations-1-source_id option:checked")).to_have_text(title)
    page.fill("#f-citations-1-claim", "second source says so too")
    page.get_by_role("button", name="Log it").click()
    page.wait_for_url(served.base_url + case)
    row = timeline_row(page, "participation in the activity of a terrorist organisation")
    expect(row).to_contain_text("RF Criminal Code 999")
    expect(row).to_contain_text(title)
    expect(row).to_contain_text("second source says so too")

    me.go(f"{case}/events/new?type=NoteAdded")
    expect(page.locator("#f-internal")).to_be_checked()
    note = f"The family asks not to publish their address {uuid.uuid4().hex[:6]}"
    page.fill("#f-text", note)
    page.get_by_role("button", name="Log it").click()
    page.wait_for_url(served.base_url + case)
    expect(timeline_row(page, note).locator(".tag.restricted")).to_be_visible()


def test_a_rejected_item_comes_back_to_its_author_to_fix_and_resend(
    visit: Visit, served: Served
) -> None:
    world = served.world
    court = f"Wrong court {uuid.uuid4().hex[:6]}"
    researcher = Actor("researcher@web.test", Role.RESEARCHER)
    world.services.tracker.execute(Record(world.case_id, HearingHeld(court=court)), researcher)

    reviewer = visit("reviewer")
    reviewer.go("/review")
    entry = reviewer.page.locator("article.queue-entry", has_text=court)
    expect(entry.locator(".flag")).to_contain_text("No source")
    expect(entry.locator(".status-change")).to_contain_text("if approved")
    entry.get_by_label("Note to the author").fill("The hearing was in Simferopol")
    entry.get_by_role("button", name="Reject").click()
    reviewer.page.wait_for_url(served.base_url + "/review")

    author = visit("researcher")
    author.go("/my-items")
    card = author.page.locator(".item-card", has_text=court)
    expect(card.locator(".review-note")).to_have_text("The hearing was in Simferopol")
    card.get_by_role("link", name="Fix and resend").click()
    expect(author.page.locator("#f-court")).to_have_value(court)
    author.page.fill("#f-court", "Simferopol district court")
    author.page.get_by_role("button", name="Log it").click()
    author.page.wait_for_url(served.base_url + f"/cases/{world.case_id}")
    expect(timeline_row(author.page, "Simferopol district court").locator(".state")).to_have_text(
        "pending"
    )
    rejected = timeline_row(author.page, court)
    expect(rejected.locator(".review-cell .note")).to_have_css("text-decoration-line", "none")


def test_an_advocate_reads_as_of_a_date_opens_an_event_copies_its_hash_and_follows(
    browser: Any, served: Served
) -> None:
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        sign_in(page, served.base_url, "advocate")
        page.goto(f"{served.base_url}/cases?as_of=2015-01-01")
        page.locator("#results table.list tbody tr td:first-child a").first.click()
        expect(page).to_have_url(re.compile(r"/cases/case-[^?]+\?as_of=2015-01-01"))
        expect(page.locator(".banner.as-of")).to_contain_text("As it stood on 2015-01-01")

        page.goto(f"{served.base_url}/cases/{served.world.case_id}")
        expect(page.locator("table.timeline .tag.undated").first).to_be_visible()
        shown = page.locator("table.timeline tbody tr").count()
        expect(page.locator("dl.summary")).to_contain_text(f"{shown} shown")
        page.locator("table.timeline tbody tr td:nth-child(2) a").first.click()
        expect(page).to_have_url(re.compile(r"/events/"))
        summary = page.locator("details.hash summary")
        expect(summary).to_have_text(re.compile(r"^[0-9a-f]{12}…"))
        summary.click()
        whole = page.locator("details.hash .hash-full").inner_text()
        assert re.fullmatch(r"[0-9a-f]{64}", whole)
        page.get_by_role("button", name="Copy").click()
        expect(page.get_by_role("button", name="Copied")).to_be_visible()
        assert page.evaluate("navigator.clipboard.readText()") == whole

        page.goto(f"{served.base_url}/cases/{served.world.case_id}")
        page.get_by_role("button", name="Follow this case").click()
        expect(page.locator("p.done")).to_contain_text("You follow this case")
    finally:
        context.close()


@pytest.mark.parametrize("role", ["advocate", "researcher"])
def test_list_and_case_pages_fit_a_phone_and_work_by_keyboard(
    browser: Any, served: Served, role: str
) -> None:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        sign_in(page, served.base_url, role)
        case = f"/cases/{served.world.case_id}"
        pages = ["/cases", case, f"{case}/events/{served.world.detention_id}", "/log"]
        if role == "researcher":
            pages += [f"{case}/events/new?type=DetentionRecorded", "/my-items"]
        for path in pages:
            page.goto(served.base_url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= PHONE["width"], f"{path} is {width} px wide at 390 px"
        page.goto(served.base_url + "/cases")
        expect(page.locator("details.more-filters")).not_to_have_attribute("open", "")
        first = page.locator("#results table.list tbody tr").first
        assert first.evaluate("e => getComputedStyle(e).display") == "block", "rows are cards"
        assert first.bounding_box()["y"] < PHONE["height"], "a case shows on the first screen"

        page.keyboard.press("Tab")
        skip = page.locator("a.skip-link")
        expect(skip).to_be_focused()
        assert skip.bounding_box()["y"] >= 0, "the focused skip link is on screen"
        assert skip.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
        page.keyboard.press("Enter")
        expect(page.locator("main#main")).to_be_focused()
        tabs = 0
        while not page.evaluate("document.activeElement.id === 'search'") and tabs < 5:
            page.keyboard.press("Tab")
            tabs += 1
        assert tabs <= 2, f"{tabs} tabs from the skip link to the search box"
    finally:
        context.close()

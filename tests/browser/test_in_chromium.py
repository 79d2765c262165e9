"""The web app in a real browser: signing in, searching as one types, logging an update,
approving it as someone else, and the stale-form answer; every page free of console errors
and Content-Security-Policy violations (checked by the `visit` fixture)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Served, Visitor
from tracker.projections.queries import CaseFilter, list_cases

pytestmark = pytest.mark.browser
Visit = Callable[[str], Visitor]


def case_url(served: Served, name: str) -> str:
    with served.world.services.engine.connect() as conn:
        rows = list_cases(conn, CaseFilter(search=name)).rows
    assert len(rows) == 1, rows
    return f"/cases/{rows[0]['stream_id']}"


def timeline_row(page: Any, text: str) -> Any:
    return page.locator("table.timeline tbody tr", has_text=text)


def test_signing_in_leads_to_the_case_list_with_the_account_shown(visit: Visit) -> None:
    me = visit("researcher")
    expect(me.page.locator("h1")).to_have_text("Cases")
    expect(me.page.locator(".whoami")).to_contain_text("researcher@web.test (researcher)")
    expect(me.page.locator("#results .count")).to_contain_text("cases")


def test_a_wrong_password_is_refused_on_the_form(visit: Visit, served: Served) -> None:
    me = visit("anonymous")
    me.go("/login")
    me.page.fill("#email", "researcher@web.test")
    me.page.fill("#password", "not the password at all")
    me.watch.allow(r"status of 401")  # the refused sign-in is answered 401
    me.page.click("#login-form button[type=submit]")
    expect(me.page.locator("#login-form .error")).to_be_visible()
    assert me.page.url.startswith(f"{served.base_url}/login")


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        pytest.param("Абдулгазиев", ["Tofik Abdulhaziev"], id="cyrillic"),
        pytest.param("Akhtemov", ["Asan Ahtemov", "Aziz Ahtemov"], id="another-latin-spelling"),
    ],
)
def test_the_list_finds_a_name_in_another_spelling_as_one_types(
    visit: Visit, typed: str, found: list[str]
) -> None:
    page = visit("advocate").page
    page.goto(page.url)  # the case list
    page.evaluate("window.stillTheSamePage = true")

    def fragment(response: Any) -> bool:
        request = response.request
        return "/cases?" in response.url and request.headers.get("hx-request") == "true"

    with page.expect_response(fragment) as answered:
        page.locator("#search").press_sequentially(typed, delay=40)
    assert answered.value.status == 200
    count = page.locator("#results .count")
    expect(count).to_have_text(f"{len(found)} case{'' if len(found) == 1 else 's'}")
    names = page.locator("#results table.list tbody tr td:first-child a")
    expect(names).to_have_text(found)
    assert page.evaluate("window.stillTheSamePage") is True  # swapped in, not reloaded
    expect(page).to_have_url(re.compile(r"/cases\?search="))  # the address can be shared


def test_a_researchers_update_approved_by_a_reviewer_shows_approved(
    visit: Visit, served: Served
) -> None:
    researcher = visit("researcher")
    page = researcher.page
    page.locator("#search").press_sequentially("Зиза", delay=20)  # Cyrillic, as typed
    expect(page.locator("#results .count")).to_have_text("1 case")
    page.locator("#results").get_by_role("link", name="Bohdan Ziza").click()
    url = served.base_url + case_url(served, "Ziza")
    page.wait_for_url(url)
    page.select_option("#type", "NoteAdded")
    page.get_by_role("button", name="Open the form").click()
    note = f"Seen at the hearing, browser test {uuid.uuid4().hex[:8]}"
    page.fill("#f-text", note)
    page.get_by_role("button", name="Log it").click()
    page.wait_for_url(url)
    expect(timeline_row(page, note).locator(".state")).to_have_text("pending")
    expect(timeline_row(page, note).get_by_role("button", name="Approve")).to_have_count(0)

    reviewer = visit("reviewer")
    reviewer.go(url.removeprefix(served.base_url))
    row = timeline_row(reviewer.page, note)
    row.locator("input[name=note]").fill("checked against the court record")
    row.get_by_role("button", name="Approve").click()
    reviewer.page.wait_for_url(url)
    expect(timeline_row(reviewer.page, note).locator(".state")).to_have_text("approved")

    page.reload()
    row = timeline_row(page, note)
    expect(row.locator(".state")).to_have_text("approved")
    expect(row).to_contain_text("by reviewer@web.test")
    expect(row).to_contain_text("checked against the court record")


def test_a_stale_form_gets_the_new_events_and_overwrites_nothing(
    visit: Visit, served: Served
) -> None:
    path = case_url(served, "Dovhopola")
    form = f"{path}/events/new?type=NoteAdded"
    first, second = visit("researcher"), visit("reviewer")
    first.go(form)
    second.go(form)  # both opened at the same version of the case
    mine, theirs = "First note, sent first", "Second note, from a form opened before it"

    first.page.fill("#f-text", mine)
    first.page.get_by_role("button", name="Log it").click()
    first.page.wait_for_url(served.base_url + path)

    second.watch.allow(r"status of 409")  # the answer to the stale form, by design
    second.page.fill("#f-text", theirs)
    second.page.get_by_role("button", name="Log it").click()
    conflict = second.page.locator("section.conflict")
    expect(conflict).to_contain_text("This record changed since you opened it")
    expect(conflict).to_contain_text(mine)  # the new events are shown
    expect(second.page.locator("#f-text")).to_have_value(theirs)  # what was typed is kept
    assert second.page.url == served.base_url + form  # htmx swapped the form in place

    second.go(path)
    expect(timeline_row(second.page, mine)).to_have_count(1)
    expect(timeline_row(second.page, theirs)).to_have_count(0)


@pytest.mark.parametrize(
    "path", ["/cases", "/cases/new", "/reports", "/sources", "/review", "/stats", "/log"]
)
def test_each_page_renders_without_console_errors(visit: Visit, path: str) -> None:
    me = visit("admin")
    me.go(path)
    expect(me.page.locator("main h1").first).to_be_visible()


def test_the_watch_sees_a_csp_violation_and_the_policy_blocks_inline_script(
    visit: Visit,
) -> None:
    me = visit("advocate")
    me.page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.ran = true'; document.body.appendChild(s); }"
    )
    assert me.page.evaluate("window.ran === undefined") is True
    assert any("Content Security Policy" in p for p in me.watch.problems), me.watch.problems
    me.watch.problems.clear()

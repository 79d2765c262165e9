"""axe-core reports no violation of any impact on any page, for each role's view of it, nor
in the states a page reaches by htmx (the charge search's results, the source dialog). Pages
that share a template are checked once (one update form of each shape: pickers and citations,
a single charge, a note's box; the correction form stands for the retraction form too)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.axe import require_axe, violations
from tests.browser.conftest import TIMEOUT_MS, Served, sign_in

pytestmark = pytest.mark.browser


def _pages(served: Served) -> dict[str, list[str]]:
    w = served.world
    case = f"/cases/{w.case_id}"
    from tracker.projections.queries import list_reports

    with w.services.engine.connect() as conn:
        report = list_reports(conn)[0]["stream_id"]
    reading = [
        "/cases", case,
        f"{case}?as_of=2015-01-01", f"{case}/events/{w.detention_id}", "/reports",
        f"/reports/{report}", "/sources", f"/sources/{w.public_source}", "/stats", "/log",
        "/subscriptions", "/tokens", "/exports",
    ]  # fmt: skip
    writing = [
        "/cases/new", "/reports/new", "/sources/new", f"{case}/events/new",
        f"{case}/events/new?type=DetentionRecorded", f"{case}/events/new?type=ChargeBrought",
        f"{case}/events/new?type=NoteAdded", f"{case}/events/{w.note_id}/correct",
        "/my-items", "/imports",
    ]  # fmt: skip
    return {
        "anonymous": ["/login"],
        "advocate": reading,
        "researcher": writing,
        "reviewer": ["/review"],
        "admin": ["/admin/users"],
    }


@pytest.fixture(scope="module")
def axe_context(browser: Any, served: Served) -> Iterator[Any]:
    """Makes contexts that bypass the CSP (for the injected axe script), one per role."""
    require_axe()
    made: list[Any] = []

    def open_as(role: str) -> Any:
        context = browser.new_context(bypass_csp=True)
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        page = context.new_page()
        if role != "anonymous":
            sign_in(page, served.base_url, role)
        return page

    yield open_as
    for context in made:
        context.close()


def test_no_page_has_an_accessibility_violation(axe_context: Any, served: Served) -> None:
    problems = []
    for role, paths in _pages(served).items():
        page = axe_context(role)
        for path in paths:
            response = page.goto(served.base_url + path)
            assert response is not None and response.ok, f"{path}: {response and response.status}"
            problems += [f"{role} {path}: {v}" for v in violations(page)]
    assert problems == [], "\n".join(problems)


def test_the_forms_htmx_states_have_no_accessibility_violation(
    axe_context: Any, served: Served
) -> None:
    page = axe_context("researcher")
    page.goto(f"{served.base_url}/cases/{served.world.case_id}/events/new?type=DetentionRecorded")
    page.locator("#picker-charges-0-q").press_sequentially("205.5", delay=20)
    page.locator("#picker-charges-0-found button.pick").first.wait_for()
    page.get_by_role("button", name="Register a new source for this citation").click()
    page.locator("dialog.source-dialog").wait_for()
    assert violations(page) == []

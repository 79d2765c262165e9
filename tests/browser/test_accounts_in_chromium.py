"""The whole account flow in chromium, with two factors required of admins and reviewers: the
admin enrols, invites someone, who chooses a password through the link, enrols with a code
computed here from the key the page shows, signs in with a code, is refused the same code
again, signs in with a recovery code; wrong codes lock the sign-in out. No console error and
no Content-Security-Policy violation on any page (the QR code is the server's own SVG)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pyotp
import pytest

from tests.browser.conftest import TIMEOUT_MS, Served, Watch, require_chromium, serving
from tests.web.world import EMAILS, PASSWORD
from tracker.domain.roles import Role

pytestmark = pytest.mark.browser
INVITEE = "invitee@web.test"
CHOSEN = "mulberry tractor violin 1987"
REFUSALS = r"status of 40[13]|status of 42[29]"
"""The console line chromium writes for a page answered 401, 403, 422 or 429 (a wrong code)."""


@pytest.fixture(scope="module")
def strict_served() -> Iterator[Served]:
    require_chromium()
    with serving(require_2fa=(Role.ADMIN, Role.REVIEWER)) as running:
        yield running


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    """New browser contexts, each page watched for console errors and CSP violations."""
    contexts: list[Any] = []
    watches: list[Watch] = []

    def new() -> Any:
        context = browser.new_context()
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        watch = Watch()
        watch.allow(REFUSALS)
        watches.append(watch)
        page.on("console", watch.console)
        page.on("pageerror", watch.page_error)
        return page

    yield new
    for context in contexts:
        context.close()
    for watch in watches:
        watch.assert_clean()


def _password(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#login-form button[type=submit]")


def _enrol(page: Any, base: str) -> tuple[str, list[str]]:
    """On the set-up page the gate sent us to: read the key, type the code it gives now."""
    page.wait_for_url(f"{base}/account/two-factor")
    assert page.locator("#enrol-required").is_visible()
    box = page.locator("figure.qr-code svg").bounding_box()
    assert box is not None and box["width"] > 100, "the QR code is drawn"
    secret = page.locator("#totp-secret").get_attribute("data-secret")
    page.fill("#enrol-code", pyotp.TOTP(secret).now())
    page.click("#enrol-form button[type=submit]")
    page.wait_for_selector("#recovery-codes")
    codes = [c.strip() for c in page.locator("#recovery-codes code").all_inner_texts()]
    assert len(codes) == 10
    return secret, codes


def _code(page: Any, code: str) -> None:
    page.wait_for_url("**/login/code**")
    page.fill("#code", code)
    page.click("#code-form button[type=submit]")


def test_invite_enrol_and_sign_in_with_codes(strict_served: Served, open_page: Any) -> None:
    base = strict_served.base_url
    admin = open_page()
    _password(admin, base, EMAILS["admin"], PASSWORD)
    _enrol(admin, base)
    admin.goto(f"{base}/admin/users")
    admin.fill("#invite-email", INVITEE)
    admin.select_option("#invite-role", "reviewer")
    admin.click("#invite-form button[type=submit]")
    link = admin.locator("#link-url").inner_text()
    assert link.startswith(f"{base}/invite/")

    invitee = open_page()
    invitee.goto(link)
    invitee.fill("#new-password", "password1234")
    invitee.fill("#again", "password1234")
    invitee.click("#link-form button[type=submit]")
    assert "common password" in invitee.locator("#password-error").inner_text()
    invitee.fill("#new-password", CHOSEN)
    invitee.fill("#again", CHOSEN)
    invitee.click("#link-form button[type=submit]")
    invitee.wait_for_selector("#link-done")
    _password(invitee, base, INVITEE, CHOSEN)
    secret, codes = _enrol(invitee, base)
    invitee.goto(f"{base}/review")
    assert invitee.url == f"{base}/review", "enrolled: the reviewer gets in"
    invitee.click("header .whoami button[type=submit]")
    invitee.wait_for_url(f"{base}/login")

    later = open_page()
    code = pyotp.TOTP(secret).at(time.time() + 30)
    _password(later, base, INVITEE, CHOSEN)
    _code(later, code)
    later.wait_for_url(f"{base}/cases")

    replay = open_page()
    _password(replay, base, INVITEE, CHOSEN)
    _code(replay, code)
    assert "used already" in replay.locator("#code-error").inner_text()
    replay.click("details.recovery summary")
    replay.fill("#recovery-code", codes[0])
    replay.click("#recovery-form button[type=submit]")
    replay.wait_for_url(f"{base}/cases")
    replay.goto(f"{base}/account")
    assert "9" in replay.locator("#two-factor-state strong").inner_text()

    audit = admin
    audit.goto(f"{base}/admin/audit")
    text = audit.locator("#audit").inner_text()
    for action in ("invited", "invitation accepted", "two-factor sign-in set up",
                   "recovery code used"):  # fmt: skip
        assert action in text, action


def test_wrong_codes_lock_the_sign_in_out(strict_served: Served, open_page: Any) -> None:
    base = strict_served.base_url
    reviewer = open_page()
    _password(reviewer, base, EMAILS["reviewer"], PASSWORD)
    secret, _ = _enrol(reviewer, base)
    right = pyotp.TOTP(secret).at(time.time() + 30)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    thief = open_page()
    _password(thief, base, EMAILS["reviewer"], PASSWORD)
    for _ in range(5):
        _code(thief, wrong)
        thief.wait_for_selector("#code-error")
    assert "Too many failed attempts" in thief.locator("#code-error").inner_text()
    _code(thief, right)
    assert "Too many failed attempts" in thief.locator("#code-error").inner_text()

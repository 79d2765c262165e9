"""Accounts in the browser: invitations and reset links (one-time, shown, mailed with SMTP),
deactivation, roles, signing out everywhere, one's own sessions and password, and the audit
page that records every change with who, when and from where."""

from __future__ import annotations

import email
import re
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient

from tests.web.accounts_support import LINK_ON_PAGE, password_step, strict
from tests.web.world import EMAILS, PASSWORD, World, csrf_of, page_token, sign_in
from tracker.accounts import audit
from tracker.accounts.api_tokens import issue_token
from tracker.accounts.own_sessions import live_sessions_of
from tracker.accounts.users import find_user

NEW_PASSWORD = "mulberry tractor violin 1987"


def _invite(admin: TestClient, address: str, role: str = "researcher") -> Any:
    token = csrf_of(admin.get("/admin/users").text)
    return admin.post("/admin/users/invite", data={"csrf_token": token, "email": address,
                                                   "role": role})  # fmt: skip


def _choose(client: TestClient, path: str, password: str, again: str | None = None) -> Any:
    page = client.get(path)
    assert page.status_code == 200, page.text[:300]
    data = {"csrf_token": csrf_of(page.text), "password": password, "again": again or password}
    return client.post(path, data=data)


def _state(admin: TestClient, user_id: str) -> str:
    """The State cell of an account's row on the accounts page."""
    page = admin.get("/admin/users").text
    row = page[page.index(f'id="account-{user_id}"') :]
    return re.findall(r"<td>([^<]*)</td>", row)[1]


def test_an_invitation_link_works_once_and_is_audited(sqlite_world: World) -> None:
    admin = sign_in(sqlite_world.app, "admin")
    shown = _invite(admin, "New.Person@ngo.example", "reviewer")
    assert shown.status_code == 200 and "TRACKER_SMTP_URL</code> is not set" in shown.text
    found = LINK_ON_PAGE.search(shown.text)
    assert found, "the link is shown to the admin"
    path = found.group(1)
    uid = find_user(sqlite_world.services.engine, "new.person@ngo.example").id  # type: ignore[union-attr]
    assert _state(admin, uid) == "invited"
    person = TestClient(sqlite_world.app)
    short = _choose(person, path, "short")
    assert short.status_code == 422 and "at least 12 characters" in short.text
    common = _choose(person, path, "Password1234")
    assert common.status_code == 422 and "common password" in common.text
    differ = _choose(person, path, NEW_PASSWORD, NEW_PASSWORD + "!")
    assert differ.status_code == 422 and "not the same" in differ.text
    done = _choose(person, path, NEW_PASSWORD)
    assert done.status_code == 200 and 'id="link-done"' in done.text
    assert person.get(path).status_code == 404, "used up"
    assert _state(admin, uid) == "active"
    assert TestClient(sqlite_world.app).get(path[:-1] + "0").status_code == 404
    assert password_step(sqlite_world.app, "new.person@ngo.example", NEW_PASSWORD)
    entries = audit.latest(sqlite_world.services.engine)
    accepted, invited = entries[0], entries[1]
    assert (accepted.action, accepted.actor, accepted.ip) == (
        "invite_accepted", "new.person@ngo.example", "testclient")  # fmt: skip
    assert (invited.action, invited.actor, invited.target, invited.detail) == (
        "invited", EMAILS["admin"], "new.person@ngo.example", "reviewer")  # fmt: skip
    page = admin.get("/admin/audit").text
    assert "invitation accepted" in page and "new.person@ngo.example" in page


def test_hostile_invitations_are_refused_naming_the_field(sqlite_world: World) -> None:
    admin = sign_in(sqlite_world.app, "admin")
    for address, role, field in (
        ("not an email", "researcher", "email"),
        ("x@y.org", "king", "role"),
        (EMAILS["advocate"], "advocate", "email"),
    ):
        answer = _invite(admin, address, role)
        assert answer.status_code in (409, 422), (address, answer.status_code)
        if answer.status_code == 422:
            assert f'id="{field}-error"' in answer.text, address
    odd = _invite(admin, "<script>@x.org")
    assert odd.status_code == 200, "an odd but well-formed address is kept as it is"
    assert "<script>@" not in odd.text and "&lt;script&gt;@x.org" in odd.text


@pytest.fixture
def inbox() -> Iterator[tuple[str, list[EmailMessage]]]:
    """An SMTP server on 127.0.0.1 keeping what it is sent."""
    import socket

    messages: list[EmailMessage] = []

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            parsed = email.message_from_bytes(envelope.original_content, policy=default)
            messages.append(parsed)  # type: ignore[arg-type]
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", messages
    finally:
        controller.stop()


def test_with_smtp_the_link_is_mailed_as_well(
    sqlite_world: World, inbox: tuple[str, list[EmailMessage]]
) -> None:
    url, messages = inbox
    world = strict(sqlite_world, smtp_url=url)
    from tests.web.accounts_support import enrol

    admin = password_step(world.app, EMAILS["admin"])
    enrol(admin)
    shown = _invite(admin, "mailed@ngo.example", "admin")
    link = LINK_ON_PAGE.search(shown.text)
    assert link and "It was also mailed" in shown.text
    (message,) = messages
    assert message["To"] == "mailed@ngo.example"
    body = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert link.group(1) in body and "authenticator app" in body
    assert audit.latest(world.services.engine)[0].action == "invite_mailed"


def test_deactivation_ends_sessions_and_tokens_and_reactivation_lets_back_in(
    sqlite_world: World,
) -> None:
    app, engine = sqlite_world.app, sqlite_world.services.engine
    admin = sign_in(app, "admin")
    victim = sign_in(app, "researcher")
    uid = sqlite_world.user_ids["researcher"]
    token = issue_token(engine, uid, "tool")
    bearer = {"Authorization": f"Bearer {token}"}
    assert TestClient(app).get("/api/cases", headers=bearer).status_code == 200
    answer = admin.post(f"/admin/users/{uid}/deactivate", data={"csrf_token": page_token(admin)})
    assert answer.status_code == 200 or answer.status_code == 303
    assert victim.get("/cases", follow_redirects=False).status_code == 303
    assert TestClient(app).get("/api/cases", headers=bearer).status_code == 401
    again = admin.post(f"/admin/users/{uid}/deactivate", data={"csrf_token": page_token(admin)})
    assert again.status_code == 409
    admin.post(f"/admin/users/{uid}/reactivate", data={"csrf_token": page_token(admin)})
    assert sign_in(app, "researcher").get("/cases").status_code == 200
    own = admin.post(
        f"/admin/users/{sqlite_world.user_ids['admin']}/deactivate",
        data={"csrf_token": page_token(admin)},
    )
    assert own.status_code == 409 and "another admin" in own.text
    actions = [e.action for e in audit.latest(engine, limit=3)]
    assert actions == ["reactivated", "deactivated", "user_added"] or actions[:2] == [
        "reactivated",
        "deactivated",
    ]


def test_role_changes_and_signing_out_everywhere(sqlite_world: World) -> None:
    app, engine = sqlite_world.app, sqlite_world.services.engine
    admin = sign_in(app, "admin")
    uid = sqlite_world.user_ids["advocate"]
    advocate = sign_in(app, "advocate")
    assert advocate.get("/review").status_code == 403
    token = page_token(admin)
    bad = admin.post(f"/admin/users/{uid}/role", data={"csrf_token": token, "role": "king"})
    assert bad.status_code == 422 and "not a role" in bad.text
    admin.post(f"/admin/users/{uid}/role", data={"csrf_token": token, "role": "reviewer"})
    assert advocate.get("/review").status_code == 200, "the new role applies at once"
    entry = audit.latest(engine)[0]
    assert (entry.action, entry.detail) == ("role_changed", "advocate → reviewer")
    own = admin.post(
        f"/admin/users/{sqlite_world.user_ids['admin']}/role",
        data={"csrf_token": token, "role": "advocate"},
    )
    assert own.status_code == 409
    own_reset = admin.post(
        f"/admin/users/{sqlite_world.user_ids['admin']}/reset-two-factor",
        data={"csrf_token": token},
    )
    assert own_reset.status_code == 409 and "another admin" in own_reset.text
    admin.post(f"/admin/users/{uid}/revoke", data={"csrf_token": token})
    assert advocate.get("/cases", follow_redirects=False).status_code == 303
    assert audit.latest(engine)[0].action == "signed_out_everywhere"


def test_a_reset_link_sets_a_new_password_and_ends_every_session(sqlite_world: World) -> None:
    app, engine = sqlite_world.app, sqlite_world.services.engine
    admin = sign_in(app, "admin")
    uid = sqlite_world.user_ids["reviewer"]
    reviewer = sign_in(app, "reviewer")
    first = admin.post(f"/admin/users/{uid}/reset-password", data={"csrf_token": page_token(admin)})
    second = admin.post(
        f"/admin/users/{uid}/reset-password", data={"csrf_token": page_token(admin)}
    )
    old = LINK_ON_PAGE.search(first.text).group(1)  # type: ignore[union-attr]
    new = LINK_ON_PAGE.search(second.text).group(1)  # type: ignore[union-attr]
    assert old.startswith("/reset/") and TestClient(app).get(old).status_code == 404, "replaced"
    assert TestClient(app).get(new.replace("/reset/", "/invite/")).status_code == 404
    done = _choose(TestClient(app), new, NEW_PASSWORD)
    assert done.status_code == 200
    assert reviewer.get("/cases", follow_redirects=False).status_code == 303
    user = find_user(engine, EMAILS["reviewer"])
    assert user is not None
    assert password_step(app, EMAILS["reviewer"], NEW_PASSWORD)
    assert [e.action for e in audit.latest(engine, limit=2)] == [
        "password_reset",
        "reset_link_made",
    ]


def test_ones_own_sessions_are_listed_and_can_be_signed_out(sqlite_world: World) -> None:
    app = sqlite_world.app
    here = TestClient(app, headers={"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/131.0"})
    token = csrf_of(here.get("/login").text)
    here.post("/login", data={"email": EMAILS["researcher"], "password": PASSWORD,
                              "csrf_token": token})  # fmt: skip
    phone = sign_in(app, "researcher")
    laptop = sign_in(app, "researcher")
    page = here.get("/account").text
    assert "Firefox 131 on Linux" in page and "(this one)" in page and "testclient" in page
    phone_id = next(
        s.id
        for s in live_sessions_of(
            sqlite_world.services.engine, sqlite_world.user_ids["researcher"], ""
        )
        if s.user_agent == "testclient"
    )
    ended = here.post(f"/account/sessions/{phone_id}/end", data={"csrf_token": page_token(here)})
    assert ended.status_code == 200
    alive = [c.get("/cases", follow_redirects=False).status_code for c in (phone, laptop)]
    assert sorted(alive) == [200, 303], "exactly one of the two was signed out"
    nope = here.post("/account/sessions/nope/end", data={"csrf_token": page_token(here)})
    assert nope.status_code == 404
    other = sign_in(app, "advocate")
    theirs = next(
        s.id
        for s in live_sessions_of(
            sqlite_world.services.engine, sqlite_world.user_ids["advocate"], ""
        )
    )
    foreign = here.post(f"/account/sessions/{theirs}/end", data={"csrf_token": page_token(here)})
    assert foreign.status_code == 404 and other.get("/cases").status_code == 200
    here.post("/account/sessions/end-others", data={"csrf_token": page_token(here)})
    assert [c.get("/cases", follow_redirects=False).status_code for c in (phone, laptop)] == [
        303,
        303,
    ]
    assert here.get("/cases").status_code == 200


def test_a_password_change_ends_every_other_session(sqlite_world: World) -> None:
    app, engine = sqlite_world.app, sqlite_world.services.engine
    here, elsewhere = sign_in(app, "advocate"), sign_in(app, "advocate")
    token = page_token(here)

    def change(current: str, new: str, again: str | None = None) -> Any:
        data = {"csrf_token": token, "current": current, "password": new, "again": again or new}
        return here.post("/account/password", data=data)

    wrong = change("not mine at all", NEW_PASSWORD)
    assert wrong.status_code == 422 and 'id="current-error"' in wrong.text
    common = change(PASSWORD, "qwertyuiop123")
    assert common.status_code == 422 and 'id="password-error"' in common.text
    email_like = change(PASSWORD, EMAILS["advocate"])
    assert email_like.status_code == 422
    assert elsewhere.get("/cases").status_code == 200, "nothing changed yet"
    done = change(PASSWORD, NEW_PASSWORD)
    assert done.status_code == 200 and 'id="password-done"' in done.text
    assert here.get("/cases").status_code == 200
    assert elsewhere.get("/cases", follow_redirects=False).status_code == 303
    assert password_step(app, EMAILS["advocate"], NEW_PASSWORD)
    entry = audit.latest(engine)[0]
    assert (entry.action, entry.actor, entry.detail) == (
        "password_changed", EMAILS["advocate"], "1 other session(s) ended")  # fmt: skip


def test_concurrent_invites_of_one_email_make_one_account(sqlite_world: World) -> None:
    admin = sign_in(sqlite_world.app, "admin")
    results: list[int] = []

    def go() -> None:
        results.append(_invite(admin, "race@ngo.example").status_code)

    threads = [threading.Thread(target=go) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 409, 409]


def test_hostile_addresses_and_forms_get_a_4xx_never_a_500(sqlite_world: World) -> None:
    admin = sign_in(sqlite_world.app, "admin")
    assert admin.get("/admin/audit?before=99999999999").status_code == 422
    assert admin.get("/admin/audit?before=abc").status_code == 422
    assert admin.get("/admin/audit?before=-1").status_code == 422
    token = page_token(admin)
    uid = sqlite_world.user_ids["advocate"]
    padded = admin.post(
        f"/admin/users/{uid}/role",
        data={"csrf_token": token, "role": "researcher" + " " * 15 + "x"},
    )
    assert padded.status_code == 422, "never cut down to a role it did not name"
    long_email = admin.post(
        "/admin/users/invite", data={"csrf_token": token, "email": "a" * 250 + "@ngo.example",
                                     "role": "advocate"},
    )  # fmt: skip
    assert long_email.status_code == 422 and 'id="email-error"' in long_email.text
    person = TestClient(sqlite_world.app)
    assert person.get("/invite/" + "x" * 5000).status_code == 404
    assert person.get("/reset/a.b.c").status_code == 404
    client = sign_in(sqlite_world.app, "researcher")
    page = client.get("/account/two-factor").text
    form = {"csrf_token": csrf_of(page), "secret": "A" * 5000, "issued": "9" * 40,
            "sealed": "x", "code": "1" * 500}  # fmt: skip
    assert client.post("/account/two-factor", data=form).status_code == 422

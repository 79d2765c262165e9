"""Two-factor sign-in through the pages: the roles that must enrol can do nothing else first,
enrolment with a code computed here, sign-in with a code (never the same one twice) or a
recovery code (each once), lock-out after wrong codes, and API tokens only after enrolment."""

from __future__ import annotations

import re

import pyotp
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.web.accounts_support import code_step, enrol, next_code, password_step, strict
from tests.web.world import EMAILS, PASSWORD, World, csrf_of, page_token
from tracker.accounts import audit, login_throttle
from tracker.accounts.totp import TotpCredential, is_enrolled


def test_a_role_that_must_enrol_can_do_nothing_else_first(sqlite_world: World) -> None:
    world = strict(sqlite_world)
    client = password_step(world.app, EMAILS["reviewer"])
    for path in ("/cases", "/review", "/account", "/tokens", "/admin/users", "/api/cases"):
        answer = client.get(path, follow_redirects=False)
        if path.startswith("/api/"):
            assert answer.status_code == 403, path
            assert "two factors" in answer.json()["detail"]
        else:
            assert answer.status_code == 303, path
            assert answer.headers["location"] == "/account/two-factor", path
    htmx = client.get("/cases", headers={"HX-Request": "true"}, follow_redirects=False)
    assert htmx.status_code == 403 and htmx.headers["hx-redirect"] == "/account/two-factor"
    token = csrf_of(client.get("/account/two-factor").text)
    made = client.post("/tokens", data={"csrf_token": token, "name": "x"})
    assert made.status_code == 403 and "trk_" not in made.text
    api = client.post("/api/tokens", json={"name": "x"}, headers={"X-CSRF-Token": token})
    assert api.status_code == 403
    page = client.get("/account/two-factor")
    assert page.status_code == 200 and 'id="enrol-required"' in page.text
    assert "<svg" in page.text and not re.search(r"<style|\sstyle=", page.text)
    assert re.findall(r"<script(?![^>]*\bsrc=)", page.text) == [], "no inline script"
    researcher = password_step(world.app, EMAILS["researcher"])
    assert researcher.get("/cases").status_code == 200, "researchers need not enrol"


def test_enrolment_then_sign_in_with_a_code_never_the_same_twice(sqlite_world: World) -> None:
    world = strict(sqlite_world)
    engine = world.services.engine
    first = password_step(world.app, EMAILS["admin"])
    other = password_step(world.app, EMAILS["admin"])
    secret, codes = enrol(first)
    assert is_enrolled(engine, world.user_ids["admin"])
    assert first.get("/cases").status_code == 200, "the enrolling session goes on"
    assert other.get("/cases", follow_redirects=False).status_code == 303, "others end"
    made = first.post("/tokens", data={"csrf_token": page_token(first), "name": "sync"})
    assert made.status_code == 200 and "trk_" in made.text, "tokens after enrolment"

    signing = password_step(world.app, EMAILS["admin"])
    assert signing.get("/cases", follow_redirects=False).headers["location"].startswith("/login")
    wrong = code_step(signing, code="000000" if next_code(secret) != "000000" else "111111")
    assert wrong.status_code == 401  # type: ignore[attr-defined]
    code = next_code(secret)
    answer = code_step(signing, code=code)
    assert answer.status_code == 303 and answer.headers["location"] == "/cases"  # type: ignore[attr-defined]
    assert signing.get("/cases").status_code == 200
    assert "tracker_2fa" not in signing.cookies

    replay = password_step(world.app, EMAILS["admin"])
    again = code_step(replay, code=code)
    assert again.status_code == 401, "a code used once is refused"  # type: ignore[attr-defined]
    assert replay.get("/cases", follow_redirects=False).status_code == 303

    rescue = code_step(replay, recovery=codes[0].upper().replace("-", " "))
    assert rescue.status_code == 303  # type: ignore[attr-defined]
    assert replay.get("/account").status_code == 200
    assert "<strong>9</strong> unused recovery code" in replay.get("/account").text
    reuse = password_step(world.app, EMAILS["admin"])
    assert code_step(reuse, recovery=codes[0]).status_code == 401  # type: ignore[attr-defined]
    actions = [e.action for e in audit.latest(engine)]
    assert {"two_factor_enrolled", "recovery_code_used"} <= set(actions)


def test_wrong_codes_lock_the_sign_in_out(sqlite_world: World) -> None:
    world = strict(sqlite_world)
    engine = world.services.engine
    secret, _ = enrol(password_step(world.app, EMAILS["reviewer"]))
    client = password_step(world.app, EMAILS["reviewer"])
    right = next_code(secret)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    statuses = [code_step(client, code=wrong).status_code for _ in range(5)]  # type: ignore[attr-defined]
    assert statuses == [401, 401, 401, 401, 429]
    locked = code_step(client, code=right)
    assert locked.status_code == 429, "locked: even the right code waits"  # type: ignore[attr-defined]
    assert client.get("/cases", follow_redirects=False).status_code == 303
    token = csrf_of(TestClient(world.app).get("/login").text)
    login = TestClient(world.app).post(
        "/login", data={"email": EMAILS["reviewer"], "password": PASSWORD, "csrf_token": token}
    )
    assert login.status_code in (403, 429), "the password form is locked out too"
    assert login_throttle.locked_until(engine, EMAILS["reviewer"], "testclient") is not None
    assert "locked_out" in [e.action for e in audit.latest(engine)]


def test_the_code_page_needs_a_right_password_first(sqlite_world: World) -> None:
    world = strict(sqlite_world)
    client = TestClient(world.app)
    assert client.get("/login/code", follow_redirects=False).headers["location"] == "/login"
    token = csrf_of(client.get("/login").text)
    posted = client.post("/login/code", data={"csrf_token": token, "code": "123456"},
                         follow_redirects=False)  # fmt: skip
    assert posted.status_code == 303 and posted.headers["location"] == "/login"
    client.cookies.set("tracker_2fa", f"{world.user_ids['admin']}|9999999999|aa.forged")
    assert client.get("/login/code", follow_redirects=False).status_code == 303


def test_hostile_codes_get_a_clear_answer(sqlite_world: World) -> None:
    world = strict(sqlite_world)
    enrol(password_step(world.app, EMAILS["admin"]))
    client = password_step(world.app, EMAILS["admin"])
    for code in ("12345", "abcdef", "1234567", "１２３４５６", "' OR 1=1 --"):
        answer = code_step(client, code=code)
        assert answer.status_code in (401, 429), code  # type: ignore[attr-defined]
    token = csrf_of(client.get("/login/code").text)
    long = client.post("/login/code", data={"csrf_token": token, "code": "1" * 50})
    assert long.status_code == 422 and "code" in long.text


def test_re_enrolling_needs_the_password_and_replaces_the_app(sqlite_world: World) -> None:
    world = strict(sqlite_world)
    engine = world.services.engine
    client = password_step(world.app, EMAILS["admin"])
    first, _ = enrol(client)
    page = client.get("/account/two-factor").text
    form = {n: re.search(rf'name="{n}" value="([^"]*)"', page).group(1)  # type: ignore[union-attr]
            for n in ("csrf_token", "secret", "issued", "sealed")}  # fmt: skip
    form["code"] = pyotp.TOTP(form["secret"]).now()
    refused = client.post("/account/two-factor", data={**form, "current": "not it"})
    assert refused.status_code == 422 and "not your current password" in refused.text
    done = client.post("/account/two-factor", data={**form, "current": PASSWORD})
    assert done.status_code == 200
    with Session(engine) as session:
        credential = session.get(TotpCredential, world.user_ids["admin"])
        assert credential is not None and credential.secret == form["secret"] != first
    tampered = {**form, "secret": first, "current": PASSWORD}
    stale = client.post("/account/two-factor", data=tampered)
    assert stale.status_code == 422 and "expired" in stale.text


def test_new_recovery_codes_replace_the_old_ones(sqlite_world: World) -> None:
    world = strict(sqlite_world)
    client = password_step(world.app, EMAILS["admin"])
    _, old = enrol(client)
    token = page_token(client)
    wrong = client.post("/account/recovery-codes", data={"csrf_token": token, "current": "x"})
    assert wrong.status_code == 422
    fresh = client.post("/account/recovery-codes", data={"csrf_token": token, "current": PASSWORD})
    assert fresh.status_code == 200 and old[0] not in fresh.text
    someone = password_step(world.app, EMAILS["admin"])
    assert code_step(someone, recovery=old[1]).status_code == 401  # type: ignore[attr-defined]


def test_an_admin_reset_signs_out_and_asks_for_a_new_enrolment(sqlite_world: World) -> None:
    world = strict(sqlite_world)
    engine = world.services.engine
    reviewer = password_step(world.app, EMAILS["reviewer"])
    enrol(reviewer)
    assert reviewer.get("/review").status_code == 200
    assert reviewer.get("/review").status_code == 200, "again (the gate remembers the session)"
    admin = password_step(world.app, EMAILS["admin"])
    enrol(admin)
    uid = world.user_ids["reviewer"]
    done = admin.post(
        f"/admin/users/{uid}/reset-two-factor", data={"csrf_token": page_token(admin)}
    )
    assert done.status_code == 200
    assert not is_enrolled(engine, uid)
    assert reviewer.get("/review", follow_redirects=False).headers["location"].startswith("/login")
    again = password_step(world.app, EMAILS["reviewer"])
    assert again.get("/review", follow_redirects=False).headers["location"] == "/account/two-factor"
    entry = audit.latest(engine)[0]
    assert (entry.action, entry.actor, entry.target) == (
        "two_factor_reset", EMAILS["admin"], EMAILS["reviewer"])  # fmt: skip


def test_the_whole_flow_on_each_database(fresh: World) -> None:
    """Invite, choose a password, enrol, sign in with a code, a replay refused."""
    from tests.web.accounts_support import LINK_ON_PAGE

    world = strict(fresh)
    admin = password_step(world.app, EMAILS["admin"])
    enrol(admin)
    token = page_token(admin)
    shown = admin.post("/admin/users/invite", data={"csrf_token": token,
                       "email": "flow@ngo.example", "role": "reviewer"})  # fmt: skip
    link = LINK_ON_PAGE.search(shown.text)
    assert link, shown.text[:300]
    person = TestClient(world.app)
    form = person.get(link.group(1))
    chosen = "mulberry tractor violin 1987"
    data = {"csrf_token": csrf_of(form.text), "password": chosen, "again": chosen}
    assert person.post(link.group(1), data=data).status_code == 200
    secret, _ = enrol(password_step(world.app, "flow@ngo.example", chosen))
    code = next_code(secret)
    signing = password_step(world.app, "flow@ngo.example", chosen)
    assert code_step(signing, code=code).status_code == 303  # type: ignore[attr-defined]
    assert signing.get("/review").status_code == 200
    replay = password_step(world.app, "flow@ngo.example", chosen)
    assert code_step(replay, code=code).status_code == 401  # type: ignore[attr-defined]
    actions = [e.action for e in audit.latest(world.services.engine, limit=4)]
    assert actions[:3] == ["two_factor_enrolled", "invite_accepted", "invited"]

"""Helpers for the account tests: a world whose admins and reviewers must use two factors,
and the steps a person takes (accept a link, sign in with a code, set up an authenticator)."""

from __future__ import annotations

import re
import time
from dataclasses import replace

import pyotp
from fastapi.testclient import TestClient

from tests.web.world import EMAILS, PASSWORD, World, csrf_of, settings_for
from tracker.domain.roles import Role
from web.app import create_app

STRICT = (Role.ADMIN, Role.REVIEWER)
SECRET_ON_PAGE = re.compile(r'name="secret" value="([A-Z2-7]{32})"')
LINK_ON_PAGE = re.compile(r'<code id="link-url">https?://[^/]+(/(?:invite|reset)/[^<]+)</code>')
CODES_ON_PAGE = re.compile(r"<li><code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code>")


def strict(world: World, **extra: object) -> World:
    """The same world with two factors required of admins and reviewers."""
    url = world.services.settings.database_url
    settings = settings_for(url, require_2fa=STRICT, **extra)
    world.services.settings = settings
    return replace(world, app=create_app(world.services, settings))


def password_step(app: object, email: str, password: str = PASSWORD) -> TestClient:
    """A client that posted the right password (and may now be asked for a code)."""
    client = TestClient(app)  # type: ignore[arg-type]
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def code_step(client: TestClient, *, code: str = "", recovery: str = "") -> object:
    """Post a code (or a recovery code) on the code page."""
    page = client.get("/login/code")
    assert page.status_code == 200, page.status_code
    data = {"csrf_token": csrf_of(page.text), "code": code, "recovery_code": recovery}
    return client.post("/login/code", data=data, follow_redirects=False)


def next_code(secret: str) -> str:
    """The code of the next 30-second step (accepted: one step of drift either side), so a
    test never reuses the step a previous one used."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def enrol(client: TestClient, *, password: str | None = None) -> tuple[str, list[str]]:
    """Set up an authenticator as a person would (the code computed here from the key the
    page shows); returns the secret and the recovery codes shown once."""
    page = client.get("/account/two-factor")
    assert page.status_code == 200
    secret = SECRET_ON_PAGE.search(page.text)
    assert secret, "no key on the set-up page"
    form = {
        name: re.search(rf'name="{name}" value="([^"]*)"', page.text).group(1)  # type: ignore[union-attr]
        for name in ("csrf_token", "secret", "issued", "sealed")
    }
    form["code"] = pyotp.TOTP(secret.group(1)).now()
    if password is not None:
        form["current"] = password
    done = client.post("/account/two-factor", data=form)
    assert done.status_code == 200, done.text[:500]
    codes = CODES_ON_PAGE.findall(done.text)
    assert len(codes) == 10
    return secret.group(1), codes


def sign_in_strict(world: World, role: str) -> TestClient:
    """Sign in with the password (for a role the world does not make enrol)."""
    return password_step(world.app, EMAILS[role])


__all__ = [
    "CODES_ON_PAGE",
    "LINK_ON_PAGE",
    "STRICT",
    "code_step",
    "enrol",
    "next_code",
    "password_step",
    "strict",
]

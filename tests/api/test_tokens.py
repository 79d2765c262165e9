"""Managing API tokens: through the API (own tokens only; a token cannot make tokens), on the
/tokens page (made and shown once, revoked, CSRF needed), and with `tracker token`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.api.conftest import ApiWorld
from tests.web.world import SECRET, csrf_of, page_token
from tracker.accounts.sessions import token_hash
from tracker.bootstrap import bootstrap
from tracker.cli.main import app as cli
from tracker.settings import Settings
from web.app import create_app

TOMORROW = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()


def test_a_signed_in_browser_makes_a_token_that_then_works_until_revoked(
    api: ApiWorld, cookie_clients: dict[str, TestClient]
) -> None:
    browser = cookie_clients["advocate"]
    made = browser.post(
        "/api/tokens",
        json={"name": "spreadsheet sync", "expires": TOMORROW},
        headers={"X-CSRF-Token": page_token(browser)},
    )
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["token"].startswith("trk_") and body["live"] is True
    assert body["expires_at"].startswith(TOMORROW)
    tool = TestClient(api.app, headers={"Authorization": f"Bearer {body['token']}"})
    assert tool.get("/api/cases").status_code == 200
    listed = tool.get("/api/tokens").json()
    assert body["id"] in {t["id"] for t in listed}
    assert all("token" not in t for t in listed)
    revoked = tool.delete(f"/api/tokens/{body['id']}")
    assert revoked.status_code == 200 and revoked.json()["live"] is False
    assert tool.get("/api/cases").status_code == 401


def test_a_token_cannot_make_tokens(api: ApiWorld) -> None:
    refused = api.client("admin").post("/api/tokens", json={"name": "successor"})
    assert refused.status_code == 403
    assert "cannot create tokens" in refused.json()["detail"]


def test_nobody_revokes_anothers_token(api: ApiWorld) -> None:
    theirs = api.client("researcher").get("/api/tokens").json()
    live = [t["id"] for t in theirs if t["live"]]
    assert live
    assert api.client("advocate").delete(f"/api/tokens/{live[0]}").status_code == 404
    assert api.client("researcher").get("/api/cases").status_code == 200


def test_bad_token_requests_name_the_field(
    api: ApiWorld, cookie_clients: dict[str, TestClient]
) -> None:
    browser = cookie_clients["researcher"]
    headers = {"X-CSRF-Token": page_token(browser)}
    for body, field in [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 101}, "name"),
        ({"name": "t", "expires": "2020-01-01"}, "expires"),
        ({"name": "t", "expires": "soon"}, "expires"),
        ({"name": "t", "scope": "all"}, "scope"),
    ]:
        response = browser.post("/api/tokens", json=body, headers=headers)
        assert response.status_code == 422, body
        assert [e["field"] for e in response.json()["errors"]] == [field], body


def test_the_tokens_page_makes_shows_once_and_revokes(
    api: ApiWorld, cookie_clients: dict[str, TestClient]
) -> None:
    browser = cookie_clients["reviewer"]
    page = browser.get("/tokens")
    assert page.status_code == 200 and 'href="/tokens"' in page.text
    made = browser.post(
        "/tokens", data={"name": "<b>my tool</b>", "csrf_token": csrf_of(page.text)}
    )
    assert made.status_code == 200
    token = re.search(r"<code>(trk_[A-Za-z0-9_-]+)</code>", made.text)
    assert token is not None
    assert "&lt;b&gt;my tool&lt;/b&gt;" in made.text and "<b>my tool</b>" not in made.text
    again = browser.get("/tokens")
    assert token.group(1) not in again.text
    tool = TestClient(api.app, headers={"Authorization": f"Bearer {token.group(1)}"})
    assert tool.get("/api/review").status_code == 200
    token_id = token_hash(token.group(1))
    assert f'action="/tokens/{token_id}/revoke"' in again.text
    revoked = browser.post(
        f"/tokens/{token_id}/revoke", data={"csrf_token": csrf_of(again.text)},
        follow_redirects=False,
    )  # fmt: skip
    assert revoked.status_code == 303
    assert tool.get("/api/review").status_code == 401
    assert f'action="/tokens/{token_id}/revoke"' not in browser.get("/tokens").text
    assert api.client("reviewer").get("/api/review").status_code == 200


def test_the_tokens_page_refuses_bad_input_and_missing_csrf(
    api: ApiWorld, cookie_clients: dict[str, TestClient]
) -> None:
    browser = cookie_clients["advocate"]
    token = page_token(browser)
    bad = browser.post("/tokens", data={"name": "", "expires": "2020-01-01", "csrf_token": token})
    assert bad.status_code == 422
    assert "give the token a name" in bad.text and "not after today" in bad.text
    assert browser.post("/tokens", data={"name": "no csrf"}).status_code == 403
    others = api.client("researcher").get("/api/tokens").json()[0]["id"]
    stranger = browser.post(f"/tokens/{others}/revoke", data={"csrf_token": token})
    assert stranger.status_code == 404
    signed_out = TestClient(api.app).get("/tokens", follow_redirects=False)
    assert signed_out.status_code == 303


def test_the_tokens_page_answers_htmx_with_a_fragment(
    cookie_clients: dict[str, TestClient],
) -> None:
    browser = cookie_clients["advocate"]
    whole = browser.get("/tokens", headers={"HX-Request": "false"})
    fragment = browser.get("/tokens", headers={"HX-Request": "true"})
    assert whole.text.startswith("<!doctype html>") and "Your API tokens" in whole.text
    assert "<!doctype html>" not in fragment.text and "Your API tokens" in fragment.text
    assert "HX-Request" in fragment.headers["vary"]


runner = CliRunner()


def _tracker(url: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(cli, list(args), env={"TRACKER_DATABASE_URL": url})
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def served(database_url: str) -> Iterator[tuple[str, TestClient]]:
    """A migrated database with one account, and the web app over it."""
    assert _tracker(database_url, "user", "add", "tool@web.test", "--role", "advocate")[0] == 0
    services = bootstrap(Settings(database_url=database_url, secret_key=SECRET))
    yield database_url, TestClient(create_app(services))
    services.close()


def test_the_cli_adds_lists_and_revokes_tokens(served: tuple[str, TestClient]) -> None:
    url, client = served
    code, out, err = _tracker(
        url, "token", "add", "tool@web.test", "--name", "sync", "--expires", TOMORROW
    )
    assert code == 0, err
    token = out.splitlines()[-1].removeprefix("token (shown once): ")
    token_id = out.splitlines()[0].rsplit(" ", 1)[-1]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/log/head", headers=headers).status_code == 200
    code, out, _ = _tracker(url, "token", "list", "tool@web.test")
    assert code == 0 and out.startswith(f"{token_id}  live     sync  created ")
    assert token not in out
    assert _tracker(url, "token", "revoke", token_id)[0] == 0
    assert client.get("/api/log/head", headers=headers).status_code == 401
    assert "revoked" in _tracker(url, "token", "list", "tool@web.test")[1]
    code, _, err = _tracker(url, "token", "revoke", token_id)
    assert code == 1 and "no live token" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "nobody@web.test", "--name", "x"), "no active account"),
        (("add", "tool@web.test", "--name", " "), "--name"),
        (("add", "tool@web.test", "--name", "x", "--expires", "2020-01-01"), "--expires"),
        (("add", "tool@web.test", "--name", "x", "--expires", "May"), "--expires"),
        (("list", "nobody@web.test"), "no account"),
    ],
)
def test_the_cli_says_what_is_wrong(
    served: tuple[str, TestClient], args: tuple[str, ...], message: str
) -> None:
    code, _, err = _tracker(served[0], "token", *args)
    assert code != 0 and message in err and "Traceback" not in err

"""`tracker serve`: the demo preparation, its refusals, and the command's wiring."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tracker.accounts.users import add_user, find_user, verify_password
from tracker.bootstrap import bootstrap
from tracker.cli.main import app
from tracker.cli.serve import prepare_demo
from tracker.domain.roles import Role

runner = CliRunner()


def test_the_demo_gives_one_login_per_role_with_fresh_passwords(tmp_path: Path) -> None:
    services = bootstrap(database_url=f"sqlite:///{tmp_path / 'demo.db'}")
    first = prepare_demo(services)
    assert sorted(first) == sorted(f"{r.value}@demo.example" for r in Role)
    second = prepare_demo(services)
    email = "admin@demo.example"
    user = find_user(services.engine, email)
    assert user is not None and verify_password(user, second[email])
    assert not verify_password(user, first[email])
    assert user.password_hash and second[email] not in user.password_hash
    services.close()


def test_the_demo_refuses_a_database_with_real_accounts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'real.db'}"
    assert runner.invoke(app, ["db", "upgrade", "--database-url", url]).exit_code == 0
    services = bootstrap(database_url=url)
    add_user(services.engine, "someone@ngo.example.org", Role.ADMIN, None)
    services.close()
    result = runner.invoke(app, ["serve", "--demo", "--database-url", url])
    assert result.exit_code == 1 and "real accounts" in result.stderr


def test_serve_needs_a_secret_key_outside_the_demo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 't.db'}"
    monkeypatch.delenv("TRACKER_SECRET_KEY", raising=False)
    assert runner.invoke(app, ["db", "upgrade", "--database-url", url]).exit_code == 0
    result = runner.invoke(app, ["serve", "--database-url", url])
    assert result.exit_code == 1 and "TRACKER_SECRET_KEY" in result.stderr


def test_serve_demo_prints_the_logins_and_runs_uvicorn(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kw: calls.append({"app": app, **kw}))
    url = f"sqlite:///{tmp_path / 'd.db'}"
    result = runner.invoke(app, ["serve", "--demo", "--port", "8123", "--database-url", url])
    assert result.exit_code == 0, result.stderr
    assert (
        "advocate@demo.example" in result.stdout
        and "serving on http://127.0.0.1:8123/" in result.stdout
    )
    assert calls and calls[0]["port"] == 8123 and calls[0]["host"] == "127.0.0.1"

"""Account changes on both databases: one-time links, the last active admin, the append-only
audit (refused by the database itself), and `tracker audit` / `tracker user` on the command line."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session
from typer.testing import CliRunner

from tracker.accounts import admin_actions, audit, links, totp
from tracker.accounts.audit import By
from tracker.accounts.self_service import accept_link
from tracker.accounts.users import add_user, find_user, verify_password
from tracker.cli.main import app as cli
from tracker.db import make_engine
from tracker.domain.errors import Conflict, Invalid, NotFound
from tracker.domain.roles import Role

KEY = b"k" * 40
GOOD = "mulberry tractor violin 1987"
ADMIN = By("admin-id", "boss@ngo.example", "10.0.0.1")


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 4, 12, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_a_link_works_once_within_72_hours_and_only_with_its_signature(sql_engine: Engine) -> None:
    clock = Clock()
    made = admin_actions.invite(sql_engine, "p@ngo.example", Role.RESEARCHER, ADMIN, KEY, now=clock)
    assert made.purpose is links.Purpose.INVITE
    value, _, signature = made.token.partition(".")
    forged = f"{value}.{'0' * len(signature)}"
    assert links.open_link(sql_engine, forged, links.Purpose.INVITE, KEY, now=clock) is None
    assert links.open_link(sql_engine, made.token, links.Purpose.INVITE, b"x" * 40) is None
    assert links.open_link(sql_engine, made.token, links.Purpose.RESET, KEY, now=clock) is None
    clock.now += timedelta(hours=72, seconds=1)
    assert links.open_link(sql_engine, made.token, links.Purpose.INVITE, KEY, now=clock) is None
    with pytest.raises(NotFound, match="72 hours"):
        accept_link(sql_engine, made.token, links.Purpose.INVITE, KEY, GOOD, now=clock)
    clock.now -= timedelta(hours=1)
    with pytest.raises(Invalid, match="common"):
        accept_link(sql_engine, made.token, links.Purpose.INVITE, KEY, "password1234", now=clock)
    user = accept_link(sql_engine, made.token, links.Purpose.INVITE, KEY, GOOD, now=clock)
    assert verify_password(user, GOOD)
    with pytest.raises(NotFound):
        accept_link(sql_engine, made.token, links.Purpose.INVITE, KEY, GOOD + "!", now=clock)


def test_a_newer_link_replaces_the_older_and_deactivation_ends_both(sql_engine: Engine) -> None:
    user = add_user(sql_engine, "q@ngo.example", Role.REVIEWER, GOOD)
    first = admin_actions.reset_link(sql_engine, user.id, ADMIN, KEY)
    second = admin_actions.reset_link(sql_engine, user.id, ADMIN, KEY)
    assert first.purpose is links.Purpose.RESET
    assert links.open_link(sql_engine, first.token, links.Purpose.RESET, KEY) is None
    assert links.open_link(sql_engine, second.token, links.Purpose.RESET, KEY) is not None
    admin_actions.set_active(sql_engine, user.id, False, By.command_line())
    assert links.open_link(sql_engine, second.token, links.Purpose.RESET, KEY) is None
    with pytest.raises(Conflict):
        admin_actions.reset_link(sql_engine, user.id, ADMIN, KEY)


def test_the_last_active_admin_cannot_be_removed(sql_engine: Engine) -> None:
    only = add_user(sql_engine, "only@ngo.example", Role.ADMIN, None)
    cli_user = By.command_line()
    with pytest.raises(Conflict, match="last active admin"):
        admin_actions.set_active(sql_engine, only.id, False, cli_user)
    with pytest.raises(Conflict, match="last active admin"):
        admin_actions.change_role(sql_engine, only.id, Role.REVIEWER, cli_user)
    second = add_user(sql_engine, "second@ngo.example", Role.ADMIN, None)
    admin_actions.change_role(sql_engine, only.id, Role.REVIEWER, cli_user)
    with pytest.raises(Conflict, match="last active admin"):
        admin_actions.set_active(sql_engine, second.id, False, cli_user)
    with pytest.raises(Conflict, match="another admin"):
        admin_actions.set_active(sql_engine, second.id, False, By(second.id, second.email))


def test_two_admins_demoting_each_other_at_once_leave_one_admin(sql_engine: Engine) -> None:
    a = add_user(sql_engine, "a@ngo.example", Role.ADMIN, None)
    b = add_user(sql_engine, "b@ngo.example", Role.ADMIN, None)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def demote(target: str, by: By) -> None:
        start.wait()
        try:
            admin_actions.change_role(sql_engine, target, Role.RESEARCHER, by)
            outcomes.append("done")
        except Conflict:
            outcomes.append("refused")

    threads = [
        threading.Thread(target=demote, args=(b.id, By(a.id, a.email))),
        threading.Thread(target=demote, args=(a.id, By(b.id, b.email))),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["done", "refused"]
    roles = [find_user(sql_engine, f"{name}@ngo.example") for name in "ab"]
    assert sorted(u.role for u in roles if u) == ["admin", "researcher"]


def test_the_audit_is_append_only_in_the_database_itself(sql_engine: Engine) -> None:
    user = add_user(sql_engine, "z@ngo.example", Role.ADVOCATE, None)
    admin_actions.sign_out_everywhere(sql_engine, user.id, ADMIN)
    (entry,) = audit.latest(sql_engine)
    assert (entry.actor, entry.action, entry.target, entry.ip) == (
        "boss@ngo.example", "signed_out_everywhere", "z@ngo.example", "10.0.0.1")  # fmt: skip
    statements = ["UPDATE account_audit SET actor = 'nobody'", "DELETE FROM account_audit"]
    if sql_engine.dialect.name == "postgresql":
        statements.append("TRUNCATE account_audit")
    for statement in statements:
        with pytest.raises(DBAPIError, match="append-only"), sql_engine.begin() as conn:
            conn.execute(text(statement))
    if sql_engine.dialect.name == "postgresql":
        with sql_engine.begin() as conn:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
            with pytest.raises(DBAPIError, match="append-only"):
                conn.execute(text("DELETE FROM account_audit"))
    assert len(list(audit.every_entry(sql_engine))) == 1


def _run(url: str, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env={"TRACKER_DATABASE_URL": url}, input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_the_command_line_records_and_exports_the_audit(database_url: str) -> None:
    code, _, err = _run(database_url, "user", "add", "=cmd@ngo.example", "--role", "admin",
                        "--password-stdin", stdin="password1234\n")  # fmt: skip
    assert code == 1 and "common passwords" in err
    code, out, _ = _run(database_url, "user", "add", "=cmd@ngo.example", "--role", "admin")
    assert code == 0
    code, out, err = _run(database_url, "user", "reset-2fa", "=cmd@ngo.example")
    assert code == 1 and "without two-factor" in err
    code, out, _ = _run(database_url, "audit")
    assert code == 0
    lines = out.lstrip("\ufeff").splitlines()
    assert lines[0] == '"id","at","actor","action","target","detail","address"'
    assert '"user_added","\'=cmd@ngo.example","admin","command line"' in lines[1]
    code, out, _ = _run(database_url, "audit", "--format", "jsonl")
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert row["target"] == "=cmd@ngo.example" and row["actor"].startswith("command line (")
    code, _, err = _run(database_url, "audit", "--format", "xml")
    assert code == 2 and "--format" in err


def test_the_command_line_resets_two_factor_and_writes_the_audit_to_a_file(
    database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(database_url)
    user = add_user(engine, "lost@ngo.example", Role.ADMIN, GOOD)
    with Session(engine) as session:
        totp.store(session, user.id, totp.new_secret(), 1)
        session.commit()
    engine.dispose()
    code, out, _ = _run(database_url, "user", "reset-2fa", "Lost@ngo.example")
    assert code == 0 and "reset" in out
    assert _run(database_url, "user", "reset-2fa", "nobody@ngo.example")[0] == 1
    target = tmp_path / "audit.csv"
    code, _, err = _run(database_url, "audit", "-o", str(target))
    assert code == 0 and str(target) in err
    text = target.read_text(encoding="utf-8")
    assert '"two_factor_reset","lost@ngo.example"' in text

"""The password policy, the Argon2 parameters the README states, TOTP steps and recovery codes."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from tracker.accounts import passwords, recovery, totp
from tracker.accounts.users import UserError, add_user, hash_password
from tracker.domain.roles import Role

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("short", "at least 12"),
        ("elevenchars", "at least 12"),
        ("qwertyuiop123", "common passwords"),
        ("Password1234", "common passwords"),
        ("1q2w3e4r5t6y", "common passwords"),
        ("sunshine2024!!", "digits or symbols added"),
        ("!!Dragon$$1234", "digits or symbols added"),
        ("aaaaaaaaaaaaaaa", "repeats"),
        ("abcabcabcabc", "repeats"),
        ("someone@ngo.example", "email"),
        ("x" * 1001, "at most 1000"),
    ],
)
def test_the_policy_refuses_weak_passwords_saying_why(password: str, why: str) -> None:
    reason = passwords.problem(password, email="someone@ngo.example")
    assert reason is not None and why in reason


@pytest.mark.parametrize(
    "password",
    ["correct horse battery staple", "mulberry tractor violin 1987", "Ахтемов-2014-Сімферополь",
     "123456789012", "q8#Lm2!vZp0@"],
)  # fmt: skip
def test_the_policy_allows_long_uncommon_passwords(password: str) -> None:
    assert passwords.problem(password, email="someone@ngo.example") is None


def test_the_bundled_list_is_there_and_lowercased() -> None:
    common = passwords.common_passwords()
    assert len(common) > 19_000 and "password" in common and "qwertyuiop123" in common
    assert all(word == word.lower() for word in common)


def test_hashes_use_the_argon2_parameters_the_readme_states() -> None:
    stored = hash_password("mulberry tractor violin 1987", "a@b.org")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert "Argon2id" in README and "64 MiB" in README and "3 passes" in README
    assert "4 lanes" in README


def test_accounts_made_with_a_chosen_password_follow_the_policy(sql_engine: Engine) -> None:
    with pytest.raises(UserError, match="common"):
        add_user(sql_engine, "a@b.org", Role.ADMIN, "password1234")
    assert add_user(sql_engine, "a@b.org", Role.ADMIN, "mulberry tractor violin 1987").email


def test_a_code_is_good_for_its_step_and_one_either_side() -> None:
    secret = totp.new_secret()
    assert totp.valid_secret(secret) and not totp.valid_secret(secret.lower())
    moment = datetime(2026, 12, 4, 12, 0, 10, tzinfo=UTC)
    step = int(moment.timestamp()) // 30
    maker = pyotp.TOTP(secret)
    for offset in (-1, 0, 1):
        code = maker.at(moment + timedelta(seconds=30 * offset))
        assert totp.matching_step(secret, code, moment) == step + offset
    assert totp.matching_step(secret, maker.at(moment + timedelta(seconds=90)), moment) is None
    assert totp.clean_code("123 456") == "123456" and totp.clean_code("12345") is None
    assert totp.clean_code("١٢٣٤٥٦") is None, "only ASCII digits"


def test_a_code_works_once_and_no_earlier_code_after_it(sql_engine: Engine) -> None:
    user = add_user(sql_engine, "t@b.org", Role.REVIEWER, None)
    secret = totp.new_secret()
    moment = datetime(2026, 12, 4, 12, 0, 10, tzinfo=UTC)
    step = int(moment.timestamp()) // 30
    with Session(sql_engine) as session:
        totp.store(session, user.id, secret, step - 5)
        session.commit()
    maker = pyotp.TOTP(secret)
    now = lambda: moment  # noqa: E731
    later = maker.at(moment + timedelta(seconds=30))
    earlier = maker.at(moment - timedelta(seconds=30))
    assert totp.use_code(sql_engine, user.id, later, now=now)
    assert not totp.use_code(sql_engine, user.id, later, now=now), "a replay is refused"
    assert not totp.use_code(sql_engine, user.id, maker.at(moment), now=now), "earlier step"
    assert not totp.use_code(sql_engine, user.id, earlier, now=now)
    credential = totp.credential_of(sql_engine, user.id)
    assert credential is not None and credential.last_step == step + 1


def test_recovery_codes_are_stored_hashed_and_work_once(sql_engine: Engine) -> None:
    user = add_user(sql_engine, "r@b.org", Role.ADMIN, None)
    with Session(sql_engine) as session:
        codes = recovery.replace_codes(session, user.id)
        session.commit()
        stored = [row.id for row in session.exec(select(recovery.RecoveryCode))]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-9]{4}(-[a-z2-9]{4}){3}", code) for code in codes)
    assert not any(code.replace("-", "") in "".join(stored) for code in codes), "only hashes"
    assert recovery.use_code(sql_engine, user.id, codes[3].upper())
    assert not recovery.use_code(sql_engine, user.id, codes[3])
    assert not recovery.use_code(sql_engine, "someone else", codes[4])
    assert recovery.unused(sql_engine, user.id) == 9

"""What an admin does to accounts: invite, deactivate and reactivate, change a role, sign out
everywhere, make a password reset link, reset two-factor sign-in.

Each change and its audit entry are one transaction. Changes that could leave no active admin
(deactivating one, or moving one to another role) first lock the active admins' rows
(`SELECT ... FOR UPDATE` on PostgreSQL; SQLite's write lock is taken at BEGIN IMMEDIATE), so two
admins demoting each other at once cannot both succeed. An admin cannot deactivate their own
account or change their own role (another admin must).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session, select

from tracker.accounts import links, recovery, texts
from tracker.accounts.audit import By, record
from tracker.accounts.own_sessions import end_other_sessions
from tracker.accounts.sessions import Now, utc_now
from tracker.accounts.totp import TotpCredential
from tracker.accounts.users import User, UserError, find_user, hash_password, normalize_email
from tracker.db import writer
from tracker.domain.errors import Conflict, Invalid, NotFound
from tracker.domain.roles import Role


@dataclass(frozen=True, slots=True)
class Issued:
    """A link made for an account: the account, its role, the link's purpose and token (the
    token is shown once, never stored)."""

    user_id: str
    email: str
    role: str
    purpose: links.Purpose
    token: str


def role_of(text: str) -> Role:
    """A role from a form or option; Invalid naming it otherwise."""
    try:
        return Role(text.strip().lower())
    except ValueError:
        raise Invalid(texts.UNKNOWN_ROLE.format(role=text[:40]), "role") from None


def _target(session: Session, user_id: str) -> User:
    user = session.get(User, user_id[:100])
    if user is None:
        raise NotFound(texts.NO_SUCH_ACCOUNT)
    return user


def _not_self(by: By, user: User, what: str) -> None:
    if by.user_id == user.id:
        raise Conflict(texts.NOT_YOURSELF.format(what=what))


def _keep_an_admin(session: Session, leaving: User) -> None:
    """Refuse when `leaving` is the last active admin (locking the admins' rows first)."""
    if leaving.role != Role.ADMIN or not leaving.active:
        return
    query = select(User.id).where(User.role == str(Role.ADMIN), User.active == True)  # noqa: E712
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        query = query.with_for_update()
    admins = set(session.exec(query))
    if admins <= {leaving.id}:
        raise Conflict(texts.LAST_ADMIN.format(email=leaving.email))


def invite(
    engine: Engine, email: str, role: Role, by: By, key: bytes, *, now: Now = utc_now
) -> Issued:
    """A new account without a password, and an invitation link to choose one."""
    try:
        address = normalize_email(email)
    except ValueError as exc:
        raise Invalid(str(exc), "email") from None
    with Session(writer(engine)) as session:
        if session.exec(select(User).where(User.email == address)).first() is not None:
            raise Conflict(texts.EMAIL_TAKEN.format(email=address))
        user = User(
            id=str(uuid.uuid4()),
            email=address,
            role=str(role),
            password_hash=None,
            created_at=now().isoformat(timespec="seconds"),
        )
        session.add(user)
        session.flush()
        token = links.make_link(
            session, user.id, links.Purpose.INVITE, key, created_by=by.user_id, now=now
        )
        record(session, by, "invited", target_id=user.id, target=address, detail=str(role))
        session.commit()
        return Issued(user.id, address, user.role, links.Purpose.INVITE, token)


def add_account(engine: Engine, email: str, role: Role, password: str, by: By) -> User:
    """An account with a password the policy allows (the command line's `user add`)."""
    address = normalize_email(email)
    password_hash = hash_password(password, address)
    with Session(writer(engine)) as session:
        if session.exec(select(User).where(User.email == address)).first() is not None:
            raise UserError(texts.EMAIL_TAKEN.format(email=address))
        user = User(
            id=str(uuid.uuid4()),
            email=address,
            role=str(role),
            password_hash=password_hash,
            created_at=utc_now().isoformat(timespec="seconds"),
        )
        session.add(user)
        session.flush()
        record(session, by, "user_added", target_id=user.id, target=address, detail=str(role))
        session.commit()
        session.refresh(user)
        return user


def find_account(engine: Engine, email: str) -> User:
    """The account with this email; NotFound otherwise."""
    found = find_user(engine, email)
    if found is None:
        raise NotFound(texts.NO_SUCH_ACCOUNT)
    return found


def reset_link(engine: Engine, user_id: str, by: By, key: bytes, *, now: Now = utc_now) -> Issued:
    """A new one-time link to choose a new password (an unaccepted invitation gets a new
    invitation link instead); older open links of the account stop working."""
    with Session(writer(engine)) as session:
        user = _target(session, user_id)
        if not user.active:
            raise Conflict(texts.ALREADY.format(email=user.email, state="deactivated"))
        purpose = links.Purpose.RESET if user.password_hash else links.Purpose.INVITE
        token = links.make_link(session, user.id, purpose, key, created_by=by.user_id, now=now)
        action = "reset_link_made" if purpose is links.Purpose.RESET else "invited"
        record(session, by, action, target_id=user.id, target=user.email, detail=str(purpose))
        session.commit()
        return Issued(user.id, user.email, user.role, purpose, token)


def set_active(engine: Engine, user_id: str, active: bool, by: By, *, now: Now = utc_now) -> User:
    """Deactivate (every session and link ends; API tokens stop working) or reactivate."""
    with Session(writer(engine)) as session:
        user = _target(session, user_id)
        if user.active == active:
            state = "active" if active else "deactivated"
            raise Conflict(texts.ALREADY.format(email=user.email, state=state))
        if not active:
            _not_self(by, user, "deactivate")
            _keep_an_admin(session, user)
            end_other_sessions(session, user.id, None, now=now)
            links.end_links(session, user.id, now=now)
        user.active = active
        session.add(user)
        action = "reactivated" if active else "deactivated"
        record(session, by, action, target_id=user.id, target=user.email, now=now)
        session.commit()
        session.refresh(user)
        return user


def change_role(engine: Engine, user_id: str, role: Role, by: By, *, now: Now = utc_now) -> User:
    """Give an account another role (never taking the last active admin's away)."""
    with Session(writer(engine)) as session:
        user = _target(session, user_id)
        if user.role == str(role):
            raise Conflict(texts.ALREADY.format(email=user.email, state=str(role)))
        _not_self(by, user, "change the role of")
        if role != Role.ADMIN:
            _keep_an_admin(session, user)
        detail = f"{user.role} → {role}"
        user.role = str(role)
        session.add(user)
        record(session, by, "role_changed", target_id=user.id, target=user.email, detail=detail)
        session.commit()
        session.refresh(user)
        return user


def sign_out_everywhere(engine: Engine, user_id: str, by: By, *, now: Now = utc_now) -> int:
    """End every session of an account; returns how many were live."""
    with Session(writer(engine)) as session:
        user = _target(session, user_id)
        ended = end_other_sessions(session, user.id, None, now=now)
        detail = f"{ended} session(s)"
        record(session, by, "signed_out_everywhere", target_id=user.id, target=user.email,
               detail=detail, now=now)  # fmt: skip
        session.commit()
        return ended


def reset_two_factor(engine: Engine, user_id: str, by: By, *, now: Now = utc_now) -> None:
    """Remove an account's authenticator and recovery codes (a lost phone) and end its
    sessions; if its role requires two factors it must enrol again at its next sign-in."""
    with Session(writer(engine)) as session:
        user = _target(session, user_id)
        _not_self(by, user, "reset two-factor sign-in of")
        credential = session.get(TotpCredential, user.id)
        if credential is None:
            raise Conflict(texts.ALREADY.format(email=user.email, state="without two-factor"))
        session.delete(credential)
        recovery.drop_codes(session, user.id)
        end_other_sessions(session, user.id, None, now=now)
        record(session, by, "two_factor_reset", target_id=user.id, target=user.email, now=now)
        session.commit()


__all__ = [
    "Issued",
    "add_account",
    "change_role",
    "find_account",
    "invite",
    "reset_link",
    "reset_two_factor",
    "role_of",
    "set_active",
    "sign_out_everywhere",
]

"""Accounts: who may sign in, with which role. Passwords are stored only as Argon2 hashes, and
every password set here passes the policy of `tracker.accounts.passwords`."""

from __future__ import annotations

import functools
import re
import secrets
import uuid
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Field, Session, SQLModel, select

from tracker.accounts import passwords
from tracker.domain.roles import Role

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_hasher = passwords.hasher()


class User(SQLModel, table=True):
    """A person with an account."""

    __tablename__ = "users"
    id: str = Field(primary_key=True)
    email: str = Field(unique=True, index=True)
    role: str
    password_hash: str | None = None
    active: bool = True
    created_at: str


class UserError(ValueError):
    """A user could not be added as asked."""


def normalize_email(email: str) -> str:
    cleaned = email.strip().lower()
    if not _EMAIL.match(cleaned) or len(cleaned) > 254:
        raise UserError(f"{email!r} is not an email address")
    return cleaned


def add_user(engine: Engine, email: str, role: Role, password: str | None) -> User:
    """Create an account; refuses an email that already has one."""
    address = normalize_email(email)
    if password is not None:
        _check_password(password, address)
    with Session(engine) as session:
        if session.exec(select(User).where(User.email == address)).first() is not None:
            raise UserError(f"{address} already has an account")
        user = User(
            id=str(uuid.uuid4()),
            email=address,
            role=str(role),
            password_hash=_hasher.hash(password) if password else None,
            created_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        session.add(user)
        session.commit()
        session.refresh(user)
        return user


def ensure_user(engine: Engine, email: str, role: Role) -> User:
    """The account for an email, created without a password when missing (seed accounts)."""
    address = normalize_email(email)
    with Session(engine) as session:
        found = session.exec(select(User).where(User.email == address)).first()
        if found is not None:
            return found
    return add_user(engine, address, role, None)


def generate_password() -> str:
    return secrets.token_urlsafe(15)


def verify_password(user: User, password: str) -> bool:
    if not user.password_hash:
        return False
    try:
        return _hasher.verify(user.password_hash, password)
    except Exception:  # argon2 raises several mismatch and format errors
        return False


def set_password(engine: Engine, email: str, password: str) -> User:
    """Give an existing account a new password (one the policy allows)."""
    address = normalize_email(email)
    _check_password(password, address)
    with Session(engine) as session:
        user = session.exec(select(User).where(User.email == address)).first()
        if user is None:
            raise UserError(f"{address} has no account")
        user.password_hash = _hasher.hash(password)
        session.add(user)
        session.commit()
        session.refresh(user)
        return user


def _check_password(password: str, email: str) -> None:
    reason = passwords.problem(password, email=email)
    if reason is not None:
        raise UserError(reason)


def hash_password(password: str, email: str) -> str:
    """The Argon2 hash of a password the policy allows (UserError says why it does not)."""
    _check_password(password, email)
    return _hasher.hash(password)


def find_user(engine: Engine, email: str) -> User | None:
    """The account with this email, or None (also for text that is not an email)."""
    try:
        address = normalize_email(email)
    except UserError:
        return None
    with Session(engine) as session:
        return session.exec(select(User).where(User.email == address)).first()


def list_users(engine: Engine) -> list[User]:
    with Session(engine) as session:
        return list(session.exec(select(User).order_by(User.email)))


def burn_time() -> None:
    """Spend what a password check costs, so an unknown email answers no faster than a known one."""
    try:
        _hasher.verify(_dummy_hash(), "not the password")
    except Exception:  # the mismatch is the point
        return


@functools.cache
def _dummy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))

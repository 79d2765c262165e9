"""Failed sign-ins counted per email and address: after too many, that pair is locked out a while.

A lock-out answers before any password is checked, so guessing gets nowhere while it lasts.
A successful sign-in clears the count.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Field, Session, SQLModel, select

from tracker.accounts.sessions import Now, stamp, utc_now

MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)
LOCKOUT = timedelta(minutes=15)


class LoginAttempt(SQLModel, table=True):
    """Recent failures for one (email, address) pair."""

    __tablename__ = "login_attempts"
    email: str = Field(primary_key=True)
    ip: str = Field(primary_key=True)
    failures: int = 0
    first_failed_at: str
    locked_until: str | None = None


def _key(email: str, ip: str) -> tuple[str, str]:
    return email.strip().lower()[:254], ip[:100]


def locked_until(engine: Engine, email: str, ip: str, *, now: Now = utc_now) -> datetime | None:
    """When the lock-out of this pair ends, or None if it may try now."""
    with Session(engine) as session:
        row = session.get(LoginAttempt, _key(email, ip))
    if row is None or row.locked_until is None or row.locked_until <= stamp(now()):
        return None
    return datetime.fromisoformat(row.locked_until.replace("Z", "+00:00"))


def record_failure(engine: Engine, email: str, ip: str, *, now: Now = utc_now) -> bool:
    """Count a failure; returns True when this failure locks the pair out."""
    moment = now()
    with Session(engine) as session:
        row = session.get(LoginAttempt, _key(email, ip))
        if row is None or row.first_failed_at <= stamp(moment - WINDOW):
            address, where = _key(email, ip)
            if row is not None:
                session.delete(row)
                session.flush()
            row = LoginAttempt(email=address, ip=where, failures=0, first_failed_at=stamp(moment))
        row.failures += 1
        locked = row.failures >= MAX_FAILURES
        if locked:
            row.locked_until = stamp(moment + LOCKOUT)
            row.failures = 0
            row.first_failed_at = stamp(moment)
        session.add(row)
        session.commit()
        return locked


def clear(engine: Engine, email: str, ip: str) -> None:
    """Forget the failures of a pair (after a successful sign-in)."""
    with Session(engine) as session:
        row = session.exec(
            select(LoginAttempt).where(
                LoginAttempt.email == _key(email, ip)[0], LoginAttempt.ip == _key(email, ip)[1]
            )
        ).first()
        if row is not None:
            session.delete(row)
            session.commit()


__all__ = ["LOCKOUT", "MAX_FAILURES", "WINDOW", "LoginAttempt", "clear", "locked_until"]

"""Sign-in sessions kept on the server: only a hash of each random token is stored.

A session ends when it expires (idle or absolute limit), when it is revoked (logout, an admin,
a password change) or when its account is deactivated. Front ends (web cookies, API bearer
tokens) hand the token in; nothing here knows about HTTP.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, update
from sqlmodel import Field, Session, SQLModel, select

from tracker.accounts.users import User
from tracker.domain.roles import Role

Now = Callable[[], datetime]

ABSOLUTE_LIMIT = timedelta(hours=12)
IDLE_LIMIT = timedelta(hours=2)
_TOUCH_EVERY = timedelta(minutes=5)


class UserSession(SQLModel, table=True):
    """One signed-in session; `id` is the SHA-256 of the token the client holds."""

    __tablename__ = "user_sessions"
    id: str = Field(primary_key=True)
    user_id: str = Field(foreign_key="users.id", index=True)
    created_at: str
    last_seen_at: str
    expires_at: str
    revoked_at: str | None = None
    user_agent: str = ""
    ip: str = ""


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Who a live session belongs to."""

    session_id: str
    user_id: str
    email: str
    role: Role


def utc_now() -> datetime:
    return datetime.now(UTC)


def stamp(moment: datetime) -> str:
    """ISO-8601 UTC text that sorts as time does."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    engine: Engine, user_id: str, *, user_agent: str = "", ip: str = "", now: Now = utc_now
) -> str:
    """Create a session for an account; returns the token (shown to the client only)."""
    token = secrets.token_urlsafe(32)
    moment = now()
    with Session(engine) as session:
        session.add(
            UserSession(
                id=token_hash(token),
                user_id=user_id,
                created_at=stamp(moment),
                last_seen_at=stamp(moment),
                expires_at=stamp(moment + ABSOLUTE_LIMIT),
                user_agent=user_agent[:300],
                ip=ip[:100],
            )
        )
        session.commit()
    return token


def resolve(engine: Engine, token: str, *, now: Now = utc_now) -> SignedIn | None:
    """The account behind a live session token, else None. Refreshes the idle clock."""
    if not token or len(token) > 200:
        return None
    moment = now()
    with Session(engine) as session:
        found = session.exec(
            select(UserSession, User)
            .join(User, User.id == UserSession.user_id)  # type: ignore[arg-type]
            .where(UserSession.id == token_hash(token))
        ).first()
        if found is None:
            return None
        row, user = found
        if row.revoked_at is not None or not user.active or row.expires_at <= stamp(moment):
            return None
        if row.last_seen_at <= stamp(moment - IDLE_LIMIT):
            return None
        if row.last_seen_at <= stamp(moment - _TOUCH_EVERY):
            row.last_seen_at = stamp(moment)
            session.add(row)
            session.commit()
        return SignedIn(row.id, user.id, user.email, Role(user.role))


def revoke(engine: Engine, session_id: str, *, now: Now = utc_now) -> None:
    """End one session (logout)."""
    with Session(engine) as session:
        session.execute(
            update(UserSession)
            .where(UserSession.id == session_id, UserSession.revoked_at.is_(None))  # type: ignore[arg-type,union-attr]
            .values(revoked_at=stamp(now()))
        )
        session.commit()


def revoke_all(engine: Engine, user_id: str, *, now: Now = utc_now) -> int:
    """End every session of an account; returns how many were not revoked before."""
    with Session(engine) as session:
        result = session.execute(
            update(UserSession)
            .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))  # type: ignore[arg-type,union-attr]
            .values(revoked_at=stamp(now()))
        )
        session.commit()
        return int(getattr(result, "rowcount", 0))


def live_sessions(engine: Engine, *, now: Now = utc_now) -> dict[str, int]:
    """{user id: number of sessions not revoked and not expired}."""
    moment = stamp(now())
    counts: dict[str, int] = {}
    with Session(engine) as session:
        rows = session.exec(
            select(UserSession.user_id).where(
                UserSession.revoked_at.is_(None),  # type: ignore[union-attr]
                UserSession.expires_at > moment,
            )
        )
        for user_id in rows:
            counts[user_id] = counts.get(user_id, 0) + 1
    return counts


__all__ = [
    "ABSOLUTE_LIMIT",
    "IDLE_LIMIT",
    "SignedIn",
    "UserSession",
    "live_sessions",
    "resolve",
    "revoke",
    "revoke_all",
    "stamp",
    "start_session",
    "token_hash",
]

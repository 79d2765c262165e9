"""Per-user API tokens for other tools: only a SHA-256 of each random token is stored.

A token acts with its account's role; it ends when it is revoked, when it expires, or when its
account is deactivated. Nothing here knows about HTTP.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, update
from sqlmodel import Field, Session, SQLModel, select

from tracker.accounts.sessions import Now, SignedIn, stamp, token_hash, utc_now
from tracker.accounts.users import User
from tracker.domain.roles import Role

PREFIX = "trk_"
"""What every API token starts with (how a bearer value is told from a session token)."""
_TOUCH_EVERY = timedelta(minutes=5)


class ApiToken(SQLModel, table=True):
    """One API token; `id` is the SHA-256 of the token the client holds."""

    __tablename__ = "api_tokens"
    id: str = Field(primary_key=True)
    user_id: str = Field(foreign_key="users.id", index=True)
    name: str
    created_at: str
    expires_at: str | None = None
    last_used_at: str | None = None
    revoked_at: str | None = None

    def live(self, now: Now = utc_now) -> bool:
        """Not revoked and not expired."""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > stamp(now())


def expiry_of(text: str, *, now: Now = utc_now) -> datetime:
    """When a token given 'YYYY-MM-DD' stops working: 00:00 UTC that day, which must be after
    today. ValueError says what is wrong."""
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{text[:40]!r} is not a date (YYYY-MM-DD)") from None
    if day <= now().astimezone(UTC).date():
        raise ValueError(f"{day} is not after today: a token must expire in the future")
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def issue_token(
    engine: Engine,
    user_id: str,
    name: str,
    *,
    expires_at: datetime | None = None,
    now: Now = utc_now,
) -> str:
    """Create a token for an account; returns it (shown once, never stored)."""
    token = PREFIX + secrets.token_urlsafe(32)
    with Session(engine) as session:
        session.add(
            ApiToken(
                id=token_hash(token),
                user_id=user_id,
                name=name[:100],
                created_at=stamp(now()),
                expires_at=stamp(expires_at) if expires_at else None,
            )
        )
        session.commit()
    return token


def resolve_token(engine: Engine, token: str, *, now: Now = utc_now) -> SignedIn | None:
    """The account behind a live API token, else None. Notes when it was last used (at most
    every few minutes, so that reads do not each write)."""
    if not token.startswith(PREFIX) or len(token) > 200:
        return None
    current = now()
    moment = stamp(current)
    with Session(engine) as session:
        found = session.exec(
            select(ApiToken, User)
            .join(User, User.id == ApiToken.user_id)  # type: ignore[arg-type]
            .where(ApiToken.id == token_hash(token))
        ).first()
        if found is None:
            return None
        row, user = found
        if row.revoked_at is not None or not user.active:
            return None
        if row.expires_at is not None and row.expires_at <= moment:
            return None
        if row.last_used_at is None or row.last_used_at <= stamp(current - _TOUCH_EVERY):
            row.last_used_at = moment
            session.add(row)
            session.commit()
        return SignedIn(row.id, user.id, user.email, Role(user.role))


def revoke_token(
    engine: Engine, token_id: str, *, user_id: str | None = None, now: Now = utc_now
) -> bool:
    """Revoke one token by its id (the hash), only if it is `user_id`'s when that is given;
    True if it was not revoked before."""
    conditions = [ApiToken.id == token_id, ApiToken.revoked_at.is_(None)]  # type: ignore[union-attr]
    if user_id is not None:
        conditions.append(ApiToken.user_id == user_id)
    with Session(engine) as session:
        result = session.execute(
            update(ApiToken).where(*conditions).values(revoked_at=stamp(now()))
        )
        session.commit()
        return bool(getattr(result, "rowcount", 0))


def tokens_of(engine: Engine, user_id: str) -> list[ApiToken]:
    """An account's tokens, newest first."""
    with Session(engine) as session:
        return list(
            session.exec(
                select(ApiToken)
                .where(ApiToken.user_id == user_id)
                .order_by(ApiToken.created_at.desc())  # type: ignore[attr-defined]
            )
        )


__all__ = [
    "PREFIX",
    "ApiToken",
    "expiry_of",
    "issue_token",
    "resolve_token",
    "revoke_token",
    "tokens_of",
]

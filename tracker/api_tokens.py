"""Per-user API tokens for other tools: only a SHA-256 of each random token is stored.

A token acts with its account's role; it ends when it is revoked, when it expires, or when its
account is deactivated. Nothing here knows about HTTP.
"""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Engine, update
from sqlmodel import Field, Session, SQLModel, select

from tracker.domain.roles import Role
from tracker.sessions import Now, SignedIn, stamp, token_hash, utc_now
from tracker.users import User

_PREFIX = "trk_"


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


def issue_token(
    engine: Engine,
    user_id: str,
    name: str,
    *,
    expires_at: datetime | None = None,
    now: Now = utc_now,
) -> str:
    """Create a token for an account; returns it (shown once, never stored)."""
    token = _PREFIX + secrets.token_urlsafe(32)
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
    """The account behind a live API token, else None."""
    if not token.startswith(_PREFIX) or len(token) > 200:
        return None
    moment = stamp(now())
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
        return SignedIn(row.id, user.id, user.email, Role(user.role))


def revoke_token(engine: Engine, token_id: str, *, now: Now = utc_now) -> bool:
    """Revoke one token by its id (the hash); True if it was live."""
    with Session(engine) as session:
        result = session.execute(
            update(ApiToken)
            .where(ApiToken.id == token_id, ApiToken.revoked_at.is_(None))  # type: ignore[arg-type,union-attr]
            .values(revoked_at=stamp(now()))
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


__all__ = ["ApiToken", "issue_token", "resolve_token", "revoke_token", "tokens_of"]

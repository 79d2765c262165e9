"""One-time links an admin hands to a person: an invitation, or a password reset.

A link carries a random value and its HMAC under the secret key (`random.signature`): a link not
made by this tracker is refused before the database is asked, and one made by someone who could
write to the database but lacks the key is refused too. Only a SHA-256 of the random value is
stored. A link works once, for VALID_FOR after it is made, and a newer link for the same
account replaces any older one still open.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import Engine, update
from sqlmodel import Field, Session, SQLModel, select

from tracker.accounts.sessions import Now, stamp, utc_now
from tracker.accounts.users import User

VALID_FOR = timedelta(hours=72)
_SIGNATURE_HEX = 32


class Purpose(StrEnum):
    """What a link lets its holder do: choose the first password, or a new one."""

    INVITE = "invite"
    RESET = "reset"


class AccountLink(SQLModel, table=True):
    """One link; `id` is the SHA-256 of its random value."""

    __tablename__ = "account_links"
    id: str = Field(primary_key=True)
    user_id: str = Field(foreign_key="users.id", index=True)
    purpose: str
    created_by: str | None = None
    created_at: str
    expires_at: str
    used_at: str | None = None
    replaced_at: str | None = None


def _signature(key: bytes, value: str) -> str:
    mac = hmac.new(key, f"account-link\x00{value}".encode(), hashlib.sha256).hexdigest()
    return mac[:_SIGNATURE_HEX]


def _value_of(key: bytes, token: str) -> str | None:
    """The random value of a well-signed token, else None."""
    if len(token) > 200 or token.count(".") != 1:
        return None
    value, signature = token.split(".")
    if not value or not hmac.compare_digest(_signature(key, value), signature):
        return None
    return value


def _id(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def make_link(
    session: Session,
    user_id: str,
    purpose: Purpose,
    key: bytes,
    *,
    created_by: str | None,
    now: Now = utc_now,
) -> str:
    """A new link for the account (in the session's transaction), replacing its open ones;
    returns the token to put in the address (shown once, never stored)."""
    moment = now()
    session.execute(
        update(AccountLink)
        .where(
            AccountLink.user_id == user_id,  # type: ignore[arg-type]
            AccountLink.used_at.is_(None),  # type: ignore[union-attr]
            AccountLink.replaced_at.is_(None),  # type: ignore[union-attr]
        )
        .values(replaced_at=stamp(moment))
    )
    value = secrets.token_urlsafe(32)
    session.add(
        AccountLink(
            id=_id(value),
            user_id=user_id,
            purpose=str(purpose),
            created_by=created_by,
            created_at=stamp(moment),
            expires_at=stamp(moment + VALID_FOR),
        )
    )
    return f"{value}.{_signature(key, value)}"


def open_link(
    engine: Engine, token: str, purpose: Purpose, key: bytes, *, now: Now = utc_now
) -> User | None:
    """The active account a usable link of this purpose is for, else None (changes nothing)."""
    value = _value_of(key, token)
    if value is None:
        return None
    with Session(engine) as session:
        found = session.exec(
            select(AccountLink, User)
            .join(User, User.id == AccountLink.user_id)  # type: ignore[arg-type]
            .where(AccountLink.id == _id(value), AccountLink.purpose == str(purpose))
        ).first()
    if found is None:
        return None
    link, user = found
    if link.used_at or link.replaced_at or link.expires_at <= stamp(now()) or not user.active:
        return None
    return user


def redeem(
    session: Session, token: str, purpose: Purpose, key: bytes, *, now: Now = utc_now
) -> str | None:
    """Mark a usable link used (in the session's transaction), in one statement that also
    checks it is still unused, unreplaced and unexpired; returns its account id, else None."""
    value = _value_of(key, token)
    if value is None:
        return None
    moment = stamp(now())
    link = session.get(AccountLink, _id(value))
    if link is None or link.purpose != str(purpose):
        return None
    result = session.execute(
        update(AccountLink)
        .where(
            AccountLink.id == link.id,  # type: ignore[arg-type]
            AccountLink.used_at.is_(None),  # type: ignore[union-attr]
            AccountLink.replaced_at.is_(None),  # type: ignore[union-attr]
            AccountLink.expires_at > moment,  # type: ignore[arg-type]
        )
        .values(used_at=moment)
    )
    return link.user_id if getattr(result, "rowcount", 0) else None


def open_invitations(engine: Engine, *, now: Now = utc_now) -> set[str]:
    """The ids of the accounts with an invitation link that can still be used."""
    with Session(engine) as session:
        rows = session.exec(
            select(AccountLink.user_id).where(
                AccountLink.purpose == str(Purpose.INVITE),
                AccountLink.used_at.is_(None),  # type: ignore[union-attr]
                AccountLink.replaced_at.is_(None),  # type: ignore[union-attr]
                AccountLink.expires_at > stamp(now()),
            )
        )
        return set(rows)


def end_links(session: Session, user_id: str, *, now: Now = utc_now) -> None:
    """Replace every open link of the account with none (when it is deactivated)."""
    session.execute(
        update(AccountLink)
        .where(
            AccountLink.user_id == user_id,  # type: ignore[arg-type]
            AccountLink.used_at.is_(None),  # type: ignore[union-attr]
            AccountLink.replaced_at.is_(None),  # type: ignore[union-attr]
        )
        .values(replaced_at=stamp(now()))
    )


__all__ = [
    "VALID_FOR",
    "AccountLink",
    "Purpose",
    "end_links",
    "make_link",
    "open_invitations",
    "open_link",
    "redeem",
]

"""Recovery codes: ten single-use codes shown once, for signing in without the authenticator.

A code is 16 characters from a 32-letter alphabet without look-alikes (80 random bits), shown
as four groups of four. Only a SHA-256 of the account id and the code is stored: with 80 bits
a guess at a stolen hash is hopeless, so a fast hash is enough (as for API tokens).
"""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import Engine, delete, func, update
from sqlmodel import Field, Session, SQLModel, select

from tracker.accounts.sessions import Now, stamp, utc_now

COUNT = 10
ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"
LENGTH = 16


class RecoveryCode(SQLModel, table=True):
    """One recovery code of an account; `id` is the hash of the account id and the code."""

    __tablename__ = "recovery_codes"
    id: str = Field(primary_key=True)
    user_id: str = Field(foreign_key="users.id", index=True)
    created_at: str
    used_at: str | None = None


def _normal(code: str) -> str:
    return "".join(c for c in code.lower() if c.isalnum())[: LENGTH * 2]


def _hash(user_id: str, code: str) -> str:
    return hashlib.sha256(f"recovery\x00{user_id}\x00{_normal(code)}".encode()).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def replace_codes(session: Session, user_id: str, *, now: Now = utc_now) -> list[str]:
    """Give the account ten new codes (in the session's transaction), dropping its old ones;
    returns them, to be shown once."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))  # type: ignore[arg-type]
    codes = [_new_code() for _ in range(COUNT)]
    moment = stamp(now())
    for code in codes:
        session.add(RecoveryCode(id=_hash(user_id, code), user_id=user_id, created_at=moment))
    return codes


def drop_codes(session: Session, user_id: str) -> None:
    """Remove every code of the account (in the session's transaction)."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))  # type: ignore[arg-type]


def use_code(engine: Engine, user_id: str, code: str, *, now: Now = utc_now) -> bool:
    """True, once, for an unused code of the account; it is marked used in the same statement."""
    if not 8 <= len(_normal(code)) <= LENGTH * 2:
        return False
    with Session(engine) as session:
        result = session.execute(
            update(RecoveryCode)
            .where(
                RecoveryCode.id == _hash(user_id, code),  # type: ignore[arg-type]
                RecoveryCode.user_id == user_id,  # type: ignore[arg-type]
                RecoveryCode.used_at.is_(None),  # type: ignore[union-attr]
            )
            .values(used_at=stamp(now()))
        )
        session.commit()
        return bool(getattr(result, "rowcount", 0))


def unused(engine: Engine, user_id: str) -> int:
    """How many codes the account has left."""
    with Session(engine) as session:
        return int(
            session.exec(
                select(func.count())
                .select_from(RecoveryCode)
                .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))  # type: ignore[union-attr]
            ).one()
        )


__all__ = ["COUNT", "RecoveryCode", "drop_codes", "replace_codes", "unused", "use_code"]

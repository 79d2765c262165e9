"""What a person does to their own account: choose a password through a link, change it, set
up two-factor sign-in, make new recovery codes, sign out sessions. Each change and its audit
entry are one transaction; a password change and a new authenticator end every other session.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session

from tracker.accounts import links, recovery, texts, totp
from tracker.accounts.audit import By, record
from tracker.accounts.own_sessions import end_other_sessions, end_session_of
from tracker.accounts.sessions import Now, utc_now
from tracker.accounts.users import User, UserError, hash_password, verify_password
from tracker.db import writer
from tracker.domain.errors import Invalid, NotFound


def accept_link(
    engine: Engine,
    token: str,
    purpose: links.Purpose,
    key: bytes,
    password: str,
    *,
    ip: str = "",
    now: Now = utc_now,
) -> User:
    """Set the password a link lets its holder choose; the link is used up, and a reset ends
    every session of the account. Invalid (field 'password') for a password the policy refuses,
    NotFound for a link that cannot be used."""
    unusable = texts.LINK_UNUSABLE.format(hours=int(links.VALID_FOR.total_seconds() // 3600))
    with Session(writer(engine)) as session:
        user_id = links.redeem(session, token, purpose, key, now=now)
        user = session.get(User, user_id) if user_id else None
        if user is None or not user.active:
            raise NotFound(unusable)
        try:
            user.password_hash = hash_password(password, user.email)
        except UserError as exc:
            raise Invalid(str(exc), "password") from None
        session.add(user)
        if purpose is links.Purpose.RESET:
            end_other_sessions(session, user.id, None, now=now)
        by = By(user.id, user.email, ip)
        action = "invite_accepted" if purpose is links.Purpose.INVITE else "password_reset"
        record(session, by, action, target_id=user.id, target=user.email, now=now)
        session.commit()
        session.refresh(user)
        return user


def _own(session: Session, user_id: str) -> User:
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise NotFound(texts.NO_SUCH_ACCOUNT)
    return user


def change_password(
    engine: Engine, by: By, session_id: str, current: str, new: str, *, now: Now = utc_now
) -> None:
    """Change one's password (the current one must be given); ends every other session."""
    assert by.user_id is not None
    with Session(writer(engine)) as session:
        user = _own(session, by.user_id)
        if not verify_password(user, current):
            raise Invalid(texts.NOT_CURRENT, "current")
        try:
            user.password_hash = hash_password(new, user.email)
        except UserError as exc:
            raise Invalid(str(exc), "password") from None
        session.add(user)
        ended = end_other_sessions(session, user.id, session_id, now=now)
        record(session, by, "password_changed", target_id=user.id, target=user.email,
               detail=f"{ended} other session(s) ended", now=now)  # fmt: skip
        session.commit()


def enrol(
    engine: Engine, by: By, session_id: str, secret: str, code: str, *, now: Now = utc_now
) -> list[str]:
    """Make `secret` one's authenticator once a code of it is right, with ten new recovery
    codes (returned, to be shown once); every other session ends."""
    assert by.user_id is not None
    digits = totp.clean_code(code)
    if digits is None:
        raise Invalid(texts.CODE_FORMAT, "code")
    if not totp.valid_secret(secret):
        raise Invalid(texts.ENROL_STALE, "secret")
    step = totp.matching_step(secret, digits, now())
    if step is None:
        raise Invalid(texts.CODE_WRONG, "code")
    with Session(writer(engine)) as session:
        user = _own(session, by.user_id)
        totp.store(session, user.id, secret, step, now=now)
        codes = recovery.replace_codes(session, user.id, now=now)
        ended = end_other_sessions(session, user.id, session_id, now=now)
        record(session, by, "two_factor_enrolled", target_id=user.id, target=user.email,
               detail=f"{ended} other session(s) ended", now=now)  # fmt: skip
        session.commit()
    return codes


def new_recovery_codes(engine: Engine, by: By, password: str, *, now: Now = utc_now) -> list[str]:
    """Ten new recovery codes for one's account (the old ones stop working); the password
    must be given."""
    assert by.user_id is not None
    with Session(writer(engine)) as session:
        user = _own(session, by.user_id)
        if not verify_password(user, password):
            raise Invalid(texts.NOT_CURRENT, "current")
        if session.get(totp.TotpCredential, user.id) is None:
            raise Invalid(texts.ENROL_FIRST, "current")
        codes = recovery.replace_codes(session, user.id, now=now)
        record(session, by, "recovery_codes_made", target_id=user.id, target=user.email, now=now)
        session.commit()
    return codes


def end_session(engine: Engine, by: By, session_id: str, *, now: Now = utc_now) -> None:
    """Sign out one of one's own sessions; NotFound if it is not one's own or not live."""
    assert by.user_id is not None
    with Session(writer(engine)) as session:
        if not end_session_of(session, by.user_id, session_id[:100], now=now):
            raise NotFound(texts.NO_SUCH_SESSION)
        record(session, by, "session_ended", target_id=by.user_id, target=by.email, now=now)
        session.commit()


def end_other_own_sessions(engine: Engine, by: By, keep: str, *, now: Now = utc_now) -> int:
    """Sign out every one of one's sessions but this one; how many ended."""
    assert by.user_id is not None
    with Session(writer(engine)) as session:
        ended = end_other_sessions(session, by.user_id, keep, now=now)
        record(session, by, "other_sessions_ended", target_id=by.user_id, target=by.email,
               detail=f"{ended} session(s)", now=now)  # fmt: skip
        session.commit()
        return ended


def second_factor(
    engine: Engine, user: User, *, code: str = "", recovery_code: str = "", ip: str = ""
) -> bool:
    """True when a sign-in's second factor is right: a code of the authenticator not used
    before, or an unused recovery code (which is used up, and the audit records it)."""
    if code:
        return totp.use_code(engine, user.id, code)
    if recovery_code and recovery.use_code(engine, user.id, recovery_code):
        left = recovery.unused(engine, user.id)
        with Session(engine) as session:
            record(session, By(user.id, user.email, ip), "recovery_code_used",
                   target_id=user.id, target=user.email, detail=f"{left} left")  # fmt: skip
            session.commit()
        return True
    return False


__all__ = [
    "accept_link",
    "change_password",
    "end_other_own_sessions",
    "end_session",
    "enrol",
    "new_recovery_codes",
    "second_factor",
]

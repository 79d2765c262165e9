"""Time-based one-time codes (TOTP, RFC 6238: 6 digits, 30-second steps, SHA-1, as every
authenticator app reads them) with pyotp, and the QR code that carries the secret to the app.

A code is accepted for the current step and one step either side (clock drift), and only for a
step later than the last one accepted for the account: the step is stored with a compare-and-set,
so a code, once used, never works again, even if two requests race with it.
The secret is kept as it is (it must be, to check codes): the password still protects the
account from whoever reads the database, and an admin can reset both.
"""

from __future__ import annotations

import hmac
import io
from datetime import datetime

import pyotp
from sqlalchemy import Engine, update
from sqlmodel import Field, Session, SQLModel, select

from tracker.accounts.sessions import Now, stamp, utc_now

ISSUER = "Crimea case tracker"
DIGITS = 6
STEP_SECONDS = 30
DRIFT_STEPS = 1


class TotpCredential(SQLModel, table=True):
    """An account's confirmed authenticator: its secret and the last step a code was used for."""

    __tablename__ = "totp_credentials"
    user_id: str = Field(primary_key=True, foreign_key="users.id")
    secret: str
    enrolled_at: str
    last_step: int | None = None


def new_secret() -> str:
    """A random base32 secret of 160 bits (RFC 4226's recommended length)."""
    return pyotp.random_base32(32)


def valid_secret(secret: str) -> bool:
    """A base32 secret of the length new_secret makes (for one sent back by a form)."""
    return len(secret) == 32 and all(c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for c in secret)


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=email, issuer_name=ISSUER
    )


def qr_svg(text: str) -> str:
    """`text` as a QR code in SVG: one path, no script and no style (segno, imported here)."""
    import segno

    buffer = io.BytesIO()
    segno.make(text, error="m").save(
        buffer,
        kind="svg",
        xmldecl=False,
        svgns=True,
        nl=False,
        scale=5,
        border=4,
        dark="#000",
        light="#fff",
        svgclass="qr",
        lineclass=None,
    )
    return buffer.getvalue().decode("utf-8")


def clean_code(text: str) -> str | None:
    """The digits of a code as typed ('123 456' and '123-456' too), or None if it is not one."""
    digits = "".join(c for c in text if c not in " -")
    return digits if len(digits) == DIGITS and digits.isascii() and digits.isdigit() else None


def matching_step(secret: str, code: str, moment: datetime) -> int | None:
    """The time step (within the drift allowed) whose code this is, or None."""
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    current = totp.timecode(moment)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        expected = totp.generate_otp(step)
        if hmac.compare_digest(expected, code):
            return step
    return None


def credential_of(engine: Engine, user_id: str) -> TotpCredential | None:
    with Session(engine) as session:
        return session.get(TotpCredential, user_id)


def is_enrolled(engine: Engine, user_id: str) -> bool:
    return credential_of(engine, user_id) is not None


def enrolled_ids(engine: Engine) -> set[str]:
    """The ids of every account with an authenticator."""
    with Session(engine) as session:
        return set(session.exec(select(TotpCredential.user_id)))


def store(session: Session, user_id: str, secret: str, step: int, *, now: Now = utc_now) -> None:
    """Make `secret` the account's authenticator (replacing any before), with `step` used."""
    found = session.get(TotpCredential, user_id)
    if found is None:
        found = TotpCredential(user_id=user_id, secret=secret, enrolled_at=stamp(now()))
    found.secret, found.enrolled_at, found.last_step = secret, stamp(now()), step
    session.add(found)


def use_code(engine: Engine, user_id: str, code: str, *, now: Now = utc_now) -> bool:
    """True, once, for a right code of the account's authenticator: its step is recorded as
    used in the same statement that checks no later step was, so a replay gets False."""
    digits = clean_code(code)
    credential = credential_of(engine, user_id)
    if digits is None or credential is None:
        return False
    step = matching_step(credential.secret, digits, now())
    if step is None:
        return False
    column = TotpCredential.last_step
    with Session(engine) as session:
        result = session.execute(
            update(TotpCredential)
            .where(
                TotpCredential.user_id == user_id,  # type: ignore[arg-type]
                TotpCredential.secret == credential.secret,  # type: ignore[arg-type]
                column.is_(None) | (column < step),  # type: ignore[union-attr,operator]
            )
            .values(last_step=step)
        )
        session.commit()
        return bool(getattr(result, "rowcount", 0))


__all__ = [
    "DIGITS",
    "ISSUER",
    "STEP_SECONDS",
    "TotpCredential",
    "clean_code",
    "credential_of",
    "enrolled_ids",
    "is_enrolled",
    "matching_step",
    "new_secret",
    "provisioning_uri",
    "qr_svg",
    "store",
    "use_code",
    "valid_secret",
]

"""The password policy, applied wherever a person chooses a password (the command line, an
invitation, a reset link, a change on the account page), and the Argon2 hasher.

A password must have at least MIN_LENGTH characters and must not be on the bundled list of
common passwords (`data/common-passwords.txt.gz`, see `data/NOTICE.md`; read once, on first
use, with no network), nor be one of them with digits or symbols around it, nor repeat a few
characters over and over, nor be the account's email address. Spaces are allowed: a
passphrase is a good password.
"""

from __future__ import annotations

import functools
import gzip
from importlib import resources

from argon2 import PasswordHasher, Type

from tracker.accounts import texts

MIN_LENGTH = 12
MAX_LENGTH = 1000
ARGON2 = {
    "type": Type.ID,
    "time_cost": 3,
    "memory_cost": 65536,
    "parallelism": 4,
    "hash_len": 32,
    "salt_len": 16,
}
"""Argon2id with RFC 9106's second recommended (low-memory) choice: 3 passes over 64 MiB with
4 lanes, a 16-byte salt and a 32-byte tag (the README states these)."""
_AROUND = "0123456789!@#$%^&*()_+-=[]{};:'\",.<>/?\\|`~ "


class PasswordRejected(ValueError):
    """A password the policy refuses; the message says why."""


def hasher() -> PasswordHasher:
    """The hasher every password goes through."""
    return PasswordHasher(**ARGON2)  # type: ignore[arg-type]


@functools.cache
def common_passwords() -> frozenset[str]:
    """The bundled list, lowercased."""
    data = resources.files("tracker.accounts").joinpath("data/common-passwords.txt.gz")
    text = gzip.decompress(data.read_bytes()).decode("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def _repetitive(password: str) -> bool:
    """One to four characters said again and again ('aaaaaaaaaaaa', 'abcabcabcabc')."""
    return any(
        len(password) % size == 0 and password == password[:size] * (len(password) // size)
        for size in range(1, 5)
    )


def problem(password: str, *, email: str = "") -> str | None:
    """Why the policy refuses `password` for the account `email`, or None when it is good."""
    if len(password) < MIN_LENGTH:
        return texts.TOO_SHORT.format(minimum=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return texts.TOO_LONG.format(maximum=MAX_LENGTH)
    lowered = password.lower()
    common = common_passwords()
    if lowered in common or "".join(lowered.split()) in common:
        return texts.COMMON_LIST
    core = lowered.strip(_AROUND)
    if len(core) >= 4 and core != lowered and (core in common or _repetitive(core)):
        return texts.COMMON_BASE
    if _repetitive(lowered):
        return texts.REPETITIVE
    address = email.strip().lower()
    if address and lowered in {address, address.partition("@")[0]}:
        return texts.IS_EMAIL
    return None


def check(password: str, *, email: str = "") -> None:
    """Refuse a password the policy does not allow (PasswordRejected says why)."""
    reason = problem(password, email=email)
    if reason is not None:
        raise PasswordRejected(reason)


__all__ = [
    "ARGON2",
    "MAX_LENGTH",
    "MIN_LENGTH",
    "PasswordRejected",
    "check",
    "common_passwords",
    "hasher",
    "problem",
]

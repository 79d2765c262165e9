"""Errors `decide` raises: each says what is wrong in plain words and names the field if any."""

from __future__ import annotations


class DomainError(Exception):
    """A refused command; `field` is the command's field path, e.g. 'replacement.date'."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotAllowed(DomainError):
    """The actor's role does not allow it, or four eyes forbid it (403)."""


class NotFound(DomainError):
    """The stream or target event does not exist (404)."""


class Invalid(DomainError):
    """The data is wrong: a bad id, an unknown code, a value that fails validation (422)."""


class Conflict(DomainError):
    """The stream's state forbids it: already opened, reviewed, rejected or retracted (409)."""


__all__ = ["Conflict", "DomainError", "Invalid", "NotAllowed", "NotFound"]

"""Cell values that are safe to open in a spreadsheet.

A cell that starts with =, +, -, @, tab, CR or LF could be read as a formula (CSV injection):
OWASP's answer is to put a single quote in front, which every spreadsheet shows as text, and
to quote every field (the CSV writer quotes all of them). Control characters that XML and
many tools refuse are replaced with U+FFFD, so no value can break the file.
"""

from __future__ import annotations

import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
_STARTS = frozenset(FORMULA_STARTS)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Cell = str | int | list[str]
"""A value as a column gives it: text, a count, or a list of texts."""


def clean(text: str) -> str:
    """Replace control characters (other than tab, CR and LF) with U+FFFD."""
    return text if text.isprintable() else _CONTROL.sub("\ufffd", text)


def neutralise(text: str) -> str:
    """Text that a spreadsheet cannot take for a formula: a leading ' where it starts like one."""
    cleaned = text if text.isprintable() else _CONTROL.sub("\ufffd", text)
    return "'" + cleaned if cleaned[:1] in _STARTS else cleaned


def flat(value: Cell, separator: str = "; ") -> str | int:
    """A value for one spreadsheet cell: lists joined, text neutralised, counts as they are."""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, list):
        return neutralise(separator.join(value))
    return value


__all__ = ["FORMULA_STARTS", "Cell", "clean", "flat", "neutralise"]

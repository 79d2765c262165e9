"""Possible duplicates of a new case: existing cases whose names share folded words with it.

Names are compared as `search_key` words, so Akhtemov, Ahtemov and Ахтемов are one word; the
order of words does not matter. A case matches when every word of the new name (or of one of
its variants) is among its words ('same name'), or when a word of at least four letters is
('similar').
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, or_, select

from tracker.domain.names import search_key
from tracker.projections.projector import CASES
from tracker.projections.queries import Row

_MIN_WORD = 4


def _word_sets(name: str, variants: Sequence[str]) -> list[set[str]]:
    return [set(key.split()) for key in (search_key(t) for t in (name, *variants)) if key]


def possible_matches(
    conn: Connection, name: str, variants: Sequence[str] = (), *, limit: int = 10
) -> list[Row]:
    """Existing cases that may be the same person, closest first; each row gains `match`."""
    names = _word_sets(name, variants)
    words = {w for s in names for w in s if len(w) >= _MIN_WORD} or {w for s in names for w in s}
    if not words:
        return []
    c = CASES.c
    query = select(CASES).where(or_(*(c.search_text.contains(w, autoescape=True) for w in words)))
    scored: list[tuple[int, str, Row]] = []
    for found in conn.execute(query.limit(500)).mappings():
        row = dict(found)
        theirs = set(row["search_text"].split())
        if any(s <= theirs for s in names):
            row["match"] = "same name"
            scored.append((0, row["name"], row))
        elif words & theirs:
            row["match"] = "similar"
            scored.append((1, row["name"], row))
    scored.sort(key=lambda item: (item[0], item[1]))
    return [row for _, _, row in scored[:limit]]


__all__ = ["possible_matches"]

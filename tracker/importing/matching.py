"""Finding the case a row is about: by case id, else by name across spellings and birth date.

Names match when the words of one spelling (folded by `names.search_key`, in any order) are
all among the words of a spelling of the other, with at least two words: 'AKHTEMOV Asan' finds
'Asan Ahtemov' and 'Ахтемов Асан Рустемович'. Birth dates must overlap when both are known;
when either is unknown the match is by name alone, and the preview says so.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Connection, select

from tracker.domain.dates import PartialDate
from tracker.domain.names import search_key
from tracker.projections.projector import CASES


@dataclass(frozen=True, slots=True)
class Person:
    """A case (or an earlier row of the file) as matching sees it."""

    case_id: str
    name: str
    spellings: tuple[frozenset[str], ...]
    birth_date: PartialDate


@dataclass(frozen=True, slots=True)
class Match:
    """The case a row was matched to, and how (shown for a person to confirm)."""

    case_id: str
    name: str
    birth_date: str
    how: str


def spellings(name: str, variants: Iterable[str] = ()) -> tuple[frozenset[str], ...]:
    """The folded word sets of a name and its variants."""
    found = {frozenset(search_key(text).split()) for text in (name, *variants)}
    return tuple(words for words in found if words)


def _names_meet(a: tuple[frozenset[str], ...], b: tuple[frozenset[str], ...]) -> bool:
    return any(len(x & y) >= 2 and (x <= y or y <= x) for x in a for y in b)


def _overlap(a: PartialDate, b: PartialDate) -> bool | None:
    """True or False when both dates are known, None when either is not."""
    first_a, last_a, first_b, last_b = a.earliest(), a.latest(), b.earliest(), b.latest()
    if first_a is None or last_a is None or first_b is None or last_b is None:
        return None
    return first_a <= last_b and first_b <= last_a


def _pairs(words: frozenset[str]) -> list[tuple[str, str]]:
    ordered = sorted(words)
    return [(a, b) for i, a in enumerate(ordered) for b in ordered[i + 1 :]]


@dataclass
class People:
    """An index of people by the pairs of words in their names (two names can only meet if
    they share a pair, so a common first name does not make every look-up long)."""

    by_pair: dict[tuple[str, str], list[Person]] = field(default_factory=lambda: defaultdict(list))
    by_id: dict[str, Person] = field(default_factory=dict)

    def add(self, person: Person) -> None:
        self.by_id[person.case_id] = person
        for pair in {p for words in person.spellings for p in _pairs(words)}:
            self.by_pair[pair].append(person)

    def find(
        self, names: tuple[frozenset[str], ...], birth: PartialDate
    ) -> list[tuple[Person, bool]]:
        """People whose names meet these and whose birth date does not contradict, each with
        True when the birth dates were compared (both known) and agree."""
        seen: dict[str, tuple[Person, bool]] = {}
        for pair in {p for words in names for p in _pairs(words)}:
            for person in self.by_pair.get(pair, ()):
                if person.case_id in seen or not _names_meet(names, person.spellings):
                    continue
                agree = _overlap(birth, person.birth_date)
                if agree is not False:
                    seen[person.case_id] = (person, agree is True)
        return list(seen.values())


def load_people(conn: Connection) -> People:
    """Every case that can still take facts: its opening not rejected, not retracted."""
    people = People()
    query = select(
        CASES.c.stream_id, CASES.c.name, CASES.c.name_variants, CASES.c.birth_date
    ).where(CASES.c.opened_review != "rejected", CASES.c.retracted.is_(False))
    for case_id, name, variants, birth in conn.execute(query):
        people.add(Person(case_id, name, spellings(name, variants or []), _date(birth)))
    return people


def _date(display: str) -> PartialDate:
    try:
        return PartialDate.parse(display.removeprefix("c. "))
    except ValueError:
        return PartialDate.unknown()


def best(candidates: list[tuple[Person, bool]]) -> tuple[Person | None, str, list[Person]]:
    """(the one person meant, how, the ambiguous ones): one candidate whose birth date agrees
    wins over name-only ones; otherwise exactly one candidate must remain."""
    dated = [p for p, agree in candidates if agree]
    if len(dated) == 1:
        return dated[0], "name and birth date", []
    if len(candidates) == 1:
        return candidates[0][0], "name only (a birth date is unknown)", []
    return None, "", [p for p, _ in candidates]


__all__ = ["Match", "People", "Person", "best", "load_people", "spellings"]

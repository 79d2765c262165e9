"""The fields a spreadsheet row can give, and the column headers recognised for each, in
English, Ukrainian and Russian (the export's own labels among them, so an export re-imports).

Headers are compared folded: lower case, apostrophes and punctuation dropped, spaces single.
Any other column is ignored unless mapped (`--map 'COLUMN=field'`, or in the web preview).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

FIELDS: dict[str, str] = {
    "case_id": "the tracker's case id (case-...), to update that case",
    "name": "the person's name (required)",
    "variants": "other spellings of the name, separated by ';'",
    "birth_date": "date of birth",
    "gender": "female, male, other",
    "region": "region",
    "detention_date": "date of detention",
    "charges": "articles of charge, separated by ';' (205.5 part 2, uk-205-5-ch-2, ...)",
    "status": "status now, as the facts that make it (pre-trial detention, serving a "
    "sentence, released, ...)",
    "facility": "place of detention",
    "release_date": "date of release",
    "death_date": "date of death",
    "source": "link to (or name of) the source",
    "notes": "notes (recorded as internal notes)",
}
IGNORE = "ignore"

_HEADERS: dict[str, tuple[str, ...]] = {
    "case_id": ("case id", "case_id", "id", "tracker id", "id справи", "ідентифікатор справи",
                "id дела", "идентификатор дела"),
    "name": ("name", "full name", "person", "name of the person", "піб", "ім'я", "прізвище ім'я",
             "прізвище ім'я по батькові", "прізвище та ім'я", "фио", "ф и о", "имя",
             "фамилия имя", "фамилия имя отчество", "фамилия и имя"),
    "variants": ("other spellings", "variants", "name variants", "spellings", "aliases",
                 "also known as", "aka", "інші написання", "варіанти імені", "варіанти написання",
                 "другие написания", "варианты имени", "варианты написания"),
    "birth_date": ("date of birth", "birth date", "born", "dob", "year of birth",
                   "дата народження", "рік народження", "народився", "народилася",
                   "дата рождения", "год рождения", "родился", "родилась"),
    "gender": ("gender", "sex", "стать", "пол"),
    "region": ("region", "регіон", "область", "регион"),
    "detention_date": ("detention date", "date of detention", "detained", "arrest date",
                       "date of arrest", "arrested", "дата затримання", "дата арешту",
                       "затриманий", "затримана", "дата задержания", "дата ареста",
                       "задержан", "задержана"),
    "charges": ("charges", "charge", "article", "articles", "article of charge",
                "criminal code article", "стаття", "статті", "стаття кк", "обвинувачення",
                "статья", "статьи", "статья ук", "статья ук рф", "обвинение"),
    "status": ("status", "статус", "стан", "состояние"),
    "facility": ("place of detention", "facility", "prison", "detention facility",
                 "місце утримання", "місце ув'язнення", "місце позбавлення волі", "установа",
                 "место содержания", "место заключения", "место лишения свободы",
                 "учреждение"),
    "release_date": ("release date", "date of release", "released", "дата звільнення",
                     "звільнений", "звільнена", "дата освобождения", "освобожден",
                     "освобождена"),
    "death_date": ("date of death", "death date", "died", "дата смерті", "помер", "померла",
                   "дата смерти", "умер", "умерла"),
    "source": ("source", "sources", "source link", "link", "url", "джерело", "джерела",
               "посилання", "источник", "источники", "ссылка"),
    "notes": ("notes", "note", "comment", "comments", "remarks", "примітки", "примітка",
              "коментар", "коментарі", "примечания", "примечание", "комментарий"),
}  # fmt: skip
_APOSTROPHES = str.maketrans({"’": "'", "ʼ": "'", "`": "'", "´": "'", "‘": "'"})
_PUNCTUATION = re.compile(r"[^\w']+")


@lru_cache(maxsize=8192)
def fold(header: str) -> str:
    """A header as it is compared: 'Дата народження:' and 'дата  НАРОДЖЕННЯ' fold alike."""
    text = unicodedata.normalize("NFC", header).lower().translate(_APOSTROPHES)
    return " ".join(_PUNCTUATION.sub(" ", text.replace("_", " ")).split()).replace("ё", "е")


KNOWN: dict[str, str] = {fold(h): name for name, headers in _HEADERS.items() for h in headers}


@dataclass(frozen=True, slots=True)
class ColumnUse:
    """What one column of the file gives: a field, or None (ignored); `how` says why."""

    index: int
    header: str
    field: str | None
    how: str
    """'recognised', 'mapped' or 'ignored'."""


class MappingError(ValueError):
    """A --map that names no column of the file or no field."""


def parse_map(items: Sequence[str]) -> dict[str, str]:
    """'COLUMN=field' options as {column: field}; ValueError for a malformed one."""
    mapping: dict[str, str] = {}
    for item in items:
        column, sep, target = item.rpartition("=")
        if not sep or not column.strip():
            raise MappingError(f"--map {item!r}: write COLUMN=field, e.g. 'ПІБ=name'")
        mapping[column.strip()] = target.strip()
    return mapping


def resolve(headers: Sequence[str], mapping: Mapping[str, str]) -> list[ColumnUse]:
    """Which field each column gives: the mapping first, then the recognised headers."""
    by_fold = {fold(h): h for h in headers}
    wanted: dict[str, str] = {}
    for column, target in mapping.items():
        if target != IGNORE and target not in FIELDS:
            raise MappingError(
                f"--map {column}={target}: no field {target!r}; the fields are "
                f"{', '.join(FIELDS)} (or {IGNORE})"
            )
        header = column if column in headers else by_fold.get(fold(column))
        if header is None:
            raise MappingError(
                f"--map {column}={target}: the file has no column {column!r}; its columns are "
                + ", ".join(repr(h) for h in headers)
            )
        wanted[header] = target
    uses = []
    for index, header in enumerate(headers):
        if header in wanted:
            target = wanted[header]
            field = None if target == IGNORE else target
            uses.append(ColumnUse(index, header, field, "mapped" if field else "ignored"))
        else:
            field = KNOWN.get(fold(header))
            uses.append(ColumnUse(index, header, field, "recognised" if field else "ignored"))
    return uses


__all__ = ["FIELDS", "IGNORE", "KNOWN", "ColumnUse", "MappingError", "fold", "parse_map", "resolve"]

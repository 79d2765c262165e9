"""Reading the cells of a partner's list: dates, genders, statuses, charges, name lists, sources.

Each parser takes the cell's text and returns the value, or raises ValueError saying what is
wrong in words a person can act on (the preview adds the row and the column).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from tracker.domain.dates import PartialDate, Precision
from tracker.domain.events import Gender
from tracker.domain.status import Status
from tracker.domain.values import Charge
from tracker.domain.vocabulary import STATUSES
from tracker.importing.headers import fold

_MONTHS = {
    **dict.fromkeys(("січень", "січня", "январь", "января", "янв", "січ"), 1),
    **dict.fromkeys(("лютий", "лютого", "февраль", "февраля", "фев", "лют"), 2),
    **dict.fromkeys(("березень", "березня", "март", "марта", "мар", "бер"), 3),
    **dict.fromkeys(("квітень", "квітня", "апрель", "апреля", "апр", "квіт"), 4),
    **dict.fromkeys(("травень", "травня", "май", "мая", "трав"), 5),
    **dict.fromkeys(("червень", "червня", "июнь", "июня", "черв"), 6),
    **dict.fromkeys(("липень", "липня", "июль", "июля", "лип"), 7),
    **dict.fromkeys(("серпень", "серпня", "август", "августа", "авг", "серп"), 8),
    **dict.fromkeys(("вересень", "вересня", "сентябрь", "сентября", "сен", "вер"), 9),
    **dict.fromkeys(("жовтень", "жовтня", "октябрь", "октября", "окт", "жовт"), 10),
    **dict.fromkeys(("листопад", "листопада", "ноябрь", "ноября", "ноя", "лист"), 11),
    **dict.fromkeys(("грудень", "грудня", "декабрь", "декабря", "дек", "груд"), 12),
}
_YEAR_WORDS = re.compile(r"\s*(?:р\.|року|рік|г\.|года|год)\s*$")


@lru_cache(maxsize=8192)  # lists repeat their dates, statuses and charges
def parse_date(text: str) -> PartialDate:
    """'12.03.2019', '2019-03-12', 'March 2014', 'березень 2014', '2014', 'c. 2014' or blank
    (unknown). Raises ValueError for anything else."""
    raw = _YEAR_WORDS.sub("", text.strip())
    words = raw.lower().replace(",", " ").split()
    if len(words) == 2 and words[0] in _MONTHS and re.fullmatch(r"\d{4}", words[1]):
        return PartialDate(precision=Precision.MONTH, value=f"{words[1]}-{_MONTHS[words[0]]:02d}")
    if re.fullmatch(r"\d{1,2}\.\d{4}", raw):  # 03.2014
        month, year = raw.split(".")
        return PartialDate.parse(f"{year}-{int(month):02d}")
    try:
        return PartialDate.parse(raw)
    except ValueError:
        raise ValueError(
            f"{text.strip()!r} is not a date: write 12.03.2019, 2019-03-12, March 2014, 2014 "
            "or leave it blank"
        ) from None


_GENDERS = {
    **dict.fromkeys(("f", "female", "woman", "ж", "жін", "жінка", "жіноча", "жен", "женский",
                     "женщина"), Gender.FEMALE),
    **dict.fromkeys(("m", "male", "man", "ч", "чол", "чоловік", "чоловіча", "м", "муж",
                     "мужской", "мужчина"), Gender.MALE),
    **dict.fromkeys(("other", "інша", "інше", "другой", "другое"), Gender.OTHER),
    **dict.fromkeys(("", "unknown", "невідомо", "неизвестно"), Gender.UNKNOWN),
}  # fmt: skip


@lru_cache(maxsize=8192)
def parse_gender(text: str) -> Gender:
    found = _GENDERS.get(fold(text))
    if found is None:
        raise ValueError(f"{text.strip()!r} is not a gender: write female, male or other")
    return found


_STATUS_WORDS: dict[str, Status] = {}
for _term in STATUSES:
    for _word in (_term.code, _term.code.replace("_", " "), _term.label, _term.uk, _term.ru):
        _STATUS_WORDS[fold(_word)] = Status(_term.code)
_STATUS_WORDS.update(
    {
        fold(word): status
        for status, words in {
            Status.PRE_TRIAL_DETENTION: ("pre-trial", "in pre-trial detention", "remand",
                                         "сизо", "під вартою до суду", "под стражей до суда"),
            Status.SERVING_SENTENCE: ("serving sentence", "sentenced", "imprisoned", "convicted",
                                      "засуджений", "засуджена", "осуждён", "осужден",
                                      "осуждена", "відбуває покарання"),
            Status.HOUSE_ARREST: ("house arrest", "домашній арешт", "домашний арест"),
            Status.RELEASED: ("free", "freed", "звільнений", "звільнена", "освобожден",
                              "освобождена", "на волі", "на свободе"),
            Status.MISSING: ("missing", "disappeared", "зник безвісти", "зникла безвісти",
                             "пропал без вести", "пропала без вести"),
            Status.DECEASED: ("dead", "died", "помер", "померла", "умер", "умерла", "погиб"),
            Status.PERSECUTED_AT_LIBERTY: ("at liberty", "persecuted", "under investigation",
                                           "переслідується", "преследуется"),
            Status.IN_CUSTODY: ("in custody", "detained", "під вартою", "под стражей"),
        }.items()
        for word in words
    }
)  # fmt: skip


@lru_cache(maxsize=8192)
def parse_status(text: str) -> Status | None:
    """A status code or label (English, Ukrainian, Russian); None for a blank cell."""
    if not text.strip():
        return None
    found = _STATUS_WORDS.get(fold(text))
    if found is None:
        known = ", ".join(t.label.lower() for t in STATUSES if t.code != "not_established")
        raise ValueError(f"unknown status {text.strip()!r}; write one of: {known}")
    return found


_SLUG = re.compile(r"^uk-(\d+(?:-\d+)*?)(?:-ch-(\d+))?$")
_ARTICLE = re.compile(r"(\d+(?:\.\d+)*)")
_PART = re.compile(r"(?:part|pt\.?|част(?:ина|ини|ь|и)|ч\.?)\s*(\d+)", re.IGNORECASE)
_LABEL = re.compile(r"\(([^()]*)\)\s*$")


def split_list(text: str) -> list[str]:
    """Items separated by ';' or line breaks, stripped, without blanks."""
    return [item.strip() for item in re.split(r"[;\n\r]+", text) if item.strip()]


@lru_cache(maxsize=8192)
def parse_charges(text: str) -> tuple[Charge, ...]:
    """'205.5 part 2; 278', 'ст. 205.5 ч. 2 УК РФ', 'uk-205-5-ch-2' or the export's
    'art. 205.5 part 2 (terrorism)'; the Russian criminal code unless a slug says otherwise."""
    charges: list[Charge] = []
    for item in split_list(text):
        slug = _SLUG.match(item.lower())
        if slug:
            charges.append(Charge(article=slug.group(1).replace("-", "."), part=slug.group(2)))
            continue
        label = _LABEL.search(item)
        body = item[: label.start()] if label else item
        part = _PART.search(body)
        article = _ARTICLE.search(body[: part.start()] + body[part.end() :] if part else body)
        if article is None:
            raise ValueError(
                f"{item!r} names no article: write e.g. 205.5 part 2, ст. 205.5 ч. 2 or "
                "uk-205-5-ch-2"
            )
        charges.append(
            Charge(
                article=article.group(1),
                part=part.group(1) if part else None,
                label=label.group(1).strip() if label else "",
            )
        )
    return tuple(charges)


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A source as a list gives it: a title, a link, or both ('Title <https://...>')."""

    title: str
    url: str


_URL = re.compile(r"https?://\S+", re.IGNORECASE)


@lru_cache(maxsize=8192)
def parse_sources(text: str) -> tuple[SourceRef, ...]:
    refs = []
    for item in split_list(text):
        found = _URL.search(item)
        url = found.group(0).rstrip(">),.") if found else ""
        title = item.replace(found.group(0), "").strip(" <>-–—:") if found else item
        refs.append(SourceRef(title or url, url))
    return tuple(refs)


__all__ = [
    "SourceRef",
    "parse_charges",
    "parse_date",
    "parse_gender",
    "parse_sources",
    "parse_status",
    "split_list",
]

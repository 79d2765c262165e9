"""The charge vocabulary: the legal codes and articles the published lists use most, as data.

One vocabulary for every place a charge is read or written: the import's cell parser, the
forms' search-as-you-type field, filters, statistics, exports and digests. A `Charge` stores
code, article, part and clause; this module gives it a readable label in English, Ukrainian and
Russian ('RF Criminal Code 205.5 part 2 — participation in the activity of a terrorist
organisation'). A charge outside the vocabulary stays valid and is marked as such; never
change the meaning of an entry that stored events may already name, add new ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from tracker.domain.charge_terms import ENTRIES, RF_CC, RF_COAO, UA_CC
from tracker.domain.values import Charge
from tracker.domain.vocabulary import Term

CODES: tuple[Term, ...] = (
    Term(RF_CC, "RF Criminal Code", "КК РФ", "УК РФ",
         "Criminal Code of the Russian Federation, applied by the occupying authorities."),
    Term(RF_COAO, "RF Code of Administrative Offences", "КпАП РФ", "КоАП РФ",
         "Code of Administrative Offences of the Russian Federation: fines, short arrests."),
    Term(UA_CC, "Criminal Code of Ukraine", "КК України", "УК Украины",
         "Criminal Code of Ukraine."),
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Article:
    """One entry: an article of a code, or one part of it, with its labels."""

    code: str
    article: str
    part: str | None
    term: Term

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.code, self.article, self.part)


ARTICLES: tuple[Article, ...] = tuple(
    Article(code, article, part, Term(f"{code}:{article}" + (f":{part}" if part else ""), *labels))
    for code, article, part, *labels in ENTRIES
)
"""Article-level entries (part None) and, where parts differ in meaning, part-level ones."""

_WORDS = {
    # language: (article, part, clause) as written before the number in that language
    "en": ("", "part", "clause"),
    "uk": ("ст.", "ч.", "п."),
    "ru": ("ст.", "ч.", "п."),
}


@cache
def _codes() -> dict[str, Term]:
    return {t.code.upper(): t for t in CODES}


@cache
def _articles() -> dict[tuple[str, str, str | None], Article]:
    return {(a.code.upper(), a.article, a.part): a for a in ARTICLES}


def code_term(code: str) -> Term | None:
    """The vocabulary's entry for a legal code ('RF-CC'), case-insensitively, or None."""
    return _codes().get(code.upper())


def entry(charge: Charge) -> Article | None:
    """The most precise entry for a charge: its part if the vocabulary has one, else its
    article; None when the article is outside the vocabulary."""
    known = _articles()
    code = charge.code.upper()
    if charge.part is not None and (code, charge.article, charge.part) in known:
        return known[(code, charge.article, charge.part)]
    return known.get((code, charge.article, None))


def in_vocabulary(charge: Charge) -> bool:
    """True when the charge's code and article are in the vocabulary."""
    return entry(charge) is not None


def reference(charge: Charge, language: str = "en") -> str:
    """Code, article, part and clause as a person reads them: 'RF Criminal Code 205.5 part 2',
    'КК РФ ст. 205.5 ч. 2 п. «а»'. An unknown code is shown as stored."""
    article_word, part_word, clause_word = _WORDS.get(language, _WORDS["en"])
    known = code_term(charge.code)
    words = [known.label_in(language) if known else charge.code]
    words.append(f"{article_word} {charge.article}".strip())
    if charge.part:
        words.append(f"{part_word} {charge.part}")
    if charge.clause:
        clause = charge.clause if language == "en" else f"«{charge.clause}»"
        words.append(f"{clause_word} {clause}")
    return " ".join(words)


def label(charge: Charge, language: str = "en") -> str:
    """What the charge is called: the vocabulary's label, else the label stored with it."""
    found = entry(charge)
    return found.term.label_in(language) if found else charge.label


def describe(charge: Charge, language: str = "en") -> str:
    """'RF Criminal Code 205.5 part 2 — participation in the activity of a terrorist
    organisation': the reference, and the label when there is one."""
    name = label(charge, language)
    where = reference(charge, language)
    return f"{where} — {name}" if name else where


def describe_slug(slug: str, language: str = "en") -> str:
    """The description of a charge given by its slug (as filters and read rows hold them);
    the slug itself when it cannot be read back."""
    charge = from_slug(slug)
    return describe(charge, language) if charge is not None else slug


def from_slug(slug: str) -> Charge | None:
    """The charge a slug names ('uk-205-5-ch-2', 'rf-coao-20-3-3', 'ua-cc-110-ch-1-p-a'),
    or None when it is not one."""
    text = slug.strip().lower()
    prefixes = [("uk-", RF_CC)] + [(f"{t.code.lower()}-", t.code) for t in CODES]
    for prefix, code in prefixes:
        if not text.startswith(prefix):
            continue
        rest, clause = _split(text[len(prefix) :], "-p-")
        number, part = _split(rest, "-ch-")
        pieces = number.split("-")
        if not pieces or not all(p.isdigit() for p in pieces):
            continue
        if part is not None and not part.isdigit():
            continue
        try:
            return Charge(code=code, article=".".join(pieces), part=part, clause=clause)
        except ValueError:
            return None
    return None


def _split(text: str, marker: str) -> tuple[str, str | None]:
    head, found, tail = text.partition(marker)
    return (head, tail) if found and tail else (text, None)


def search(query: str, language: str = "en", limit: int = 20) -> list[Article]:
    """Entries whose article number starts with the query, or whose label in any language
    holds every word of it; article-number matches first, in vocabulary order."""
    words = query.casefold().split()
    if not words:
        return list(ARTICLES[:limit])
    by_number: list[Article] = []
    by_words: list[Article] = []
    for article in ARTICLES:
        number = f"{article.article}" + (f" {article.part}" if article.part else "")
        if number.startswith(" ".join(words)) or article.article == words[0]:
            by_number.append(article)
            continue
        labels = " ".join(
            (article.term.label, article.term.uk, article.term.ru, reference_of(article, language))
        ).casefold()
        if all(w in labels for w in words):
            by_words.append(article)
    return (by_number + by_words)[:limit]


def reference_of(article: Article, language: str = "en") -> str:
    """The reference of a vocabulary entry, as for a charge."""
    return reference(as_charge(article), language)


def as_charge(article: Article) -> Charge:
    """The charge a vocabulary entry stands for, labelled in English."""
    return Charge(
        code=article.code, article=article.article, part=article.part, label=article.term.label
    )


__all__ = [
    "ARTICLES",
    "CODES",
    "RF_CC",
    "RF_COAO",
    "UA_CC",
    "Article",
    "as_charge",
    "code_term",
    "describe",
    "describe_slug",
    "entry",
    "from_slug",
    "in_vocabulary",
    "label",
    "reference",
    "reference_of",
    "search",
]

"""Small value objects the events carry: charges, sentences, citations, counts."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from tracker.domain.dates import PartialDate

Text = str
"""Free text; events bound their text fields with Field(max_length=...)."""

SHORT = 300
LONG = 20_000
_ARTICLE = re.compile(r"[0-9]+(\.[0-9]+)*")
_CLAUSE = re.compile(r"[^\W_]{1,3}")


class Value(BaseModel):
    """Base of every value object and event: frozen, no unknown fields."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


class Charge(Value):
    """A criminal charge: code, article and part, plus the label people use ('terrorism').

    `slug` follows Memorial's form, e.g. 'uk-205-5-ch-2' for RF Criminal Code art. 205.5 part 2.
    """

    code: str = Field(default="RF-CC", max_length=40, description="criminal code, e.g. RF-CC")
    article: str = Field(max_length=20, description="article, e.g. 205.5")
    part: str | None = Field(default=None, max_length=20)
    clause: str | None = Field(
        default=None, max_length=10, description="clause (пункт) of the part, e.g. а"
    )
    label: str = Field(default="", max_length=SHORT)

    @field_validator("article")
    @classmethod
    def _article_shape(cls, value: str) -> str:
        if not _ARTICLE.fullmatch(value):
            raise ValueError("article must be digits with optional dots, e.g. 205.5")
        return value

    @field_validator("clause")
    @classmethod
    def _clause_shape(cls, value: str | None) -> str | None:
        if value is not None and not _CLAUSE.fullmatch(value):
            raise ValueError("clause must be one letter or number, e.g. а or 1")
        return value

    @property
    def slug(self) -> str:
        prefix = "uk" if self.code.upper() == "RF-CC" else self.code.lower()
        base = f"{prefix}-{self.article.replace('.', '-')}"
        if self.part:
            base = f"{base}-ch-{self.part}"
        return f"{base}-p-{self.clause.lower()}" if self.clause else base

    def display(self) -> str:
        where = f"art. {self.article}" + (f" part {self.part}" if self.part else "")
        if self.clause:
            where += f" clause {self.clause}"
        return f"{where} ({self.label})" if self.label else where


class SentenceKind(StrEnum):
    IMPRISONMENT = "imprisonment"
    SUSPENDED = "suspended"
    FINE = "fine"
    RESTRICTION_OF_FREEDOM = "restriction_of_freedom"
    COMPULSORY_TREATMENT = "compulsory_treatment"
    OTHER = "other"


class Sentence(Value):
    """A sentence as handed down: kind, term, regime, and the words of the verdict."""

    kind: SentenceKind
    years: int | None = Field(default=None, ge=0, le=99)
    months: int | None = Field(default=None, ge=0, le=11)
    regime: str = Field(default="", max_length=SHORT, description="e.g. strict-regime colony")
    text: str = Field(default="", max_length=SHORT)

    @property
    def custodial(self) -> bool:
        return self.kind in {SentenceKind.IMPRISONMENT, SentenceKind.COMPULSORY_TREATMENT}

    def display(self) -> str:
        term = []
        if self.years:
            term.append(f"{self.years} y")
        if self.months:
            term.append(f"{self.months} m")
        parts = [self.kind.value.replace("_", " ")]
        if term:
            parts.append(" ".join(term))
        if self.regime:
            parts.append(self.regime)
        return ", ".join(parts)


class Citation(Value):
    """A source backing a fact: which source, where in it, and what it says (its claim)."""

    source_id: str = Field(max_length=100)
    locator: str = Field(default="", max_length=SHORT, description="page, paragraph, timestamp")
    claim: str = Field(default="", max_length=LONG, description="what the source says")


class CountQualifier(StrEnum):
    EXACT = "exact"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    ABOUT = "about"
    SEVERAL = "several"
    UNKNOWN = "unknown"


class Count(Value):
    """A number as a source gives it: 'more than 70', 'several', 'about 10,000'."""

    qualifier: CountQualifier = CountQualifier.EXACT
    value: int | None = Field(default=None, ge=0)

    def display(self) -> str:
        if self.value is None:
            return self.qualifier.value.replace("_", " ")
        words = {
            CountQualifier.EXACT: "",
            CountQualifier.AT_LEAST: "at least ",
            CountQualifier.MORE_THAN: "more than ",
            CountQualifier.ABOUT: "about ",
            CountQualifier.SEVERAL: "several, ",
            CountQualifier.UNKNOWN: "",
        }
        return f"{words[self.qualifier]}{self.value:,}"


__all__ = [
    "LONG",
    "SHORT",
    "Charge",
    "Citation",
    "Count",
    "CountQualifier",
    "PartialDate",
    "Sentence",
    "SentenceKind",
    "Value",
]

"""The charge vocabulary: readable labels in three languages, slugs that read back, search."""

from __future__ import annotations

import pytest

from tracker.domain import charges
from tracker.domain.charges import RF_CC, RF_COAO, UA_CC
from tracker.domain.values import Charge

REQUIRED = [  # the articles the published lists use most (issue: imports that lose nothing)
    (RF_CC, "205.5"), (RF_CC, "205.2"), (RF_CC, "278"), (RF_CC, "279"), (RF_CC, "280.1"),
    (RF_CC, "282.2"), (RF_CC, "275"), (RF_CC, "276"), (RF_CC, "207.3"), (RF_CC, "222"),
    (RF_CC, "30"), (RF_COAO, "20.3.3"), (RF_COAO, "20.2"),
]  # fmt: skip


@pytest.mark.parametrize(("code", "article"), REQUIRED)
def test_every_common_article_has_a_label_in_each_language(code: str, article: str) -> None:
    found = charges.entry(Charge(code=code, article=article))
    assert found is not None
    term = found.term
    assert term.label and term.uk and term.ru
    assert len({term.label, term.uk, term.ru}) == 3  # written in each language, not copied


def test_entries_and_codes_are_unique() -> None:
    assert len({a.key for a in charges.ARTICLES}) == len(charges.ARTICLES)
    assert len({t.code for t in charges.CODES}) == len(charges.CODES)
    assert {a.code for a in charges.ARTICLES} <= {t.code for t in charges.CODES}


def test_a_part_with_its_own_meaning_is_described_by_it() -> None:
    participation = Charge(code=RF_CC, article="205.5", part="2")
    assert charges.describe(participation) == (
        "RF Criminal Code 205.5 part 2 — participation in the activity of a terrorist organisation"
    )
    assert charges.describe(participation, "uk") == (
        "КК РФ ст. 205.5 ч. 2 — участь у діяльності терористичної організації"
    )
    assert charges.describe(participation, "ru").startswith("УК РФ ст. 205.5 ч. 2 — участие")


def test_a_part_without_an_entry_falls_back_to_its_article() -> None:
    treason = Charge(code=RF_CC, article="275", part="1")
    assert charges.label(treason) == "high treason"
    assert charges.reference(treason) == "RF Criminal Code 275 part 1"


def test_a_clause_is_shown_in_the_notation_of_the_language() -> None:
    murder = Charge(code=RF_CC, article="105", part="2", clause="а", label="murder")
    assert charges.reference(murder, "ru") == "УК РФ ст. 105 ч. 2 п. «а»"
    assert charges.describe(murder) == "RF Criminal Code 105 part 2 clause а — murder"


def test_a_charge_outside_the_vocabulary_keeps_its_own_label_and_code() -> None:
    other = Charge(code="BY-CC", article="361.1", label="creating an extremist formation")
    assert not charges.in_vocabulary(other)
    assert charges.describe(other) == "BY-CC 361.1 — creating an extremist formation"
    assert charges.describe(Charge(code="BY-CC", article="361.1")) == "BY-CC 361.1"


@pytest.mark.parametrize(
    "charge",
    [
        Charge(article="205.5", part="2"),
        Charge(code=RF_COAO, article="20.3.3"),
        Charge(code=UA_CC, article="110", part="2"),
        Charge(article="105", part="2", clause="а"),
        Charge(article="30", part="1"),
    ],
)
def test_slugs_read_back_to_the_same_charge(charge: Charge) -> None:
    back = charges.from_slug(charge.slug)
    assert back is not None
    assert (back.code, back.article, back.part, back.clause) == (
        charge.code,
        charge.article,
        charge.part,
        charge.clause,
    )


def test_the_memorial_slug_stays_as_it_was() -> None:
    assert Charge(article="205.5", part="2").slug == "uk-205-5-ch-2"
    assert Charge(article="278").slug == "uk-278"


@pytest.mark.parametrize("slug", ["", "uk-", "uk-abc", "xx-205", "uk-205-ch-x", "uk-205-p-"])
def test_what_is_not_a_slug_reads_as_none(slug: str) -> None:
    assert charges.from_slug(slug) is None
    assert charges.describe_slug(slug) == slug


def test_search_finds_by_number_and_by_words_in_any_language() -> None:
    by_number = charges.search("205.5")
    assert [a.key for a in by_number][:3] == [
        (RF_CC, "205.5", None),
        (RF_CC, "205.5", "1"),
        (RF_CC, "205.5", "2"),
    ]
    assert (RF_CC, "276", None) in [a.key for a in charges.search("шпигун")]
    assert (RF_CC, "276", None) in [a.key for a in charges.search("Espionage")]
    assert charges.search("no such words at all") == []


def test_a_clause_must_be_a_letter_or_number() -> None:
    with pytest.raises(ValueError, match="clause"):
        Charge(article="105", clause="а, б")

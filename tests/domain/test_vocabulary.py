"""Vocabularies are data, and agree with the enums the events use."""

from __future__ import annotations

import pytest

from tracker.domain.case import Status
from tracker.domain.events import Reliability, RestrictionKind, SourceKind
from tracker.domain.vocabulary import (
    ACTS,
    DETENTION_ACTS,
    RELIABILITY,
    SOURCE_KINDS,
    STATUSES,
    Term,
    act,
    is_act,
    label,
    status,
)


@pytest.mark.parametrize(
    ("terms", "codes"),
    [
        (STATUSES, [s.value for s in Status]),
        (RELIABILITY, [r.value for r in Reliability]),
        (SOURCE_KINDS, [k.value for k in SourceKind]),
    ],
)
def test_each_vocabulary_lists_exactly_its_enums_codes_in_order(
    terms: tuple[Term, ...], codes: list[str]
) -> None:
    assert [t.code for t in terms] == codes


@pytest.mark.parametrize("terms", [STATUSES, ACTS, RELIABILITY, SOURCE_KINDS])
def test_every_term_has_a_unique_code_and_three_labels(terms: tuple[Term, ...]) -> None:
    assert len({t.code for t in terms}) == len(terms)
    for term in terms:
        assert all((term.label, term.uk, term.ru))
        assert term.uk != term.label


def test_the_acts_from_the_brief_and_the_restriction_kinds_are_all_codes() -> None:
    expected = {
        "arrest", "detention", "enforced_disappearance", "abduction", "house_arrest",
        "travel_ban", "search_raid", "torture_ill_treatment", "denial_of_fair_trial",
        "dismissal_from_work", "deportation", "forced_passportization", "unlawful_conscription",
        "persecution_of_media", "persecution_of_religious_community",
        "ban_of_representative_institution", "illegal_elections_coercion", "fine", "other",
    }  # fmt: skip
    assert expected <= {t.code for t in ACTS}
    assert all(is_act(k.value) for k in RestrictionKind)
    assert all(is_act(code) for code in DETENTION_ACTS)


def test_an_act_is_looked_up_by_code_in_three_languages() -> None:
    term = act("search_raid")
    assert term.label == "Search or raid"
    assert term.label_in("uk") == "Обшук"
    assert term.label_in("ru") == "Обыск"
    assert term.label_in("de") == "Search or raid"
    assert status("missing").label == "Missing (whereabouts unknown)"


def test_an_unknown_act_is_refused_with_a_close_suggestion() -> None:
    assert not is_act("serch_raid")
    with pytest.raises(KeyError, match="did you mean 'search_raid'"):
        act("serch_raid")


def test_label_falls_back_to_the_code() -> None:
    assert label("usually_reliable", RELIABILITY, "uk") == "Зазвичай надійне"
    assert label("mystery", ACTS) == "mystery"

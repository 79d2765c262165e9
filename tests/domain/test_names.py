"""Cross-script name matching: spellings of one name meet, different names stay apart."""

from __future__ import annotations

import pytest

from tracker.domain.names import matches, name_keys, search_key

SAME_NAME = [
    ("Ahtemov", "Akhtemov", "Ахтемов"),
    ("Eiupov", "Eyupov", "Эюпов", "Еюпов"),
    ("Abdulhaziev", "Abdulgaziev", "Абдулгазиев", "Абдулгазієв"),
    ("Danylovych", "Danilovich", "Данилович"),
    ("Dovhopola", "Довгопола", "Dovgopola"),
    ("Nimetullaeva", "Nimetullayeva", "Ниметуллаева", "Німетуллаєва"),
    ("Hennadii", "Gennadiy", "Геннадий", "Геннадій"),
    ("Kurtamet", "Куртамет"),
    ("Ziza", "Зиза"),
    ("Iryna", "Irina", "Ирина", "Ірина"),
    ("Halyna", "Galina", "Галина"),
    ("Dzhemilev", "Djemilev", "Jemilev", "Джемилев"),
    ("Chubarov", "Çubarov", "Чубаров"),
    ("Zelenskyi", "Zelensky", "Зеленський", "Зеленский"),
    ("Andrii", "Andriy", "Andrij", "Андрій"),
    ("Lemeshko", "Лемешко", "LEMESHKO"),
    ("Smedlyaev", "Smedliaev", "Смедляев"),
    ("Fyodor", "Фёдор", "Федор"),
]


@pytest.mark.parametrize("spellings", SAME_NAME, ids=lambda group: group[0])
def test_spellings_of_one_name_fold_to_one_key(spellings: tuple[str, ...]) -> None:
    keys = {search_key(s) for s in spellings}
    assert len(keys) == 1, keys


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Kurtamet", "Kurtumerov"),
        ("Ziza", "Zinoviev"),
        ("Asan Ahtemov", "Aziz Ahtemov"),
        ("Iryna", "Irena"),
        ("Halyna", "Hanna"),
        ("Eiupov", "Emirov"),
        ("Abdulhaziev", "Abdullaev"),
    ],
)
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert search_key(one) != search_key(other)
    assert not matches(one, name_keys(other))


def test_a_key_keeps_words_apart_and_drops_punctuation_and_diacritics() -> None:
    assert search_key("  Asan  AKHTEMOV ") == "asan ahtemov"
    assert search_key("Abdul-Ahtem O'Neill") == "abdul ahtem oneil"
    assert search_key("Дов'єнко") == search_key("Довенко")
    assert search_key("") == ""


def test_name_keys_hold_each_full_name_and_each_word_once() -> None:
    keys = name_keys("Asan Ahtemov", ("Асан Ахтемов", "Asan Akhtemov"))
    assert keys == ("asan ahtemov", "asan", "ahtemov")


def test_a_query_in_another_script_finds_the_person() -> None:
    keys = name_keys("Esma Nimetullaeva", ("Эсма Ниметуллаева",))
    assert matches("Німетуллаєва", keys)
    assert matches("esma nimetullayeva", keys)
    assert matches("Nimetul", keys)
    assert matches("метулла", keys)


def test_every_query_word_must_be_found() -> None:
    asan = name_keys("Asan Ahtemov")
    aziz = name_keys("Aziz Ahtemov")
    assert matches("Akhtemov", asan)
    assert matches("Akhtemov", aziz)
    assert matches("Асан Ахтемов", asan)
    assert not matches("Асан Ахтемов", aziz)


def test_an_empty_query_matches_everyone() -> None:
    assert matches("", name_keys("Bohdan Ziza"))
    assert matches("  - ", name_keys("Bohdan Ziza"))

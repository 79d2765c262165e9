"""Importing partner lists: preview per row, all-or-nothing commit, re-import changes nothing."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import Workbook

from tests.app.builders import opened_and_approved, timeline
from tests.app.conftest import ADVOCATE, RESEARCHER
from tracker.bootstrap import Services
from tracker.domain.dates import PartialDate
from tracker.domain.errors import NotAllowed
from tracker.domain.roles import Role
from tracker.exporting import ExportRequest, export_cases
from tracker.importing import (
    ImportChanged,
    ImportRefused,
    MappingError,
    Outcome,
    commit_import,
    preview_import,
)
from tracker.projections.queries import get_case

HEADER = "ПІБ;Дата народження;Дата затримання;Стаття;Статус;Місце утримання;Джерело\n"


def csv_bytes(*rows: str, header: str = HEADER) -> bytes:
    return (header + "\n".join(rows) + "\n").encode("utf-8")


@pytest.fixture
def ahtemov(services: Services) -> str:
    return opened_and_approved(
        services, "Asan Ahtemov", birth_date=PartialDate.parse("1978-05-02"), region="Crimea"
    )


def outcomes(services: Services, data: bytes, **kwargs: object) -> list[tuple[int, str]]:
    preview = preview_import(services, data, "list.csv", RESEARCHER, **kwargs)  # type: ignore[arg-type]
    return [(r.row, r.outcome.value) for r in preview.rows]


def test_the_preview_says_new_update_unchanged_or_error_per_row(
    services: Services, ahtemov: str
) -> None:
    data = csv_bytes(
        "Іваненко Петро;;12.03.2019;205.5 ч. 2;;;",  # nobody like him: new
        "АХТЕМОВ Асан;1978;March 2014;;;;",  # Asan Ahtemov born 1978-05-02: update
        "Asan Akhtemov;02.05.1978;;;;;",  # the same case again: duplicate
        "Bad Date;31.02.2019;;;;;",
        ";1980;;;;;",
        "Someone;;;;вільний як птах;;",
    )
    head = services.store.head()

    preview = preview_import(services, data, "list.csv", RESEARCHER)

    assert [(r.row, r.outcome.value) for r in preview.rows] == [
        (2, "new"),
        (3, "update"),
        (4, "error"),
        (5, "error"),
        (6, "error"),
        (7, "error"),
    ]
    update = preview.rows[1]
    assert update.match is not None and update.match.case_id == ahtemov
    assert update.match.how == "name and birth date"
    assert update.changes == (
        "correct the opening: name variants",
        "Detained (detention): in custody, stage unknown [2014-03]",
    )
    assert [str(p) for r in preview.rows[2:] for p in r.problems] == [
        "row 4, column 'ПІБ': duplicate: row 3 is about the same case (" + ahtemov + ")",
        "row 5, column 'Дата народження': '31.02.2019' is not a date: write 12.03.2019, "
        "2019-03-12, March 2014, 2014 or leave it blank",
        "row 6, column 'ПІБ': the name is missing",
        "row 7, column 'Статус': unknown status 'вільний як птах'; write one of: pre-trial "
        "detention, house arrest or other restrictions, serving a sentence, released, missing "
        "(whereabouts unknown), deceased, persecuted at liberty, in custody (stage unknown)",
    ]
    assert not preview.ok and services.store.head() == head


def test_a_file_with_one_bad_row_writes_nothing(services: Services, ahtemov: str) -> None:
    data = csv_bytes("Іваненко Петро;;12.03.2019;;;;", "Bad Date;31.02.2019;;;;;")
    head = services.store.head()

    with pytest.raises(ImportRefused, match="row 3, column 'Дата народження'"):
        commit_import(services, data, "list.csv", RESEARCHER)

    assert services.store.head() == head


def test_commit_appends_pending_events_by_the_importer_and_reimport_is_a_no_op(
    services: Services, ahtemov: str
) -> None:
    data = csv_bytes(
        "Іваненко Петро;1985;12.03.2019;ст. 205.5 ч. 2;відбуває покарання;СІЗО-2;https://x.org/1",
        "АХТЕМОВ Асан;1978;March 2014;;;;https://x.org/1",
    )

    result = commit_import(services, data, "list.csv", RESEARCHER)

    assert result.preview.counts() == {"new": 1, "update": 1, "unchanged": 0, "error": 0}
    stored = list(services.store.iter_all())[-result.events :]
    assert {e.metadata["actor"] for e in stored} == {RESEARCHER.id}
    new_id = result.preview.rows[0].case_id
    with services.engine.connect() as conn:
        new_case = get_case(conn, new_id)
    events = timeline(services, new_id)
    assert new_case is not None and new_case["opened_review"] == "pending"
    assert new_case["pending_count"] == 4
    assert [e["review"] for e in events] == ["pending"] * 4
    assert sorted(e["type"] for e in events) == [
        "CaseOpened",
        "ChargeBrought",
        "DetentionRecorded",  # at the sentenced stage: that is what 'serving a sentence' says
        "TransferredToFacility",
    ]
    head = services.store.head()

    again = commit_import(services, data, "list.csv", RESEARCHER)

    assert again.events == 0
    assert [r.outcome for r in again.preview.rows] == [Outcome.UNCHANGED, Outcome.UNCHANGED]
    assert services.store.head() == head


def test_the_same_facts_from_another_file_change_nothing(services: Services) -> None:
    first = csv_bytes("Іваненко Петро;1985;12.03.2019;205.5;звільнений;;")
    commit_import(services, first, "partner-a.csv", RESEARCHER)
    other = csv_bytes("Ivanenko Petro;1985;12.03.2019;uk-205-5;released;;", header=HEADER)

    assert outcomes(services, other) == [(2, "unchanged")]


def test_a_status_becomes_the_facts_that_give_it(services: Services) -> None:
    data = csv_bytes(
        "Serving One;;12.03.2019;;serving a sentence;;",
        "Released Two;;2015;;звільнений;;",
        "House Three;;2020-02-01;;домашний арест;;",
        "Dead Four;;;;deceased;;",
        "Free Five;;;;persecuted at liberty;;",
        "Charged Six;;;205.5;persecuted at liberty;;",
    )

    preview = preview_import(services, data, "list.csv", RESEARCHER)

    changes = {r.name: r.changes[1:] for r in preview.rows}
    assert changes["Serving One"] == ("Detained (detention): serving a sentence [2019-03-12]",)
    assert changes["Released Two"] == (
        "Detained (detention): in custody, stage unknown [2015]",
        "Released [unknown]",
    )
    assert changes["House Three"] == (
        "Detained (detention): pre-trial detention [2020-02-01]",
        "Restriction imposed: house arrest [unknown]",
    )
    assert changes["Dead Four"] == ("Died [unknown]",)
    (free,) = [r for r in preview.rows if r.name == "Free Five"]
    assert free.outcome is Outcome.ERROR
    assert "'persecuted at liberty' is expressed by a charge" in str(free.problems[0])
    assert free.problems[0].column == "Статус"
    (charged,) = [r for r in preview.rows if r.name == "Charged Six"]
    assert charged.outcome is Outcome.NEW


def test_a_status_the_dates_contradict_is_refused(services: Services) -> None:
    header = "Name;Detention date;Release date;Status\n"
    data = csv_bytes("Late Release;2019-03-12;2018-01-01;released", header=header)

    (row,) = preview_import(services, data, "list.csv", RESEARCHER).rows

    assert row.outcome is Outcome.ERROR
    assert row.problems[0].column == "Status"
    assert "they give 'in custody (stage unknown)'" in row.problems[0].message


def test_names_match_across_scripts_but_not_a_different_birth_date(
    services: Services, ahtemov: str
) -> None:
    data = csv_bytes("Ахтемов Асан;1990;;;;;", "Akhtemov Asan Rustemovych;;;;;;")

    preview = preview_import(services, data, "list.csv", RESEARCHER)

    assert [r.outcome for r in preview.rows] == [Outcome.NEW, Outcome.ERROR]
    assert "duplicate: the same person as row 2" in preview.rows[1].problems[0].message


def test_a_name_matching_two_cases_asks_for_a_case_id(services: Services) -> None:
    first = opened_and_approved(services, "Eskender Suleimanov")
    second = opened_and_approved(services, "Eskender Suleimanov")

    (row,) = preview_import(
        services, csv_bytes("Сулейманов Ескендер;;;;;;"), "list.csv", RESEARCHER
    ).rows
    assert row.outcome is Outcome.ERROR and "matches more than one case" in row.problems[0].message
    with_id = csv_bytes(f"{second};Сулейманов Ескендер;2019", header="Case ID;Name;Detained\n")

    (row,) = preview_import(services, with_id, "list.csv", RESEARCHER).rows

    assert (row.outcome, row.case_id, row.match and row.match.how) == (
        Outcome.UPDATE,
        second,
        "case id",
    )
    assert first != second


def test_windows_1251_files_and_russian_headers_are_read(services: Services) -> None:
    text = "ФИО,Дата рождения,Дата задержания,Статья УК РФ,Статус\n"
    text += "Куку Эмир-Усеин,02.03.1976,11.02.2016,ст. 205.5 ч. 2,отбывает наказание\n"

    preview = preview_import(services, text.encode("cp1251"), "spisok.csv", RESEARCHER)

    assert preview.encoding == "windows-1251"
    assert [u.field for u in preview.columns] == [
        "name",
        "birth_date",
        "detention_date",
        "charges",
        "status",
    ]
    (row,) = preview.rows
    assert row.outcome is Outcome.NEW and row.name == "Куку Эмир-Усеин"


def test_a_row_with_bytes_that_are_not_utf8_is_a_bad_encoding_error(services: Services) -> None:
    data = csv_bytes("Іваненко Петро;;;;;;") + "Петров Иван;;;;;;\n".encode("cp1251")

    preview = preview_import(services, data, "list.csv", RESEARCHER)

    assert [r.outcome for r in preview.rows] == [Outcome.NEW, Outcome.ERROR]
    assert "bad encoding" in preview.rows[1].problems[0].message


def test_other_columns_are_ignored_unless_mapped(services: Services) -> None:
    data = csv_bytes("Pavlo;12.03.2019;x", header="Full name of detainee;Arrest;Comment\n")

    preview = preview_import(services, data, "list.csv", RESEARCHER)
    assert preview.problems and "no column gives the name" in preview.problems[0]

    mapping = {"Full name of detainee": "name", "Arrest": "detention_date", "Comment": "ignore"}
    preview = preview_import(services, data, "list.csv", RESEARCHER, mapping)

    assert [(u.field, u.how) for u in preview.columns] == [
        ("name", "mapped"),
        ("detention_date", "mapped"),
        (None, "ignored"),
    ]
    assert preview.ok and preview.rows[0].outcome is Outcome.NEW
    with pytest.raises(MappingError, match="no field 'nmae'"):
        preview_import(services, data, "list.csv", RESEARCHER, {"Arrest": "nmae"})
    with pytest.raises(MappingError, match="the file has no column 'Arest'"):
        preview_import(services, data, "list.csv", RESEARCHER, {"Arest": "name"})


def test_xlsx_lists_are_read_with_the_precision_their_dates_show(services: Services) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Name", "Date of birth", "Detention date", "Status"])
    sheet.append(["Server Mustafayev", 1986, datetime(2018, 5, 1), "pre-trial detention"])
    sheet["C2"].number_format = "mmm yyyy"
    out = io.BytesIO()
    book.save(out)

    preview = preview_import(services, out.getvalue(), "list.xlsx", RESEARCHER)

    (row,) = preview.rows
    assert row.outcome is Outcome.NEW
    assert row.changes[1] == "Detained (detention): pre-trial detention [2018-05]"


def test_an_export_imports_back_as_unchanged(services: Services, ahtemov: str) -> None:
    made = export_cases(services, ExportRequest(format="csv"), Role.RESEARCHER)

    assert outcomes(services, b"".join(made.chunks)) == [(8, "unchanged")]


def test_advocates_may_not_import(services: Services) -> None:
    with pytest.raises(NotAllowed, match="the advocate role may not import"):
        preview_import(services, csv_bytes("A B;;;;;;"), "list.csv", ADVOCATE)


def test_a_confirmed_preview_is_committed_as_seen_or_not_at_all(services: Services) -> None:
    data = csv_bytes("Іваненко Петро;1985;12.03.2019;;;;")
    seen = preview_import(services, data, "list.csv", RESEARCHER)
    opened_and_approved(services, "Petro Ivanenko", birth_date=PartialDate.parse("1985"))
    head = services.store.head()

    with pytest.raises(ImportChanged, match="changed since the preview"):
        commit_import(services, data, "list.csv", RESEARCHER, confirmed=seen)
    assert services.store.head() == head

    seen = preview_import(services, data, "list.csv", RESEARCHER)
    result = commit_import(services, data, "list.csv", RESEARCHER, confirmed=seen)

    assert result.preview is seen and seen.rows[0].outcome is Outcome.UPDATE
    assert result.events == 3  # the file as a source, the spelling added, the detention

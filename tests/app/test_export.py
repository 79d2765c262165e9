"""Exports of the case list: literal CSV, safe cells, restricted columns, 'as of' dates."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from openpyxl import load_workbook

from tests.app.builders import approve, day, log, log_approved, opened_and_approved
from tests.app.transfer_fixtures import CONTACT, INTERNAL_NOTE, NOW, SECRET_TITLE, build
from tracker.bootstrap import Services
from tracker.domain.events import (
    ChargeBrought,
    CustodyStage,
    DetentionRecorded,
    Released,
    VerdictDelivered,
)
from tracker.domain.roles import Role
from tracker.domain.values import Charge, Sentence, SentenceKind
from tracker.exporting import ColumnError, ExportError, ExportRequest, export_cases
from tracker.projections.queries import CaseFilter
from tracker.settings import Settings

COLUMNS = (
    "case_id",
    "name",
    "name_variants",
    "birth_date",
    "status",
    "status_since",
    "detention_date",
    "charges",
    "sources",
    "permalink",
)


@pytest.fixture
def built(services: Services) -> Services:
    services.settings = Settings(database_url="sqlite://", base_url="https://tracker.example/")
    build(services)
    return services


def exported(services: Services, role: Role = Role.ADVOCATE, **request: object) -> bytes:
    made = export_cases(services, ExportRequest(**request), role, now=NOW)  # type: ignore[arg-type]
    return b"".join(made.chunks)


def test_csv_export_is_exactly_this(built: Services) -> None:
    head = built.store.head()

    text = exported(built, columns=COLUMNS).decode("utf-8")

    assert text == (
        "\ufeff"
        '"# exported at","2026-12-01T09:30:00+00:00"\r\n'
        '"# log position","20"\r\n'
        f'"# log hash","{head.hash}"\r\n'
        '"# sort","name"\r\n'
        '"# counted","approved cases and facts only"\r\n'
        '"# restricted fields","none"\r\n'
        '"Case ID","Name","Other spellings","Date of birth","Status","Status since",'
        '"Detention date","Charges","Sources","Permalink"\r\n'
        '"case-b","\'=1+2 Formula","","unknown","not_established","","","","",'
        '"https://tracker.example/cases/case-b"\r\n'
        '"case-a","Asan Ahtemov","Ахтемов Асан; Asan Akhtemov","1978","pre_trial_detention",'
        '"2014-03","2014-03","RF Criminal Code 205.5 part 2 — participation in the activity '
        'of a terrorist organisation",'
        '"Crimea Platform statement <https://example.org/s>",'
        '"https://tracker.example/cases/case-a"\r\n'
    )
    assert head.position == 20


def test_json_export_states_the_log_head_and_keeps_lists(built: Services) -> None:
    document = json.loads(exported(built, format="json", columns=COLUMNS))

    head = built.store.head()
    assert document["export"]["log_position"] == head.position
    assert document["export"]["log_hash"] == head.hash
    assert document["count"] == 2
    case_a = document["cases"][1]
    assert case_a["name_variants"] == ["Ахтемов Асан", "Asan Akhtemov"]
    assert case_a["detention_date"] == "2014-03"  # month precision, not 2014-03-01
    assert [c["key"] for c in document["columns"]] == list(COLUMNS)


def test_only_approved_cases_and_facts_are_exported(built: Services) -> None:
    rows = list(csv.reader(io.StringIO(exported(built, columns=("name", "status")).decode())))

    assert rows[-2:] == [
        ["'=1+2 Formula", "not_established"],
        ["Asan Ahtemov", "pre_trial_detention"],
    ]
    assert "Pending Person" not in str(rows)  # opening pending; the pending release counts neither


def test_a_formula_is_text_in_the_xlsx_too(built: Services) -> None:
    book = load_workbook(io.BytesIO(exported(built, format="xlsx", columns=("name",))))
    sheet = book["Cases"]
    cells = [row[0] for row in sheet.iter_rows() if row[0].value]

    formula = next(c for c in cells if "1+2" in str(c.value))
    assert formula.value == "'=1+2 Formula"
    assert formula.data_type == "s"
    assert all(c.data_type == "s" for c in cells)


@pytest.mark.parametrize("name", ["+SUM(A1:A9)", "-2+3", "@cmd", '=HYPERLINK("http://x")'])
def test_every_formula_start_is_neutralised_in_csv_and_xlsx(services: Services, name: str) -> None:
    opened_and_approved(services, name)

    rows = list(csv.reader(io.StringIO(exported(services, columns=("name",)).decode())))
    book = load_workbook(io.BytesIO(exported(services, format="xlsx", columns=("name",))))
    (cell,) = [row[0] for row in book["Cases"].iter_rows() if name in str(row[0].value)]

    assert rows[-1] == [f"'{name}"]
    assert (cell.value, cell.data_type) == (f"'{name}", "s")


def test_control_characters_do_not_break_the_files(services: Services) -> None:
    opened_and_approved(services, "Bell\x07Name\x1b")

    text = exported(services, columns=("name",)).decode()
    book = load_workbook(io.BytesIO(exported(services, format="xlsx", columns=("name",))))
    document = json.loads(exported(services, format="json", columns=("name",)))

    assert text.endswith('"Bell\ufffdName\ufffd"\r\n')
    assert [r[0].value for r in book["Cases"].iter_rows()][-1] == "Bell\ufffdName\ufffd"
    assert document["cases"][0]["name"] == "Bell\x07Name\x1b"  # JSON escapes them exactly


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_restricted_fields_are_absent_from_an_advocates_export(built: Services, fmt: str) -> None:
    for columns in ((), ("all",)):
        data = exported(built, format=fmt, columns=columns)
        text = _all_text(data, fmt)
        assert "Asan Ahtemov" in text
        for secret in (SECRET_TITLE, INTERNAL_NOTE, CONTACT, "Internal notes", "Contacts of"):
            assert secret not in text, (fmt, columns, secret)
    with pytest.raises(ColumnError, match="'internal_notes' is restricted: the advocate role"):
        export_cases(built, ExportRequest(format=fmt, columns=("internal_notes",)), Role.ADVOCATE)


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_researchers_may_export_restricted_columns(built: Services, fmt: str) -> None:
    columns = ("name", "internal_notes", "relative_contacts", "confidential_sources", "notes")

    text = _all_text(exported(built, Role.RESEARCHER, format=fmt, columns=columns), fmt)

    for secret in (SECRET_TITLE, INTERNAL_NOTE, f"Lilia (wife): {CONTACT}", "Family visits"):
        assert secret in text


def _all_text(data: bytes, fmt: str) -> str:
    if fmt != "xlsx":
        return data.decode("utf-8")
    book = load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for row in book["Cases"].iter_rows() for c in row)


def test_unknown_columns_and_formats_are_clear_errors(built: Services) -> None:
    with pytest.raises(ColumnError, match=r"unknown column 'nme'; the columns are: case_id, name"):
        export_cases(built, ExportRequest(columns=("nme",)), Role.RESEARCHER)
    with pytest.raises(ExportError, match="unknown format 'pdf'; one of csv, json, xlsx"):
        export_cases(built, ExportRequest(format="pdf"), Role.RESEARCHER)


def test_filters_narrow_the_export_and_are_stated(built: Services) -> None:
    f = CaseFilter(search="Ахтемов", status="pre_trial_detention")

    rows = list(csv.reader(io.StringIO(exported(built, filter=f, columns=("name",)).decode())))

    assert ["# search", "Ахтемов"] in rows and ["# status", "pre_trial_detention"] in rows
    assert rows[-2:] == [["Name"], ["Asan Ahtemov"]]


# --- as of a date, as known at a date -------------------------------------------------------


@pytest.fixture
def kuku(services: Services) -> str:
    """Detained March 2014, charged 2014-04-02, sentenced in 2015, released 2019-05-01."""
    case_id = opened_and_approved(services, "Emir-Usein Kuku")
    log_approved(
        services,
        case_id,
        DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("March 2014"), act="arrest"),
    )
    charge = Charge(article="205.5")
    log_approved(services, case_id, ChargeBrought(date=day("2014-04-02"), charge=charge))
    sentence = Sentence(kind=SentenceKind.IMPRISONMENT, years=12)
    log_approved(services, case_id, VerdictDelivered(date=day("2015"), sentence=sentence))
    log_approved(services, case_id, Released(date=day("2019-05-01")))
    return case_id


def _row(services: Services, **request: object) -> dict[str, str]:
    text = exported(services, columns=("status", "status_since", "detention_date"), **request)
    rows = [r for r in csv.reader(io.StringIO(text.decode("utf-8-sig"))) if r[0][0] != "#"]
    return dict(zip(rows[0], rows[1], strict=True))


@pytest.mark.parametrize(
    ("as_of", "status", "since", "detained"),
    [
        (date(2014, 3, 15), "not_established", "", ""),  # March 2014 not certainly by the 15th
        (date(2014, 3, 31), "pre_trial_detention", "2014-03", "2014-03"),
        (date(2015, 6, 30), "pre_trial_detention", "2014-03", "2014-03"),  # '2015' not yet
        (date(2015, 12, 31), "serving_sentence", "2015", "2014-03"),
        (date(2019, 5, 1), "released", "2019-05-01", ""),
    ],
)
def test_export_as_of_a_date_matches_the_hand_worked_status(
    services: Services, kuku: str, as_of: date, status: str, since: str, detained: str
) -> None:
    assert _row(services, as_of=as_of) == {
        "Status": status,
        "Status since": since,
        "Detention date": detained,
    }


def test_export_as_known_at_a_date_counts_what_the_log_held_then(services: Services) -> None:
    case_id = opened_and_approved(services, "Server Mustafayev")  # appends on days 1 and 2
    detention = log(
        services, case_id, DetentionRecorded(stage=CustodyStage.PRE_TRIAL, date=day("2018-05-21"))
    )  # day 3
    approve(services, case_id, detention)  # day 4: 2026-11-25
    head_before = services.store.read_all(2, 1)[0]

    before = exported(services, known_at=date(2026, 11, 24), columns=("status",)).decode()
    after = _row(services, known_at=date(2026, 11, 25))

    assert f'"# log position","{head_before.global_position}"' in before
    assert f'"# log hash","{head_before.hash}"' in before
    assert before.endswith('"not_established"\r\n')  # logged, not yet approved that day
    assert after["Status"] == "pre_trial_detention"

"""Exporting the case list from its page: the form and the streamed download, for every role,
with and without htmx; the bytes of a small fixture; restricted columns never reaching an
advocate; the list's filters, sort, 'as of' and 'as known at' carried over. SQLite and
PostgreSQL."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.app.transfer_fixtures import CONTACT, INTERNAL_NOTE, SECRET_TITLE
from tests.conftest import SQL_BACKENDS
from tests.support.databases import migrated_sqlite_url, postgres_database
from tests.web.small_world import Small, small_world
from tests.web.world import ROLES
from web.routes.exports import download_name

HEADERS = {"true": {"HX-Request": "true"}, "false": {"HX-Request": "false"}, "missing": {}}
PUBLIC = "case_id,name,name_variants,birth_date,status,status_since,detention_date,charges"
SECRETS = (SECRET_TITLE, INTERNAL_NOTE, CONTACT, "Internal notes", "Contacts of relatives")
RESTRICTED = ("internal_notes", "relative_contacts", "confidential_sources")
LINK = re.compile(r'<a href="(/exports[^"]*)"[^>]*>Export these (\d+) cases?</a>')


@pytest.fixture(scope="module", params=SQL_BACKENDS)
def small(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Small]:
    """One small world per backend for the module: exports only read."""
    folder = tmp_path_factory.mktemp("exports")
    with ExitStack() as stack:
        if request.param == "sqlite":
            url = migrated_sqlite_url(folder)
        else:
            url = stack.enter_context(postgres_database(migrate=True))
        yield stack.enter_context(small_world(url))


def _rows(data: bytes) -> list[list[str]]:
    """The CSV's rows after its heading (the '# ...' lines)."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return [r for r in rows if not r[0].startswith("# ")]


def _heading(data: bytes) -> dict[str, str]:
    rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
    return {r[0][2:]: r[1] for r in rows if r[0].startswith("# ")}


def _hidden(page: str) -> dict[str, str]:
    """The hidden fields of the export form on a page."""
    start = page.index('<form method="get" action="/exports/cases"')
    form = page[start : page.index("</form>", start)]
    found = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form)
    return {name: html.unescape(value) for name, value in found}


def _text(data: bytes, fmt: str) -> str:
    if fmt != "xlsx":
        return data.decode("utf-8")
    book = load_workbook(io.BytesIO(data))
    return "\n".join(str(c.value) for row in book["Cases"].iter_rows() for c in row)


def test_every_role_may_open_the_form_and_download_as_page_or_fragment(small: Small) -> None:
    for role in ROLES:
        client = small.client(role)
        listing = client.get("/cases")
        found = LINK.search(listing.text)
        assert found and found.group(2) == "2", role  # case-a, case-b; case-c is pending
        assert "1 of the 3 listed is pending, rejected or retracted" in listing.text
        fragment = client.get("/cases?search=Formula", headers={"HX-Request": "true"}).text
        found = LINK.search(fragment)
        assert "<!doctype html>" not in fragment and found, role
        assert (found.group(1), found.group(2)) == ("/exports?search=Formula&amp;sort=name", "1")
        for name, headers in HEADERS.items():
            form = client.get("/exports?search=Ahtemov", headers=headers)
            assert form.status_code == 200, (role, name)
            assert '<form method="get" action="/exports/cases"' in form.text, (role, name)
            assert ("<!doctype html>" in form.text) is (name != "true"), (role, name)
            assert form.headers["vary"].startswith("HX-Request")
            got = client.get(f"/exports/cases?format=csv&columns={PUBLIC}", headers=headers)
            assert got.status_code == 200 and got.headers["content-type"].startswith("text/csv")
            assert [r[1] for r in _rows(got.content)[1:]] == ["'=1+2 Formula", "Asan Ahtemov"]


def test_signed_out_browsers_are_sent_to_sign_in(small: Small) -> None:
    client = small.client("anonymous")
    for path in ("/exports?search=A", "/exports/cases?format=csv"):
        page = client.get(path, follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/login?next=")
        fragment = client.get(path, headers={"HX-Request": "true"}, follow_redirects=False)
        assert fragment.status_code == 401 and "/login" in fragment.headers["hx-redirect"]
        assert "Asan" not in page.text + fragment.text


def test_the_csv_download_is_exactly_these_rows(small: Small) -> None:
    got = small.client("advocate").get(f"/exports/cases?format=csv&columns={PUBLIC}")

    head = small.services.store.head()
    assert got.headers["content-disposition"] == 'attachment; filename="cases.csv"'
    assert got.headers["content-type"] == "text/csv; charset=utf-8"
    assert got.content.startswith(b"\xef\xbb\xbf")
    text = got.content.decode("utf-8-sig")
    body = text[text.index('"Case ID"') :]
    assert body == (
        '"Case ID","Name","Other spellings","Date of birth","Status","Status since",'
        '"Detention date","Charges"\r\n'
        '"case-b","\'=1+2 Formula","","unknown","not_established","","",""\r\n'
        '"case-a","Asan Ahtemov","Ахтемов Асан; Asan Akhtemov","1978","pre_trial_detention",'
        '"2014-03","2014-03","RF Criminal Code 205.5 part 2 — participation in the activity '
        'of a terrorist organisation"\r\n'
    )
    heading = _heading(got.content)
    assert (heading["log position"], heading["log hash"]) == (str(head.position), head.hash)
    assert heading["restricted fields"] == "none"


def test_the_xlsx_download_opens_back_and_a_formula_is_text(small: Small) -> None:
    got = small.client("researcher").get("/exports/cases?format=xlsx&columns=name,permalink")

    assert got.headers["content-type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert got.headers["content-disposition"] == 'attachment; filename="cases.xlsx"'
    sheet = load_workbook(io.BytesIO(got.content))["Cases"]
    rows = [list(row) for row in sheet.iter_rows() if row[0].value]
    labels = next(i for i, row in enumerate(rows) if row[0].value == "Name")
    cases = rows[labels + 1 :]
    assert [(r[0].value, r[0].data_type) for r in cases] == [
        ("'=1+2 Formula", "s"),
        ("Asan Ahtemov", "s"),
    ]
    assert cases[1][1].value == "http://127.0.0.1:8000/cases/case-a"


def test_the_json_download_states_the_head_and_keeps_dates_partial(small: Small) -> None:
    got = small.client("advocate").get("/exports/cases?format=json&columns=name,detention_date")

    assert got.headers["content-type"] == "application/json"
    document = json.loads(got.content)
    assert document["export"]["log_hash"] == small.services.store.head().hash
    assert document["cases"] == [
        {"name": "=1+2 Formula", "detention_date": ""},
        {"name": "Asan Ahtemov", "detention_date": "2014-03"},
    ]


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_an_advocate_never_gets_restricted_columns_or_values(small: Small, fmt: str) -> None:
    advocate = small.client("advocate")
    for columns in ("", "&columns=all"):
        got = advocate.get(f"/exports/cases?format={fmt}{columns}")
        text = _text(got.content, fmt)
        assert got.status_code == 200 and "Asan Ahtemov" in text
        assert not [s for s in SECRETS if s in text], columns
    for key in RESTRICTED:
        for query in (f"columns={key}", f"columns=name&columns={key}", f"columns=name,{key}"):
            refused = advocate.get(f"/exports/cases?format={fmt}&{query}")
            assert refused.status_code == 403, query
            assert f"columns: &#39;{key}&#39; is restricted" in refused.text
            assert not [s for s in SECRETS if s in refused.text]
    form = advocate.get("/exports").text
    assert not [key for key in RESTRICTED if f'value="{key}"' in form]


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_a_researcher_may_choose_restricted_columns(small: Small, fmt: str) -> None:
    researcher = small.client("researcher")
    form = researcher.get("/exports").text
    assert all(f'value="{key}"' in form for key in RESTRICTED)

    got = researcher.get(f"/exports/cases?format={fmt}&columns=name,{','.join(RESTRICTED)}")

    text = _text(got.content, fmt)
    assert got.status_code == 200
    assert SECRET_TITLE in text and INTERNAL_NOTE in text and f"Lilia (wife): {CONTACT}" in text


def test_columns_come_in_the_order_chosen_and_blank_selects_are_skipped(small: Small) -> None:
    got = small.client("advocate").get(
        "/exports/cases?columns=status&columns=&columns=name&columns=&search=Asan"
    )

    assert _rows(got.content) == [["Status", "Name"], ["pre_trial_detention", "Asan Ahtemov"]]


def test_the_form_offers_the_default_columns_in_order_and_carries_the_list(small: Small) -> None:
    query = "search=Ahtemov&status=pre_trial_detention&sort=region&desc=true&as_of=2016-01-01"
    form = small.client("advocate").get(f"/exports?{query}").text

    hidden = _hidden(form)
    assert hidden == {
        "search": "Ahtemov",
        "status": "pre_trial_detention",
        "sort": "region",
        "desc": "true",
        "as_of": "2016-01-01",
    }
    selected = re.findall(r'<option value="(\w+)" selected>', form)
    assert selected[:3] == ["case_id", "name", "name_variants"] and "permalink" in selected
    assert "internal_notes" not in selected and "notes" not in selected
    assert "<strong>1</strong> case (approved ones only)" in form


def _listed(client: TestClient, query: str) -> tuple[list[str], str, int]:
    """The names the list page shows, its export link and the number the link says."""
    page = client.get(f"/cases?{query}").text
    names = re.findall(r'<td[^>]*><a href="/cases/case-[^"]+">([^<]*)</a>', page)
    found = LINK.search(page)
    assert found, "no export link"
    return [html.unescape(n) for n in names], html.unescape(found.group(1)), int(found.group(2))


@pytest.mark.parametrize(
    ("query", "names"),
    [
        ("sort=name&desc=true", ["Asan Ahtemov", "=1+2 Formula"]),
        ("search=Ахтемов&status=pre_trial_detention", ["Asan Ahtemov"]),
        ("review=approved", ["=1+2 Formula"]),  # case-a has a pending release
        ("as_of=2014-03-15&status=not_established", ["=1+2 Formula", "Asan Ahtemov"]),
        ("as_of=2014-04-01&status=pre_trial_detention", ["Asan Ahtemov"]),
        ("known_at=2000-01-01", []),
    ],
)
def test_the_export_holds_the_cases_the_list_shows(
    small: Small, query: str, names: list[str]
) -> None:
    """Hand-worked: case-a was detained in 'March 2014', so as of 2014-03-15 that detention
    has not certainly happened yet; nothing was in the log at the end of 2000-01-01."""
    client = small.client("advocate")
    listed, link, count = _listed(client, query)
    hidden = _hidden(client.get(link).text)

    got = client.get("/exports/cases", params={**hidden, "columns": "name"})

    exported = [row[0].removeprefix("'") for row in _rows(got.content)[1:]]
    assert exported == names == [n for n in listed if n != "Pending Person"]
    assert count == len(names)
    heading = _heading(got.content)
    for name in ("as_of", "known_at"):
        if f"{name}=" in query:
            assert heading[name.replace("_", " ")] == hidden[name]


def test_an_as_of_export_says_so_in_its_file_name(small: Small) -> None:
    got = small.client("advocate").get("/exports/cases?as_of=2015-06-30&known_at=2030-01-01")

    assert got.headers["content-disposition"] == (
        'attachment; filename="cases-as-of-2015-06-30-known-at-2030-01-01.csv"'
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("format=pdf", "format: unknown format &#39;pdf&#39;; one of csv, json, xlsx"),
        ("columns=nme", "columns: unknown column &#39;nme&#39;; the columns are: case_id"),
        ("columns=name,name", "columns: column &#39;name&#39; is named twice"),
        ("as_of=2014-13-01", "as_of: &#39;2014-13-01&#39; is not a date (YYYY-MM-DD)"),
        ("known_at=soon", "known_at: &#39;soon&#39; is not a date (YYYY-MM-DD)"),
        ("status=free", "status: unknown status &#39;free&#39;"),
        ("sort=secret", "sort: Input should be"),
        ("columns=" + "x" * 500, "columns: a column key has at most 40 characters"),
    ],
)
def test_a_bad_request_gets_422_naming_what_is_wrong(
    small: Small, query: str, message: str
) -> None:
    for headers in HEADERS.values():
        got = small.client("researcher").get(f"/exports/cases?{query}", headers=headers)
        assert got.status_code == 422 and message in got.text, got.text[-600:]


def test_the_download_name_holds_only_safe_characters() -> None:
    assert download_name('a"b\r\nc/../d;.csv') == 'attachment; filename="a_b__c_.._d_.csv"'
    assert download_name("") == 'attachment; filename="cases"'

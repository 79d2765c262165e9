"""Importing a list from the web: who may, the CSRF check, the per-row preview (new, update
with the matched case shown, unchanged, error), mapping columns, a bad row blocking the commit,
the commit appending pending events by the uploader, re-import changing nothing, and the
previewed bytes being the ones committed. SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from openpyxl import Workbook

from tests.web.import_pages import BAD, GOOD, HEADERS, WRITERS, form_fields, rows, upload
from tests.web.small_world import Small, small_world
from tests.web.world import EMAILS, ROLES, csrf_of, sign_in
from tracker.domain.roles import Actor, Role
from tracker.importing import commit_import
from tracker.projections.queries import CaseFilter, get_case, list_cases


@pytest.fixture
def small(database_url: str) -> Iterator[Small]:
    with small_world(database_url) as built:
        yield built


def test_only_writers_reach_the_import_pages(small: Small) -> None:
    for role in (*ROLES, "anonymous"):
        client = small.client(role)
        token = csrf_of(client.get("/login" if role == "anonymous" else "/cases").text)
        for name, headers in HEADERS.items():
            page = client.get("/imports", headers=headers, follow_redirects=False)
            preview = client.post(
                "/imports/preview",
                data={"csrf_token": token},
                headers=headers,
                follow_redirects=False,
            )
            commit = client.post(
                "/imports/commit",
                data={"csrf_token": token},
                headers=headers,
                follow_redirects=False,
            )
            where = (role, name)
            if role in WRITERS:
                assert page.status_code == 200, where
                assert ("<!doctype html>" in page.text) is (name != "true"), where
                assert 'enctype="multipart/form-data"' in page.text, where
                assert preview.status_code == commit.status_code == 422, where
                assert "choose a CSV or XLSX file" in preview.text, where
            elif role == "advocate":
                assert page.status_code == preview.status_code == commit.status_code == 403, where
                assert "the advocate role may not record or change anything" in page.text
            else:
                assert page.status_code in (303, 401) and preview.status_code in (401, 403), where
    assert small.kept_files == 0


def test_the_nav_links_the_import_page_for_writers_only(small: Small) -> None:
    for role in ROLES:
        shown = '<a href="/imports">Import</a>' in small.client(role).get("/cases").text
        assert shown is (role in WRITERS), role


def test_a_post_without_the_csrf_token_is_refused_and_keeps_nothing(small: Small) -> None:
    client = small.client("researcher")
    for path in ("/imports/preview", "/imports/commit"):
        got = client.post(path, files={"file": ("list.csv", GOOD, "text/csv")})
        assert got.status_code == 403 and "not sent from this site" in got.text
        forged = client.post(path, data={"csrf_token": "0" * 64}, files={"file": ("l.csv", GOOD)})
        assert forged.status_code == 403
    assert small.kept_files == 0


def test_the_preview_says_per_row_new_update_unchanged_or_error(small: Small) -> None:
    head = small.services.store.head()

    status, page = upload(small.client("researcher"), BAD)

    assert status == 422 and "This file cannot be imported as it is" in page
    assert rows(page) == [("2", "new"), ("3", "update"), ("4", "unchanged"), ("5", "error")]
    assert '<a href="/cases/case-a">Asan Ahtemov</a>' in page
    assert "born 1978; matched by name and birth date: check it is the same person" in page
    assert "Released [unknown]" in page
    assert '<a href="/cases/case-b">=1+2 Formula</a>' in page
    assert "row 5, column &#39;Дата народження&#39;: &#39;31.02.2019&#39; is not a date" in page
    assert re.search(r'formaction="/imports/commit"[^>]* disabled>', page)
    assert small.services.store.head() == head


def test_a_file_with_a_bad_row_cannot_be_committed_and_writes_nothing(small: Small) -> None:
    client = small.client("researcher")
    _status, page = upload(client, BAD)
    head = small.services.store.head()

    got = client.post("/imports/commit", data=form_fields(page))

    assert got.status_code == 422 and "Nothing was imported: the file has errors" in got.text
    assert small.services.store.head() == head


def test_commit_appends_pending_events_by_the_uploader_and_reimport_changes_nothing(
    small: Small,
) -> None:
    client = small.client("researcher")
    status, page = upload(client, GOOD)
    assert status == 200 and "Import 3 rows" in page
    head = small.services.store.head()

    done = client.post("/imports/commit", data=form_fields(page), headers={"HX-Request": "true"})

    assert done.status_code == 200 and "<!doctype html>" not in done.text
    stored = list(small.services.store.iter_all(head.position))
    assert stored and "Imported:</strong> " + str(len(stored)) + " events stored" in done.text
    assert {e.metadata["actor"] for e in stored} == {EMAILS["researcher"]}
    assert not [e for e in stored if e.type == "EventReviewed"]
    with small.services.engine.connect() as conn:
        case_a = get_case(conn, "case-a")
        new = list_cases(conn, CaseFilter(search="Ivanenko")).rows
    assert case_a is not None and case_a["status"] == "pre_trial_detention"  # release pending
    assert case_a["pending_count"] == 2  # the fixture's own pending release, and this one
    assert [(r["opened_review"], r["pending_count"]) for r in new] == [("pending", 3)]
    assert small.kept_files == 0, "the kept file is removed once imported"

    status, again = upload(client, GOOD)
    assert status == 200
    assert rows(again) == [("2", "unchanged"), ("3", "unchanged"), ("4", "unchanged")]
    assert "Every row is unchanged" in again
    repeat = client.post("/imports/commit", data=form_fields(again))
    assert repeat.status_code == 200 and "Nothing changed" in repeat.text
    assert small.services.store.head().position == stored[-1].global_position


def test_another_column_can_be_mapped_and_the_preview_made_again(small: Small) -> None:
    client = small.client("researcher")
    data = "Прізвисько,Рік\nPetro Ivanenko,1985\n".encode()
    status, page = upload(client, data)
    assert status == 422 and "no column gives the name" in page
    fields = form_fields(page)
    assert (fields["map-0"], fields["map-1"]) == ("ignore", "ignore")

    remapped = client.post(
        "/imports/preview", data={**fields, "map-0": "name", "map-1": "birth_date"}
    )

    assert remapped.status_code == 200, remapped.text[-800:]
    assert rows(remapped.text) == [("2", "new")]
    again = form_fields(remapped.text)
    assert (again["map-0"], again["map-1"]) == ("name", "birth_date")
    assert "<small>mapped</small>" in remapped.text
    wrong = client.post("/imports/preview", data={**fields, "map-0": "nickname"})
    assert wrong.status_code == 422 and "no field &#39;nickname&#39;" in wrong.text
    done = client.post("/imports/commit", data=again)
    assert done.status_code == 200 and "Imported:" in done.text


def test_an_xlsx_list_is_previewed_like_a_csv(small: Small) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ФИО", "Дата рождения"])
    sheet.append(["Petro Ivanenko", "12.03.1985"])
    out = io.BytesIO()
    book.save(out)

    status, page = upload(small.client("researcher"), out.getvalue(), "list.xlsx")

    assert status == 200 and rows(page) == [("2", "new")] and "xlsx" in page


def test_the_commit_imports_the_bytes_previewed_and_nothing_else(small: Small) -> None:
    client = small.client("researcher")
    _status, page = upload(client, GOOD)
    fields = form_fields(page)
    head = small.services.store.head()
    other = sign_in(small.app, "researcher")  # the same account, another session
    other_token = csrf_of(other.get("/imports").text)

    for changed in (
        {"filename": "other.csv"},
        {"upload": "0" * 64},
        {"upload": "../" * 10 + "etc/passwd"},
        {"seal": "f" * 64},
    ):
        got = client.post("/imports/commit", data={**fields, **changed})
        assert got.status_code == 422, changed
        assert "does not name a file you uploaded" in got.text
    stolen = other.post("/imports/commit", data={**fields, "csrf_token": other_token})
    assert stolen.status_code == 422 and "does not name a file you uploaded" in stolen.text
    resent = client.post(
        "/imports/commit", data=fields, files={"file": ("list.csv", BAD, "text/csv")}
    )
    assert resent.status_code == 200 and "Imported:" in resent.text
    assert "Bad Date" not in resent.text  # the bytes previewed, not the ones sent again
    assert small.services.store.head().position > head.position


def test_a_commit_refuses_when_the_cases_changed_since_the_preview(small: Small) -> None:
    client = small.client("researcher")
    _status, page = upload(client, GOOD)
    fields = form_fields(page)
    reviewer = Actor(EMAILS["reviewer"], Role.REVIEWER)
    commit_import(small.services, GOOD.replace(b"1985", b"1985 "), "first.csv", reviewer)
    head = small.services.store.head()

    got = client.post("/imports/commit", data=fields)

    assert got.status_code == 409 and "changed since your preview" in got.text
    assert small.services.store.head() == head
    tampered = client.post("/imports/commit", data={**fields, "confirm": "0" * 64})
    assert tampered.status_code == 409 and small.services.store.head() == head

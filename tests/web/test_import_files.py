"""Files on the import page: hostile names and cells escaped, files that are no list (or too
big, or badly encoded) refused with a clear 4xx, Windows-1251 read, and the database table
that keeps an upload between preview and commit. SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import html
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from tests.web.import_pages import BAD, GOOD, HEADER, HEADERS, form_fields, rows, token, upload
from tests.web.small_world import Small, small_world
from tracker.uploads import UPLOADS, Uploads
from web.app import create_app
from web.import_form import clean_name


@pytest.fixture
def small(database_url: str) -> Iterator[Small]:
    with small_world(database_url) as built:
        yield built


def test_hostile_file_names_and_cells_are_escaped(small: Small) -> None:
    data = (HEADER + '<script>alert("cell")</script>;1980;;;;javascript:alert(1)\n').encode()

    status, page = upload(small.client("researcher"), data, "<img src=x onerror=alert(1)>.csv")

    assert status in (200, 422)
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;cell&#34;)&lt;/script&gt;" in page
    assert "<img" not in page and "&lt;img src=x onerror=alert(1)&gt;.csv" in page
    assert 'href="javascript:' not in page


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "is not a CSV or XLSX file"),
        ("list.pdf", b"%PDF-1.4", "is not a CSV or XLSX file"),
        ("list.xlsx", b"PK\x03\x04 not really a workbook", "not a readable XLSX file"),
        ("list.csv", b"name\x00;x\n\x00\x01;\x02\n", "not a CSV file: it holds binary data"),
        ("list.csv", "ПІБ\nІваненко\n".encode("utf-16"), "not a CSV file: it holds binary"),
        ("list.csv", b"", "is empty"),
        ("list.csv", b"\n\n", "the file has no header row"),
    ],
)
def test_a_file_that_is_no_list_gets_a_clear_422(
    small: Small, name: str, data: bytes, message: str
) -> None:
    for headers in HEADERS.values():
        status, page = upload(small.client("researcher"), data, name, **headers)
        assert status == 422 and message in html.unescape(page), page[-600:]


def test_a_badly_encoded_row_is_an_error_naming_row_and_column(small: Small) -> None:
    data = "ПІБ;Дата народження\nPetro Ivanenko;1985\n".encode() + b"Bad \xff\xfe bytes;1990\n"

    status, page = upload(small.client("researcher"), data)

    assert status == 422 and rows(page) == [("2", "new"), ("3", "error")]
    assert "row 3, column &#39;ПІБ&#39;: bad encoding" in page


def test_a_windows_1251_file_is_read(small: Small) -> None:
    status, page = upload(small.client("researcher"), GOOD.decode().encode("cp1251"))

    assert status == 200 and "windows-1251" in page
    assert rows(page) == [("2", "new"), ("3", "update"), ("4", "unchanged")]


def test_a_file_name_loses_its_folders() -> None:
    assert clean_name("C:\\Users\\me\\list.csv") == "list.csv"
    assert clean_name("../../etc/passwd\x00.csv") == "passwd.csv"
    assert clean_name("</script>.csv") == "script>.csv"


def test_a_file_over_the_limit_gets_413_with_a_clear_message(small: Small) -> None:
    client = small.client("researcher")
    big = HEADER.encode() + b"Petro Ivanenko;1985;;;;\n" * 50_000

    got = client.post(
        "/imports/preview", data={"csrf_token": token(client)}, files={"file": ("big.csv", big)}
    )

    assert got.status_code == 413
    assert "at most 1,000,000 bytes" in got.text and "Split a bigger import file" in got.text
    assert small.kept_files == 0


def test_the_database_gives_back_only_the_bytes_kept_under_their_digest(small: Small) -> None:
    moment = [datetime(2026, 12, 1, 12, 0, tzinfo=UTC)]
    uploads = Uploads(small.services.engine, max_age=timedelta(hours=2), now=lambda: moment[0])
    digest = uploads.put(GOOD)

    assert digest == hashlib.sha256(GOOD).hexdigest() and uploads.get(digest) == GOOD
    assert uploads.get("../" + digest[3:]) is None and uploads.get(digest.upper()) is None
    with small.services.engine.begin() as conn:  # changed in the table: no longer its digest
        conn.execute(UPLOADS.update().values(data=BAD))
    assert uploads.get(digest) is None
    uploads.put(GOOD)
    moment[0] += timedelta(hours=2, seconds=1)  # kept too long
    assert uploads.get(digest) is None
    uploads.put(BAD)
    assert uploads.count() == 1, "the old file was pruned"
    uploads.drop(hashlib.sha256(BAD).hexdigest())
    assert uploads.count() == 0


def test_a_commit_may_reach_another_instance_than_the_preview(small: Small) -> None:
    """Two apps over one database (two machines behind one address): one previews, the other
    commits the very bytes previewed."""
    client = small.client("researcher")
    status, page = upload(client, GOOD)
    assert status == 200
    other = TestClient(create_app(small.services, small.services.settings))
    other.cookies = client.cookies  # the same signed-in browser, answered by the other app
    head = small.services.store.head()

    done = other.post("/imports/commit", data=form_fields(page))

    assert done.status_code == 200, done.text[:300]
    assert small.services.store.head().position > head.position
    assert small.kept_files == 0

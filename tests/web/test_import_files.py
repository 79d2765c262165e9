"""Files on the import page: hostile names and cells escaped, files that are no list (or too
big, or badly encoded) refused with a clear 4xx, Windows-1251 read, and the server-side folder
that keeps an upload between preview and commit. SQLite and PostgreSQL."""

from __future__ import annotations

import html
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.import_pages import BAD, GOOD, HEADER, HEADERS, rows, token, upload
from tests.web.small_world import Small, small_world
from web.import_form import clean_name
from web.uploads import Uploads


@pytest.fixture
def small(database_url: str, tmp_path: Path) -> Iterator[Small]:
    with small_world(database_url, tmp_path) as built:
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
    assert not small.uploads.exists() or not list(small.uploads.iterdir())


def test_the_upload_folder_gives_back_only_the_bytes_kept_under_their_digest(
    tmp_path: Path,
) -> None:
    uploads = Uploads(tmp_path / "up", max_age=3600)
    digest = uploads.put(GOOD)

    assert uploads.get(digest) == GOOD and (tmp_path / "up").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "up" / digest).stat().st_mode & 0o777 == 0o600
    assert uploads.get("../" + digest[3:]) is None and uploads.get(digest.upper()) is None
    (tmp_path / "up" / digest).write_bytes(BAD)  # changed on disk: no longer its digest
    assert uploads.get(digest) is None
    uploads.put(GOOD)
    os.utime(tmp_path / "up" / digest, (0, 0))  # kept too long
    assert uploads.get(digest) is None
    uploads.put(BAD)
    assert not (tmp_path / "up" / digest).exists(), "pruned"


def test_an_upload_folder_open_to_others_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o777)
    folder.chmod(0o777)

    with pytest.raises(PermissionError, match="must be a folder of this user's with mode 0700"):
        Uploads(folder).put(GOOD)

"""Reading a CSV or XLSX file into a table of text cells, with each row's number as a
spreadsheet shows it.

CSV arrives in UTF-8 (with or without a byte-order mark) or Windows-1251; a file that is UTF-8
except for some lines keeps U+FFFD where the bad bytes were, and the rows holding them are
refused as badly encoded. The delimiter (',' ';' or tab) is detected. Rows before the header
whose first cell starts with '#' (an export's heading) are skipped, and so are blank rows.
XLSX dates become text of the precision their cell format shows ('mmm yyyy' is a month).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

BAD_BYTES = "\ufffd"
_XLSX_MAGIC = b"PK\x03\x04"


class FileError(ValueError):
    """A file that cannot be read as a table at all."""


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]]
    """(row number, cells, as many as there are headers)."""
    encoding: str


def read_table(data: bytes, filename: str = "") -> Table:
    """The file's header and rows; FileError if it is no table."""
    if data.startswith(_XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        return _table(_xlsx_rows(data), "xlsx")
    if b"\x00" in data:  # Python's csv reads NUL bytes as text: a binary file would 'import'
        raise FileError(
            "not a CSV file: it holds binary data (NUL bytes; a UTF-16 text file does too): "
            "save the list as CSV in UTF-8, or as XLSX"
        )
    text, encoding = decode(data)
    return _table(_csv_rows(text), encoding)


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding name): UTF-8 if it is, Windows-1251 if no line is UTF-8 beyond ASCII,
    otherwise UTF-8 with U+FFFD for the bad bytes."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    utf8_lines = 0
    for line in data.split(b"\n"):
        if not line.isascii():
            try:
                line.decode("utf-8")
                utf8_lines += 1
            except UnicodeDecodeError:
                continue
    if utf8_lines == 0:
        return data.decode("cp1251", errors="replace"), "windows-1251"
    return data.decode("utf-8", errors="replace"), "utf-8 (some bytes are not UTF-8)"


def _csv_rows(text: str) -> list[list[str]]:
    sample = "\n".join(line for line in text[:20_000].splitlines() if not line.startswith("#"))
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text, newline=""), dialect))
    except csv.Error as exc:
        raise FileError(f"not a readable CSV file: {exc}") from None


def _xlsx_rows(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # a zip or XML error of any kind: the file is not a workbook
        raise FileError(f"not a readable XLSX file: {exc}") from None
    try:
        sheet = book.worksheets[0]
        return [[_xlsx_text(cell) for cell in row] for row in sheet.iter_rows()]
    finally:
        book.close()


def _xlsx_text(cell: Any) -> str:
    value = getattr(cell, "value", None)
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        shown = str(getattr(cell, "number_format", "")).lower()
        text = value.strftime("%Y-%m-%d")
        if "d" not in shown.replace("[$-", ""):  # 'mmm yyyy' shows a month, 'yyyy' a year
            text = text[:7] if "m" in shown else text[:4]
        return text
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table(raw: list[list[str]], encoding: str) -> Table:
    rows = [(number, [cell.strip() for cell in row]) for number, row in enumerate(raw, 1)]
    rows = [(n, cells) for n, cells in rows if any(cells)]
    while rows and rows[0][1][0].startswith("#"):
        rows.pop(0)
    if not rows:
        raise FileError("the file has no header row and no rows")
    header_number, headers = rows[0]
    width = len(headers)
    body = [(n, (cells + [""] * width)[:width]) for n, cells in rows[1:]]
    if not any(headers):
        raise FileError(f"row {header_number}: the header row is empty")
    return Table(headers, body, encoding)


__all__ = ["BAD_BYTES", "FileError", "Table", "decode", "read_table"]

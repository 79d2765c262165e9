"""CSV, JSON and XLSX writers: a heading that states the log head, then one row per case.

Each writer takes the heading (label, value pairs: the log head, filters, the time), the
columns and the rows as cell values, and yields bytes as it goes. CSV and JSON never hold
more than a page of rows; XLSX is written by openpyxl's write-only mode to a temporary file,
which is then read out in chunks.
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from tracker.exporting.cells import Cell, flat, neutralise

Heading = Sequence[tuple[str, str]]
"""(label, value) pairs stating where an export comes from; labels are our own words."""

_FLUSH = 500
_CHUNK = 1 << 16


def csv_chunks(
    heading: Heading, labels: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> Iterator[bytes]:
    """UTF-8 CSV with a byte-order mark (so spreadsheets read Cyrillic right), every field
    quoted; first the heading as '# label', value rows, then the column labels, then the rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    buffer.write("\ufeff")
    for name, value in heading:
        writer.writerow([f"# {name}", neutralise(value)])
    writer.writerow([neutralise(label) for label in labels])
    for count, row in enumerate(rows, 1):
        writer.writerow([flat(value) for value in row])
        if count % _FLUSH == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def json_chunks(
    meta: dict[str, Any], columns: Sequence[tuple[str, str]], rows: Iterable[Sequence[Cell]]
) -> Iterator[bytes]:
    """{"export": meta, "columns": [...], "cases": [{key: value}, ...], "count": n}, a case
    per line. Values are exact: lists stay lists, nothing is neutralised (JSON escapes control
    characters itself)."""
    head = {"export": meta, "columns": [{"key": key, "label": label} for key, label in columns]}
    opening = json.dumps(head, ensure_ascii=False)[:-1]  # leave the object open
    yield (opening + ',\n"cases": [').encode()
    keys = [key for key, _ in columns]
    lines: list[str] = []
    count = 0
    for row in rows:
        item = json.dumps(dict(zip(keys, row, strict=True)), ensure_ascii=False)
        lines.append(("\n" if count == 0 else ",\n") + item)
        count += 1
        if len(lines) >= _FLUSH:
            yield "".join(lines).encode()
            lines.clear()
    lines.append(f'\n],\n"count": {count}}}\n')
    yield "".join(lines).encode()


def _text_cell(sheet: WriteOnlyWorksheet, value: str | int, bold: bool = False) -> Any:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, whatever it looks like: openpyxl would make '=...' a formula
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_chunks(
    heading: Heading, labels: Sequence[str], rows: Iterable[Sequence[Cell]]
) -> Iterator[bytes]:
    """One sheet, 'Cases': the heading rows, the column labels (bold, frozen), then the rows.
    Every text cell is stored as text (never as a formula) and neutralised as in CSV."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Cases")
    sheet.freeze_panes = f"A{len(heading) + 2}"
    for name, value in heading:
        sheet.append([_text_cell(sheet, f"# {name}"), _text_cell(sheet, neutralise(value))])
    sheet.append([_text_cell(sheet, neutralise(label), bold=True) for label in labels])
    for row in rows:
        sheet.append([_text_cell(sheet, flat(value)) for value in row])
    with tempfile.TemporaryFile() as spool:
        book.save(spool)
        spool.seek(0)
        while chunk := spool.read(_CHUNK):
            yield chunk


__all__ = ["Heading", "csv_chunks", "json_chunks", "xlsx_chunks"]

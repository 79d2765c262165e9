"""Importing partner lists (CSV, XLSX): header recognition, row parsing, matching, preview and
the all-or-nothing commit."""

from tracker.importing.headers import FIELDS, IGNORE, MappingError, parse_map
from tracker.importing.planner import Outcome, RowPreview
from tracker.importing.reading import FileError
from tracker.importing.service import (
    ImportChanged,
    ImportPreview,
    ImportRefused,
    ImportResult,
    commit_import,
    preview_import,
)

__all__ = [
    "FIELDS",
    "IGNORE",
    "FileError",
    "ImportChanged",
    "ImportPreview",
    "ImportRefused",
    "ImportResult",
    "MappingError",
    "Outcome",
    "RowPreview",
    "commit_import",
    "parse_map",
    "preview_import",
]

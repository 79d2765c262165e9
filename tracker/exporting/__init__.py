"""Exports of case lists (CSV, JSON, XLSX): columns, safe cells, writers and the service."""

from tracker.exporting.cells import neutralise
from tracker.exporting.columns import COLUMNS, Column, ColumnError, choose, readable
from tracker.exporting.service import (
    FORMATS,
    MEDIA_TYPES,
    Export,
    ExportError,
    ExportRequest,
    export_cases,
)

__all__ = [
    "COLUMNS",
    "FORMATS",
    "MEDIA_TYPES",
    "Column",
    "ColumnError",
    "Export",
    "ExportError",
    "ExportRequest",
    "choose",
    "export_cases",
    "neutralise",
    "readable",
]

"""Throwaway databases for the benchmark: a temporary SQLite file, or a new PostgreSQL database
on the server a URL names, dropped afterwards. Never writes to the database the URL names."""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tracker.db import normalize_url


@contextmanager
def scratch_database(server_url: str | None, prefix: str = "tracker_scratch") -> Iterator[str]:
    """Yield the URL of an empty database beside `server_url` (SQLite temp file when None)."""
    if server_url is None or make_url(normalize_url(server_url)).get_backend_name() == "sqlite":
        with tempfile.TemporaryDirectory(prefix=f"{prefix}_") as folder:
            yield f"sqlite:///{Path(folder) / 'scratch.db'}"
        return
    url = make_url(normalize_url(server_url))
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield url.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()

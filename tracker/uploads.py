"""Uploaded import files, kept in the database between a preview and its commit.

A file is keyed by its SHA-256, so a commit imports exactly the bytes that were previewed,
never bytes a browser sends again; kept in the database (not on one machine's disk) so that
the commit may reach another instance of the web app than the preview did. A file is removed
once imported, and is no longer given out, and then pruned, when older than `max_age`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Column, Engine, LargeBinary, delete, func, select
from sqlmodel import Field, SQLModel

from tracker.accounts.sessions import stamp, utc_now
from tracker.db import writer

_DIGEST = re.compile(r"[0-9a-f]{64}")
MAX_AGE = timedelta(hours=2)
"""As long as a session may stay idle: a preview older than that is not committed."""


class ImportUpload(SQLModel, table=True):
    """One uploaded file, named by the SHA-256 of its bytes."""

    __tablename__ = "import_uploads"
    digest: str = Field(primary_key=True)
    data: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    kept_at: str = Field(index=True)


UPLOADS = ImportUpload.__table__  # type: ignore[attr-defined]


class Uploads:
    """The uploaded files of one database."""

    def __init__(
        self,
        engine: Engine,
        *,
        max_age: timedelta = MAX_AGE,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.engine = engine
        self.max_age = max_age
        self.now = now

    def _oldest_kept(self) -> str:
        return stamp(self.now() - self.max_age)

    def put(self, data: bytes) -> str:
        """Keep the bytes (again: the clock starts anew); their SHA-256 (hex) names them.
        Files kept too long are pruned first."""
        digest = hashlib.sha256(data).hexdigest()
        with writer(self.engine).begin() as conn:
            conn.execute(delete(UPLOADS).where(UPLOADS.c.kept_at < self._oldest_kept()))
            conn.execute(delete(UPLOADS).where(UPLOADS.c.digest == digest))
            conn.execute(
                UPLOADS.insert().values(digest=digest, data=data, kept_at=stamp(self.now()))
            )
        return digest

    def get(self, digest: str) -> bytes | None:
        """The bytes kept under this digest, or None (unknown, kept too long, or not matching)."""
        if not _DIGEST.fullmatch(digest):
            return None
        query = select(UPLOADS.c.data).where(
            UPLOADS.c.digest == digest, UPLOADS.c.kept_at >= self._oldest_kept()
        )
        with self.engine.connect() as conn:
            data = conn.execute(query).scalar_one_or_none()
        if data is None:
            return None
        data = bytes(data)
        return data if hashlib.sha256(data).hexdigest() == digest else None

    def drop(self, digest: str) -> None:
        with writer(self.engine).begin() as conn:
            conn.execute(delete(UPLOADS).where(UPLOADS.c.digest == digest))

    def count(self) -> int:
        """How many files are kept (for the admins and the tests)."""
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(UPLOADS)).scalar_one())


__all__ = ["MAX_AGE", "ImportUpload", "Uploads"]
